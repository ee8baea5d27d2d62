import Foundation
import Scenarios
import SimCore
import Testing
import Topology

@testable import Experiments

/// The year-scale study: its fault histories, and its incident windows against a run that
/// simulates every request.
@Suite struct AvailabilityStudyTests {
  /// High fault rates, a week per observation: the check of point 3 of the issue.
  static let busyWeek = """
    { version: 1, base: "documented", seed: 7, clients: { rate: "3/s" },
      availability: { defaultProcesses: false },
      faultProcesses: {
        region: { target: "*", every: "exp(mean: 2d)", repair: "lognormal(median: 30m, p99: 3h)" },
        databaseHost: { target: "*.database", every: "exp(mean: 1d)", repair: "lognormal(median: 10m, p99: 1h)" },
        linkPartition: { target: "link", every: "exp(mean: 1d)", repair: "lognormal(median: 5m, p99: 30m)" },
        instanceCrash: { target: "*.*#*", every: "exp(mean: 1d)", repair: "lognormal(median: 5m, p99: 20m)" },
        badChange: { target: "*.backend", together: true, mode: "errors", rate: 0.5, every: "exp(mean: 2d)",
                     repair: "lognormal(median: 20m, p99: 2h)" },
      },
    }
    """

  static func study(_ text: String, replications: Int, period: Double, full: Bool, oneRegion: Bool = false) throws -> AvailabilityStudy {
    let scenario = try Scenario.parse(text, file: "test.json5")
    var options = AvailabilityStudy.Options(years: 1, replications: replications, jobs: 2, seed: 11)
    options.period = period
    options.full = full
    let config = oneRegion ? scenario.config.keepingOnly(region: 0) : scenario.config
    return AvailabilityStudy.run(config: config, info: scenario.info, options: options)
  }

  @Test func incidentWindowsAgreeWithEveryRequestSimulated() throws {
    let week = 7 * 86_400.0
    let windows = try Self.study(Self.busyWeek, replications: 8, period: week, full: false)
    let full = try Self.study(Self.busyWeek, replications: 8, period: week, full: true)
    #expect(windows.simulatedShare < 0.7, "the windows skip part of the week")
    #expect(full.simulatedShare == 1)
    for (name, a, b) in [
      ("availability", windows.availability, full.availability), ("downtime minutes", windows.downtimeMinutes, full.downtimeMinutes),
      ("time availability", windows.timeAvailability, full.timeAvailability),
    ] {
      let x = AvailabilityStudy.summary(a)
      let y = AvailabilityStudy.summary(b)
      let (ix, iy) = (try #require(x.interval), try #require(y.interval))
      let d = AvailabilityStudy.summary(zip(a, b).map { $0 - $1 })
      if name != "time availability" {
        // Paired by failure history, the difference is much tighter: it must not show.
        let difference = try #require(d.interval)
        #expect(difference.contains(0), "\(name): windows − full = \(d.mean) ± \(difference.halfWidth)")
      }
      // Each mean inside the other's 95% interval (same failures, paired by seed).
      #expect(
        ix.contains(y.mean) && iy.contains(x.mean),
        "\(name): windows \(x.mean) [\(ix.lower), \(ix.upper)], full \(y.mean) [\(iy.lower), \(iy.upper)]")
      #expect(x.mean > 0)
    }
    // Fault counts are the same draws in both.
    #expect(windows.years.map(\.faults) == full.years.map(\.faults))
  }

  @Test func oneRegionAvailabilityIsMTBFOverMTBFPlusMTTR() throws {
    // One region failing after exp(mean 2 days) and repaired after exp(mean 4 hours):
    // available 48 / 52 of the time, less what detection and recovery add.
    let text = """
      { version: 1, base: "documented", seed: 3, clients: { rate: "2/s" },
        availability: { defaultProcesses: false, operator: null },
        faultProcesses: { region: { target: "delhi", every: "exp(mean: 2d)", repair: "exp(mean: 4h)" } } }
      """
    let study = try Self.study(text, replications: 12, period: 30 * 86_400, full: false, oneRegion: true)
    let s = AvailabilityStudy.summary(study.timeAvailability)
    let interval = try #require(s.interval)
    #expect(interval.contains(48.0 / 52.0), "time availability \(s.mean) [\(interval.lower), \(interval.upper)]")
    #expect(interval.halfWidth < 0.03)
    let requests = try #require(AvailabilityStudy.summary(study.availability).interval)
    #expect(requests.contains(48.0 / 52.0), "request availability \(requests.mean) ± \(requests.halfWidth)")
  }

