/// Layers partial parameter trees: an object over an object merges key by key; anything
/// else replaces what lies under it. Each value keeps the span of the layer it came from.
public enum TreeMerge {
  public static func merge(_ base: JSON5Value?, _ over: JSON5Value) -> JSON5Value {
    guard case .object(let baseMembers, _)? = base, case .object(let overMembers, let span) = over else { return over }
    var merged = baseMembers
    for member in overMembers {
      if let i = merged.firstIndex(where: { $0.key == member.key }) {
        merged[i] = JSON5Member(key: member.key, keySpan: member.keySpan, value: merge(merged[i].value, member.value))
      } else {
        merged.append(member)
      }
    }
    return .object(merged, span)
  }
}
