/// Layers partial parameter trees: an object over an object merges key by key; anything
/// else replaces what lies under it. Each value keeps the span of the layer it came from.
public enum TreeMerge {
  public static func merge(_ base: JSON5Value?, _ over: JSON5Value) -> JSON5Value {
    guard case .object(let baseMembers, _)? = base, case .object(let overMembers, let span) = over else { return over }
    var merged = baseMembers
    // Each key's place, so that layering stays linear in the number of keys.
    var place = [String: Int](minimumCapacity: baseMembers.count)
    for (i, member) in baseMembers.enumerated() where place[member.key] == nil { place[member.key] = i }
    for member in overMembers {
      if let i = place[member.key] {
        merged[i] = JSON5Member(key: member.key, keySpan: member.keySpan, value: merge(merged[i].value, member.value))
      } else {
        place[member.key] = merged.count
        merged.append(member)
      }
    }
    return .object(merged, span)
  }
}
