import SimCore
import Testing

@testable import Topology

/// Writes from Delhi only (DNS weight 100/0), at `rate` per second, all API writes.
func writeLoad(rate: Double, duration: SimDuration, faults: [FaultSpec] = [], dataPath: DataPathConfig, seed: UInt64 = 1) -> TopologyConfig
{
  var config = Fixtures.twoRegions(rate: rate, duration: duration, faults: faults, instances: 3, seed: seed)
  config.dns!.weights = [100, 0]
  config.dns!.healthChecks = [nil, nil]
  config.populations[0].mix = [.apiWrite: 1]
  config.dataPath = dataPath
  return config
}

func first(_ result: RunResult, _ kind: TimelineKind) -> SimTime? { result.timeline.first(kind)?.time }

@Suite("Data path: replication, loss, synchronous commit")
struct ReplicationTests {
  @Test("RPO: with async replication, the writes lost at a primary crash are about w·L (w = write rate, L = replication lag)")
  func rpo() {
    // A slow link (≈ 200 ms one way) makes the lag large enough to count.
    let w = 400.0
    let oneWay = 0.2
    let dataPath = Fixtures.dataPath(
      actions: [OperatorAction(at: .seconds(70), kind: .promote(region: 1))], roundTrip: .constant(.milliseconds(400)))
    let config = writeLoad(
      rate: w, duration: .seconds(90), faults: [FaultSpec(target: .region(0), mode: .crash, at: .seconds(60))], dataPath: dataPath)
    let result = TopologyModel.run(config)
    let data = result.data!
    let expected = w * oneWay
    #expect(abs(Double(data.lostWrites) - expected) < 4 * expected.squareRoot() + 2, "lost \(data.lostWrites), w·L = \(expected)")
    #expect(abs(data.rpoSeconds - oneWay) < 0.05, "RPO \(data.rpoSeconds) s")
    // The lag the run itself measured just before the crash says the same.
    let lagBefore = result.series.last { $0.start < .at(.seconds(60)) }!.replicationLag[1]
    #expect(lagBefore > 0.15 && lagBefore < 0.3, "measured lag \(lagBefore)")
    #expect(data.acknowledgedWrites == data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites)
    #expect(data.survivor == "chennai db")
  }

  @Test("synchronous commit adds one link round trip to write latency")
  func synchronousLatency() {
    func meanWrite(_ level: SynchronousCommit, standby: Bool) -> Double {
      let dataPath = Fixtures.dataPath(synchronousCommit: level, synchronousStandby: standby, roundTrip: .constant(.milliseconds(40)))
      return TopologyModel.run(writeLoad(rate: 20, duration: .minutes(3), dataPath: dataPath)).latencyByKind[.apiWrite]!.mean
    }
    let async = meanWrite(.on, standby: false)  // no synchronous standby: `on` waits for the local flush only
    let remoteWrite = meanWrite(.remoteWrite, standby: true)
    let on = meanWrite(.on, standby: true)
    // One round trip (40 ms), plus the standby's write (0.1 ms) or flush (1.1 ms).
    #expect(abs(remoteWrite - async - 0.0401) < 0.003, "remote_write adds \(remoteWrite - async)")
    #expect(abs(on - async - 0.0411) < 0.003, "on adds \(on - async)")
  }

  @Test("synchronous commit stops every write while the only standby is partitioned; asynchronous does not")
  func synchronousPartition() {
    let partition = [FaultSpec(target: .link(from: nil), mode: .crash, at: .seconds(60), duration: .seconds(60))]
    func writesDuring(_ standby: Bool) -> Int {
      let result = TopologyModel.run(
        writeLoad(
          rate: 20, duration: .minutes(3), faults: partition,
          dataPath: Fixtures.dataPath(synchronousCommit: .on, synchronousStandby: standby)))
      return result.series.filter { $0.start >= .at(.seconds(61)) && $0.start < .at(.seconds(110)) }.reduce(0) {
        $0 + $1.outcomes[.apiWrite, .success]
      }
    }
    #expect(writesDuring(true) == 0)
    #expect(writesDuring(false) > 500)
    // And when the partition heals, the blocked commits complete and writes flow again.
    let healed = TopologyModel.run(
      writeLoad(
        rate: 20, duration: .minutes(3), faults: partition, dataPath: Fixtures.dataPath(synchronousCommit: .on, synchronousStandby: true)))
    #expect(healed.series.filter { $0.start >= .at(.seconds(130)) }.allSatisfy { $0.outcomes[.apiWrite, .success] > 0 })
  }

