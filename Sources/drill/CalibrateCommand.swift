import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill calibrate FILE --observed OBS`: does the scenario explain an observed incident, and
/// which parameter values explain it best?
enum CalibrateCommand {
  static let spec = CommandSpec(
    name: "calibrate", usage: ["calibrate FILE --observed OBS [--vary PATH=VALUES …] [--replications R] [--jobs N] [--json]"],
    summary: """
      Sets an observed incident beside the simulated ones. OBS (JSON5) gives milestone times after
      the first fault: { milestones: { dns_unhealthy: "T+1:30", monitor_alert: { at: "5:00",
      tolerance: "30s" } } }. For each: the simulated mean over R replications, where the observed
      time falls among the simulated ones (percentile, inside the central 90%) and whether it is
      within its tolerance. With --vary, every point of the grid is run (same seeds) and ranked by
      the RMS error of its simulated means against the observed times: the best fit first, with the
      runners-up and how much worse they fit.
      """,
    options: [
      OptionSpec("--observed", "OBS", "the observed milestone times (required)"),
      OptionSpec("--vary", "PATH=VALUES", repeatable: true, "a parameter to search: a comma list or LOW...HIGH (repeatable: a grid)"),
      OptionSpec("--replications", "R", "replications per grid point (default 20)"),
      OptionSpec("--jobs", "N", "threads (default: the cores); the output is the same for any N"),
      OptionSpec("--seed", "N", "the seed (default: the file's)"),
      OptionSpec("--json", "one JSON document instead of the text (docs/json.md)"),
      WorkLimits.option,
      OptionSpec.set,
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    guard parsed.positional.count == 1 else { throw UsageError(message: "drill calibrate: give one scenario file") }
    guard let observedFile = parsed.options["--observed"] else {
      throw UsageError(message: "drill calibrate: --observed OBS is required (the observed milestone times)")
    }
    let replications = try parsed.integer("--replications", default: 20, in: 1...100_000, command: "calibrate")
    let jobs = try parsed.jobs(command: "calibrate")
    let settings = try parsed.settings(command: "calibrate")
    let observation: Observation
    do { observation = try Observation.read(file: observedFile) } catch {
      output.err("drill calibrate: \(error.message)")
      return 2
    }
    var axes: [Sweep.Axis] = []
    for text in parsed.values["--vary"] ?? [] {
      switch Sweep.axis(text) {
      case .success(let axis): axes.append(axis)
      case .failure(let error): throw UsageError(message: "drill calibrate: \(error.message)")
      }
    }
    var sweep = Sweep(file: parsed.positional[0], axes: axes)
    sweep.settings = settings.map { (path: $0.0, value: $0.1) }
    let scenarios: [Scenario]
    switch sweep.scenarios() {
    case .success(let all): scenarios = all
    case .failure(let error):
      output.err(error.description)
      return 2
    }
    try WorkLimits.check(
      scenarios.map(\.config), runs: replications, command: "calibrate", large: parsed.switches.contains("--large"), output: output)
    let seed = try parsed.seed(default: scenarios[0].config.seed, command: "calibrate")
    output.err(
      "drill calibrate: seed \(seed), \(scenarios.count) grid point\(scenarios.count == 1 ? "" : "s") × \(replications) replications")
    let study = CalibrationStudy.run(
      scenarios, combinations: sweep.combinations, observation: observation, replications: replications, seed: seed, jobs: jobs,
      progress: Progress.bar())
    Progress.clear()
    let name = scenarios[0].info.name
    output.out(parsed.switches.contains("--json") ? study.json(name: name).serialized(pretty: true) : study.text(name: name))
    return 0
  }
}
