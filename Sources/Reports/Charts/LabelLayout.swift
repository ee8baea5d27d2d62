/// Places text labels along an axis so that none overlaps another or leaves the chart: each
/// label wants to start at its anchor; one that would run past the right edge is moved left;
/// a label that would touch the previous one in its row goes to the next row (as many rows as
/// needed, so every label is drawn). Widths are estimated from the font size (DejaVu Sans,
/// the charts' font, averages under 0.62 em a character).
struct LabelLayout {
  struct Placed: Equatable {
    /// The label's left edge and its row (0 nearest the axis).
    var x: Double
    var row: Int
    var width: Double
  }

  /// The estimated width of `text` at `fontSize`.
  static func width(of text: String, fontSize: Double) -> Double { Double(text.count) * fontSize * 0.62 }

  /// Positions for `labels` (anchor x and text, in any order), within `minX…maxX`.
  static func place(_ labels: [(x: Double, text: String)], fontSize: Double, minX: Double, maxX: Double, gap: Double = 6) -> [Placed] {
    var rowEnds: [Double] = []
    var placed = [Placed](repeating: Placed(x: 0, row: 0, width: 0), count: labels.count)
    for i in labels.indices.sorted(by: { labels[$0].x < labels[$1].x }) {
      let w = width(of: labels[i].text, fontSize: fontSize)
      let x = max(minX, min(labels[i].x, maxX - w))
      let row = rowEnds.firstIndex { $0 + gap <= x } ?? rowEnds.count
      if row == rowEnds.count { rowEnds.append(x + w) } else { rowEnds[row] = x + w }
      placed[i] = Placed(x: x, row: row, width: w)
    }
    return placed
  }
}
