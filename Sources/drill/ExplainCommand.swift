import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill explain FILE`: the timeline narrated for a learner. After each milestone: which
/// parameters set its time, and how far changing each moves it (the same scenario re-run
/// with one value changed and the same seed, so only that change differs).
enum ExplainCommand {
  static let help = """
    usage: drill explain FILE [--seed N]

    Runs the scenario, then tells the failover story milestone by milestone: what mechanism set
    each time, the parameters behind it with their values, and, for each, the time the milestone
    moves to when that parameter takes another value (re-run with the same seed).
    """

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try ParsedArguments(arguments, command: "explain", valueOptions: ["--seed"], switchOptions: ["--help"])
    if parsed.switches.contains("--help") {
      output.out(help)
      return 0
    }
    guard parsed.positional.count == 1 else { throw UsageError(message: "drill explain: give one scenario file") }
    let path = parsed.positional[0]
    let seed: UInt64? = parsed.options["--seed"] != nil ? try parsed.seed(default: 1, command: "explain") : nil
    let scenario: Scenario
    do {
      scenario = try Scenario.load(path: path)
    } catch {
      output.err(error.description)
      return 2
    }
    func milestones(_ s: Scenario) -> [Milestone: Double] {
      var config = s.config
      if let seed { config.seed = seed }
      let report = RunReport(result: TopologyModel.run(config), context: s.info)
      return report.milestoneSeconds
    }
    let base = milestones(scenario)
    let regions = scenario.config.regions.map(\.name)
    let automation = scenario.config.dataPath?.automation
    let watch = regions[automation?.watchRegion ?? 0]
    let promote = regions[automation?.promoteRegion ?? min(1, regions.count - 1)]
    output.out("Drill explains \(scenario.info.name) (reading: \(scenario.info.base), seed \(seed ?? scenario.config.seed))")
    if !scenario.info.description.isEmpty { output.out(scenario.info.description) }
    // In the order they happened; failover_complete, the sum of the others, last.
    let ordered = MilestoneGuide.entries.filter { base[$0.milestone] != nil }.enumerated().sorted { a, b in
      let (x, y) = (
        a.element.milestone == .failoverComplete ? .infinity : base[a.element.milestone]!,
        b.element.milestone == .failoverComplete ? .infinity : base[b.element.milestone]!
      )
      return x == y ? a.offset < b.offset : x < y
    }.map(\.element)
    for entry in ordered {
      guard let at = base[entry.milestone] else { continue }
      output.out("")
      output.out("T+\(RunReport.clock(at))  \(entry.milestone.rawValue)")
      output.out(wrap(entry.explanation, indent: "  "))
      for lever in entry.levers {
        let leverPath = lever.path.replacingOccurrences(of: "<watch>", with: watch).replacingOccurrences(of: "<promote>", with: promote)
        let current = scenario.value(at: leverPath)
        guard current != lever.alternative else { continue }
        let changed: String
        do {
          let variant = try Scenario.load(path: path, overrides: [(leverPath, lever.alternative)])
          if let moved = milestones(variant)[entry.milestone] {
            let delta = moved - at
            changed =
              abs(delta) < 0.5
              ? "barely moves it (T+\(RunReport.clock(moved)))"
              : String(format: "moves it to T+%@ (%+.0f s)", RunReport.clock(moved), delta)
          } else {
            changed = "makes it not happen at all"
          }
        } catch {
          changed = "cannot be tried here (\(error.diagnostics.first?.message ?? "invalid"))"
        }
        output.out("  \(leverPath) \(current) → \(lever.alternative): \(changed)")
      }
    }
    return 0
  }

  static func wrap(_ text: String, indent: String, width: Int = 96) -> String {
    var lines: [String] = []
    var line = indent
    for word in text.split(separator: " ") {
      if line.count + word.count + 1 > width && line.count > indent.count {
        lines.append(line)
        line = indent
      }
      line += (line.count > indent.count ? " " : "") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }
}
