import Foundation
import Reports
import SimCore
import Topology

/// What one simulated year (or other period) came to.
public struct YearTally: Sendable {
  /// Attempts that ended and those served, by request kind (quiet time adds expected counts).
  public var ended = [Double](repeating: 0, count: RequestKind.allCases.count)
  public var served = [Double](repeating: 0, count: RequestKind.allCases.count)
  /// Seconds in which more than 1% of some kind's attempts failed (time-based downtime).
  public var downSeconds = 0.0
  /// Failure-weighted downtime in seconds (Σ time × failed share), for reads, writes and all.
  public var readDowntime = 0.0
  public var writeDowntime = 0.0
  public var downtime = 0.0
  public var incidents: [Incident] = []
  /// Faults that began in the period, by process name, whether or not users saw them.
  public var faults: [String: Int] = [:]
  public var lostWrites = 0
  public var splitBrainWrites = 0
  public var splitBrainEpisodes = 0
  /// Seconds of the period accounted from a steady state rather than simulated request by request.
  public var quietSeconds = 0.0
  public var simulatedSeconds = 0.0

  public init() {}

  public var attempts: Double { ended.reduce(0, +) }
  public var failed: Double { attempts - served.reduce(0, +) }
  /// Successful / all attempts.
  public var availability: Double? { attempts > 0 ? served.reduce(0, +) / attempts : nil }
}

/// A period of user-visible impact: some kind of request failing more than 1%.
public struct Incident: Sendable {
  /// The process of the first fault of its window.
  public var kind: String
  /// What ended it: the mechanism whose action came last before service was restored.
  public var endedBy: String
  /// First failing bucket to steady service (nil: not restored before the window closed).
  public var rtoSeconds: Double?
  public var lostWrites: Int
  public var rpoSeconds: Double
  public var splitBrain: Bool
  public var downtimeSeconds: Double
}

/// One replication: the model lives through `periods` consecutive periods of sampled
/// failures. Requests are simulated one by one inside incident windows, from `lead` before
/// a window's first fault until `settle` after its last repair (and after the operator has
/// restored the configured state, when it was left otherwise). The quiet time between
/// windows is accounted from the last `steady` of the window before it: the same rate of
/// each request kind, served at the same share, with the same up/down state. In the model
/// the next window follows at once, so every component's state carries across.
public struct IncidentWindows {
  public var config: TopologyConfig
  public var availability: AvailabilityConfig
  /// Study time per period (a year: 365 days).
  public var period: Double
  public var periods: Int
  public var seed: UInt64
  /// Simulate every second request by request instead (for checking the windows).
  public var full = false

  /// Request-level time before the first window, not counted: caches and queues warm up.
  static let warmUp = SimDuration.minutes(10)
  /// Give up on restoring the configured state this long after a window's first fault.
  static let operatorGivesUp = 2.0 * 86_400

  public init(config: TopologyConfig, availability: AvailabilityConfig, period: Double, periods: Int, seed: UInt64, full: Bool = false) {
    self.config = config
    self.availability = availability
    self.period = period
    self.periods = periods
    self.seed = seed
    self.full = full
  }

  /// The share of each kind served and the rate it ends at, standing for quiet time.
  struct Steady {
    var endedPerSecond = [Double](repeating: 0, count: RequestKind.allCases.count)
    var servedShare = [Double](repeating: 1, count: RequestKind.allCases.count)
    var down: Bool { zip(endedPerSecond, servedShare).contains { $0.0 > 0 && 1 - $0.1 > IncidentWindows.restoredShare } }
    /// The chance that a bucket of `seconds` at this state shows some kind failing more
    /// than 1% (the time-based measure counts such buckets down): attempts per bucket are
    /// Poisson, failures among them binomial. Quiet time is accounted at this expectation, so
    /// the measure means the same in skipped and simulated time at any request rate.
    func downProbability(bucket seconds: Double) -> Double {
      var up = 1.0
      for (rate, served) in zip(endedPerSecond, servedShare) where rate > 0 && served < 1 {
        up *= 1 - Self.bucketShowsFailure(mean: rate * seconds, failedShare: 1 - served)
      }
      return 1 - up
    }

