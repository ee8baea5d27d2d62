import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill run FILE`: runs a scenario and prints its failover timeline and summary.
enum RunCommand {
  static let help = """
    usage: drill run FILE [--seed N] [--json] [--csv FILE] [--html FILE] [--svg DIR] [--quiet]
           drill run FILE --replications N [--jobs N] [--json] [--csv FILE] [--shard K/N --out FILE]

    Runs the scenario in FILE and prints the failover timeline (T+m:ss from the first fault,
    one line per state change, naming the mechanism), the milestones next to any published
    ones, requests by outcome, read and write downtime, RTO, RPO, split-brain writes,
    latency and instances. The same file and seed always print the same bytes.

    options:
      --seed N     run with this seed instead of the file's
      --json       print one JSON document instead (keys: seed, timeline, milestones, metrics…)
      --csv FILE   also write the time series as CSV to FILE
      --html FILE  also write one self-contained HTML report (works offline)
      --svg DIR    also write each chart as DIR/NAME.svg
      --quiet      leave instance launches and LB target changes out of the timeline
      --replications N  N independent runs (seeds derived from the run seed): each metric and
                   milestone as mean, standard deviation, 95% interval, min and max
      --jobs N     threads for replications (default: the cores); results identical for any N
      --shard K/N  run only shard K of the replications (see drill sweep --help), with --out FILE
    """

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    if arguments.contains(where: { $0 == "--replications" || $0.hasPrefix("--replications=") }) && !arguments.contains("--help") {
      return try ExperimentCommand.execute("run", arguments, output: output)
    }
    let parsed = try ParsedArguments(
      arguments, command: "run", valueOptions: ["--seed", "--csv", "--html", "--svg"], switchOptions: ["--json", "--quiet", "--help"])
    if parsed.switches.contains("--help") {
      output.out(help)
      return 0
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
    var scenario: Scenario
    do {
      scenario = try Scenario.load(path: parsed.positional[0])
    } catch {
      output.err(error.description)
      output.err("\(error.diagnostics.count) error\(error.diagnostics.count == 1 ? "" : "s"); nothing was run.")
      return 2
    }
    if parsed.options["--seed"] != nil { scenario.config.seed = try parsed.seed(default: 1, command: "run") }
    let result = TopologyModel.run(scenario.config)
    let report = RunReport(result: result, context: scenario.info)
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

/// `drill validate FILE…`: checks scenario files without running them.
enum ValidateCommand {
  static let help = """
    usage: drill validate FILE…

    Checks each scenario file and prints OK, or every problem in it as
    FILE:LINE:COLUMN: error: PATH: message. Exit code 2 when any file has a problem.
    """

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try ParsedArguments(arguments, command: "validate", valueOptions: [], switchOptions: ["--help"])
    if parsed.switches.contains("--help") {
      output.out(help)
      return 0
    }
    guard !parsed.positional.isEmpty else { throw UsageError(message: "drill validate: give at least one scenario file") }
    var status: Int32 = 0
    for file in parsed.positional {
      do {
        _ = try Scenario.load(path: file)
        output.out("\(file): OK")
      } catch {
        output.err(error.description)
        status = 2
      }
    }
    return status
  }
}

/// `drill list`: the shipped scenarios with their one-line descriptions.
enum ListCommand {
  static let help = """
    usage: drill list [--dir DIR]

    Lists the scenario files in DIR (default: scenarios) with the first line of the comment
    that opens each.
    """

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try ParsedArguments(arguments, command: "list", valueOptions: ["--dir"], switchOptions: ["--help"])
    if parsed.switches.contains("--help") {
      output.out(help)
      return 0
    }
    let directory = parsed.options["--dir"] ?? "scenarios"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      output.err("drill list: cannot read the directory \"\(directory)\"; run from the project folder or give --dir")
      return 2
    }
    for name in names.filter({ $0.hasSuffix(".json5") }).sorted() {
      let path = (directory as NSString).appendingPathComponent(name)
      // Pad to line the descriptions up, but never cut a long path short.
      output.out(path + String(repeating: " ", count: max(1, 42 - path.count)) + summary(of: path))
    }
    return 0
  }

  /// The first line of the file's opening comment.
  static func summary(of path: String) -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("//") { return trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces) }
      if !trimmed.isEmpty { break }
    }
    return ""
  }
}

/// `drill reference`: every scenario key with its type, default and meaning, as Markdown.
enum ReferenceCommand {
  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try ParsedArguments(arguments, command: "reference", valueOptions: [], switchOptions: ["--help"])
    if parsed.switches.contains("--help") {
      output.out("usage: drill reference\n\nPrints the scenario key reference (docs/scenario-reference.md is this output).")
      return 0
    }
    output.raw(ScenarioReference.markdown())
    return 0
  }
}
