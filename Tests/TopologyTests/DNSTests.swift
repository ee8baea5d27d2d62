import SimCore
import Testing

@testable import Topology

@Suite("Route 53 health checks, weighted answers and caches")
struct DNSTests {
  static func firstTime(_ result: RunResult, _ kind: TimelineKind) -> SimDuration? {
    result.timeline.first(kind).map { $0.time.sinceStart }
  }

  @Test(
    "aligned checkers, a refused probe (τ = 0): the region is unhealthy exactly F·I after the crash",
    arguments: [(3, 30), (1, 10), (5, 10), (10, 30)])
  func alignedExact(threshold: Int, interval: Int64) {
    let crash = SimDuration.seconds(120)
    let config = Fixtures.twoRegions(
      rate: 5, duration: .minutes(10), interval: .seconds(interval), threshold: threshold, alignedPhase: .zero,
      faults: [FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: crash)])
    let result = TopologyModel.run(config)
    #expect(Self.firstTime(result, .dnsRecordUnhealthy) == crash + .seconds(interval) * Int64(threshold))
    #expect(Self.firstTime(result, .dnsUnhealthy) == crash + .seconds(interval) * Int64(threshold))  // no propagation delay
    // The case study's lines: check #1, #2, #3 fail at I, 2I, 3I after the crash.
    let checks = result.timeline.entries.filter { $0.kind == .dnsCheckFailed }.map { $0.time.sinceStart }
    #expect(checks == (1...threshold).map { crash + .seconds(interval) * Int64($0) })
  }

  @Test("a black-holed region (τ = 4 s connect budget): unhealthy exactly F·(I + τ) after the crash")
  func alignedBlackHole() {
    let crash = SimDuration.seconds(120)
    let config = Fixtures.twoRegions(
      rate: 5, duration: .minutes(10), alignedPhase: .zero, faults: [FaultSpec(target: .region(0), mode: .crash, at: crash)])
    let result = TopologyModel.run(config)
    #expect(Self.firstTime(result, .dnsRecordUnhealthy) == crash + .seconds(3 * 34))
  }

  /// Expected detection with N checkers at uniform random phases: the endpoint turns
  /// unhealthy when m = N − ⌊0.18·N⌋ checkers have failed F times, i.e. at the m-th order
  /// statistic of N uniform phases (mean m/(N+1)·I), plus (F−1)(I+τ) + τ
  /// (mechanisms.md §1.2, whose 0.82·I is the large-N limit of m/(N+1)·I).
  static func expectedDetection(checkers n: Int, interval: Double, threshold f: Int, tau: Double) -> Double {
    let m = n - Int((0.18 * Double(n)).rounded(.down))
    return Double(m) / Double(n + 1) * interval + Double(f - 1) * (interval + tau) + tau
  }

  @Test(
    "random phases: mean detection time matches the order-statistic estimate (200 replications)",
    arguments: [(FaultTarget.tier(region: 0, tier: .frontend), 0.0), (FaultTarget.region(0), 4.0)])
  func randomPhases(target: FaultTarget, tau: Double) {
    let crash = SimDuration.seconds(60)
    var detection = RunningStatistics()
    for replication in 0..<200 {
      let config = Fixtures.twoRegions(
        rate: 0, duration: .minutes(5), faults: [FaultSpec(target: target, mode: .crash, at: crash)],
        seed: RandomStreams(seed: 1953).replicationSeed(replication))
      let result = TopologyModel.run(config)
      detection.record((Self.firstTime(result, .dnsRecordUnhealthy)! - crash).seconds)
    }
    let expected = Self.expectedDetection(checkers: 12, interval: 30, threshold: 3, tau: tau)
    let ci = detection.confidenceInterval(level: 0.99)!
    #expect(ci.contains(expected), "mean \(ci.mean) ± \(ci.halfWidth) s vs \(expected) s")
    // And it lands in mechanisms.md's range for the standard setting (60–90 s refused, 72–102 s black-holed).
    #expect(detection.minimum >= 60 + 3 * tau - 1e-9 && detection.maximum <= 90 + 3 * tau + 1e-9)
  }

  @Test("the record comes back after more than 18% of checkers pass F times; answers include it again")
  func recovery() {
    let config = Fixtures.twoRegions(
      rate: 5, duration: .minutes(10), alignedPhase: .zero,
      faults: [FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .seconds(120), duration: .seconds(120))])
    let result = TopologyModel.run(config)
    // Repaired at 240; aligned probes pass at 270, 300, 330: healthy once 3 passes are in.
    #expect(Self.firstTime(result, .dnsRecordHealthy) == .seconds(330))
    #expect(Self.firstTime(result, .dnsAnswersRestored) == .seconds(330))
  }

  @Test("a propagation delay separates Route 53's verdict from the answers")
  func propagation() {
    let config = Fixtures.twoRegions(
      rate: 5, duration: .minutes(10), alignedPhase: .zero, propagation: .constant(.seconds(7)),
      faults: [FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .seconds(120))])
    let result = TopologyModel.run(config)
    #expect(Self.firstTime(result, .dnsUnhealthy)! - Self.firstTime(result, .dnsRecordUnhealthy)! == .seconds(7))
  }

  @Test("when every record is unhealthy, DNS fails open and answers both regions by weight")
  func failOpen() {
    let config = Fixtures.twoRegions(
      rate: 20, duration: .minutes(10), alignedPhase: .zero,
      faults: [
        FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .seconds(60)),
        FaultSpec(target: .tier(region: 1, tier: .frontend), mode: .crash, at: .seconds(60)),
      ])
    let result = TopologyModel.run(config)
    #expect(result.timeline.first(.dnsFailOpen) != nil)
    let late = result.series.filter { $0.start >= .at(.minutes(6)) }
    let delhi = late.reduce(0) { $0 + $1.arrivalsByRegion[0] }
    let chennai = late.reduce(0) { $0 + $1.arrivalsByRegion[1] }
    #expect(delhi > 0 && chennai > 0)
    #expect(abs(Double(delhi) / Double(delhi + chennai) - 0.5) < 0.1)
  }

  @Test("weights set the traffic share over many resolvers (80/20)")
  func weights() {
    var config = Fixtures.twoRegions(rate: 100, duration: .minutes(20))
    config.dns!.weights = [80, 20]
    let result = TopologyModel.run(config)
    let total = result.series.reduce(0) { $0 + $1.arrivalsByRegion.reduce(0, +) }
    let delhi = result.series.reduce(0) { $0 + $1.arrivalsByRegion[0] }
    #expect(abs(Double(delhi) / Double(total) - 0.8) < 0.05, "share \(Double(delhi) / Double(total))")
  }

  @Test("after DNS drops a region, clients leave it when resolver and client caches expire, and not before")
  func cachesDrain() {
    let config = Fixtures.twoRegions(
      rate: 50, duration: .minutes(10), alignedPhase: .zero, clientCache: .browser(minimum: .seconds(60)), ttl: .seconds(60),
      faults: [FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .seconds(120))])
    let result = TopologyModel.run(config)
    let unhealthy = Self.firstTime(result, .dnsUnhealthy)!
    let drained = Self.firstTime(result, .dnsCachesDrained)!
    // Resolver TTL (≤ 60 s) then Chrome's 60 s floor: at most 120 s more.
    #expect(drained > unhealthy && drained <= unhealthy + .seconds(120))
    for row in result.series where row.start >= .at(drained) {
      #expect(row.arrivalsByRegion[0] == 0, "arrival at delhi at \(row.start)")
    }
    let stuck = result.series.filter { $0.start >= .at(unhealthy) && $0.start < .at(drained) - .seconds(10) }
    #expect(stuck.reduce(0) { $0 + $1.arrivalsByRegion[0] } > 0, "some clients still use their cached answer")
  }

  @Test("a JVM that caches forever never leaves the dead region")
  func cachesForever() {
    let config = Fixtures.twoRegions(
      rate: 20, duration: .minutes(10), alignedPhase: .zero, clientCache: .forever,
      faults: [FaultSpec(target: .region(0), mode: .crash, at: .seconds(120))])
    let result = TopologyModel.run(config)
    #expect(result.timeline.first(.dnsCachesNeverDrain) != nil)
    #expect(result.series.last!.arrivalsByRegion[0] > 0)
    #expect(result.totals.total(.connectTimeout) > 0)
  }
}

