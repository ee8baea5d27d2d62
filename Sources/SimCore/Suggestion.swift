/// "Did you mean": the closest known spelling to a misspelt word.
public enum Suggestion {
  /// The candidate closest to `word` by edit distance (case-insensitive), when it is close
  /// enough to be a likely typo: at most a third of the longer word's length.
  ///
  /// - Returns: nil when nothing is close, or when `word` is itself a candidate.
  ///
  /// - Complexity: bounded: a word of more than 64 characters is nobody's typo and gets no
  ///   suggestion, and a candidate whose length differs by more than the allowed edits is
  ///   skipped, so a huge unknown key costs nothing (an edit distance is quadratic).
  public static func nearest(to word: String, among candidates: [String]) -> String? {
    guard word.count <= 64 else { return nil }
    let lowered = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let longer = max(word.count, candidate.count)
      let allowed = longer >= 3 ? max(1, longer / 3) : 0
      if abs(word.count - candidate.count) > allowed {
        // Too different in length to be within the limit; an abbreviation is still caught below.
        if best == nil { best = (candidate, Int.max) }
        continue
      }
      let distance = editDistance(lowered, candidate.lowercased())
      if distance == 0 && candidate == word { return nil }
      if best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    guard let best else { return nil }
    // A third of the longer word, at least one edit for words of three letters or more;
    // one- and two-letter words ("x" for "d") match only case-insensitively.
    let longer = max(word.count, best.candidate.count)
    let limit = longer >= 3 ? max(1, longer / 3) : 0
    if best.distance <= limit { return best.candidate }
    // A prefix of three letters or more ("lognorm" for "lognormal") is a likely abbreviation.
    return lowered.count >= 3 ? candidates.first { $0.lowercased().hasPrefix(lowered) } : nil
  }

  /// Levenshtein distance, with a transposition of two adjacent letters counting as one edit.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previousPrevious = [Int](repeating: 0, count: y.count + 1)
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
          current[j] = min(current[j], previousPrevious[j - 2] + 1)
        }
      }
      (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[y.count]
  }
}
