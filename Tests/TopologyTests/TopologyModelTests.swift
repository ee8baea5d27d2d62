import SimCore
import Testing

@testable import Topology

@Suite("Traffic model: conservation, determinism, load balancers, autoscaling, clients")
struct TopologyModelTests {
  /// A busy scenario that exercises every path: a region outage with retries and
  /// timeouts, a hung instance, a slow tier, an error-prone LB, autoscaling.
  static func chaos(seed: UInt64) -> TopologyConfig {
    Fixtures.twoRegions(
      rate: 120, duration: .minutes(12), retry: RetryPolicy(count: 2, baseBackoff: .milliseconds(500)),
      faults: [
        FaultSpec(target: .region(0), mode: .crash, at: .minutes(2), duration: .minutes(3)),
        FaultSpec(target: .instance(region: 1, tier: .backend, index: 0), mode: .hang, at: .minutes(6), duration: .minutes(1)),
        FaultSpec(target: .tier(region: 1, tier: .frontend), mode: .slow(factor: 20), at: .minutes(8), duration: .minutes(1)),
        FaultSpec(target: .loadBalancer(region: 1, tier: .backend), mode: .errors(rate: 0.2), at: .minutes(9), duration: .seconds(30)),
        FaultSpec(target: .database(region: 1), mode: .errors(rate: 0.1), at: .minutes(10), duration: .seconds(30)),
      ],
      instances: 1, policy: .step(StepPolicy(upThreshold: 0.5, downThreshold: 0.1, cooldown: .seconds(60))), seed: seed,
      timeout: .seconds(8))
  }

  @Test("conservation: in every bucket, attempts started = attempts ended + attempts in flight", arguments: [1, 2, 3] as [UInt64])
  func conservation(seed: UInt64) {
    let result = TopologyModel.run(Self.chaos(seed: seed))
    var arrivals = 0
    var ended = 0
    for row in result.series {
      arrivals += row.arrivals.reduce(0, +)
      ended += row.outcomes.ended
      #expect(row.cumulativeArrivals == arrivals && row.cumulativeEnded == ended)
      #expect(row.cumulativeArrivals == row.cumulativeEnded + row.inFlight, "at \(row.start)")
      #expect(row.arrivalsByRegion.reduce(0, +) == row.arrivals.reduce(0, +))
    }
    #expect(result.totals.ended == ended)
    #expect(result.totals.failed > 0 && result.totals.total(.success) > 0)
  }

  @Test("determinism: the same seed gives identical timelines and series; another seed does not")
  func determinism() {
    let a = TopologyModel.run(Self.chaos(seed: 42))
    let b = TopologyModel.run(Self.chaos(seed: 42))
    let c = TopologyModel.run(Self.chaos(seed: 43))
    #expect(a.timeline.entries == b.timeline.entries)
    #expect(a.series == b.series)
    #expect(a.latency == b.latency)
    #expect(a.series != c.series)
  }

  @Test("a crashed instance: the LB answers 502 until two failed checks mark it unhealthy, then routes around it")
  func crashedInstance() {
    var config = Fixtures.twoRegions(
      rate: 40, duration: .minutes(5),
      faults: [FaultSpec(target: .instance(region: 0, tier: .backend, index: 0), mode: .crash, at: .seconds(60))])
    config.dns!.weights = [100, 0]
    let result = TopologyModel.run(config)
    let unhealthy = result.timeline.first(.lbTargetUnhealthy)!
    // Interval 30 s, threshold 2, 5 s probe timeout: within 2·30 + 5 s of the crash.
    #expect(unhealthy.time > .at(.seconds(60)) && unhealthy.time <= .at(.seconds(60 + 65)))
    #expect(result.totals.total(.targetRefused) > 0)
    let after = result.series.filter { $0.start >= unhealthy.time + .seconds(10) }
    #expect(after.allSatisfy { $0.outcomes.total(.targetRefused) == 0 })
    #expect(after.allSatisfy { $0.outcomes.failed == 0 })
  }

  @Test("when every target is unhealthy the LB fails open and still sends traffic to them")
  func loadBalancerFailsOpen() {
    var config = Fixtures.twoRegions(
      rate: 20, duration: .minutes(5),
      faults: [FaultSpec(target: .tier(region: 0, tier: .backend), mode: .errors(rate: 0.9), at: .seconds(30))])
    config.dns!.weights = [100, 0]
    config.dns!.healthChecks = [nil, nil]
    let result = TopologyModel.run(config)
    #expect(result.timeline.entries.filter { $0.kind == .lbTargetUnhealthy }.count == 2)
    let late = result.series.filter { $0.start >= .at(.minutes(3)) }
    // Still served (10% succeed), not refused for want of a target.
    #expect(late.reduce(0) { $0 + $1.outcomes.total(.success) } > 0)
    #expect(late.reduce(0) { $0 + $1.outcomes.total(.noTarget) + $1.outcomes.total(.queueFull) } == 0)
  }