    /// P(failures / attempts > 1%) with attempts ~ Poisson(mean), failures ~ Binomial(attempts, share).
    static func bucketShowsFailure(mean: Double, failedShare f: Double) -> Double {
      // Many attempts a bucket: the count barely varies and the failures are close to normal.
      if mean > 2_000 {
        let threshold = (mean * IncidentWindows.restoredShare).rounded(.down) + 0.5
        let sd = (mean * f * (1 - f)).squareRoot()
        guard sd > 0 else { return f > IncidentWindows.restoredShare ? 1 : 0 }
        return 1 - SpecialFunctions.normalCDF((threshold - mean * f) / sd)
      }
      let spread = 10 * mean.squareRoot() + 10
      let low = max(1, Int(mean - spread))
      let high = Int(mean + spread)
      var total = 0.0
      for n in low...max(low, high) {
        let poisson = exp(Double(n) * log(mean) - mean - lgamma(Double(n) + 1))
        // P(failures ≤ ⌊0.01 n⌋), then its complement.
        let most = Int(Double(n) * IncidentWindows.restoredShare)
        var atMost = 0.0
        for k in 0...most {
          let lnChoose = lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
          atMost += f >= 1 ? (k == n ? 1 : 0) : exp(lnChoose + Double(k) * log(f) + Double(n - k) * log1p(-f))
        }
        total += poisson * max(0, 1 - atMost)
      }
      return min(1, total)
    }

    /// The share of the attempts of some kinds that fail.
    func failedShare(_ kinds: [RequestKind]) -> Double {
      let ended = kinds.reduce(0.0) { $0 + endedPerSecond[$1.index] }
      guard ended > 0 else { return 0 }
      return kinds.reduce(0.0) { $0 + endedPerSecond[$1.index] * (1 - servedShare[$1.index]) } / ended
    }
  }

  /// The run report's rule for "restored": each kind at most 1% failing for a minute.
  static let restoredShare = RunReport.restoredShare
  static let steadyWindow = RunReport.steadyWindow.seconds

  /// A simulated bucket or timeline entry placed in study time.
  struct Placed<T> {
    var time: Double
    var value: T
  }