  @Test func alternatingRenewalHistoryIsDownMTTROverMTBFPlusMTTR() throws {
    let scenario = try Scenario.parse(
      """
      { version: 1, availability: { defaultProcesses: false },
        faultProcesses: { pool: { target: "*.pgpool", every: "exp(mean: 10d)", repair: "exp(mean: 1d)" } } }
      """, file: "t.json5")
    let horizon = 20_000 * 86_400.0
    let history = FaultHistory.sample(scenario.info.availability.processes, config: scenario.config, horizon: horizon, seed: 5)
    #expect(Set(history.flatMap(\.targets)) == [.pgpool(region: 0), .pgpool(region: 1)])
    for target in [FaultTarget.pgpool(region: 0), .pgpool(region: 1)] {
      let mine = history.filter { $0.targets == [target] }
      let down = mine.reduce(0) { $0 + min($1.ends, horizon) - $1.begins } / horizon
      #expect(abs(down - 1.0 / 11.0) < 0.006, "down \(down)")
      // Alternating: a part never fails again before its repair.
      for (a, b) in zip(mine, mine.dropFirst()) { #expect(b.begins >= a.ends) }
    }
    // The same seed draws the same history; another seed another one.
    let again = FaultHistory.sample(scenario.info.availability.processes, config: scenario.config, horizon: horizon, seed: 5)
    #expect(again == history)
    #expect(FaultHistory.sample(scenario.info.availability.processes, config: scenario.config, horizon: horizon, seed: 6) != history)
  }

  @Test func quietTimeCountsDownAtTheChanceABucketShowsAFailure() {
    // Below 100 attempts a bucket, one failure is over 1%: P(down) = P(at least one failure)
    // = 1 − e^(−mean × share) for Poisson attempts.
    let p = IncidentWindows.Steady.bucketShowsFailure(mean: 3, failedShare: 0.5)
    #expect(abs(p - (1 - exp(-1.5))) < 1e-9)
    #expect(abs(IncidentWindows.Steady.bucketShowsFailure(mean: 40, failedShare: 0.01) - (1 - exp(-0.4))) < 1e-9)
    // Many attempts: 0.5% failing rarely shows over 1%, 2% nearly always; the normal
    // approximation above 2,000 attempts meets the exact sum.
    #expect(IncidentWindows.Steady.bucketShowsFailure(mean: 1_000, failedShare: 0.005) < 0.05)
    #expect(IncidentWindows.Steady.bucketShowsFailure(mean: 1_000, failedShare: 0.02) > 0.99)
    let exact = IncidentWindows.Steady.bucketShowsFailure(mean: 2_000, failedShare: 0.011)
    let approximate = IncidentWindows.Steady.bucketShowsFailure(mean: 2_000.5, failedShare: 0.011)
    #expect(abs(exact - approximate) < 0.05)
  }

  @Test func aPartSharedByTwoVariantsFailsAtTheSameTimesInBoth() throws {
    let scenario = try Scenario.parse("{ version: 1 }", file: "t.json5")
    let processes = scenario.info.availability.processes
    let both = FaultHistory.sample(processes, config: scenario.config, horizon: 3e8, seed: 9)
    let single = FaultHistory.sample(processes, config: scenario.config.keepingOnly(region: 0), horizon: 3e8, seed: 9)
    let delhiRegion = both.filter { $0.targets == [.region(0)] }.map(\.begins)
    #expect(!delhiRegion.isEmpty)
    #expect(single.filter { $0.targets == [.region(0)] }.map(\.begins) == delhiRegion)
  }

  @Test func targetPatternsExpandAgainstTheTopology() throws {
    let scenario = try Scenario.parse("{ version: 1, regions: { delhi: { frontend: { instances: 2, min: 2 } } } }", file: "t.json5")
    let config = scenario.config
    #expect(FaultTargetPattern.region(nil).targets(in: config) == [.region(0), .region(1)])
    #expect(
      FaultTargetPattern.instance(region: "delhi", tier: .frontend, index: nil).targets(in: config) == [
        .instance(region: 0, tier: .frontend, index: 0), .instance(region: 0, tier: .frontend, index: 1),
      ])
    #expect(FaultTargetPattern.loadBalancer(region: nil, tier: .backend).targets(in: config).count == 2)
    #expect(FaultTargetPattern.link(from: nil).targets(in: config.keepingOnly(region: 0)).isEmpty)
    #expect(FaultTargetPattern.monitor(region: nil).targets(in: config) == [.monitor(index: 0), .monitor(index: 1)])
    #expect(FaultTargetPattern.automation.targets(in: config.keepingOnly(region: 0)).isEmpty)
  }

  @Test func badProcessesAreReportedWithTheirPath() throws {
    let text = """
      { version: 1,
        faultProcesses: {
          region: { target: "dehli" },
          mine: { target: "*.frontend#x" },
          other: { every: "exp(mean: 1d)", repair: "1h" },
          databaseHost: { every: "exp(mean: 10s)" },
        } }
      """
    do {
      _ = try Scenario.parse(text, file: "bad.json5")
      Issue.record("accepted")
    } catch {
      let messages = error.diagnostics.map { "\($0.path ?? ""): \($0.message)" }.joined(separator: "\n")
      #expect(messages.contains("faultProcesses.region.target: \"dehli\" names no region"))
      #expect(messages.contains("Did you mean \"delhi\"?"))
      #expect(messages.contains("faultProcesses.mine.target: \"*.frontend#x\" has \"#x\""))
      #expect(messages.contains("faultProcesses.mine.every"))
      #expect(messages.contains("faultProcesses.other.target"))
      #expect(messages.contains("faultProcesses.databaseHost.every: \"exp(mean: 10s)\" has a mean of 10 s"))
      #expect(
        messages.contains("faultProcesses.mine.repair: a new fault process needs repair, such as \"lognormal(median: 30m, p99: 6h)\""))
    }
  }

  @Test func theResultDoesNotDependOnTheThreads() throws {
    let scenario = try Scenario.parse(Self.busyWeek, file: "t.json5")
    func run(jobs: Int) -> String {
      var options = AvailabilityStudy.Options(years: 2, replications: 2, jobs: jobs, seed: 4)
      options.period = 86_400
      return AvailabilityStudy.run(config: scenario.config, info: scenario.info, options: options).json(name: "t").serialized()
    }
    #expect(run(jobs: 1) == run(jobs: 2))
  }
}