  @Test("promotion takes the replay backlog plus its own time and starts a new timeline")
  func promotionTimeline() {
    // Replay 10 ms per write at 200 writes/s: the standby falls behind and builds a backlog.
    let dataPath = Fixtures.dataPath(
      actions: [OperatorAction(at: .seconds(60), kind: .promote(region: 1))], replayPerWrite: .milliseconds(10))
    let result = TopologyModel.run(writeLoad(rate: 200, duration: .minutes(4), dataPath: dataPath))
    let started = first(result, .promotionStarted)!
    let promoted = first(result, .dbPromoted)!
    #expect(promoted - started > .seconds(5))  // 5 s promotion + the backlog
    #expect(result.data!.nodes.first { $0.name == "chennai db" }!.timeline == 2)
    #expect(result.timeline.first(.splitBrainBegan) != nil)  // Delhi is still up and writable
  }
}

@Suite("PgPool-II")
struct PgPoolTests {
  /// When Chennai's PgPool detaches the Delhi database after a fault at 120 s (no traffic,
  /// so only health checks can notice).
  static func detection(_ target: FaultTarget, _ mode: FaultMode, seed: UInt64) -> Double {
    var config = Fixtures.twoRegions(
      rate: 0, duration: .minutes(5), faults: [FaultSpec(target: target, mode: mode, at: .seconds(120))], seed: seed)
    config.dataPath = Fixtures.dataPath()
    let result = TopologyModel.run(config)
    let detached = result.timeline.entries.first { $0.kind == .pgpoolDetached && $0.text.contains("PgPool (chennai)") }!
    return (detached.time - .at(.seconds(120))).seconds
  }

  @Test(
    "detection times for period 10, timeout 20, retries 3 fall in mechanisms.md §9 item 11's ranges",
    arguments: [
      (FaultTarget.database(region: 0), FaultMode.crash, 3.0, 13.5),  // refused: 3–13 s
      (FaultTarget.link(from: nil), FaultMode.crash, 43.0, 53.5),  // black-holed: 43–53 s
      (FaultTarget.database(region: 0), FaultMode.hang, 83.0, 93.5),  // hung: 83–93 s
    ])
  func detectionRanges(target: FaultTarget, mode: FaultMode, low: Double, high: Double) {
    var times = RunningStatistics()
    for seed in 1...12 as ClosedRange<UInt64> { times.record(Self.detection(target, mode, seed: seed)) }
    #expect(times.minimum >= low && times.maximum <= high, "\(times.minimum)…\(times.maximum) s")
    #expect(times.maximum - times.minimum > 2, "the phase varies with the seed")
  }

  @Test("a failover_command that promotes: PgPool detaches the dead primary, promotes the standby, finds it, writes return")
  func failoverCommandPromotes() {
    let pgpool = PgPoolConfig(failoverCommand: .promoteStandby)
    var config = writeLoad(
      rate: 20, duration: .minutes(4), faults: [FaultSpec(target: .database(region: 0), mode: .crash, at: .seconds(60))],
      dataPath: Fixtures.dataPath(pgpool: pgpool))
    config.dns!.weights = [0, 100]  // traffic in Chennai, whose PgPool writes to Delhi
    let result = TopologyModel.run(config)
    let detached = first(result, .pgpoolDetached)!
    let switched = result.timeline.entries.first { $0.kind == .pgpoolSwitched }!
    #expect(detached <= .at(.seconds(61)))  // the first write's socket error (failover_on_backend_error)
    #expect(switched.text.contains("chennai db"))
    #expect(result.series.filter { $0.start >= switched.time + .seconds(10) }.allSatisfy { $0.outcomes[.apiWrite, .dataTierError] == 0 })
    let data = result.data!
    #expect(data.acknowledgedWrites == data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites)
  }

  @Test("without a promoting command PgPool searches for search_primary_node_timeout, then gives up; it never sees a later promotion")
  func searchTimesOut() {
    let dataPath = Fixtures.dataPath(actions: [OperatorAction(at: .seconds(400), kind: .setWeight(region: 0, weight: 0))])
    var config = writeLoad(
      rate: 10, duration: .minutes(10), faults: [FaultSpec(target: .database(region: 0), mode: .crash, at: .seconds(60))],
      dataPath: dataPath)
    config.dns!.weights = [0, 100]
    var result = TopologyModel.run(config)
    let detached = first(result, .pgpoolDetached)!
    #expect(first(result, .pgpoolNoPrimary)! - detached >= .seconds(300))
    // A promotion by someone else after that: PgPool (real behaviour) never notices.
    config.dataPath!.automation = nil
    config.faults.append(FaultSpec(target: .monitor(index: 0), mode: .crash, at: .zero))
    config.dataPath!.monitors = [MonitorConfig(name: "m", region: 0)]
    config.dataPath!.actions = []
    result = TopologyModel.run(config)
    #expect(result.series.last!.outcomes[.apiWrite, .success] == 0)
  }

