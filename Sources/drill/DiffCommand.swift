import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill diff A B` or `drill diff A --set PATH=VALUE…`: two versions of a deployment run on
/// the same seeds, every metric and milestone side by side with the paired difference.
enum DiffCommand {
  static let spec = CommandSpec(
    name: "diff",
    usage: ["diff A.json5 B.json5 [--replications N] [--seed N] [--jobs N] [--json]", "diff FILE --set PATH=VALUE [--set …] […]"],
    summary: """
      Runs A and B (B: a second file, or A changed by --set) for N replications each on the
      same seeds (common random numbers), and prints each metric and milestone for A and B
      with B − A paired replication by replication. With two files, --set changes B.
      """,
    options: [
      OptionSpec.set,
      OptionSpec("--replications", "N", "replications of each (default 10; 1 compares single runs)"),
      OptionSpec("--seed", "N", "the run seed (default: A's)"),
      OptionSpec("--jobs", "N", "threads (default: the cores available); results are identical for any N"),
      OptionSpec("--json", "print the replications JSON with two configurations, A then B (docs/json.md)"),
      WorkLimits.option,
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    let settings = try parsed.settings(command: "diff")
    guard parsed.positional.count == 2 || (parsed.positional.count == 1 && !settings.isEmpty) else {
      throw UsageError(
        message: "drill diff: give two scenario files, or one file and --set PATH=VALUE (got \(parsed.positional.count) files)")
    }
    let replications = try parsed.integer("--replications", default: 10, in: 1...100_000, command: "diff")
    let jobs = try parsed.jobs(command: "diff")
    let fileA = parsed.positional[0]
    let fileB = parsed.positional.count == 2 ? parsed.positional[1] : fileA
    let a: Scenario
    let b: Scenario
    do {
      a = try Scenario.load(path: fileA)
      b = try Scenario.load(path: fileB, overrides: settings)
    } catch {
      output.err(error.description)
      output.err("\(error.diagnostics.count) error\(error.diagnostics.count == 1 ? "" : "s"); nothing was run.")
      return 2
    }
    let seed = parsed.options["--seed"] != nil ? try parsed.seed(default: 1, command: "diff") : a.config.seed
    try WorkLimits.check(
      [a.config, b.config], runs: replications, command: "diff", large: parsed.switches.contains("--large"), output: output)
    let results: [TaskResult]
    switch ExperimentCommand.runAll([a, b], replications: replications, seed: seed, jobs: jobs) {
    case .success(let all): results = all
    case .failure(let broken): return InternalError.report(broken.violations, seed: broken.seed, command: "diff", output: output)
    }
    let summary = ExperimentSummary(results: results, configurations: 2)
    if parsed.switches.contains("--json") {
      output.out(ExperimentOutput.json(summary, sweep: nil, replications: replications, seed: seed).serialized(pretty: true))
      return 0
    }
    // fileB is fileA when B is A changed by --set.
    let labelB = fileB + (settings.isEmpty ? "" : " with " + settings.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
    output.out("Drill diff (seed \(seed))")
    output.out(ExperimentOutput.diffTable(summary, replications: replications, a: fileA, b: labelB))
    return 0
  }
}