  /// Runs the replication; returns one tally per period, the events the model processed and
  /// the model time it simulated.
  ///
  /// The model runs in steps of one bucket. Inside a window, whenever nothing has changed for
  /// `steady` (no timeline entry) and the next change (a fault beginning or ending, the
  /// operator, the window's close) is further off than `lead`, the study time in between is
  /// accounted from the steady state and skipped: a region that stays down for hours costs
  /// minutes of simulation, and the model sees the next change right after.
  public func run() -> (tallies: [YearTally], events: Int, modelSeconds: Double) {
    let horizon = period * Double(periods)
    let faults = FaultHistory.sample(availability.processes, config: config, horizon: horizon, seed: seed)
    var tallies = [YearTally](repeating: YearTally(), count: periods)
    for fault in faults {
      let name = availability.processes[fault.process].name
      tallies[min(periods - 1, Int(fault.begins / period))].faults[name, default: 0] += 1
    }
    var runConfig = config
    runConfig.faults = []
    runConfig.dataPath?.actions = []
    // Runbooks run once per run, and the study's person is `availability.operator`; alert
    // rules are machines and stay.
    runConfig.runbooks = []
    runConfig.seed = seed
    // Clients stop at the end of the configured duration: make it out of reach.
    runConfig.duration = .days(36_500)
    let step = runConfig.bucket
    var session = ModelSession(config: runConfig)
    let lead = availability.lead.seconds
    let settle = availability.settle.seconds
    let steadyLength = availability.steady.seconds
    let steadyRows = max(1, Int((steadyLength / step.seconds).rounded(.up)))

    session.run(until: .at(Self.warmUp))
    var recent = Array(session.drain().series.suffix(steadyRows))
    var offset = Self.warmUp.seconds  // model seconds = study seconds + offset
    var cursor = 0.0  // study time accounted so far
    var lastChange = -Double.infinity  // study time of the latest timeline entry
    var i = 0
    var lost = session.recorder.lostWrites
    var splitWrites = session.recorder.splitBrainWrites
    func study(_ t: SimTime) -> Double { t.sinceStart.seconds - offset }
    func model(_ t: Double) -> SimTime { .at(SimDuration(seconds: t + offset)) }

    /// One step of the model; its buckets and entries, placed in study time.
    func advance(_ rows: inout [Placed<SeriesRow>], _ entries: inout [Placed<TimelineKind>]) {
      session.run(until: session.now + step)
      let drained = session.drain()
      for row in drained.series {
        rows.append(Placed(time: study(row.start), value: row))
        recent.append(row)
      }
      if recent.count > steadyRows { recent.removeFirst(recent.count - steadyRows) }
      for entry in drained.timeline { entries.append(Placed(time: study(entry.time), value: entry.kind)) }
      if let last = drained.timeline.last { lastChange = study(last.time) }
    }

    /// Quiet time up to `opens`: accounted from the steady state, or (full) simulated.
    func quiet(until opens: Double) {
      guard opens > cursor else { return }
      if full {
        var rows: [Placed<SeriesRow>] = []
        var entries: [Placed<TimelineKind>] = []
        while study(session.now) < opens { advance(&rows, &entries) }
        var record = WindowRecord()
        Self.account(rows, entries, &record, bucket: step.seconds, horizon: horizon, period: period, &tallies)
        cursor = study(session.now)
      } else {
        Self.accountQuiet(from: cursor, to: opens, Self.steady(of: recent, bucket: step), period: period, bucket: step.seconds, &tallies)
        cursor = opens
      }
    }

    while i < faults.count {
      quiet(until: faults[i].begins - lead)
      // The window opens `lead` before its first fault: there in study time, now in the model's.
      let opens = max(cursor, faults[i].begins - lead)
      if !full { offset = session.now.sinceStart.seconds - opens }
      let first = faults[i].begins
      var record = WindowRecord(kind: availability.processes[faults[i].process].name)
      var rows: [Placed<SeriesRow>] = []
      var entries: [Placed<TimelineKind>] = []
      var open: [(handle: Int, ends: Double)] = []
      var closes = first + settle
      // The operator answers the page this long after the first fault: if the primary is
      // still down and requests are failing then, they fail over by hand; after the repairs
      // they restore the configured state (fail back) if it is not.
      let quantile = faults[i].operatorQuantile
      var operatorAt = availability.operatorResponse.map { first + max(0, $0.quantile(quantile)) }
      let paged = operatorAt
      var restoreAt: Double?
      var restores = 0
      while true {
        let now = study(session.now)
        let stepEnd = now + step.seconds
        // Place every change that falls in the coming step.
        while i < faults.count && faults[i].begins < stepEnd {
          let f = faults[i]
          for target in f.targets {
            let handle = session.add(FaultSpec(target: target, mode: f.mode, at: model(max(now, f.begins)).sinceStart))
            open.append((handle, f.ends))
          }
          closes = max(closes, f.ends + settle)
          i += 1
        }
        for fault in open where fault.ends < stepEnd { session.end(fault.handle, at: model(max(now, fault.ends))) }
        open.removeAll { $0.ends < stepEnd }
        if let at = operatorAt, at < stepEnd, !open.isEmpty {
          operatorAt = nil
          if session.primaryDown && Self.steady(of: recent, bucket: step).down {
            session.failOverByHand(at: model(max(now, at)))
          }
        }
        if let at = restoreAt, at < stepEnd {
          session.restoreConfiguredState(at: model(max(now, at)))
          restoreAt = nil
        }
        advance(&rows, &entries)
        let reached = study(session.now)
        // A window closes once settled: its faults over, nothing changed for `steady` and
        // outcomes level, so the last `steady` is what the quiet time after it repeats.
        if reached >= closes && open.isEmpty && restoreAt == nil && (i == faults.count || faults[i].begins - lead >= reached)
          && ((reached - lastChange >= steadyLength && Self.isLevel(recent, bucket: step)) || reached - first >= Self.operatorGivesUp)
        {
          if session.inConfiguredState { break }
          // Not as configured: the operator acts (again, a settle later, if it did not take).
          guard availability.operatorResponse != nil, reached - first < Self.operatorGivesUp else { break }
          let at = restores == 0 ? max(paged ?? reached, reached) : reached
          restoreAt = at
          restores += 1
          closes = at + settle
          continue
        }
        // Skip what would only repeat the steady state.
        if !full && reached - lastChange >= steadyLength && Self.isLevel(recent, bucket: step) {
          let nextChange = [
            i < faults.count ? faults[i].begins : Double.infinity, open.map(\.ends).min() ?? .infinity, restoreAt ?? .infinity, closes,
            open.isEmpty ? .infinity : operatorAt ?? .infinity,
          ].min()!
          let resume = min(nextChange - lead, closes - steadyLength)
          if resume - reached >= steadyLength {
            let steady = Self.steady(of: recent, bucket: step)
            Self.accountQuiet(from: reached, to: resume, steady, period: period, bucket: step.seconds, &tallies)
            record.skipped += resume - reached
            record.skippedDowntime += (resume - reached) * steady.failedShare(RequestKind.allCases)
            offset -= resume - reached
          }
        }
      }
      let recorder = session.recorder
      record.lostWrites = recorder.lostWrites - lost
      record.splitBrainWrites = recorder.splitBrainWrites - splitWrites
      record.rpoSeconds = recorder.rpoSecondsSinceDrain
      lost = recorder.lostWrites
      splitWrites = recorder.splitBrainWrites
      Self.account(rows, entries, &record, bucket: step.seconds, horizon: horizon, period: period, &tallies)
      cursor = study(session.now)
    }
    quiet(until: horizon)
    return (tallies, session.eventsProcessed, session.now.sinceStart.seconds)
  }

