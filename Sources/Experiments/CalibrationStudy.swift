import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// An observed incident: milestone times after the first fault, each with an optional tolerance.
public struct Observation: Sendable {
  public struct Entry: Sendable {
    public var milestone: Milestone
    public var seconds: Double
    public var tolerance: Double?
  }

  public var entries: [Entry]

  /// Reads `{ milestones: { dns_unhealthy: "T+1:30", monitor_alert: { at: "5m", tolerance: "30s" } } }`:
  /// times as `T+m:ss`, `m:ss`, `h:mm:ss`, a duration (`1m30s`) or seconds. Milestone names are
  /// checked strictly, with the nearest name suggested.
  public static func read(file: String) throws(StudyError) -> Observation {
    let tree = try StudyError.readJSON5(file, option: "--observed")
    guard case .object(let top, _) = tree, let list = top.first(where: { $0.key == "milestones" })?.value,
      case .object(let members, _) = list, !members.isEmpty
    else {
      throw StudyError(message: "\(file): expected { milestones: { dns_unhealthy: \"T+1:30\", … } }")
    }
    let names = Milestone.allCases.map(\.rawValue)
    var entries: [Entry] = []
    for member in members {
      let at = "\(file):\(member.keySpan.location.line): milestones.\(member.key)"
      guard let milestone = Milestone(rawValue: member.key) else {
        var message = "\(at): \"\(member.key)\" is not a milestone; milestones: \(names.joined(separator: ", "))"
        if let near = Suggestion.nearest(to: member.key, among: names) { message += ". Did you mean \"\(near)\"?" }
        throw StudyError(message: message)
      }
      var timeValue = member.value
      var tolerance: Double?
      if case .object(let fields, _) = member.value {
        for field in fields where !["at", "tolerance"].contains(field.key) {
          throw StudyError(message: "\(at).\(field.key): unknown key; known keys: \"at\", \"tolerance\"")
        }
        guard let time = fields.first(where: { $0.key == "at" })?.value else {
          throw StudyError(message: "\(at).at: missing; give the observed time, such as \"T+1:30\"")
        }
        timeValue = time
        if let value = fields.first(where: { $0.key == "tolerance" })?.value {
          guard let seconds = Self.seconds(value), seconds >= 0 else {
            throw StudyError(message: "\(at).tolerance: \"\(value.text)\" is not a duration; expected such as \"30s\"")
          }
          tolerance = seconds
        }
      }
      guard let seconds = Self.seconds(timeValue), seconds >= 0 else {
        throw StudyError(
          message: "\(at): \"\(timeValue.text)\" is not a time after the first fault; expected \"T+1:30\", \"1:30\", \"1m30s\" or seconds")
      }
      entries.append(Entry(milestone: milestone, seconds: seconds, tolerance: tolerance))
    }
    return Observation(entries: entries)
  }

  /// `T+1:30`, `1:30`, `1:02:03`, `1m30s` or a number of seconds.
  static func seconds(_ value: JSON5Value) -> Double? {
    switch value {
    case .number(let n, _): return n.isFinite ? n : nil
    case .string(let raw, _):
      var text = raw.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("T+") { text.removeFirst(2) }
      if text.contains(":") {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let values = Optional(parts.compactMap { Double($0) }), values.count == parts.count else {
          return nil
        }
        return values.reduce(0) { $0 * 60 + $1 }
      }
      return (try? SimDuration(parsing: text))?.seconds
    default: return nil
    }
  }
}

/// What `drill calibrate` computes: where each observed milestone falls among the simulated
/// ones, and, over a grid of parameters, which values explain the observation best.
public struct CalibrationStudy: Sendable {
  /// One milestone at one grid point.
  public struct Fit: Sendable {
    public var entry: Observation.Entry
    /// Simulated times of the runs in which it happened.
    public var simulated: [Double]
    public var runs: Int
    public var mean: Double? { simulated.isEmpty ? nil : simulated.reduce(0, +) / Double(simulated.count) }
    /// Share of simulated times below the observed one (ties count half), 0–1.
    public var percentile: Double? {
      guard !simulated.isEmpty else { return nil }
      let below = simulated.filter { $0 < entry.seconds }.count
      let equal = simulated.filter { $0 == entry.seconds }.count
      return (Double(below) + Double(equal) / 2) / Double(simulated.count)
    }
    public var insideCentral90: Bool { percentile.map { $0 >= 0.05 && $0 <= 0.95 } ?? false }
    /// |simulated mean − observed| ≤ tolerance; without a tolerance, inside the central 90%.
    public var withinTolerance: Bool {
      guard let mean else { return false }
      if let tolerance = entry.tolerance { return abs(mean - entry.seconds) <= tolerance }
      return insideCentral90
    }
  }

  /// One grid point: its values and its milestones.
  public struct Point: Sendable {
    public var values: [(path: String, value: String)]
    public var fits: [Fit]
    /// Root-mean-square of (simulated mean − observed) over the milestones; infinite when a
    /// milestone happened in fewer than half of the runs (the values cannot explain it).
    public var rmsError: Double {
      var sum = 0.0
      for fit in fits {
        guard let mean = fit.mean, fit.simulated.count * 2 >= fit.runs else { return .infinity }
        sum += (mean - fit.entry.seconds) * (mean - fit.entry.seconds)
      }
      return (sum / Double(max(1, fits.count))).squareRoot()
    }
  }

  /// Every grid point, best fit first.
  public var points: [Point]
  public var replications: Int
  public var seed: UInt64
  public var varied: Bool

