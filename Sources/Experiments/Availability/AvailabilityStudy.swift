import Foundation
import SimCore
import Topology

/// What `drill availability` computes: years of the deployment under its fault processes,
/// with the model's own detection, failover and repair, and an operator restoring the
/// configured state after incidents. Each replication is one continuous run of `years`
/// years (state carries from year to year); every simulated year is one observation, so
/// intervals are over years (batch means of a year each: the state regenerates after every
/// incident, so years are close to independent).
public struct AvailabilityStudy: Sendable {
  public struct Options: Sendable {
    public var years: Int
    public var replications: Int
    public var jobs: Int
    public var seed: UInt64
    /// Study time per "year" (365 days; shorter in tests).
    public var period: Double = 365 * 86_400
    /// Simulate every second request by request instead of incident windows.
    public var full = false

    public init(years: Int, replications: Int, jobs: Int, seed: UInt64) {
      self.years = years
      self.replications = replications
      self.jobs = jobs
      self.seed = seed
    }
  }

  public var options: Options
  /// Every simulated year, replication by replication.
  public var years: [YearTally]
  public var objective: Double
  public var money: MoneyConfig
  /// The fault processes' names, in scenario order.
  public var processNames: [String]
  public var events: Int
  /// Simulated seconds the model ran (request level), over all replications.
  public var modelSeconds: Double

  /// Runs the study on `jobs` threads (one replication per task; the result does not
  /// depend on the number of threads).
  public static func run(
    config: TopologyConfig, info: ScenarioInfo, options: Options, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> AvailabilityStudy {
    runMany([(config, info)], options: options, progress: progress)[0]
  }

  /// Several variants with the same seeds: replication r of each variant draws the same
  /// failures for every part they share, so their differences are paired. All tasks
  /// (variant × replication) share the threads.
  public static func runMany(
    _ variants: [(config: TopologyConfig, info: ScenarioInfo)], options: Options, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> [AvailabilityStudy] {
    let streams = RandomStreams(seed: options.seed)
    let r = options.replications
    let runs = ParallelRuns.map(variants.count * r, jobs: options.jobs, progress: progress) { k in
      let (config, info) = variants[k / r]
      return IncidentWindows(
        config: config, availability: info.availability, period: options.period, periods: options.years,
        seed: streams.replicationSeed(k % r), full: options.full
      ).run()
    }
    return variants.indices.map { v in
      let mine = runs[(v * r)..<((v + 1) * r)]
      let info = variants[v].info
      return AvailabilityStudy(
        options: options, years: mine.flatMap(\.tallies), objective: info.availabilityObjective, money: info.money,
        processNames: info.availability.processes.map(\.name), events: mine.reduce(0) { $0 + $1.events },
        modelSeconds: mine.reduce(0) { $0 + $1.modelSeconds })
    }
  }

  // MARK: Per-year figures

  /// One figure per simulated year.
  public func perYear(_ figure: (YearTally) -> Double?) -> [Double] { years.compactMap(figure) }

  public var availability: [Double] { perYear(\.availability) }
  /// Share of time with no kind of request failing more than 1%.
  public var timeAvailability: [Double] { perYear { 1 - $0.downSeconds / options.period } }
  public var downtimeMinutes: [Double] { perYear { $0.downtime / 60 } }
  public var readDowntimeMinutes: [Double] { perYear { $0.readDowntime / 60 } }
  public var writeDowntimeMinutes: [Double] { perYear { $0.writeDowntime / 60 } }
  public var incidentCounts: [Double] { perYear { Double($0.incidents.count) } }
  public var lostWrites: [Double] { perYear { Double($0.lostWrites + $0.splitBrainWrites) } }
  public var splitBrainEpisodes: [Double] { perYear { Double($0.splitBrainEpisodes) } }
  /// Rupees: lost revenue for the failure-weighted downtime, plus the value of failed requests.
  public var downtimeCost: [Double] {
    let perMinute = Double(money.revenuePerMinute.paise) / 100
    let perFailure = Double(money.valuePerFailedRequest.paise) / 100
    return perYear { $0.downtime / 60 * perMinute + $0.failed * perFailure }
  }
  /// Failures over the failures the objective allows.
  public var errorBudgetBurned: [Double] {
    perYear { year in year.attempts > 0 ? year.failed / (year.attempts * max(1e-12, 1 - objective)) : nil }
  }
  /// Years whose request availability met the objective.
  public var yearsMeetingObjective: Int { availability.filter { $0 >= objective }.count }

  public var incidents: [Incident] { years.flatMap(\.incidents) }

  /// Share of time simulated request by request rather than accounted from a steady state.
  public var simulatedShare: Double {
    let simulated = years.reduce(0) { $0 + $1.simulatedSeconds }
    let quiet = years.reduce(0) { $0 + $1.quietSeconds }
    return simulated + quiet > 0 ? simulated / (simulated + quiet) : 1
  }

  /// Mean and 95% interval over years.
  public static func summary(_ values: [Double]) -> (mean: Double, interval: ConfidenceInterval?) {
    let statistics = RunningStatistics(values)
    return (statistics.mean, statistics.confidenceInterval())
  }

  /// The Wilson 95% interval of a proportion.
  public static func wilson(successes: Int, of n: Int) -> (low: Double, high: Double)? {
    guard n > 0 else { return nil }
    let z = 1.959963984540054
    let p = Double(successes) / Double(n)
    let d = 1 + z * z / Double(n)
    let centre = (p + z * z / (2 * Double(n))) / d
    let half = z * ((p * (1 - p) / Double(n) + z * z / (4 * Double(n) * Double(n))).squareRoot()) / d
    return (max(0, centre - half), min(1, centre + half))
  }

  /// p50, p95 and the worst of some values (nil when there are none).
  public static func spread(_ values: [Double]) -> (p50: Double, p95: Double, worst: Double)? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    // The nearest-rank percentile: the smallest value with at least q of them at or below it.
    func at(_ q: Double) -> Double { sorted[max(0, min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1))] }
    return (at(0.5), at(0.95), sorted.last!)
  }

  /// Mean incidents a year by a label (kind or what ended them), and the failure-weighted
  /// downtime minutes a year they account for; the costliest first.
  public func incidentsPerYear(by label: (Incident) -> String) -> [(label: String, perYear: Double, downtimeMinutes: Double)] {
    var counts: [String: (Int, Double)] = [:]
    for incident in incidents {
      let key = label(incident)
      counts[key] = ((counts[key]?.0 ?? 0) + 1, (counts[key]?.1 ?? 0) + incident.downtimeSeconds / 60)
    }
    let n = Double(max(1, years.count))
    return counts.map { ($0.key, Double($0.value.0) / n, $0.value.1 / n) }.sorted {
      ($0.downtimeMinutes, $0.perYear, $1.label) > ($1.downtimeMinutes, $1.perYear, $0.label)
    }
  }

  /// Mean faults a year by process, whether users saw them or not, in process order.
  public func faultsPerYear(processes: [String]) -> [(name: String, perYear: Double)] {
    let n = Double(max(1, years.count))
    return processes.map { name in (name, Double(years.reduce(0) { $0 + ($1.faults[name] ?? 0) }) / n) }
  }
}
