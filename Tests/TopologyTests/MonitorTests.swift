import SimCore
import Testing

@testable import Topology

@Suite("UptimeRobot: three nodes probe in parallel, DOWN when all answers are failures")
struct MonitorConfirmationTests {
  /// A monitor on delhi checking every 5 minutes from T=0, 30 s timeout, the two confirming
  /// nodes probing within 30 s of the check.
  static func config(_ fault: FaultSpec, seed: UInt64) -> TopologyConfig {
    var config = Fixtures.twoRegions(rate: 5, duration: .minutes(12), faults: [fault], seed: seed)
    config.dataPath!.monitors = [
      MonitorConfig(
        name: "m", region: 0, interval: .minutes(5), phase: .zero, timeout: .seconds(30), confirmations: 2, confirmWithin: .seconds(30),
        roundTrip: .milliseconds(100))
    ]
    return config
  }

  static func down(_ result: RunResult) -> Double? { result.timeline.first(.monitorDown).map { $0.time.seconds } }

  @Test("a silent endpoint (its region dark): DOWN 30 s after the check plus the last node's start, within 30 s of the first failed probe")
  func silent() {
    var times: [Double] = []
    for seed in 1...20 {
      let result = TopologyModel.run(Self.config(FaultSpec(target: .region(0), mode: .crash, at: .minutes(1)), seed: UInt64(seed)))
      guard let down = Self.down(result) else {
        Issue.record("seed \(seed): no DOWN")
        continue
      }
      // The check at 5:00: its first node's probe times out at 5:30; the others start by 5:30
      // and time out 30 s later. Probing one after another took until 6:30 or later.
      #expect(down >= 330 && down <= 360, "seed \(seed): DOWN at \(down) s")
      times.append(down)
    }
    // The last of two uniform starts on 0…30 s averages 20 s: DOWN ≈ 5:50 on average.
    let mean = times.reduce(0, +) / Double(times.count)
    #expect(abs(mean - 350) < 5, "mean DOWN \(mean) s")
  }

  @Test("a refusing endpoint (every frontend instance crashed): DOWN within the confirmation window of the check")
  func refusing() {
    for seed in 1...20 {
      let fault = FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .minutes(1))
      let result = TopologyModel.run(Self.config(fault, seed: UInt64(seed)))
      guard let down = Self.down(result) else {
        Issue.record("seed \(seed): no DOWN")
        continue
      }
      #expect(down >= 300.1 && down <= 330.1 + 1e-6, "seed \(seed): DOWN at \(down) s")
    }
  }

  @Test("one node that still gets an answer keeps the monitor UP: a region that recovers before the confirmations end is never DOWN")
  func onePassPasses() {
    // Dark from 4:40 to 5:20: the 5:00 check's first node times out at 5:30, but nodes that
    // start after 5:20 get an answer, so the round passes whenever one of them does.
    var neverDown = 0
    for seed in 1...20 {
      let fault = FaultSpec(target: .region(0), mode: .crash, at: .seconds(280), duration: .seconds(40))
      let result = TopologyModel.run(Self.config(fault, seed: UInt64(seed)))
      if Self.down(result) == nil { neverDown += 1 }
    }
    // Each confirming node starts after 5:20 with probability 1/3; DOWN needs both before it: 4/9.
    #expect(neverDown >= 6 && neverDown <= 18, "\(neverDown) of 20 runs never DOWN")
  }
}

@Suite("a dark region answers nothing")
struct DarkRegionTests {
  @Test(
    "queries to a database in a region gone dark end by their own timeouts: PgPool detaches it after its health-check retries, never on a socket error"
  )
  func noSocketError() {
    for seed in 1...20 {
      var config = Fixtures.twoRegions(
        rate: 200, duration: .minutes(4), faults: [FaultSpec(target: .region(0), mode: .crash, at: .minutes(2))], seed: UInt64(seed))
      config.dataPath!.monitors = []
      let result = TopologyModel.run(config)
      let detached = result.timeline.entries.filter { $0.kind == .pgpoolDetached && $0.text.contains("PgPool (chennai)") }
      guard let first = detached.first else {
        Issue.record("seed \(seed): Chennai's PgPool never detached Delhi's database")
        continue
      }
      #expect(!first.text.contains("socket error"), "seed \(seed): \(first.text)")
      // Four attempts of 10 s (connect to a black hole) with 1 s between them, from the first
      // check after the fault: within one period (10 s, plus the round trip of the last
      // passing check): 43–53 s after the region went dark.
      let after = (first.time - SimTime.at(.minutes(2))).seconds
      #expect(after >= 43 && after <= 53.1, "seed \(seed): detached \(after) s after the region went dark")
    }
  }

