import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill run FILE`: runs a scenario and prints its failover timeline and summary.
enum RunCommand {
  static let help = """
    usage: drill run FILE [--seed N] [--json] [--csv DIR] [--html FILE] [--svg DIR] [--quiet]
           drill run FILE --replications N [--jobs N] [--json] [--csv FILE] [--shard K/N --out FILE]

    Runs the scenario in FILE and prints the failover timeline (T+m:ss from the first fault,
    one line per state change, naming the mechanism), the milestones next to any published
    ones, requests by outcome, read and write downtime, RTO, RPO, split-brain writes,
    latency and instances. The same file and seed always print the same bytes.

    options:
      --seed N     run with this seed instead of the file's
      --json       print one JSON document instead (keys: seed, timeline, milestones, metrics…)
      --csv DIR    also write the time series to DIR/series.csv
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
      throw UsageError(message: "drill run: give one scenario file (got \(parsed.positional.count)), for example: drill run scenarios/seed-case-study.json5")
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
    if let directory = parsed.options["--csv"] {
      do {
        try writeAtomically(report.csv(), to: URL(fileURLWithPath: directory).appendingPathComponent("series.csv"))
      } catch {
        output.err("drill run: cannot write \(directory)/series.csv: \(error.localizedDescription)")
        return 1
      }
    }
    let cost = CostReport(
      result: result, config: scenario.config, money: scenario.info.money, downtimeSeconds: report.downtimeSeconds(RequestKind.allCases),
      availability: report.availability)
    do {
      if let html = parsed.options["--html"] { try writeAtomically(HTMLReport.run(report, cost: cost), to: URL(fileURLWithPath: html)) }
      if let directory = parsed.options["--svg"] {
        for chart in report.charts() {
          try writeAtomically(chart.svg, to: URL(fileURLWithPath: directory).appendingPathComponent(chart.name + ".svg"))
        }
      }
    } catch {
      output.err("drill run: cannot write the report: \(error.localizedDescription)")
      return 1
    }
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


  /// Writes through a temporary file and a rename, so a failure leaves nothing half-written.
  static func writeAtomically(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
    try Data(text.utf8).write(to: temporary)
    if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    try FileManager.default.moveItem(at: temporary, to: url)
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
