import SimCore

/// Counts of request attempts by kind and by how they ended.
public struct OutcomeCounts: Hashable, Sendable {
  /// counts[Self.index(kind, outcome)]
  var counts: [Int] = Array(repeating: 0, count: Self.size)

  /// How many counters one set holds (a kind by an outcome), and where one pair's is; the
  /// recorder lays several sets end to end in one array with the same layout.
  static let size = RequestKind.allCases.count * Outcome.allCases.count
  @inline(__always) static func index(_ kind: RequestKind, _ outcome: Outcome) -> Int {
    kind.index &* Outcome.allCases.count &+ outcome.rawValue
  }

  public init() {}

  public subscript(kind: RequestKind, outcome: Outcome) -> Int {
    get { counts[Self.index(kind, outcome)] }
    set { counts[Self.index(kind, outcome)] = newValue }
  }

  /// Attempts of one kind that ended.
  public func ended(_ kind: RequestKind) -> Int { Outcome.allCases.reduce(0) { $0 + self[kind, $1] } }
  /// Attempts of any kind that ended with `outcome`.
  public func total(_ outcome: Outcome) -> Int { RequestKind.allCases.reduce(0) { $0 + self[$1, outcome] } }
  /// Every attempt that ended.
  public var ended: Int { counts.reduce(0, +) }
  /// Attempts that ended in a failure of any cause.
  public var failed: Int { ended - total(.success) }
}

/// One time-series bucket: what happened in [start, start + width).
public struct SeriesRow: Hashable, Sendable {
  public var start: SimTime
  /// Attempts started, by request kind (first attempts and retries).
  public var arrivals: [Int]
  /// Of those, retries.
  public var retries: Int
  /// Attempts started, by the region DNS sent them to.
  public var arrivalsByRegion: [Int]
  /// Attempts that ended, by kind and outcome.
  public var outcomes: OutcomeCounts
  /// Latency percentiles of successful attempts in the bucket, in seconds (nil: none).
  public var latencyP50: Double?
  public var latencyP95: Double?
  public var latencyP99: Double?
  /// Clients waiting at the end of the bucket.
  public var inFlight: Int
  /// Totals since the start, at the end of the bucket: every attempt started has ended
  /// or is in flight (`cumulativeArrivals == cumulativeEnded + inFlight`).
  public var cumulativeArrivals: Int
  public var cumulativeEnded: Int
  /// Per autoscaling group, in group order.
  public var groups: [GroupSample]
  /// Per load balancer, in load-balancer order.
  public var loadBalancers: [LoadBalancerSample]
  /// Per database node at the end of the bucket: replication lag in seconds (0 for a primary).
  public var replicationLag: [Double] = []
  /// Attempts that ended in a failure in the bucket, by the region DNS sent them to.
  public var failuresByRegion: [Int] = []
  /// p99 latency of successful attempts in the bucket, by region, in seconds (nil: none).
  public var latencyP99ByRegion: [Double?] = []
}

/// An autoscaling group at the end of a bucket.
public struct GroupSample: Hashable, Sendable {
  public var serving: Int
  public var booting: Int
  public var draining: Int
  /// Average CPU utilisation over the bucket, across instances in service (0…1).
  public var cpu: Double
}

/// A load balancer during a bucket.
public struct LoadBalancerSample: Hashable, Sendable {
  public var queueAtEnd: Int
  public var queueMax: Int
  public var active: Int
}

/// What the model reports while it runs. It only receives; it never changes the model.
/// Memory: the timeline (state changes, not requests), one small row per bucket, and
/// fixed-size histograms.
public struct Recorder: Sendable {
  public var timeline = Timeline()
  public private(set) var series: [SeriesRow] = []
  /// Attempts that ended, by kind and outcome, over the run: the sum of ``byPlace``, where
  /// each attempt is counted once (added up when asked for, not counted twice per request).
  public var totals: OutcomeCounts {
    var sum = OutcomeCounts()
    for (j, count) in endedByPlace.enumerated() { sum.counts[j % OutcomeCounts.size] += count }
    return sum
  }
  /// Latency of every successful attempt in the run, and per request kind: merged from
  /// ``latencyByRegionKind``, the one histogram a request is recorded in (with its bucket's).
  public var latency: LogHistogram {
    latencyByRegionKind.reduce(into: LogHistogram()) { $0.merge($1) }
  }
  public var latencyByKind: [LogHistogram] {
    RequestKind.allCases.map { kind in
      stride(from: kind.index, to: latencyByRegionKind.count, by: RequestKind.allCases.count)
        .reduce(into: LogHistogram()) { $0.merge(latencyByRegionKind[$1]) }
    }
  }
  public internal(set) var firstFault: SimTime?
  /// When a client first saw a failure, by request kind.
  public private(set) var firstFailure: [SimTime?] = Array(repeating: nil, count: RequestKind.allCases.count)
  /// Per group: ∫ instances billed (booting, in service, draining) dt, in instance-seconds.
  public private(set) var instanceSeconds: [Double]
  public private(set) var peakInService: [Int]
  public private(set) var arrivals = 0
  public private(set) var retries = 0
  public private(set) var lateCompletions = 0
  /// Writes the database acknowledged (committed and confirmed to the backend).
  public private(set) var acknowledgedWrites = 0
  /// Acknowledged writes that never reached the node promoted after them (RPO in writes),
  /// and the span of commit time they covered (RPO in seconds; the largest failover's).
  public private(set) var lostWrites = 0
  public private(set) var rpoSeconds = 0.0
  /// Acknowledged writes on a primary that is not the authoritative one: lost when the
  /// two histories are reconciled. And, while split brain lasts, writes on the winning side.
  public private(set) var splitBrainWrites = 0
  public private(set) var winningSideWritesDuringSplitBrain = 0
  public private(set) var promotions = 0
  /// The largest failover's RPO in seconds since the last ``drain()`` (one incident's).
  public private(set) var rpoSecondsSinceDrain = 0.0
  /// Attempts that ended, per region, place and outcome:
  /// `byPlace[(region * FailurePlace.allCases.count + place.index)]`.
  public var byPlace: [OutcomeCounts] {
    stride(from: 0, to: endedByPlace.count, by: OutcomeCounts.size).map { start in
      var counts = OutcomeCounts()
      counts.counts = Array(endedByPlace[start..<start + OutcomeCounts.size])
      return counts
    }
  }
  /// ``byPlace``'s counts end to end in one array, so a request's end is one write to it.
  var endedByPlace: StateArray<Int>
  /// Latency of successful attempts per region and request kind: `[region * 3 + kind.index]`.
  public private(set) var latencyByRegionKind: StateArray<LogHistogram>