  @Test("a hung backend: requests wait for the LB's target timeout (504) or the client's, never succeed")
  func hang() {
    var config = Fixtures.twoRegions(
      rate: 10, duration: .minutes(4), faults: [FaultSpec(target: .tier(region: 0, tier: .backend), mode: .hang, at: .seconds(30))],
      instances: 1, timeout: .seconds(90))
    config.dns!.weights = [100, 0]
    config.dns!.healthChecks = [nil, nil]
    for r in config.regions.indices { config.regions[r].backend!.loadBalancer.targetTimeout = .seconds(60) }
    let result = TopologyModel.run(config)
    let during = result.series.filter { $0.start >= .at(.seconds(100)) }
    #expect(during.reduce(0) { $0 + $1.outcomes.total(.success) } == 0)
    #expect(result.totals.total(.gatewayTimeout) > 0)
    #expect(result.totals.total(.clientTimeout) == 0)  // 60 s < 90 s: the LB gives up first
  }

  @Test("a retry storm: failures multiply attempts; each retry is counted as a new attempt")
  func retryStorm() {
    let faults = [FaultSpec(target: .region(0), mode: .crash, at: .seconds(60), duration: .minutes(2))]
    let without = TopologyModel.run(Fixtures.twoRegions(rate: 40, duration: .minutes(5), faults: faults))
    let with = TopologyModel.run(
      Fixtures.twoRegions(rate: 40, duration: .minutes(5), retry: RetryPolicy(count: 3, baseBackoff: .milliseconds(200)), faults: faults))
    let retries = with.series.reduce(0) { $0 + $1.retries }
    #expect(without.series.reduce(0) { $0 + $1.retries } == 0)
    #expect(retries > 0)
    #expect(with.arrivals - retries == without.arrivals)  // same first attempts (same seed)
    #expect(with.totals.total(.connectTimeout) > without.totals.total(.connectTimeout))
  }

  @Test("a connect to a dead address fails after the client's connect timeout")
  func connectTimeout() {
    var config = Fixtures.twoRegions(
      rate: 10, duration: .minutes(2), faults: [FaultSpec(target: .region(0), mode: .crash, at: .seconds(30))], connectTimeout: .seconds(7))
    config.dns!.weights = [100, 0]
    config.dns!.healthChecks = [nil, nil]
    let result = TopologyModel.run(config)
    let failures = result.series.filter { $0.start >= .at(.seconds(40)) }
    #expect(failures.allSatisfy { $0.outcomes.total(.success) == 0 })
    // Attempts that started in [30, 113] end 7 s later: the bucket at 30–40 has none ending before 37.
    let first = result.series.first { $0.outcomes.total(.connectTimeout) > 0 }!
    #expect(first.start == .at(.seconds(30)))
    #expect(result.series.first { $0.start == .at(.seconds(30)) }!.inFlight > 0)
  }