  @Test("pool exhaustion: with the database hung, clients beyond num_init_children wait, beyond the backlog they are refused")
  func poolExhaustion() {
    let pgpool = PgPoolConfig(numInitChildren: 2, listenBacklogMultiplier: 2)
    var config = writeLoad(
      rate: 20, duration: .minutes(2), faults: [FaultSpec(target: .database(region: 0), mode: .hang, at: .seconds(30))],
      dataPath: Fixtures.dataPath(pgpool: pgpool))
    config.populations[0].mix = [.apiRead: 1]
    let result = TopologyModel.run(config)
    let late = result.series.filter { $0.start >= .at(.seconds(40)) }
    #expect(late.allSatisfy { $0.outcomes[.apiRead, .success] == 0 })
    #expect(late.reduce(0) { $0 + $1.outcomes[.apiRead, .dataTierError] } > 500)  // refused: backlog of 4 full
    // With reserved_connections, refusals start as soon as the 2 children are busy.
    var reserved = config
    reserved.dataPath!.access = [.pgpool(PgPoolConfig(numInitChildren: 2, reservedConnections: 1)), .pgpool(PgPoolConfig())]
    let refused = TopologyModel.run(reserved)
    #expect(refused.totals.total(.dataTierError) >= result.totals.total(.dataTierError))
  }

  @Test("delay_threshold: a standby lagging past it loses its reads to the primary until it catches up")
  func delayThreshold() {
    let pgpool = PgPoolConfig(delayThreshold: .seconds(1), srCheckPeriod: .seconds(5))
    // 75 writes per second against a replay of 50 per second: the standby falls behind.
    var config = writeLoad(rate: 150, duration: .minutes(3), dataPath: Fixtures.dataPath(pgpool: pgpool, replayPerWrite: .milliseconds(20)))
    config.populations[0].mix = [.apiWrite: 1, .apiRead: 1]
    let result = TopologyModel.run(config)
    let lagging = result.timeline.entries.first { $0.kind == .pgpoolStandbyLagging }
    #expect(lagging != nil && lagging!.text.contains("chennai db"))
  }
}

@Suite("Monitor, automation, split brain, failback")
struct FailoverTests {
  static func monitorAutomation(rule: AutomationRule, fence: Bool = false) -> DataPathConfig {
    Fixtures.dataPath(
      pgpool: PgPoolConfig(followsExternalPromotion: true),
      monitors: [
        MonitorConfig(
          name: "Delhi frontend", region: 0, interval: .minutes(5), phase: .seconds(30), confirmWithin: .zero, roundTrip: .zero),
        MonitorConfig(
          name: "Chennai frontend", region: 1, interval: .minutes(5), phase: .seconds(30), confirmWithin: .zero, roundTrip: .zero),
      ],
      automation: AutomationConfig(
        rule: rule, fence: fence, notificationDelay: .constant(.seconds(1)), webhookDelay: .constant(.seconds(1)),
        functionStart: .constant(.seconds(1)), apiCall: .constant(.zero)))
  }

