import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// Tables, CSV and JSON for replications and sweeps, and the partial files of sharded runs.
public enum ExperimentOutput {
  /// The metrics shown in tables (all are in JSON and CSV).
  public static let headline = [
    "availability", "rto_seconds", "read_downtime_seconds", "write_downtime_seconds", "rpo_lost_writes", "split_brain_writes",
    "latency_p99_seconds", "monthly_infrastructure", "downtime_cost",
  ]

  static func number(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e12 { return String(Int64(x)) }
    return String(format: abs(x) < 0.01 ? "%.4g" : "%.4f", x)
  }

  static func describe(_ s: MetricSummary) -> String {
    guard s.count > 0 else { return "—" }
    guard let ci = s.interval else { return number(s.statistics.mean) }
    return "\(number(ci.mean)) ± \(number(ci.halfWidth))"
  }

  /// Replications of one configuration: mean, sd, 95% CI, min, max per metric.
  public static func replicationTable(_ summary: ExperimentSummary, replications: Int) -> String {
    var lines = [
      "\(replications) replications; 95% Student-t intervals", "",
      "  metric                          mean ± half-width        sd          min         max",
    ]
    for s in summary.configurations[0] {
      let name = "  " + s.name.padding(toLength: 31, withPad: " ", startingAt: 0) + " "
      // A metric no run produced is said, not dropped.
      guard s.count > 0 else {
        lines.append(name + absent(s.name, runs: replications))
        continue
      }
      let row =
        name + describe(s).padding(toLength: 24, withPad: " ", startingAt: 0)
        + " " + number(s.statistics.standardDeviation).padding(toLength: 11, withPad: " ", startingAt: 0)
        + " " + number(s.statistics.minimum).padding(toLength: 11, withPad: " ", startingAt: 0) + " " + number(s.statistics.maximum)
        + (s.count < replications ? "  (in \(s.count)/\(replications) runs)" : "")
      lines.append(row)
    }
    return lines.joined(separator: "\n")
  }