  let bucket: SimDuration
  var bucketStart: SimTime = .zero
  /// The open bucket's row. Its arrivals and outcomes are filled in when it closes, as the
  /// differences of the run's counts since the last close: a request is counted once.
  var current: SeriesRow
  /// Attempts started, per region and kind (`[region * 3 + kind.index]`), since the start;
  /// and these and ``totals`` as they stood when the last bucket closed.
  var arrivalsByRegionKind: StateArray<Int>
  var arrivalsAtLastClose: [Int]
  var endedAtLastClose = OutcomeCounts()
  /// Latency in the open bucket, per region (the bucket's quantiles merge them: counts,
  /// minimum and maximum merge exactly, so the quantiles are those of one histogram).
  var bucketLatencyByRegion: StateArray<LogHistogram>
  /// The latency histograms' buckets by table lookup instead of a logarithm per request.
  let latencyBuckets = LogBucketTable.standard
  var billed: [TimeWeightedAverage]
  /// ∫ billed instances dt in instance-nanoseconds, exact.
  public private(set) var billedNanoseconds: [Int64]
  var billedNow: [Int]
  var billedSince: [SimTime]

  init(config: TopologyConfig) {
    bucket = config.bucket
    let groupCount = config.regions.reduce(0) { $0 + ($1.frontend == nil ? 0 : 1) + ($1.backend == nil ? 0 : 1) }
    instanceSeconds = Array(repeating: 0, count: groupCount)
    peakInService = Array(repeating: 0, count: groupCount)
    billed = Array(repeating: TimeWeightedAverage(), count: groupCount)
    billedNanoseconds = Array(repeating: 0, count: groupCount)
    billedNow = Array(repeating: 0, count: groupCount)
    billedSince = Array(repeating: .zero, count: groupCount)
    current = SeriesRow(
      start: .zero, arrivals: [0, 0, 0], retries: 0, arrivalsByRegion: Array(repeating: 0, count: config.regions.count),
      outcomes: OutcomeCounts(), inFlight: 0, cumulativeArrivals: 0, cumulativeEnded: 0, groups: [], loadBalancers: [],
      failuresByRegion: Array(repeating: 0, count: config.regions.count))
    endedByPlace = StateArray(repeating: 0, count: config.regions.count * FailurePlace.allCases.count * OutcomeCounts.size)
    arrivalsByRegionKind = StateArray(repeating: 0, count: config.regions.count * RequestKind.allCases.count)
    arrivalsAtLastClose = Array(arrivalsByRegionKind)
    bucketLatencyByRegion = StateArray(repeating: LogHistogram(), count: config.regions.count)
    latencyByRegionKind = StateArray(repeating: LogHistogram(), count: config.regions.count * RequestKind.allCases.count)
  }