  static func frontendOutage(rule: AutomationRule, fence: Bool = false) -> RunResult {
    var config = Fixtures.twoRegions(
      rate: 20, duration: .minutes(20), alignedPhase: .zero,
      faults: [FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .seconds(30), duration: .minutes(8))])
    config.dataPath = monitorAutomation(rule: rule, fence: fence)
    return TopologyModel.run(config)
  }

  @Test("UptimeRobot with threshold 0 alerts at the first failed, confirmed check; the chain runs webhook → function → API → promotion")
  func chainTiming() {
    let result = Self.frontendOutage(rule: .promoteOnAlert)
    let fault = result.firstFault!
    // Checks at 30 s + k·5 min: the first after the fault at 30 s is at 5:30, i.e. T+5:00.
    #expect(first(result, .monitorAlert)! - fault == .minutes(5))
    #expect(first(result, .webhookSent)! - fault == .minutes(5) + .seconds(1))
    #expect(first(result, .automationReceived)! - fault == .minutes(5) + .seconds(2))
    #expect(first(result, .promoteCalled)! - fault == .minutes(5) + .seconds(3))
    #expect(first(result, .promotionStarted)! - fault == .minutes(5) + .seconds(3))
    #expect(first(result, .dbPromoted)! - fault == .minutes(5) + .seconds(8))
    #expect(result.timeline.entries.filter { $0.kind == .automationIgnored }.isEmpty)
  }

  @Test(
    "a Delhi-frontend-only outage: the case study's automation promotes Chennai while Delhi's primary lives; split brain once Delhi's frontend is back"
  )
  func splitBrainTrap() {
    let result = Self.frontendOutage(rule: .promoteOnAlert)
    let data = result.data!
    #expect(first(result, .dbPromoted) != nil)
    #expect(first(result, .splitBrainBegan) != nil)
    // Delhi's frontend returns at 8:30: Delhi's writes go to its own (old) primary, Chennai's to the new one.
    #expect(data.splitBrainWrites > 0)
    #expect(data.winningSideWritesDuringSplitBrain > 0)
    #expect(data.acknowledgedWrites == data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites)
  }

  @Test("the same outage with \"check the database first\": no promotion, no split brain")
  func checkDatabaseFirst() {
    let result = Self.frontendOutage(rule: .checkDatabaseFirst)
    #expect(first(result, .automationDeclined) != nil)
    #expect(first(result, .dbPromoted) == nil)
    #expect(result.data!.splitBrainWrites == 0)
    #expect(result.data!.acknowledgedWrites == result.data!.durableOnSurvivor)
  }

  @Test("fencing the old primary before promoting prevents split brain (at the cost of Delhi's writes failing)")
  func fencing() {
    let result = Self.frontendOutage(rule: .promoteOnAlert, fence: true)
    #expect(first(result, .fenced)! < first(result, .dbPromoted)!)
    #expect(result.data!.splitBrainWrites == 0)
    #expect(result.timeline.first(.splitBrainBegan) == nil)
  }

  @Test("failback: re-sync Delhi by pg_rewind, switch roles, re-attach PgPools, restore 50/50; split brain ends; writes add up")
  func failback() {
    var config = Fixtures.twoRegions(
      rate: 20, duration: .minutes(25), alignedPhase: .zero,
      faults: [FaultSpec(target: .tier(region: 0, tier: .frontend), mode: .crash, at: .seconds(30), duration: .minutes(8))])
    config.dataPath = Self.monitorAutomation(rule: .promoteOnAlert)
    config.dataPath!.actions = [OperatorAction(at: .minutes(12), kind: .failback(region: 0, method: .rewind, weights: [50, 50]))]
    let result = TopologyModel.run(config)
    let kinds = result.timeline.entries.map(\.kind)
    for step: TimelineKind in [.failbackResyncStarted, .splitBrainEnded, .failbackResynced, .failbackSwitchover, .failbackComplete] {
      #expect(kinds.contains(step), "missing \(step)")
    }
    let data = result.data!
    #expect(data.survivor == "delhi db")
    #expect(data.nodes.first { $0.name == "chennai db" }!.role == "replica")
    #expect(data.splitBrainWrites > 0)
    #expect(data.acknowledgedWrites == data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites)
    // After failback, writes succeed from both regions.
    let end = first(result, .failbackComplete)!
    #expect(result.series.filter { $0.start >= end + .seconds(30) }.allSatisfy { $0.outcomes[.apiWrite, .dataTierError] == 0 })
  }

  @Test("a re-clone takes the data size over the link's bandwidth; pg_rewind only the diverged WAL")
  func resyncDurations() {
    func resyncTime(_ method: ResyncMethod) -> SimDuration {
      var config = Fixtures.twoRegions(rate: 5, duration: .minutes(10))
      config.dataPath = Fixtures.dataPath(actions: [
        OperatorAction(at: .seconds(60), kind: .promote(region: 1)),
        OperatorAction(at: .seconds(120), kind: .failback(region: 0, method: method, weights: [50, 50])),
      ])
      let result = TopologyModel.run(config)
      return first(result, .failbackResynced)! - first(result, .failbackResyncStarted)!
    }
    // 10 GB at 125 MB/s = 80 s, plus 60 s of base-backup overhead.
    #expect(resyncTime(.reclone) == .seconds(140))
    #expect(resyncTime(.rewind) < .seconds(15))
  }

  @Test("determinism with the data path: same seed, same timeline and same accounting")
  func determinism() {
    let a = Self.frontendOutage(rule: .promoteOnAlert)
    let b = Self.frontendOutage(rule: .promoteOnAlert)
    #expect(a.timeline.entries == b.timeline.entries)
    #expect(a.series == b.series)
    #expect(a.data!.splitBrainWrites == b.data!.splitBrainWrites)
  }
}
