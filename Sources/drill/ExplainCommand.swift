import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill explain FILE`: the timeline narrated for a learner. After each milestone: which
/// parameters set its time, and how far changing each moves it (the same scenario re-run
/// with one value changed and the same seed, so only that change differs). The runs are
/// ``ExplainStudy``'s, in parallel.
enum ExplainCommand {
  static let spec = CommandSpec(
    name: "explain", usage: ["explain FILE [--seed N] [--jobs N]"],
    summary: """
      Runs the scenario, then tells the failover story milestone by milestone: what mechanism set
      each time, the parameters behind it with their values, and, for each, the time the milestone
      moves to when that parameter takes another value (re-run with the same seed).
      """,
    options: [
      WorkLimits.option,
      OptionSpec.set,
      OptionSpec("--seed", "N", "run with this seed instead of the file's"),
      OptionSpec("--jobs", "N", "threads for the variants (default: the cores); the output is the same for any N"),
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    guard parsed.positional.count == 1 else { throw UsageError(message: "drill explain: give one scenario file") }
    let seed: UInt64? = parsed.options["--seed"] != nil ? try parsed.seed(default: 1, command: "explain") : nil
    let jobs = try parsed.jobs(command: "explain")
    let settings = try parsed.settings(command: "explain")
    let scenario: Scenario
    do {
      scenario = try Scenario.load(path: parsed.positional[0], overrides: settings)
    } catch {
      output.err(error.description)
      return 2
    }
    try WorkLimits.check([scenario.config], runs: 1, command: "explain", large: parsed.switches.contains("--large"), output: output)
    let study = ExplainStudy.run(scenario, seed: seed, jobs: jobs, progress: Progress.bar())
    Progress.clear()
    guard study.violations.isEmpty else {
      return InternalError.report(study.violations, seed: study.seed, command: "explain", output: output)
    }
    output.out("Drill explains \(scenario.info.name) (reading: \(scenario.info.base), seed \(study.seed))")
    if !scenario.info.description.isEmpty { output.out(scenario.info.description) }
    for step in study.steps {
      output.out("")
      output.out("T+\(RunReport.clock(step.at))  \(step.milestone.rawValue)")
      output.out(wrap(step.explanation, indent: "  "))
      for lever in step.levers {
        let changed: String
        switch lever.change {
        case .moved(let moved):
          let delta = moved - step.at
          changed =
            abs(delta) < 0.5
            ? "barely moves it (T+\(RunReport.clock(moved)))"
            : String(format: "moves it to T+%@ (%+.0f s)", RunReport.clock(moved), delta)
        case .vanished: changed = "makes it not happen at all"
        case .invalid(let why): changed = "cannot be tried here (\(why))"
        }
        output.out("  \(lever.path) \(lever.current) → \(lever.alternative): \(changed)")
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