  @Test("a crashed PostgreSQL process on a live host refuses at once: PgPool fails it over on the first socket error")
  func crashedProcessRefuses() {
    let config = Fixtures.twoRegions(
      rate: 200, duration: .minutes(3), faults: [FaultSpec(target: .database(region: 0), mode: .crash, at: .minutes(2))], seed: 3)
    let result = TopologyModel.run(config)
    let first = result.timeline.entries.first { $0.kind == .pgpoolDetached }
    #expect(first?.text.contains("socket error") == true, "\(String(describing: first?.text))")
    #expect(first.map { ($0.time - SimTime.at(.minutes(2))).seconds < 1 } == true)
  }
}

@Suite("a fault's time may be a distribution")
struct FaultTimingTests {
  static func firstFault(_ timing: Distribution?, seed: UInt64) -> Double {
    var config = Fixtures.twoRegions(rate: 5, duration: .minutes(8), seed: seed)
    config.faults = [FaultSpec(target: .region(0), mode: .crash, at: .minutes(5), timing: timing)]
    return TopologyModel.run(config).firstFault!.seconds
  }

  @Test("drawn once per run from the fault's own stream: inside its range, the same for the same seed, spread across seeds")
  func drawn() throws {
    let timing = try Distribution(parsing: "uniform(min: 5m, max: 6m)")
    let times = (1...20).map { Self.firstFault(timing, seed: UInt64($0)) }
    #expect(times.allSatisfy { $0 >= 300 && $0 <= 360 })
    #expect(Set(times).count == 20)
    #expect(times.reduce(0, +) / 20 > 315 && times.reduce(0, +) / 20 < 345)
    #expect(Self.firstFault(timing, seed: 7) == times[6])
  }

  @Test("a fixed time stays exact")
  func fixed() {
    #expect(Self.firstFault(nil, seed: 3) == 300)
  }
}

@Suite("autoscaling groups replace instances their load balancer reports unhealthy (ELB health checks)")
struct HealthReplacementTests {
  static func run(replace: Bool, grace: SimDuration, faultAt: SimDuration) -> RunResult {
    var config = Fixtures.twoRegions(
      rate: 20, duration: .minutes(10),
      faults: [FaultSpec(target: .instance(region: 0, tier: .backend, index: 0), mode: .crash, at: faultAt)])
    config.regions[0].backend!.group.replaceUnhealthy = replace
    config.regions[0].backend!.group.healthCheckGracePeriod = grace
    config.dataPath = nil
    return TopologyModel.run(config)
  }

  @Test("with type ELB, the crashed instance is replaced once marked unhealthy, and the new one serves after its boot")
  func replaced() throws {
    let result = Self.run(replace: true, grace: .seconds(60), faultAt: .minutes(3))
    let unhealthy = try #require(result.timeline.first(.lbTargetUnhealthy))
    let replaced = try #require(result.timeline.first(.instanceReplaced))
    #expect(replaced.time == unhealthy.time && replaced.text.contains("delhi.backend#0"))
    #expect(result.timeline.entries.contains { $0.kind == .instanceInService && $0.text.contains("delhi.backend#2") })
  }

  @Test("not before the grace period since launch has passed")
  func grace() throws {
    let result = Self.run(replace: true, grace: .minutes(5), faultAt: .seconds(30))
    let unhealthy = try #require(result.timeline.first(.lbTargetUnhealthy))
    let replaced = try #require(result.timeline.first(.instanceReplaced))
    #expect(unhealthy.time < .at(.minutes(5)) && replaced.time == .at(.minutes(5)))
  }

  @Test("with type EC2 (AWS's default), nothing is replaced")
  func ec2() {
    #expect(Self.run(replace: false, grace: .seconds(60), faultAt: .minutes(3)).timeline.first(.instanceReplaced) == nil)
  }
}

