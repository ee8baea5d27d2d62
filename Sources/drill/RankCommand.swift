import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill rank FILE`: which change buys the most availability per rupee.
enum RankCommand {
  static let spec = CommandSpec(
    name: "rank", usage: ["rank FILE [--levers FILE] [--years N] [--replications R] [--jobs N] [--json]"],
    summary: """
      Runs the year study (drill availability) on the scenario as written and on each lever, a
      change of one or more settings, with the same seeds: every variant meets the same failures,
      so the differences are paired. For each lever: the downtime minutes and rupees it saves a
      year with 95% intervals, what it costs a year (the changed bill from the price table plus its
      own price, such as UptimeRobot Pro's $7 a month) and the net saving, best first. Without
      --levers: 1-minute monitors, Route 53 fast checks, a shorter TTL, PgPool promoting, fencing,
      the database-first automation rule, one more backend instance, faster boots, a synchronous
      standby.
      """,
    options: [
      OptionSpec("--levers", "FILE", "the levers to try: { levers: [{ name, set: { PATH: VALUE, … }, monthlyCost: \"₹600\" }] }"),
      OptionSpec.years, OptionSpec.replications,
      OptionSpec("--jobs", "N", "threads (default: the cores); the output is the same for any N"),
      OptionSpec("--seed", "N", "the study seed (default: the file's)"),
      OptionSpec("--json", "one JSON document instead of the text (docs/json.md)"),
      OptionSpec.set,
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    guard let (scenario, options) = try AvailabilityCommand.yearStudy(parsed, command: "rank", output: output) else { return 2 }
    let levers: [Lever]
    if let file = parsed.options["--levers"] {
      do { levers = try RankStudy.levers(file: file) } catch {
        output.err("drill rank: \(error.message)")
        return 2
      }
    } else {
      levers = RankStudy.defaultLevers(regions: scenario.config.regions.map(\.name), prices: scenario.info.money.prices)
    }
    output.err("drill rank: seed \(options.seed), \(levers.count + 1) variants × \(options.years * options.replications) simulated years")
    let study = RankStudy.run(scenario, levers: levers, options: options, progress: Progress.bar())
    Progress.clear()
    output.out(
      parsed.switches.contains("--json")
        ? study.json(name: scenario.info.name).serialized(pretty: true) : study.text(name: scenario.info.name))
    return 0
  }
}