@Suite("Route 53's timeline says the configured healthy share")
struct HealthyShareTextTests {
  @Test("a record turning unhealthy names the share it is judged by", arguments: [(0.18, "≤ 18%"), (0.5, "≤ 50%"), (0.125, "≤ 12.5%")])
  func share(share: Double, text: String) throws {
    var config = Fixtures.twoRegions(rate: 5, duration: .minutes(4), faults: [FaultSpec(target: .region(0), mode: .crash, at: .minutes(1))])
    for r in 0..<2 { config.dns!.healthChecks[r]!.healthyShare = share }
    let entry = try #require(TopologyModel.run(config).timeline.first(.dnsRecordUnhealthy))
    #expect(entry.text.hasSuffix(text + ")"), "\(entry.text)")
  }
}

@Suite("caches start in their steady state")
struct WarmStartTests {
  /// Failed requests that ended after DNS stopped answering Delhi, whose frontend load
  /// balancer went dead at `fault` (clients give up connecting after 1 ms, so a request fails
  /// when it is sent). Checks every 30 s from T=0, one failure flips the record, no
  /// propagation delay: the flip is at the first check after the fault.
  static func failuresAfterFlip(fault: SimDuration, seed: UInt64) -> Int {
    var config = Fixtures.twoRegions(
      rate: 100, duration: fault + .minutes(4), interval: .seconds(30), threshold: 1, alignedPhase: .zero, clientCache: .honorTTL,
      ttl: .seconds(60), faults: [FaultSpec(target: .loadBalancer(region: 0, tier: .frontend), mode: .crash, at: fault)], seed: seed,
      connectTimeout: .milliseconds(1))
    for r in 0..<2 { config.dns!.healthChecks[r]!.connectTimeout = .zero }
    config.dataPath = nil
    let result = TopologyModel.run(config)
    let flip = result.timeline.first(.dnsUnhealthy)!.time
    return result.series.filter { $0.start >= flip }.reduce(0) { $0 + $1.outcomes.failed }
  }

