import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill run FILE --replications N`, `drill sweep FILE --vary …`, and `drill merge`: many
/// runs with confidence intervals, on `--jobs` threads, optionally as shards of a cluster job.
enum ExperimentCommand {
  static let sweepSpec = CommandSpec(
    name: "sweep",
    usage: [
      "sweep FILE --vary PATH=VALUES [--vary …] [--replications N] [--jobs N]",
      "                [--json] [--csv FILE] [--html FILE] [--shard K/N|auto --out FILE]",
    ],
    summary: """
      Runs every combination of the varied parameters, each for N replications (default 10).
      Replication r of every combination uses the same random inputs (common random numbers),
      so differences between combinations come with paired confidence intervals.

      VALUES is a list (dns.healthCheck.interval=10s,30s) or an integer range
      (regions.chennai.backend.max=1...8). PATH is any scenario key (see drill reference).
      """,
    options: [
      OptionSpec.set,
      OptionSpec("--vary", "PATH=VALUES", repeatable: true, "a parameter and its values; give one --vary per parameter"),
      OptionSpec("--baseline", "also run the file as written, first, and compare every grid point with it"),
      OptionSpec("--replications", "N", "replications per combination (default 10)"),
      OptionSpec("--jobs", "N", "threads (default: the cores available); results are identical for any N"),
      OptionSpec("--seed", "N", "the run seed (default: the file's)"),
      OptionSpec("--json", "the summary as one JSON document"),
      OptionSpec("--csv", "FILE", "also write the summary as CSV to FILE"),
      OptionSpec("--html", "FILE", "also write the summary and its charts as one HTML page"),
      OptionSpec(
        "--shard", "K/N",
        "run only shard K of N and write a partial result to --out FILE;\n--shard auto reads Slurm's SLURM_ARRAY_TASK_ID/COUNT or Kubernetes'\nJOB_COMPLETION_INDEX (with DRILL_SHARD_COUNT); combine with drill merge"
      ),
      OptionSpec("--out", "FILE", "where --shard writes its partial result"),
      WorkLimits.option,
    ])

  static let mergeSpec = CommandSpec(
    name: "merge", usage: ["merge PARTIAL… [--json] [--csv FILE] [--html FILE]"],
    summary: """
      Combines the partial results of drill run/sweep --shard into what one unsharded run prints
      (with the outputs the shards' command asked for); --json, --csv and --html add outputs here.
      """,
    options: [
      OptionSpec("--json", "print the summary as JSON (as run/sweep --json)"),
      OptionSpec("--csv", "FILE", "also write the summary as CSV to FILE"),
      OptionSpec("--html", "FILE", "also write the summary and its charts as one HTML page"),
    ])

  /// What an experiment command asks for, parsed before anything runs.
  struct Plan {
    var file: String
    var sweep: Sweep?
    var scenarios: [Scenario]
    var replications: Int
    var jobs: Int
    var json: Bool
    var csv: String?
    var shard: Shard?
    var out: String?
    var seed: UInt64
    var html: String?
  }

  /// Parses `arguments` of `run … --replications` or `sweep …` into a plan, loading and
  /// validating every configuration first.
  static func plan(_ command: String, _ arguments: [String], output: StandardStreams) throws -> Plan? {
    let parsed = try (command == "sweep" ? sweepSpec : RunCommand.spec).parse(arguments)
    let varies = parsed.values["--vary"] ?? []
    if command == "run" {
      for option in ["--svg", "--quiet"] where parsed.options[option] != nil || parsed.switches.contains(option) {
        throw UsageError(message: "drill run: \(option) shows one run; it does not apply with --replications")
      }
    }
    guard parsed.positional.count == 1 else { throw UsageError(message: "drill \(command): give one scenario file") }
    let file = parsed.positional[0]
    // Output paths are checked before anything runs: a folder where a file belongs is refused.
    do {
      if let path = parsed.options["--csv"] { try OutputPath.checkFile(path, option: "--csv", command: command, example: "summary.csv") }
      if let path = parsed.options["--html"] { try OutputPath.checkFile(path, option: "--html", command: command, example: "report.html") }
      if let path = parsed.options["--out"] { try OutputPath.checkFile(path, option: "--out", command: command, example: "shard-1.json") }
    } catch {
      output.err(error.message)
      return nil
    }
    let replications = try parsed.integer("--replications", default: 10, in: 1...1_000_000, command: command)
    let jobs = try parsed.jobs(command: command)
    var shard: Shard?
    if let text = parsed.options["--shard"] {
      switch Shard.parse(text) {
      case .success(let s): shard = s
      case .failure(let e): throw UsageError(message: "drill \(command): \(e.message)")
      }
      guard parsed.options["--out"] != nil else {
        throw UsageError(message: "drill \(command): --shard needs --out FILE for its partial result")
      }
    }
    var sweep: Sweep?
    var scenarios: [Scenario]
    if command == "sweep" {
      guard !varies.isEmpty else { throw UsageError(message: "drill sweep: give at least one --vary PATH=VALUES") }
      var axes: [Sweep.Axis] = []
      for text in varies {
        switch Sweep.axis(text) {
        case .success(let axis): axes.append(axis)
        case .failure(let e): throw UsageError(message: "drill sweep: \(e.message)")
        }
      }
      let s = Sweep(
        file: file, axes: axes, settings: try parsed.settings(command: command).map { (path: $0.0, value: $0.1) },
        baseline: parsed.switches.contains("--baseline"))
      switch s.scenarios() {
      case .success(let loaded): scenarios = loaded
      case .failure(let errors):
        output.err(errors.description)
        output.err("\(errors.diagnostics.count) error\(errors.diagnostics.count == 1 ? "" : "s"); nothing was run.")
        return nil
      }
      sweep = s
    } else {
      let settings = try parsed.settings(command: command)
      do {
        scenarios = [try Scenario.load(path: file, overrides: settings)]
      } catch {
        output.err(error.description)
        return nil
      }
    }
    let seed = parsed.options["--seed"] != nil ? try parsed.seed(default: 1, command: command) : scenarios[0].config.seed
    // A shard does its share of the runs.
    try WorkLimits.check(
      scenarios.map(\.config), runs: max(1, replications / (shard?.count ?? 1)), command: command,
      large: parsed.switches.contains("--large"), output: output)
    return Plan(
      file: file, sweep: sweep, scenarios: scenarios, replications: replications, jobs: jobs, json: parsed.switches.contains("--json"),
      csv: parsed.options["--csv"], shard: shard, out: parsed.options["--out"], seed: seed, html: parsed.options["--html"])
  }

  /// Runs every scenario `replications` times (or a shard's share) on `jobs` threads with a
  /// progress line, checking each run's accounting; a run that breaks it is the failure.
  static func runAll(_ scenarios: [Scenario], replications: Int, seed: UInt64, jobs: Int, shard: Shard? = nil)
    -> Result<[TaskResult], BrokenRun>
  {
    let runner = Runner(configurations: scenarios.map(\.config), replications: replications, seed: seed, jobs: jobs, shard: shard)
    let log = ViolationLog()
    let results = runner.run(
      metrics: { c, result in
        log.check(result)
        return Metrics.row(result: result, config: scenarios[c].config, context: scenarios[c].info)
      }, progress: Progress.bar())
    Progress.clear()
    if let broken = log.first { return .failure(BrokenRun(violations: broken.violations, seed: broken.seed)) }
    return .success(results)
  }

  /// A run whose accounting did not hold: the invariants it broke and its seed.
  struct BrokenRun: Error {
    var violations: [String]
    var seed: UInt64
  }

  /// Runs a plan: the whole of it, or one shard written to a partial file.
  static func execute(_ command: String, _ arguments: [String], output: StandardStreams) throws -> Int32 {
    guard let plan = try plan(command, arguments, output: output) else { return 2 }
    let results: [TaskResult]
    switch runAll(plan.scenarios, replications: plan.replications, seed: plan.seed, jobs: plan.jobs, shard: plan.shard) {
    case .success(let all): results = all
    case .failure(let broken): return InternalError.report(broken.violations, seed: broken.seed, command: command, output: output)
    }
    if let shard = plan.shard, let out = plan.out {
      // The command as every shard shares it: --shard, --out and --jobs do not change results.
      var shared: [String] = []
      var i = 0
      while i < arguments.count {
        if ["--shard", "--out", "--jobs"].contains(arguments[i]) {
          i += 2
          continue
        }
        shared.append(arguments[i])
        i += 1
      }
      let partial = ExperimentOutput.partial(
        results: results, command: [command] + shared, configurations: plan.scenarios.count, shard: shard)
      let files = OutputTransaction()
      files.add(partial.serialized() + "\n", at: out)
      if let status = files.commit(command: command, output: output) { return status }
      output.out("shard \(shard.index)/\(shard.count): \(results.count) runs written to \(out); combine the shards with drill merge")
      return 0
    }
    return render(plan, results: results, output: output)
  }

  /// Prints what an unsharded run prints, from the complete results.
  static func render(_ plan: Plan, results: [TaskResult], output: StandardStreams) -> Int32 {
    let summary = ExperimentSummary(results: results, configurations: plan.scenarios.count)
    let title: String
    let table: String
    if let sweep = plan.sweep {
      title = "Drill sweep: \(plan.scenarios[0].info.name) (seed \(plan.seed))"
      table = ExperimentOutput.sweepTable(summary, sweep: sweep, replications: plan.replications)
    } else {
      title = "Drill: \(plan.scenarios[0].info.name) (reading: \(plan.scenarios[0].info.base), seed \(plan.seed))"
      table = ExperimentOutput.replicationTable(summary, replications: plan.replications)
    }
    // Every file of this command is written together or not at all.
    let files = OutputTransaction()
    if let csv = plan.csv { files.add(ExperimentOutput.csv(summary, sweep: plan.sweep), at: csv) }
    if let html = plan.html {
      let objective = plan.scenarios[0].info.availabilityObjective
      let charts = plan.sweep.map { ExperimentOutput.charts(summary, sweep: $0, objective: objective) } ?? []
      let subtitle =
        plan.sweep.map { "Sweep over " + $0.axes.map(\.path).joined(separator: " × ") + ", " } ?? ""
      let page = HTMLReport.experiment(
        title: title,
        subtitle: subtitle + "\(plan.replications) replications each (common random numbers); 95% Student-t intervals",
        tableHTML: ExperimentOutput.htmlTable(summary, sweep: plan.sweep, replications: plan.replications), charts: charts)
      files.add(page, at: html)
    }
    if let status = files.commit(command: plan.sweep == nil ? "run" : "sweep", output: output) { return status }
    if plan.json {
      output.out(
        ExperimentOutput.json(summary, sweep: plan.sweep, replications: plan.replications, seed: plan.seed).serialized(pretty: true))
    } else {
      output.out(title)
      output.out(table)
    }
    return 0
  }

  /// `drill merge FILES…`: the shards' partial results, printed as the unsharded command would.
  static func merge(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try mergeSpec.parse(arguments)
    if parsed.switches.contains("--help") || parsed.positional.isEmpty {
      output.out(mergeSpec.help)
      return parsed.positional.isEmpty && !parsed.switches.contains("--help") ? 2 : 0
    }
    var documents: [Data] = []
    for path in parsed.positional {
      guard let data = FileManager.default.contents(atPath: path) else {
        output.err("drill merge: cannot read \(path)")
        return 2
      }
      documents.append(data)
    }
    switch ExperimentOutput.merge(documents) {
    case .failure(let e):
      output.err("drill merge: \(e.message)")
      return 2
    case .success(let merged):
      var command = merged.command
      let name = command.removeFirst()
      // The plan of the shared command: the same configurations, validated the same way.
      guard var plan = try plan(name, command, output: output) else { return 2 }
      // The output options of merge itself, on top of the shards' command.
      if parsed.switches.contains("--json") { plan.json = true }
      do {
        if let path = parsed.options["--csv"] { try OutputPath.checkFile(path, option: "--csv", command: "merge", example: "summary.csv") }
        if let path = parsed.options["--html"] {
          try OutputPath.checkFile(path, option: "--html", command: "merge", example: "report.html")
        }
      } catch {
        output.err(error.message)
        return 2
      }
      if let path = parsed.options["--csv"] { plan.csv = path }
      if let path = parsed.options["--html"] { plan.html = path }
      let expected = plan.scenarios.count * plan.replications
      guard merged.results.count == expected else {
        output.err("drill merge: \(merged.results.count) of \(expected) runs present; a shard is missing")
        return 2
      }
      return render(plan, results: merged.results, output: output)
    }
  }
}
