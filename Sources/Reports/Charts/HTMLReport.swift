import Foundation
import SimCore
import Topology

/// One self-contained HTML file: inline CSS and SVG, nothing loaded from the network, so it
/// works offline and on a projector.
public enum HTMLReport {
  static let style = """
    body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #1a1a1a; line-height: 1.45; }
    h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
    table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; } td, th { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
    th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .match { color: #006b3c; font-weight: bold; } .off { color: #b03000; font-weight: bold; }
    .mech { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; color: #555; }
    figure { margin: 1em 0; } svg { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
    pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
    """

  public static func escape(_ s: String) -> String { SVGChart.escape(s) }

  public static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
    <style>\(style)</style></head>
    <body>
    \(body)
    </body></html>

    """
  }

  /// The report of one run: story, milestones (beside published ones), summary, timeline, charts, cost.
  public static func run(_ report: RunReport, cost: CostReport?) -> String {
    let context = report.context
    var body = "<h1>Drill: \(escape(context.name))</h1>\n"
    body +=
      "<p>Reading <b>\(escape(context.base))</b>, seed \(report.result.seed), \(report.result.duration) simulated. \(escape(context.description))</p>\n"
    body += "<h2>Milestones</h2>\n<table><tr><th>milestone</th><th>simulated</th>"
    let published = Dictionary(context.published.map { ($0.0, $0.1.seconds) }, uniquingKeysWith: { a, _ in a })
    if !published.isEmpty { body += "<th>published</th><th></th>" }
    body += "</tr>\n"
    let simulated = Dictionary(uniqueKeysWithValues: report.milestones.map { ($0.0.rawValue, $0.1) })
    for key in Milestone.allCases.map(\.rawValue) {
      guard simulated[key] != nil || published[key] != nil else { continue }
      body += "<tr><td>\(key)</td><td class=\"num\">\(simulated[key].map { "T+" + RunReport.clock($0) } ?? "—")</td>"
      if !published.isEmpty {
        if let p = published[key] {
          let same = simulated[key].map { abs($0 - p) < 0.0005 } ?? false
          body +=
            "<td class=\"num\">T+\(RunReport.clock(p))</td><td class=\"\(same ? "match" : "off")\">\(same ? "matches" : "differs")</td>"
        } else {
          body += "<td></td><td></td>"
        }
      }
      body += "</tr>\n"
    }
    body += "</table>\n<h2>Summary</h2>\n<table>\n"
    var summary: [(String, String)] = [
      ("requests", "\(report.attempts) attempts, \(report.failed) failed"),
      ("availability", report.attempts > 0 ? RunReport.percent(report.availability) : "— (no requests)"),
      (
        "read / write downtime",
        String(
          format: "%.1f s / %.1f s (failure-weighted)", report.downtimeSeconds([.pageLoad, .apiRead]), report.downtimeSeconds([.apiWrite]))
      ),
      ("RTO", (report.rtoSeconds.map { RunReport.clock($0) } ?? "— (service never recovered)") + " " + RunReport.rtoDefinition),
    ]
    if let data = report.result.data {
      summary.append(("RPO", "\(counted(data.lostWrites, "write")) lost, " + String(format: "%.3f s of history", data.rpoSeconds)))
      summary.append(("split brain", "\(counted(data.splitBrainWrites, "write")) on the losing side"))
    }
    if let p50 = report.latency(0.5), let p99 = report.latency(0.99) {
      summary.append(("latency p50 / p99", RunReport.ms(p50) + " / " + RunReport.ms(p99)))
    }
    for (k, v) in summary { body += "<tr><th>\(k)</th><td>\(escape(v))</td></tr>\n" }
    body += "</table>\n<h2>Timeline</h2>\n<table><tr><th>when</th><th>mechanism</th><th>what happened</th></tr>\n"
    for entry in report.result.timeline.entries {
      body +=
        "<tr><td class=\"num\">\(entry.time.offsetDescription(from: report.origin))</td><td class=\"mech\">\(entry.mechanism.rawValue)</td><td>\(escape(entry.text))</td></tr>\n"
    }
    body += "</table>\n<h2>Charts</h2>\n"
    for chart in report.charts() { body += "<figure id=\"\(chart.name)\">\n\(chart.svg)</figure>\n" }
    for note in report.omittedCharts() { body += "<p class=\"note\">\(escape(note))</p>\n" }
    if let cost {
      body += "<h2>Cost</h2>\n<table><tr><th>region</th><th>component</th><th>quantity</th><th>per month</th><th>for the run</th></tr>\n"
      for line in cost.lines + cost.shared {
        body +=
          "<tr><td>\(escape(line.region))</td><td>\(escape(line.component))</td><td>\(escape(line.quantityText))</td><td class=\"num\">\(escape(line.monthly.description))</td><td class=\"num\">\(escape(line.forRun.description))</td></tr>\n"
      }
      body +=
        "<tr><th colspan=\"3\">total</th><th class=\"num\">\(escape(cost.monthlyTotal.description))</th><th class=\"num\">\(escape(cost.runTotal.description))</th></tr></table>\n"
      body += "<pre>\(escape(cost.arithmetic.joined(separator: "\n")))</pre>\n"
    }
    return page(title: "Drill: \(context.name)", body: body)
  }

  /// A sweep or a set of replications: the summary table and one chart per headline metric
  /// with its 95% band.
  /// - Parameters:
  ///   - tableHTML: the summary as an HTML table (the report's own markup, not escaped).
  public static func experiment(title: String, subtitle: String, tableHTML: String, charts: [(name: String, svg: String)]) -> String {
    var body = "<h1>\(escape(title))</h1>\n<p>\(escape(subtitle))</p>\n\(tableHTML)"
    for chart in charts { body += "<figure id=\"\(chart.name)\">\n\(chart.svg)</figure>\n" }
    return page(title: title, body: body)
  }
}
