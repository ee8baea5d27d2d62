import Foundation
import SimCore
import Topology

/// The failover timeline as lanes, one per mechanism, each event a mark on its lane (its
/// text in a tooltip), milestones as labelled vertical lines.
public struct TimelineChart: Sendable {
  public var entries: [TimelineEntry]
  public var origin: SimTime
  public var milestones: [(String, Double)]
  public var width = 760.0

  public init(entries: [TimelineEntry], origin: SimTime, milestones: [(String, Double)]) {
    self.entries = entries
    self.origin = origin
    self.milestones = milestones
  }

  public func svg() -> String {
    let lanes = Mechanism.allCases.filter { m in entries.contains { $0.mechanism == m } }
    let left = 120.0
    let right = 20.0
    let top = 44.0
    let laneHeight = 28.0
    let plotW = width - left - right
    let labelSize = 14.0
    let rowHeight = 20.0
    let times = entries.map { ($0.time - origin).seconds / 60 } + milestones.map { $0.1 / 60 }
    let lo = min(0, times.min() ?? 0)
    let hi = max((times.max() ?? 1), lo + 1)
    func px(_ minutes: Double) -> Double { left + (minutes - lo) / (hi - lo) * plotW }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    // Milestone labels ("dns_unhealthy 1:30") in rows under the axis, each joined to its line.
    let ordered = milestones.sorted { $0.1 < $1.1 }
    let texts = ordered.map { "\($0.0) \(RunReport.clock($0.1))" }
    let layout = LabelLayout.place(
      zip(ordered, texts).map { (x: px($0.0.1 / 60), text: $0.1) }, fontSize: labelSize, minX: 4, maxX: width - 4)
    let rows = (layout.map(\.row).max() ?? -1) + 1
    let labelsTop = top + Double(lanes.count) * laneHeight + 64
    let height = labelsTop + Double(rows) * rowHeight + 12
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
      font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="14" role="img" aria-label="Failover timeline">
      <title>Failover timeline</title>
      <rect width="100%" height="100%" fill="#ffffff"/>
      <text x="\(f(left))" y="24" font-size="17" font-weight="bold">Failover timeline (minutes after the first fault)</text>

      """
    for (i, lane) in lanes.enumerated() {
      let y = top + Double(i) * laneHeight + laneHeight / 2
      out +=
        "<rect x=\"\(f(left))\" y=\"\(f(y - laneHeight / 2))\" width=\"\(f(plotW))\" height=\"\(f(laneHeight))\" fill=\"\(i % 2 == 0 ? "#f4f4f4" : "#ffffff")\"/>"
      out += "<text class=\"lane\" x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(lane.rawValue)</text>\n"
      let colour = SVGChart.palette[i % SVGChart.palette.count]
      for entry in entries where entry.mechanism == lane {
        let x = px((entry.time - origin).seconds / 60)
        // Shapes differ by lane parity as well as colour, for greyscale.
        if i % 2 == 0 {
          out +=
            "<circle class=\"event\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(colour)\"><title>\(SVGChart.escape(entry.time.offsetDescription(from: origin) + " " + entry.text))</title></circle>\n"
        } else {
          out +=
            "<rect class=\"event\" x=\"\(f(x - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\"><title>\(SVGChart.escape(entry.time.offsetDescription(from: origin) + " " + entry.text))</title></rect>\n"
        }
      }
    }
    let bottom = top + Double(lanes.count) * laneHeight
    for t in SVGChart.ticks(lo, hi, count: 8) {
      out += "<line x1=\"\(f(px(t)))\" y1=\"\(f(bottom))\" x2=\"\(f(px(t)))\" y2=\"\(f(bottom + 5))\" stroke=\"#333333\"/>"
      out += "<text x=\"\(f(px(t)))\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\">\(SVGChart.label(t))</text>\n"
    }
    out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(bottom + 38))\" text-anchor=\"middle\">minutes after the first fault</text>\n"
    // Milestones: a dashed line each, and every label placed by LabelLayout (no overlap, none
    // cut at the edges), with a leader from the axis down to its row.
    var leaders = ""
    var labels = ""
    for (k, milestone) in ordered.enumerated() {
      let x = px(milestone.1 / 60)
      out +=
        "<line class=\"milestone\" x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\" stroke=\"#555555\" stroke-dasharray=\"3 3\"><title>\(milestone.0) T+\(RunReport.clock(milestone.1))</title></line>\n"
      let place = layout[k]
      let baseline = labelsTop + Double(place.row) * rowHeight + labelSize
      leaders +=
        "<line class=\"leader\" x1=\"\(f(x))\" y1=\"\(f(bottom + 44))\" x2=\"\(f(x))\" y2=\"\(f(baseline - labelSize))\" stroke=\"#bbbbbb\"/>"
      labels +=
        "<text class=\"milestone-label\" x=\"\(f(place.x))\" y=\"\(f(baseline))\" font-size=\"\(Int(labelSize))\" fill=\"#333333\" "
        // A white halo under the text hides the leaders of the labels below it where they cross.
        + "stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\" "
        + "data-width=\"\(f(place.width))\">\(SVGChart.escape(texts[k]))</text>\n"
    }
    return out + leaders + labels + "</svg>\n"
  }
}