  /// What a window came to, beside its buckets.
  struct WindowRecord {
    /// The process of the window's first fault; nil for simulated quiet time.
    var kind: String?
    var lostWrites = 0
    var splitBrainWrites = 0
    var rpoSeconds = 0.0
    /// Study time skipped inside the window, and its failure-weighted downtime.
    var skipped = 0.0
    var skippedDowntime = 0.0
  }

  // MARK: Accounting

  static func steady(of rows: [SeriesRow], bucket: SimDuration) -> Steady {
    var steady = Steady()
    guard !rows.isEmpty else { return steady }
    let seconds = Double(rows.count) * bucket.seconds
    for kind in RequestKind.allCases {
      let ended = rows.reduce(0) { $0 + $1.outcomes.ended(kind) }
      let served = rows.reduce(0) { $0 + $1.outcomes[kind, .success] }
      steady.endedPerSecond[kind.index] = Double(ended) / seconds
      steady.servedShare[kind.index] = ended > 0 ? Double(served) / Double(ended) : 1
    }
    return steady
  }

  /// Whether the outcomes held level over some buckets: every kind's failed share the same
  /// (within 1 point) in their first and second halves. A share still moving (clients
  /// leaving a region as their DNS caches expire) is no steady state.
  static func isLevel(_ rows: [SeriesRow], bucket: SimDuration) -> Bool {
    guard rows.count >= 2 else { return false }
    let half = rows.count / 2
    let a = steady(of: Array(rows[..<half]), bucket: bucket)
    let b = steady(of: Array(rows[half...]), bucket: bucket)
    return RequestKind.allCases.allSatisfy { abs(a.failedShare([$0]) - b.failedShare([$0])) <= restoredShare }
  }

  /// Quiet time [from, to) at the steady state, split across periods.
  static func accountQuiet(from: Double, to: Double, _ steady: Steady, period: Double, bucket: Double, _ tallies: inout [YearTally]) {
    // Nothing past the last period counts (a window can outlast the horizon).
    let to = min(to, Double(tallies.count) * period)
    var start = from
    while start < to {
      let p = min(tallies.count - 1, Int(start / period))
      let end = p == tallies.count - 1 ? to : min(to, Double(p + 1) * period)
      let span = end - start
      guard span > 0 else { break }
      var t = tallies[p]
      t.quietSeconds += span
      for kind in RequestKind.allCases {
        let ended = steady.endedPerSecond[kind.index] * span
        t.ended[kind.index] += ended
        t.served[kind.index] += ended * steady.servedShare[kind.index]
      }
      t.readDowntime += span * steady.failedShare([.pageLoad, .apiRead])
      t.writeDowntime += span * steady.failedShare([.apiWrite])
      t.downtime += span * steady.failedShare(RequestKind.allCases)
      t.downSeconds += span * steady.downProbability(bucket: bucket)
      tallies[p] = t
      start = end
    }
  }