@Suite("every run's accounting adds up, and a broken one is named")
struct InvariantTests {
  @Test("a run of the seed's shape has no violation; tampered totals and writes are each named with their figures")
  func violations() {
    var result = TopologyModel.run(Fixtures.twoRegions(rate: 20, duration: .minutes(3)))
    #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
    result.totals[.apiRead, .success] += 1
    #expect(result.invariantViolations.contains { $0.contains("ended by the time series") })
    #expect(result.invariantViolations.contains { $0.contains("api-read ended success") || $0.contains("apiRead ended success") })
    result.totals[.apiRead, .success] -= 1
    result.data!.lostWrites += 2
    #expect(
      result.invariantViolations == [
        "writes: \(result.data!.acknowledgedWrites) acknowledged, but \(result.data!.durableOnSurvivor) durable on \(result.data!.survivor) + 2 lost "
          + "+ \(result.data!.splitBrainWrites) on split brain's losing side = \(result.data!.durableOnSurvivor + 2 + result.data!.splitBrainWrites)"
      ])
  }
}

@Suite("a terminated instance's slot goes to its group's next launch: memory follows the instances alive")
struct InstanceSlotTests {
  /// The backend of region 0 loses its first instance every `period` (each replacement is
  /// the member at position 0 by then) to a hang, which holds requests until the group
  /// replaces it: terminated with work still naming it, whose refusals come a millisecond
  /// after its replacement took the slot.
  static func churn(period: SimDuration, reuse: Bool, until end: SimDuration = .minutes(40)) -> (TopologyModel, RunResult) {
    var config = Fixtures.twoRegions(rate: 20, duration: end)
    let count = Int(end.nanoseconds / period.nanoseconds)
    config.faults = (1..<count).map { k in
      FaultSpec(
        target: .instance(region: 0, tier: .backend, index: 0), mode: .hang, at: SimDuration(nanoseconds: period.nanoseconds * Int64(k)))
    }
    config.regions[0].backend!.group.replaceUnhealthy = true
    config.regions[0].backend!.group.healthCheckGracePeriod = .seconds(60)
    config.dataPath = nil
    var model = TopologyModel(config: config)
    model.fleet.reusesSlots = reuse
    let result = model.run()
    return (model, result)
  }

  @Test("instances replaced again and again take the slots of those they replace, under IDs of their own")
  func slotsAreReused() throws {
    let (model, result) = Self.churn(period: .minutes(4), reuse: true)
    let replaced = result.timeline.entries.filter { $0.kind == .instanceReplaced }
    #expect(replaced.count >= 8, "\(replaced.count) replacements")
    let (kept, _) = Self.churn(period: .minutes(4), reuse: false)
    #expect(kept.fleet.instances.count == model.fleet.instances.count + replaced.count)
    let launched = model.fleet.groups.map(\.launched).reduce(0, +)
    #expect(model.fleet.instances.count < launched && launched == kept.fleet.instances.count)
    // Every slot's instance names itself; slots reused carry a later incarnation.
    for slot in model.fleet.instances.indices { #expect(model.fleet.instances[slot].id.index == slot) }
    #expect(model.fleet.instances.contains { $0.id.generation >= 4 })
    #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
  }

  @Test("a run is the same event for event whether slots are reused or every instance keeps its own")
  func sameRunEitherWay() {
    let (_, reused) = Self.churn(period: .minutes(4), reuse: true)
    let (_, kept) = Self.churn(period: .minutes(4), reuse: false)
    #expect(reused.eventsProcessed == kept.eventsProcessed && reused.totals == kept.totals)
    #expect(reused.latency.count == kept.latency.count && reused.latency.sum == kept.latency.sum)
    #expect(reused.timeline.entries == kept.timeline.entries)
  }

  @Test("an ID names one incarnation: a stale one is not current once its slot is taken")
  func staleIDs() {
    let first = InstanceID(slot: 5, generation: 0)
    let second = InstanceID(slot: 5, generation: 1)
    #expect(first.index == 5 && second.index == 5 && first != second && second.generation == 1)
    #expect(InstanceID(slot: 5, generation: 2_048) == first, "incarnations wrap after 2,048 launches in a slot")
    #expect(InstanceID.none.exists == false && first.exists && second.exists)
    let (model, _) = Self.churn(period: .minutes(4), reuse: true, until: .minutes(10))
    let reused = model.fleet.instances.first { $0.id.generation > 0 }!.id
    #expect(model.fleet.isCurrent(reused))
    #expect(!model.fleet.isCurrent(InstanceID(slot: reused.index, generation: reused.generation - 1)))
  }
}