  /// The connect timeouts of a population are one list: an attempt whose client gave up first
  /// leaves its entry behind, which must find the attempt gone when it falls due.
  @Test("an attempt at a dead address whose client gives up first is ended once, by the client's timeout")
  func clientTimeoutBeforeConnectTimeout() {
    func run(clientTimeout: SimDuration) -> RunResult {
      var config = Fixtures.twoRegions(
        rate: 10, duration: .minutes(2), faults: [FaultSpec(target: .region(0), mode: .crash, at: .seconds(30))],
        timeout: clientTimeout, connectTimeout: .seconds(7))
      config.dns!.weights = [100, 0]
      config.dns!.healthChecks = [nil, nil]
      return TopologyModel.run(config)
    }
    let short = run(clientTimeout: .seconds(3))
    #expect(short.totals.total(.connectTimeout) == 0)
    #expect(short.totals.total(.clientTimeout) > 500, "about 90 s of 10 attempts/s at the dead region")
    #expect(short.arrivals == short.totals.ended + short.series.last!.inFlight)
    // With the client waiting longer than the connect timeout, the same attempts end by it instead.
    let long = run(clientTimeout: .seconds(30))
    #expect(
      long.totals.total(.connectTimeout) == short.totals.total(.clientTimeout) + short.series.last!.inFlight - long.series.last!.inFlight)
    #expect(long.totals.total(.clientTimeout) == 0)
  }

  @Test("a queue full of requests overflows with 503s, on the timeline as an episode that begins and ends")
  func overflow() {
    var config = Fixtures.mmc(lambda: 30, mu: 10, servers: 2, duration: .minutes(3), queueLimit: 5)
    config.populations[0].arrivals = .step(before: 30, after: 5, at: .minutes(1))
    let result = TopologyModel.run(config)
    #expect(result.totals.total(.queueFull) > 0)
    let began = result.timeline.first(.lbQueueOverflowBegan)!
    let ended = result.timeline.first(.lbQueueOverflowEnded)!
    #expect(began.time < .at(.minutes(1)) && ended.time > .at(.minutes(1)))
    #expect(result.series.allSatisfy { $0.loadBalancers[0].queueMax <= 5 })
  }

  @Test("step autoscaling adds one node per action after the watch window, then waits out the cooldown")
  func stepScaling() {
    var config = Fixtures.mmc(lambda: 5, mu: 10, servers: 1, duration: .minutes(12))
    config.populations[0].arrivals = .step(before: 5, after: 35, at: .minutes(1))
    config.regions[0].backend!.group = GroupConfig(
      initial: 1, min: 1, max: 5, workers: 1, bootTime: .constant(.seconds(40)),
      policy: .step(
        StepPolicy(upThreshold: 0.7, downThreshold: 0.2, watch: .seconds(30), sampleInterval: .seconds(10), cooldown: .seconds(120))))
    let result = TopologyModel.run(config)
    let actions = result.timeline.entries.filter { $0.kind == .scaleOut }
    #expect(actions.count >= 2)
    #expect(actions.first!.time >= .at(.minutes(1) + .seconds(30)))  // watched for 30 s first
    for (a, b) in zip(actions, actions.dropFirst()) { #expect(b.time - a.time >= .seconds(120)) }
    #expect(actions.allSatisfy { $0.text.contains("→ \(Int(String($0.text.split(separator: "→")[0].split(separator: " ").last!))! + 1)") })
    // A launched node serves only after its boot: 40 s, no LB health check configured.
    let firstInService = result.timeline.entries.first { $0.kind == .instanceInService }!
    #expect(firstInService.time - actions.first!.time == .seconds(40))
    #expect(result.groups[0].peakInService <= 5)
  }

  @Test("target tracking scales out only after 3 breaching minutes, proportionally, and never past max")
  func targetTracking() {
    var config = Fixtures.mmc(lambda: 4, mu: 10, servers: 2, duration: .minutes(15))
    config.populations[0].arrivals = .step(before: 4, after: 60, at: .minutes(2))
    config.populations[0].timeout = .seconds(20)
    config.regions[0].backend!.group = GroupConfig(
      initial: 2, min: 2, max: 6, workers: 1, bootTime: .constant(.seconds(30)),
      policy: .targetTracking(TargetTrackingPolicy(targetUtilization: 0.5)))
    config.regions[0].backend!.loadBalancer.queueLimit = 50
    let result = TopologyModel.run(config)
    let first = result.timeline.first(.scaleOut)!
    // Metric minutes end at 3, 4, 5 min: the first fully breaching minute is 2–3.
    #expect(first.time == .at(.minutes(5)))
    #expect(first.text.contains("2 → 4"))  // ceil(2 × 100% / 50%)
    #expect(result.groups[0].peakInService == 6)
    #expect(result.series.allSatisfy { $0.groups[0].serving + $0.groups[0].booting <= 6 })
  }

  @Test("instances cost what they ran: instance-seconds integrate the billed count")
  func instanceSeconds() {
    let config = Fixtures.mmc(lambda: 5, mu: 10, servers: 3, duration: .minutes(10))
    let result = TopologyModel.run(config)
    #expect(result.groups[0].instanceSeconds == 3 * 600)
  }

  @Test(
    "arrival profiles produce their expected counts (Poisson, within 4 standard deviations)",
    arguments: [
      ArrivalProfile.constant(rate: 20), .step(before: 10, after: 30, at: .minutes(5)),
      .ramp(from: 5, to: 45, start: .minutes(2), end: .minutes(8)),
      .diurnal(mean: 20, amplitude: 0.8, period: .minutes(10), peakAt: .minutes(3)),
      .piecewise([(.zero, 0), (.minutes(4), 40), (.minutes(6), 40), (.minutes(10), 10)]),
    ])
  func arrivalProfiles(profile: ArrivalProfile) {
    var config = Fixtures.mmc(lambda: 1, mu: 100, servers: 50, duration: .minutes(10))
    config.populations[0].arrivals = profile
    let result = TopologyModel.run(config)
    let expected = profile.expectedArrivals(over: .minutes(10))
    #expect(abs(Double(result.arrivals) - expected) < 4 * expected.squareRoot(), "\(result.arrivals) vs \(expected)")
  }
}

@Suite("Balancing policies")
struct BalancingPolicyTests {
  static func run(_ policy: BalancingPolicy) -> RunResult {
    // Capacity 10 + 1.25 per second once one server is 8× slower; 8 per second is stable.
    var config = Fixtures.mmc(lambda: 8, mu: 10, servers: 2, duration: .minutes(20), seed: 5)
    config.regions[0].backend!.loadBalancer.policy = policy
    config.regions[0].backend!.loadBalancer.concurrencyPerTarget = 10
    config.faults = [FaultSpec(target: .instance(region: 0, tier: .backend, index: 0), mode: .slow(factor: 8), at: .zero)]
    return TopologyModel.run(config)
  }

  @Test("least-connections steers work away from a slow target; round-robin keeps feeding it")
  func leastConnections() {
    let roundRobin = Self.run(.roundRobin)
    let least = Self.run(.leastConnections)
    #expect(least.latency.mean < 0.5 * roundRobin.latency.mean, "LC \(least.latency.mean) s vs RR \(roundRobin.latency.mean) s")
  }
}
