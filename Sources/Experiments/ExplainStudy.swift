import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// What `drill explain` computes: the scenario's milestones and, for each, the parameters
/// that set it (``MilestoneGuide``) with the time the milestone moves to when one of them
/// takes another value. Each variant is the same scenario with one value changed and the
/// same seed, so only that change differs; all runs go to ``ParallelRuns`` at once.
public struct ExplainStudy: Sendable {
  /// What changing one parameter did to a milestone.
  public enum Change: Sendable {
    /// The milestone now happens at this time (seconds after the first fault).
    case moved(to: Double)
    /// The milestone no longer happens.
    case vanished
    /// The scenario cannot take this value (the validation message).
    case invalid(String)
  }

  /// A parameter behind a milestone, its value in the scenario, the value tried, and what that did.
  public struct Lever: Sendable {
    public var path: String
    public var current: String
    public var alternative: String
    public var change: Change
  }

  /// A milestone that happened, in the order they happened (failover_complete last).
  public struct Step: Sendable {
    public var milestone: Milestone
    public var at: Double
    public var explanation: String
    public var levers: [Lever]
  }

  public var seed: UInt64
  public var steps: [Step]
  /// The accounting a run broke (``RunResult/invariantViolations``), if any: then the study's
  /// numbers must not be shown.
  public var violations: [String] = []

  /// Runs the scenario (with `seed` if given) and every lever's variant, on `jobs` threads.
  public static func run(
    _ scenario: Scenario, seed: UInt64?, jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> ExplainStudy {
    let regions = scenario.config.regions.map(\.name)
    let automation = scenario.config.dataPath?.automation
    let watch = regions[automation?.watchRegion ?? 0]
    let promote = regions[automation?.promoteRegion ?? min(1, regions.count - 1)]
    func withSeed(_ config: TopologyConfig) -> TopologyConfig {
      var config = config
      if let seed { config.seed = seed }
      return config
    }
    let baseResult = TopologyModel.run(withSeed(scenario.config))
    var violations = baseResult.invariantViolations
    let base = RunReport(result: baseResult, context: scenario.info).milestoneSeconds
    // Every lever of every milestone that happened, with its variant (or why there is none).
    var configs: [TopologyConfig] = []
    var infos: [ScenarioInfo] = []
    var planned: [(milestone: Milestone, path: String, current: String, alternative: String, run: Int?, invalid: String?)] = []
    // A person's delays move what their runbooks do.
    let people: [Milestone] = [.dbPromoted, .pgpoolSwitched, .writesRestored]
    let runbookLevers = scenario.config.runbooks.flatMap { runbook in
      ["acknowledge", "diagnose"].map { MilestoneGuide.Lever(path: "runbooks.\(runbook.name).\($0)", alternative: "\"0s\"") }
    }
    for entry in MilestoneGuide.entries where base[entry.milestone] != nil {
      for lever in entry.levers + (people.contains(entry.milestone) ? runbookLevers : []) {
        let path = lever.path.replacingOccurrences(of: "<watch>", with: watch).replacingOccurrences(of: "<promote>", with: promote)
        // A key under an object the scenario switched off (automation: null) would switch the
        // mechanism on, not move the milestone: no lever there.
        let parts = path.split(separator: ".")
        if (1..<parts.count).contains(where: { scenario.value(at: parts[..<$0].joined(separator: ".")) == "null" }) { continue }
        let current = scenario.value(at: path)
        guard current != lever.alternative else { continue }
        do {
          let variant = try Scenario.load(
            path: scenario.file, overrides: scenario.overrides.map { ($0.path, $0.value) } + [(path, lever.alternative)])
          planned.append((entry.milestone, path, current, lever.alternative, configs.count, nil))
          configs.append(variant.config)
          infos.append(variant.info)
        } catch {
          planned.append((entry.milestone, path, current, lever.alternative, nil, error.diagnostics.first?.message ?? "invalid"))
        }
      }
    }
    let runConfigs = configs.map(withSeed)
    let infoList = infos
    let runs = ParallelRuns.map(runConfigs.count, jobs: jobs, progress: progress) { k in
      let result = TopologyModel.run(runConfigs[k])
      return (RunReport(result: result, context: infoList[k]).milestoneSeconds, result.invariantViolations)
    }
    let milestones = runs.map(\.0)
    violations += runs.flatMap(\.1)
    // In the order they happened; failover_complete, the latest of the others, last.
    let ordered = MilestoneGuide.entries.filter { base[$0.milestone] != nil }.enumerated().sorted { a, b in
      let (x, y) = (
        a.element.milestone == .failoverComplete ? .infinity : base[a.element.milestone]!,
        b.element.milestone == .failoverComplete ? .infinity : base[b.element.milestone]!
      )
      return x == y ? a.offset < b.offset : x < y
    }.map(\.element)
    let steps = ordered.map { entry in
      Step(
        milestone: entry.milestone, at: base[entry.milestone]!, explanation: entry.explanation,
        levers: planned.filter { $0.milestone == entry.milestone }.map { plan in
          let change: Change
          if let run = plan.run {
            change = milestones[run][entry.milestone].map { .moved(to: $0) } ?? .vanished
          } else {
            change = .invalid(plan.invalid ?? "invalid")
          }
          return Lever(path: plan.path, current: plan.current, alternative: plan.alternative, change: change)
        })
    }
    return ExplainStudy(seed: seed ?? scenario.config.seed, steps: steps, violations: violations)
  }
}