  /// A window's buckets: counts, downtime and its incident, in the period each bucket falls in.
  static func account(
    _ rows: [Placed<SeriesRow>], _ entries: [Placed<TimelineKind>], _ record: inout WindowRecord, bucket: Double, horizon: Double,
    period: Double, _ tallies: inout [YearTally]
  ) {
    func failedShare(_ row: SeriesRow, _ kinds: [RequestKind]) -> Double? {
      let ended = kinds.reduce(0) { $0 + row.outcomes.ended($1) }
      guard ended > 0 else { return nil }
      return Double(kinds.reduce(0) { $0 + row.outcomes.ended($1) - row.outcomes[$1, .success] }) / Double(ended)
    }
    func down(_ row: SeriesRow) -> Bool { RequestKind.allCases.contains { (failedShare(row, [$0]) ?? 0) > restoredShare } }
    func periodOf(_ t: Double) -> Int { min(tallies.count - 1, max(0, Int(t / period))) }
    var firstDown: Int?
    var downtime = record.skippedDowntime
    for (k, placed) in rows.enumerated() {
      let start = placed.time
      let row = placed.value
      guard start >= 0, start < horizon else { continue }
      let p = periodOf(start)
      let width = min(bucket, horizon - start)
      var t = tallies[p]
      t.simulatedSeconds += width
      for kind in RequestKind.allCases {
        t.ended[kind.index] += Double(row.outcomes.ended(kind))
        t.served[kind.index] += Double(row.outcomes[kind, .success])
      }
      t.readDowntime += width * (failedShare(row, [.pageLoad, .apiRead]) ?? 0)
      t.writeDowntime += width * (failedShare(row, [.apiWrite]) ?? 0)
      let all = width * (failedShare(row, RequestKind.allCases) ?? 0)
      t.downtime += all
      downtime += all
      if down(row) {
        t.downSeconds += width
        if firstDown == nil { firstDown = k }
      }
      tallies[p] = t
    }
    guard let kind = record.kind, let firstRow = rows.first else { return }
    let p = periodOf(firstDown.map { rows[$0].time } ?? firstRow.time)
    let splitEpisodes = entries.filter { $0.value == .splitBrainBegan }.count
    tallies[p].lostWrites += record.lostWrites
    tallies[p].splitBrainWrites += record.splitBrainWrites
    tallies[p].splitBrainEpisodes += splitEpisodes
    guard let firstDown else { return }
    // Restored: the first bucket after the first failing one from which every kind stays
    // at or under 1% failing for a minute (the run report's rule).
    let steadyBuckets = max(1, Int((steadyWindow / bucket).rounded(.up)))
    var restored: Int?
    var k = firstDown + 1
    while k + steadyBuckets <= rows.count {
      if rows[k..<(k + steadyBuckets)].allSatisfy({ !down($0.value) }) {
        restored = k
        break
      }
      k += 1
    }
    var endedBy = "not restored in its window"
    if let restored {
      let from = rows[firstDown].time
      let by = rows[restored].time + bucket
      // The latest restoring change; of several at that instant, the first: those recorded
      // after it at the same instant follow from it (the operator's pcp_promote_node lands
      // with the promotion it waited for).
      let window = entries.filter { $0.time >= from && $0.time <= by && restorers[$0.value] != nil }
      let cause = window.last.flatMap { last in window.first { $0.time == last.time } }
      endedBy = cause.flatMap { restorers[$0.value] } ?? "repair"
    }
    tallies[p].incidents.append(
      Incident(
        kind: kind, endedBy: endedBy, rtoSeconds: restored.map { rows[$0].time - rows[firstDown].time },
        lostWrites: record.lostWrites + record.splitBrainWrites, rpoSeconds: record.rpoSeconds, splitBrain: splitEpisodes > 0,
        downtimeSeconds: downtime))
  }

  /// Timeline entries that restore service, and the mechanism they stand for.
  static let restorers: [TimelineKind: String] = [
    .faultEnded: "repair",
    .dnsUnhealthy: "DNS failover", .dnsRecordUnhealthy: "DNS failover", .dnsCachesDrained: "DNS failover",
    .dnsAnswersRestored: "DNS (region back)", .dnsRecordHealthy: "DNS (region back)",
    .lbTargetUnhealthy: "load balancer (target out)", .lbTargetHealthy: "load balancer (target back)",
    .instanceInService: "autoscaling", .instanceReplaced: "autoscaling",
    .dbPromoted: "database promotion", .pgpoolSwitched: "PgPool", .pgpoolStandbyCaughtUp: "PgPool",
    .failbackComplete: "operator",
  ]
}