  /// A sweep: one line per configuration with the headline metrics, then paired differences.
  public static func sweepTable(_ summary: ExperimentSummary, sweep: Sweep, replications: Int) -> String {
    var lines = [
      "Sweep over " + sweep.axes.map(\.path).joined(separator: " × ")
        + ", \(replications) replications each (common random numbers); 95% intervals", "",
    ]
    let shown = shownMetrics(summary)
    for (c, combination) in sweep.combinations.enumerated() {
      lines.append("  " + Self.label(combination))
      for name in shown {
        guard let s = summary.configurations[c].first(where: { $0.name == name }) else { continue }
        let label = "    " + name.padding(toLength: 34, withPad: " ", startingAt: 0) + " "
        // A metric no run of this configuration produced is said, never dropped.
        guard s.count > 0 else {
          lines.append(label + absent(name, runs: replications))
          continue
        }
        var line = label + describe(s).padding(toLength: 24, withPad: " ", startingAt: 0)
        if s.count < replications { line += " (in \(s.count)/\(replications) runs)" }
        if c > 0, let d = summary.differences[c - 1].first(where: { $0.name == name }), d.count > 1 {
          line += (sweep.baseline ? " vs as written: " : " vs first: ") + describe(d)
        }
        lines.append(line)
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Two configurations side by side (`drill diff`): each metric and milestone for A and for
  /// B, and B − A paired replication by replication (the same seeds in both).
  public static func diffTable(_ summary: ExperimentSummary, replications: Int, a: String, b: String) -> String {
    let width = 34
    var lines = [
      "A: \(a)", "B: \(b)",
      "\(replications) replication\(replications == 1 ? "" : "s") each, the same seeds in A and B"
        + (replications > 1 ? "; mean ± 95% half-width" : ""),
      "",
      "  " + "metric".padding(toLength: width, withPad: " ", startingAt: 0) + " " + "A".padding(toLength: 24, withPad: " ", startingAt: 0)
        + " " + "B".padding(toLength: 24, withPad: " ", startingAt: 0) + " B − A (paired)",
    ]
    let names = shownMetrics(summary)
    func cell(_ s: MetricSummary?) -> String {
      guard let s, s.count > 0 else { return "never" }
      return describe(s) + (s.count < replications ? " (\(s.count)/\(replications))" : "")
    }
    for name in names {
      let inA = summary.configurations[0].first { $0.name == name }
      let inB = summary.configurations[1].first { $0.name == name }
      let difference = summary.differences[0].first { $0.name == name }
      let paired = difference.flatMap { $0.count > 0 ? describe($0) : nil } ?? "—"
      lines.append(
        "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + " "
          + cell(inA).padding(toLength: 24, withPad: " ", startingAt: 0)
          + " " + cell(inB).padding(toLength: 24, withPad: " ", startingAt: 0) + " " + paired)
    }
    return lines.joined(separator: "\n")
  }

  /// The summary as an HTML table for the report page: one row per configuration and
  /// metric, the mean ± 95% half-width, and for a sweep the paired difference from the first.
  public static func htmlTable(_ summary: ExperimentSummary, sweep: Sweep?, replications: Int) -> String {
    let escape = SVGChart.escape
    let names = shownMetrics(summary)
    var html = "<table class=\"summary\">\n<tr><th>configuration</th><th>metric</th><th>mean ± 95%</th>"
    html += sweep == nil ? "<th>sd</th><th>min</th><th>max</th></tr>\n" : "<th>vs first (paired)</th></tr>\n"
    for (c, metrics) in summary.configurations.enumerated() {
      let label = sweep.map { Self.label($0.combinations[c]) } ?? "as written"
      for (k, name) in names.enumerated() {
        guard let s = metrics.first(where: { $0.name == name }) else { continue }
        html += "<tr>" + (k == 0 ? "<th rowspan=\"\(names.count)\">\(escape(label))</th>" : "")
        html += "<td>\(escape(name))</td>"
        guard s.count > 0 else {
          html += "<td colspan=\"\(sweep == nil ? 4 : 2)\">\(escape(absent(name, runs: replications)))</td></tr>\n"
          continue
        }
        html += "<td class=\"num\">\(escape(describe(s)))\(s.count < replications ? " (in \(s.count)/\(replications))" : "")</td>"
        if sweep == nil {
          html += "<td class=\"num\">\(number(s.statistics.standardDeviation))</td><td class=\"num\">\(number(s.statistics.minimum))</td>"
          html += "<td class=\"num\">\(number(s.statistics.maximum))</td>"
        } else {
          let d = c > 0 ? summary.differences[c - 1].first { $0.name == name } : nil
          html += "<td class=\"num\">\(d.flatMap { $0.count > 1 ? escape(describe($0)) : nil } ?? "")</td>"
        }
        html += "</tr>\n"
      }
    }
    return html + "</table>\n"
  }

  /// The rows tables show: the headline metrics, then every milestone that happened in some
  /// run of some configuration, in the order a failover unfolds.
  static func shownMetrics(_ summary: ExperimentSummary) -> [String] {
    let milestones = Milestone.allCases.map { Metrics.milestonePrefix + $0.rawValue }.filter { name in
      summary.configurations.contains { $0.contains { $0.name == name && $0.count > 0 } }
    }
    return headline.filter { summary.metricNames.contains($0) } + milestones
  }

  /// A configuration's name: its varied values, or "as written" for the baseline.
  static func label(_ combination: [(path: String, value: String)]) -> String {
    combination.isEmpty ? "as written (the file's own values)" : combination.map { "\($0.path)=\($0.value)" }.joined(separator: " ")
  }

  /// What a table says for a metric that no run produced.
  static func absent(_ name: String, runs: Int) -> String {
    name == "rto_seconds" ? "never recovered in \(runs)/\(runs) runs" : "did not happen in \(runs)/\(runs) runs"
  }

  public static func csv(_ summary: ExperimentSummary, sweep: Sweep?) -> String {
    var header = sweep?.axes.map(\.path) ?? []
    header += ["metric", "count", "mean", "sd", "ci95_low", "ci95_high", "min", "max"]
    var lines = [header.joined(separator: ",")]
    for (c, metrics) in summary.configurations.enumerated() {
      // One column per varied key; the baseline (the file as written) says so in each.
      let values =
        sweep.map { s in
          s.axes.map { axis in
            s.combinations[c].first { $0.path == axis.path }.map { $0.value.replacingOccurrences(of: "\"", with: "") } ?? "as written"
          }
        } ?? []
      for s in metrics {
        let ci = s.interval
        let cells =
          values + [
            s.name, String(s.count), s.count > 0 ? number(s.statistics.mean) : "", number(s.statistics.standardDeviation),
            ci.map { number($0.lower) } ?? "", ci.map { number($0.upper) } ?? "",
            s.count > 0 ? number(s.statistics.minimum) : "", s.count > 0 ? number(s.statistics.maximum) : "",
          ]
        lines.append(cells.joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  public static func json(_ summary: ExperimentSummary, sweep: Sweep?, replications: Int, seed: UInt64) -> JSONValue {
    func stats(_ s: MetricSummary) -> JSONValue {
      let ci = s.interval
      return .object([
        ("count", .int(Int64(s.count))), ("mean", s.count > 0 ? .double(s.statistics.mean) : .null),
        ("sd", .double(s.statistics.standardDeviation)), ("ci95_low", ci.map { .double($0.lower) } ?? .null),
        ("ci95_high", ci.map { .double($0.upper) } ?? .null), ("min", s.count > 0 ? .double(s.statistics.minimum) : .null),
        ("max", s.count > 0 ? .double(s.statistics.maximum) : .null),
      ])
    }
    let configurations: [JSONValue] = summary.configurations.enumerated().map { c, metrics in
      var pairs: [(String, JSONValue)] = []
      if let sweep { pairs.append(("values", .object(sweep.combinations[c].map { ($0.path, .string($0.value)) }))) }
      // Milestones nest under "milestones", as in a run's JSON; the other metrics keep the run's names.
      func split(_ all: [MetricSummary]) -> [(String, JSONValue)] {
        let prefix = Metrics.milestonePrefix
        let plain = all.filter { !$0.name.hasPrefix(prefix) }
        let milestones = all.filter { $0.name.hasPrefix(prefix) }
        return [
          ("metrics", .object(plain.map { ($0.name, stats($0)) })),
          ("milestones", .object(milestones.map { (String($0.name.dropFirst(prefix.count)), stats($0)) })),
        ]
      }
      pairs += split(metrics)
      if c > 0 { pairs.append(("paired_difference_vs_first", .object(split(summary.differences[c - 1])))) }
      return .object(pairs)
    }
    return .object([
      ("seed", .int(Int64(bitPattern: seed))), ("replications", .int(Int64(replications))), ("configurations", .array(configurations)),
    ])
  }

  /// One chart per headline metric: its mean over the first varied axis (the configurations
  /// of the other axes as separate series), with the 95% interval as a band.
  ///
  /// Few grid points are drawn as dots (the line between them was not simulated); a whole-
  /// number parameter gets whole-number ticks; money is labelled in rupees; availability
  /// zooms to the data with the objective drawn as a line.
  public static func charts(_ summary: ExperimentSummary, sweep: Sweep, objective: Double? = nil) -> [(name: String, svg: String)] {
    guard let axis = sweep.axes.first else { return [] }
    let numeric = axis.values.allSatisfy { Double($0.replacingOccurrences(of: "\"", with: "").filter { $0.isNumber || $0 == "." }) != nil }
    func x(_ k: Int) -> Double {
      numeric ? Double(axis.values[k].replacingOccurrences(of: "\"", with: "").filter { $0.isNumber || $0 == "." }) ?? Double(k) : Double(k)
    }
    // The baseline, if any, is configuration 0 and drawn as a level, not on the grid.
    let offset = sweep.baseline ? 1 : 0
    let others = (sweep.combinations.count - offset) / axis.values.count
    var charts: [(String, String)] = []
    for name in headline where summary.metricNames.contains(name) {
      var series: [SVGChart.Series] = []
      for o in 0..<others {
        var points: [(x: Double, y: Double)] = []
        var band: [(x: Double, low: Double, high: Double)] = []
        for k in axis.values.indices {
          let c = offset + k * others + o
          guard let s = summary.configurations[c].first(where: { $0.name == name }), s.count > 0 else { continue }
          points.append((x(k), s.statistics.mean))
          if let ci = s.interval { band.append((x(k), ci.lower, ci.upper)) }
        }
        let label = sweep.combinations[offset + o].dropFirst().map { "\($0.path)=\($0.value)" }.joined(separator: " ")
        series.append(SVGChart.Series(name: label.isEmpty ? name : label, points: points, band: band))
      }
      let xLabel =
        axis.path + (numeric ? "" : " (" + axis.values.enumerated().map { "\($0.offset)=\($0.element)" }.joined(separator: ", ") + ")")
      let money = ["monthly_infrastructure", "downtime_cost"].contains(name)
      var chart = SVGChart(
        title: "\(name) (mean, 95% band)", xLabel: xLabel, yLabel: money ? "₹ (\(name))" : name, series: series)
      chart.pointMarkers = axis.values.count <= 12
      chart.integerX = numeric && axis.values.allSatisfy { Int($0.replacingOccurrences(of: "\"", with: "")) != nil } || !numeric
      if sweep.baseline, let s = summary.configurations[0].first(where: { $0.name == name }), s.count > 0 {
        chart.levels.append((s.statistics.mean, "as written"))
      }
      if name == "availability" {
        chart.yFromZero = false
        if let objective { chart.levels = [(objective, "objective \(String(format: "%g", objective * 100))%")] }
      }
      charts.append((name, chart.svg()))
    }
    return charts
  }

  // MARK: Shards

  /// A shard's partial result: enough to merge into exactly the unsharded output.
  public static func partial(results: [TaskResult], command: [String], configurations: Int, shard: Shard) -> JSONValue {
    .object([
      ("drill_partial", .int(1)),
      ("command", .array(command.map(JSONValue.string))),
      ("configurations", .int(Int64(configurations))),
      ("shard", .string("\(shard.index)/\(shard.count)")),
      (
        "tasks",
        .array(
          results.map { r in
            .object([
              ("configuration", .int(Int64(r.configuration))), ("replication", .int(Int64(r.replication))),
              ("metrics", .object(r.metrics.keys.sorted().map { key in (key, r.metrics[key]!.map(JSONValue.double) ?? .null) })),
            ])
          })
      ),
    ])
  }

  /// Reads partial files back: the command they came from, and every task's result.
  /// Numbers are read with Drill's own parser, which turns the shortest text Drill wrote
  /// back into the very same double, so a merge equals the unsharded run bit for bit.
  public static func merge(_ documents: [Data]) -> Result<(command: [String], configurations: Int, results: [TaskResult]), SweepError> {
    var command: [String]?
    var configurations = 0
    var results: [TaskResult] = []
    var seen = Set<[Int]>()
    func members(_ value: JSON5Value?) -> [String: JSON5Value]? {
      guard case .object(let m, _)? = value else { return nil }
      return Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
    func int(_ value: JSON5Value?) -> Int? {
      guard case .number(let n, _)? = value, n == n.rounded() else { return nil }
      return Int(n)
    }
    for data in documents {
      let text = String(decoding: data, as: UTF8.self)
      guard let root = try? JSON5Parser.parse(text, source: "partial"), let object = members(root), object["drill_partial"] != nil,
        case .array(let commandValues, _)? = object["command"], let count = int(object["configurations"]),
        case .array(let tasks, _)? = object["tasks"]
      else { return .failure(SweepError(message: "not a partial result written by drill --shard")) }
      let cmd = commandValues.compactMap { value -> String? in if case .string(let s, _) = value { return s } else { return nil } }
      if let command, command != cmd { return .failure(SweepError(message: "the partial results come from different commands")) }
      command = cmd
      configurations = count
      for task in tasks {
        guard let fields = members(task), let c = int(fields["configuration"]), let r = int(fields["replication"]),
          let metrics = members(fields["metrics"])
        else {
          return .failure(SweepError(message: "a partial result's task is malformed"))
        }
        guard seen.insert([c, r]).inserted else {
          return .failure(SweepError(message: "configuration \(c), replication \(r) appears in two partial results"))
        }
        var row: MetricRow = [:]
        for (key, value) in metrics {
          if case .number(let n, _) = value { row[key] = n } else { row[key] = .some(nil) }
        }
        results.append(TaskResult(configuration: c, replication: r, metrics: row))
      }
    }
    guard let command else { return .failure(SweepError(message: "no partial result given")) }
    return .success((command, configurations, results))
  }
}