  /// Gives the state arrays storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() {
    endedByPlace.makeUnique()
    latencyByRegionKind.makeUnique()
    arrivalsByRegionKind.makeUnique()
    bucketLatencyByRegion.makeUnique()
  }

  mutating func arrival(kind: RequestKind, region: Int, retry: Bool) {
    arrivals += 1
    arrivalsByRegionKind[region &* 3 &+ kind.index] += 1
    if retry {
      retries += 1
      current.retries += 1
    }
  }

  mutating func outcome(
    kind: RequestKind, region: Int, place: FailurePlace, _ outcome: Outcome, latency duration: SimDuration, at now: SimTime
  ) {
    if outcome != .success && firstFailure[kind.index] == nil { firstFailure[kind.index] = now }
    let slice = region &* FailurePlace.allCases.count &+ place.index
    endedByPlace[slice &* OutcomeCounts.size &+ OutcomeCounts.index(kind, outcome)] += 1
    if outcome == .success {
      let seconds = duration.seconds
      // Two histograms per request, one bucket lookup for both; the run's totals and the
      // bucket's quantiles are merged from them when asked for.
      let bucket = latencyBuckets.bucket(of: seconds)
      latencyByRegionKind[region &* 3 &+ kind.index].record(seconds, bucket: bucket)
      bucketLatencyByRegion[region].record(seconds, bucket: bucket)
    } else {
      current.failuresByRegion[region] += 1
    }
  }

  mutating func lateCompletion() { lateCompletions += 1 }

  mutating func acknowledgedWrite(losingSide: Bool, duringSplitBrain: Bool) {
    acknowledgedWrites += 1
    if losingSide {
      splitBrainWrites += 1
    } else if duringSplitBrain {
      winningSideWritesDuringSplitBrain += 1
    }
  }

  /// A promotion finished: `lost` acknowledged writes never reached the new primary;
  /// `diverged` went to the old primary while it was being promoted (split brain's losing side).
  mutating func promoted(lostWrites lost: Int, lostSeconds: Double, divergedWrites diverged: Int) {
    promotions += 1
    lostWrites += lost
    splitBrainWrites += diverged
    rpoSeconds = max(rpoSeconds, lostSeconds)
    rpoSecondsSinceDrain = max(rpoSecondsSinceDrain, lostSeconds)
  }

  /// A group's membership or health changed: `billed` instances are paid for (booting,
  /// in service or draining), `serving` take traffic.
  mutating func groupChanged(_ g: Int, billed billedCount: Int, serving: Int, at now: SimTime) {
    billed[g].update(to: Double(billedCount), at: now)
    // The same integral, exact in integer nanoseconds, for billing.
    billedNanoseconds[g] += Int64(billedNow[g]) * (now - billedSince[g]).nanoseconds
    billedNow[g] = billedCount
    billedSince[g] = now
    peakInService[g] = max(peakInService[g], serving)
  }

  /// Hands over the buckets closed and the timeline entries recorded so far, and forgets
  /// them (a long study keeps only what it needs of each stage).
  public mutating func drain() -> (series: [SeriesRow], timeline: [TimelineEntry]) {
    defer {
      series.removeAll(keepingCapacity: true)
      rpoSecondsSinceDrain = 0
    }
    return (series, timeline.removeAll())
  }

  /// Closes the bucket that ends now with the model's samples, and opens the next.
  mutating func closeBucket(
    at now: SimTime, inFlight: Int, groups: [GroupSample], loadBalancers: [LoadBalancerSample], replicationLag: [Double]
  ) {
    current.replicationLag = replicationLag
    current.start = bucketStart
    let bucketLatency = bucketLatencyByRegion.reduce(into: LogHistogram()) { $0.merge($1) }
    current.latencyP50 = bucketLatency.quantile(0.5)
    current.latencyP95 = bucketLatency.quantile(0.95)
    current.latencyP99 = bucketLatency.quantile(0.99)
    current.latencyP99ByRegion = bucketLatencyByRegion.map { $0.quantile(0.99) }
    current.inFlight = inFlight
    let ended = totals
    for j in ended.counts.indices { current.outcomes.counts[j] = ended.counts[j] - endedAtLastClose.counts[j] }
    endedAtLastClose = ended
    current.arrivals = Array(repeating: 0, count: RequestKind.allCases.count)
    current.arrivalsByRegion = Array(repeating: 0, count: current.arrivalsByRegion.count)
    for r in current.arrivalsByRegion.indices {
      for k in 0..<RequestKind.allCases.count {
        let j = r * RequestKind.allCases.count + k
        let started = arrivalsByRegionKind[j] - arrivalsAtLastClose[j]
        current.arrivals[k] += started
        current.arrivalsByRegion[r] += started
      }
    }
    arrivalsAtLastClose = Array(arrivalsByRegionKind)
    current.cumulativeArrivals = arrivals
    current.cumulativeEnded = ended.ended
    current.groups = groups
    current.loadBalancers = loadBalancers
    series.append(current)
    bucketStart = now
    for r in bucketLatencyByRegion.indices { bucketLatencyByRegion[r].removeAll() }
    current.retries = 0
    current.failuresByRegion = Array(repeating: 0, count: current.failuresByRegion.count)
  }

  /// Closes the instance-time integrals at the end of the run.
  mutating func finish(at now: SimTime) {
    for g in billed.indices {
      instanceSeconds[g] = billed[g].integral(until: now)
      billedNanoseconds[g] += Int64(billedNow[g]) * (now - billedSince[g]).nanoseconds
      billedSince[g] = now
    }
  }
}

/// Where a request was when it ended: at a tier (its load balancer or its instances; a
/// request past the frontend waiting on the backend is at the backend) or in the data tier.
public enum FailurePlace: String, CaseIterable, Hashable, Sendable {
  case frontend, backend, data

  /// Its position in `allCases`.
  public var index: Int {
    switch self {
    case .frontend: return 0
    case .backend: return 1
    case .data: return 2
    }
  }
}