  /// Runs every grid point `replications` times (common random numbers across points) and
  /// ranks them by RMS error.
  public static func run(
    _ scenarios: [Scenario], combinations: [[(path: String, value: String)]], observation: Observation, replications: Int, seed: UInt64,
    jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> CalibrationStudy {
    let runner = Runner(configurations: scenarios.map(\.config), replications: replications, seed: seed, jobs: jobs)
    let results = runner.run(
      metrics: { c, result in Metrics.row(result: result, config: scenarios[c].config, context: scenarios[c].info) }, progress: progress)
    var points: [Point] = []
    for (c, combination) in combinations.enumerated() {
      let rows = results.filter { $0.configuration == c }.map(\.metrics)
      let fits = observation.entries.map { entry in
        Fit(
          entry: entry, simulated: rows.compactMap { $0[Metrics.milestonePrefix + entry.milestone.rawValue] ?? nil }, runs: rows.count)
      }
      points.append(Point(values: combination, fits: fits))
    }
    let order = points.indices.sorted { (points[$0].rmsError, $0) < (points[$1].rmsError, $1) }
    return CalibrationStudy(
      points: order.map { points[$0] }, replications: replications, seed: seed, varied: combinations.contains { !$0.isEmpty })
  }

  static func clock(_ seconds: Double?) -> String { seconds.map { "T+" + RunReport.clock($0) } ?? "—" }

  static func describe(_ values: [(path: String, value: String)]) -> String {
    values.isEmpty ? "as written" : values.map { "\($0.path)=\(plain($0.value))" }.joined(separator: ", ")
  }

  /// A value as people write it: `"2m"` → `2m`.
  static func plain(_ value: String) -> String {
    value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") ? String(value.dropFirst().dropLast()) : value
  }

  /// The report for people.
  public func text(name: String) -> String {
    guard let best = points.first else { return "" }
    var lines = [
      "Drill calibrate: \(name) (\(replications) replications per point, seed \(seed))", "",
      varied ? "Best fit: \(Self.describe(best.values))" : "The scenario as written:",
      "  milestone              observed    simulated mean            percentile   inside 90%   within tolerance",
    ]
    for fit in best.fits {
      let percentile = fit.percentile.map { String(format: "%.0f%%", $0 * 100) } ?? "never"
      let happened = fit.simulated.count < fit.runs ? " (in \(fit.simulated.count)/\(fit.runs) runs)" : ""
      lines.append(
        "  " + fit.entry.milestone.rawValue.padding(toLength: 23, withPad: " ", startingAt: 0)
          + Self.clock(fit.entry.seconds).padding(toLength: 12, withPad: " ", startingAt: 0)
          + (Self.clock(fit.mean) + happened).padding(toLength: 26, withPad: " ", startingAt: 0)
          + percentile.padding(toLength: 13, withPad: " ", startingAt: 0)
          + (fit.insideCentral90 ? "yes" : "no").padding(
            toLength: 13, withPad: " ", startingAt: 0) + (fit.withinTolerance ? "yes" : "no")
          + (fit.entry.tolerance.map { " (± \(Int($0)) s)" } ?? ""))
    }
    lines.append(String(format: "  RMS error %.1f s", best.rmsError))
    if varied {
      lines.append("")
      lines.append("Grid points by fit (RMS error of the simulated means against the observed times):")
      for (k, point) in points.prefix(10).enumerated() {
        let error =
          point.rmsError.isFinite ? String(format: "%.1f s", point.rmsError) : "cannot explain it (a milestone mostly never happens)"
        let worse = k == 0 || !point.rmsError.isFinite ? "" : String(format: " (+%.1f s)", point.rmsError - best.rmsError)
        lines.append("  \(k + 1). \(Self.describe(point.values)): \(error)\(worse)")
      }
      if points.count > 10 { lines.append("  … \(points.count - 10) more") }
    }
    lines.append("")
    lines.append(
      "percentile: the share of simulated runs in which the milestone came earlier than observed; inside 90%: between the 5th and "
        + "95th; within tolerance: |simulated mean − observed| ≤ the tolerance given, or inside 90% without one.")
    return lines.joined(separator: "\n")
  }

  /// The report for programs (docs/json.md).
  public func json(name: String) -> JSONValue {
    func fitJSON(_ fit: Fit) -> JSONValue {
      .object([
        ("name", .string(fit.entry.milestone.rawValue)), ("observed", .double(fit.entry.seconds)),
        ("tolerance", fit.entry.tolerance.map { .double($0) } ?? .null),
        ("simulated_mean", fit.mean.map { .double($0) } ?? .null),
        ("percentile", fit.percentile.map { .double($0) } ?? .null), ("inside_central_90", .bool(fit.insideCentral90)),
        ("within_tolerance", .bool(fit.withinTolerance)), ("happened_in", .int(Int64(fit.simulated.count))),
        ("runs", .int(Int64(fit.runs))),
      ])
    }
    func pointJSON(_ point: Point) -> JSONValue {
      .object([
        ("values", .object(point.values.map { ($0.path, .string(Self.plain($0.value))) })),
        ("rms_error_seconds", point.rmsError.isFinite ? .double(point.rmsError) : .null),
      ])
    }
    let best = points.first!
    return .object([
      ("scenario", .string(name)), ("seed", .int(Int64(bitPattern: seed))), ("replications", .int(Int64(replications))),
      ("milestones", .array(best.fits.map(fitJSON))),
      (
        "best_fit",
        .object(
          best.values.map { ($0.path, .string(Self.plain($0.value))) } + [
            ("rms_error_seconds", best.rmsError.isFinite ? .double(best.rmsError) : .null)
          ])
      ),
      ("runners_up", .array(points.dropFirst().prefix(5).map(pointJSON))),
      ("grid", .array(points.map(pointJSON))),
    ])
  }
}
