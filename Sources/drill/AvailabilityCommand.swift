import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill availability FILE`: years of the deployment under its fault processes.
enum AvailabilityCommand {
  static let spec = CommandSpec(
    name: "availability", usage: ["availability FILE [--years N] [--replications R] [--jobs N] [--json] [--html FILE]"],
    summary: """
      Simulates years of the deployment: every part fails and is repaired at random (faultProcesses,
      with published defaults), the model's own health checks, DNS, PgPool, monitors and automation
      react, and an on-call operator fails over by hand while the primary stays down and restores
      the configured state once the faults are repaired. Requests are simulated
      one by one around every incident; the quiet time between is accounted from the steady state
      before it. Reports per year, with 95% intervals: availability, downtime minutes (reads,
      writes), incidents by kind and by what ended them, RTO and RPO, split brain, downtime cost,
      error budget and the chance of meeting the SLO, beside the case study's "99.9%+" claim.
      """,
    options: [
      OptionSpec.years, OptionSpec.replications,
      OptionSpec("--jobs", "N", "threads, one replication each (default: the cores); the output is the same for any N"),
      OptionSpec("--seed", "N", "the study seed (default: the file's)"),
      OptionSpec("--json", "one JSON document instead of the text (docs/json.md)"),
      OptionSpec("--html", "FILE", "also write the report as one HTML page"),
      OptionSpec("--full", "simulate every second request by request (slow; checks the incident windows)"),
      OptionSpec.set,
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    if let html = parsed.options["--html"] {
      do { try OutputPath.checkFile(html, option: "--html", command: "availability", example: "year.html") } catch {
        output.err(error.message)
        return 2
      }
    }
    guard let (scenario, read) = try yearStudy(parsed, command: "availability", output: output) else { return 2 }
    var options = read
    options.full = parsed.switches.contains("--full")
    output.err("drill availability: seed \(options.seed), \(options.years * options.replications) simulated years")
    let study = AvailabilityStudy.run(config: scenario.config, info: scenario.info, options: options, progress: Progress.bar())
    Progress.clear()
    let files = OutputTransaction()
    if let html = parsed.options["--html"] { files.add(study.html(name: scenario.info.name), at: html) }
    if let status = files.commit(command: "availability", output: output) { return status }
    output.out(
      parsed.switches.contains("--json")
        ? study.json(name: scenario.info.name).serialized(pretty: true) : study.text(name: scenario.info.name))
    return 0
  }
}

extension OptionSpec {
  /// The year study's options, shared by `availability` and `rank`.
  static let years = OptionSpec("--years", "N", "years per replication, one continuous run (default 10)")
  static let replications = OptionSpec("--replications", "R", "independent replications (default 1); every year is one observation")
}

extension AvailabilityCommand {
  /// The scenario and options of a year study, read the same way by `availability` and
  /// `rank`; nil (the problem printed) when the file cannot be studied.
  static func yearStudy(_ parsed: ParsedArguments, command: String, output: StandardStreams) throws -> (
    Scenario, AvailabilityStudy.Options
  )? {
    guard parsed.positional.count == 1 else { throw UsageError(message: "drill \(command): give one scenario file") }
    let years = try parsed.integer("--years", default: 10, in: 1...10_000, command: command)
    let replications = try parsed.integer("--replications", default: 1, in: 1...10_000, command: command)
    let jobs = try parsed.jobs(command: command)
    let settings = try parsed.settings(command: command)
    let scenario: Scenario
    do {
      scenario = try Scenario.load(path: parsed.positional[0], overrides: settings)
    } catch {
      output.err(error.description)
      return nil
    }
    if let problem = AvailabilityStudy.unsupported(scenario.config) {
      output.err("drill \(command): \(scenario.file): \(problem)")
      return nil
    }
    let seed = try parsed.seed(default: scenario.config.seed, command: command)
    return (scenario, AvailabilityStudy.Options(years: years, replications: replications, jobs: jobs, seed: seed))
  }
}
