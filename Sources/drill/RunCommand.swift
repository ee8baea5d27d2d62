import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill run FILE`: runs a scenario and prints its failover timeline and summary.
enum RunCommand {
  static let spec = CommandSpec(
    name: "run",
    usage: [
      "run FILE [--seed N] [--json] [--csv FILE] [--html FILE] [--svg DIR] [--quiet]",
      "run FILE --replications N [--jobs N] [--json] [--csv FILE] [--html FILE] [--shard K/N --out FILE]",
    ],
    summary: """
      Runs the scenario in FILE and prints the failover timeline (T+m:ss from the first fault,
      one line per state change, naming the mechanism), the milestones next to any published
      ones, requests by outcome, read and write downtime, RTO, RPO, split-brain writes,
      latency and instances. The same file and seed always print the same bytes.
      """,
    options: [
      OptionSpec.set,
      OptionSpec("--seed", "N", "run with this seed instead of the file's"),
      OptionSpec("--json", "print one JSON document instead (keys: seed, timeline, milestones, metrics…)"),
      OptionSpec("--csv", "FILE", "also write the time series (with --replications: the summary) as CSV to FILE"),
      OptionSpec("--html", "FILE", "also write one self-contained HTML report (works offline)"),
      OptionSpec("--svg", "DIR", "also write each chart as DIR/NAME.svg"),
      OptionSpec("--quiet", "leave instance launches and LB target changes out of the timeline"),
      WorkLimits.option,
      OptionSpec(
        "--replications", "N",
        "N independent runs (seeds derived from the run seed): each metric and\nmilestone as mean, standard deviation, 95% interval, min and max"
      ),
      OptionSpec("--jobs", "N", "threads for replications (default: the cores); results identical for any N"),
      OptionSpec("--shard", "K/N", "run only shard K of the replications (see drill sweep --help), with --out FILE"),
      OptionSpec("--out", "FILE", "where --shard writes its partial result"),
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    if parsed.options["--replications"] != nil { return try ExperimentCommand.execute("run", arguments, output: output) }
    for option in ["--jobs", "--shard", "--out"] where parsed.options[option] != nil {
      throw UsageError(message: "drill run: \(option) applies to many runs; give --replications N too")
    }
    guard parsed.positional.count == 1 else {
      throw UsageError(
        message:
          "drill run: give one scenario file (got \(parsed.positional.count)), for example: drill run scenarios/seed-case-study.json5")
    }
    // Output paths are checked before anything runs: a folder where a file belongs is refused.
    do {
      if let path = parsed.options["--csv"] { try OutputPath.checkFile(path, option: "--csv", command: "run", example: "series.csv") }
      if let path = parsed.options["--html"] { try OutputPath.checkFile(path, option: "--html", command: "run", example: "report.html") }
      if let path = parsed.options["--svg"] { try OutputPath.checkDirectory(path, option: "--svg", command: "run") }
    } catch {
      output.err(error.message)
      return 2
    }
    let settings = try parsed.settings(command: "run")
    var scenario: Scenario
    do {
      scenario = try Scenario.load(path: parsed.positional[0], overrides: settings)
    } catch {
      output.err(error.description)
      output.err("\(error.diagnostics.count) error\(error.diagnostics.count == 1 ? "" : "s"); nothing was run.")
      return 2
    }
    if parsed.options["--seed"] != nil { scenario.config.seed = try parsed.seed(default: 1, command: "run") }
    try WorkLimits.check([scenario.config], runs: 1, command: "run", large: parsed.switches.contains("--large"), output: output)
    let result = TopologyModel.run(scenario.config)
    let violations = InternalError.violations(of: result)
    guard violations.isEmpty else { return InternalError.report(violations, seed: result.seed, command: "run", output: output) }
    let report = RunReport(result: result, context: scenario.info)
    if report.attempts == 0 {
      output.err("drill run: warning: no request was made in \(parsed.positional[0]); availability is undefined. Check clients.rate")
    }
    let cost = CostReport(
      result: result, config: scenario.config, money: scenario.info.money, downtimeSeconds: report.downtimeSeconds(RequestKind.allCases),
      availability: report.availability)
    // Every file of this run is written together or not at all.
    let files = OutputTransaction()
    if let path = parsed.options["--csv"] { files.add(report.csv(), at: path) }
    if let html = parsed.options["--html"] { files.add(HTMLReport.run(report, cost: cost), at: html) }
    if let directory = parsed.options["--svg"] {
      for chart in report.charts() { files.add(chart.svg, named: chart.name + ".svg", in: directory) }
    }
    if let status = files.commit(command: "run", output: output) { return status }
    if parsed.switches.contains("--json") {
      var document = report.json()
      if case .object(var pairs) = document {
        pairs.append(("cost", cost.json()))
        document = .object(pairs)
      }
      output.out(document.serialized(pretty: true))
    } else {
      output.out(report.text(quiet: parsed.switches.contains("--quiet")))
      output.out("")
      output.out("Cost (drill cost FILE for the details and the second region's return):")
      output.out("  infrastructure \(cost.monthlyTotal) per month at this run's instance counts, \(cost.runTotal) for the run")
      output.out("  downtime \(cost.downtimeCost) (\(cost.revenuePerMinute) a minute of outage)")
    }
    return 0
  }
}