  /// The steady-state expectation: every request whose resolver still holds Delhi fails. A
  /// resolver holds an answer for the TTL (60 s) and is asked again a moment after it
  /// expires (its 25 clients ask 0.5 times a second: 2 s on average), so at a random instant
  /// it holds a valid answer 60/62 of the time, half of them Delhi, with 30 s left on
  /// average: 100/s × ½ × 30 s × 60/62 ≈ 1,452 (the 1,500 leaves out the 2 s gap).
  static let expected = 100.0 * 0.5 * 30 * 60 / 62

  @Test(
    "after the flip, failures match the steady state wherever the fault falls (3 min, 10 min, 3 h into the run)",
    arguments: [(SimDuration.minutes(3), 30), (.minutes(10), 30), (.hours(3), 10)])
  func steadyState(fault: SimDuration, seeds: Int) {
    var stats = RunningStatistics()
    for seed in 1...seeds { stats.record(Double(Self.failuresAfterFlip(fault: fault, seed: UInt64(seed)))) }
    // Within three standard errors (a cold start gave about 2,030 at 3 min and 2,190 at 10 min).
    let standardError = stats.standardDeviation / Double(seeds).squareRoot()
    #expect(
      abs(stats.mean - Self.expected) < 3 * standardError,
      "fault at \(fault): \(stats.mean) ± \(standardError) (standard error), expected \(Self.expected)")
    #expect(standardError < 80, "fault at \(fault): standard error \(standardError)")
  }
}
