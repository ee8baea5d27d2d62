import SimCore

/// Everything a traffic run produced; reports read only this.
public struct RunResult: Sendable {
  public var seed: UInt64
  public var duration: SimDuration
  /// When the first fault began (the origin of `T+m:ss`), if any did.
  public var firstFault: SimTime?
  /// When clients first saw a failure, by request kind.
  public var firstFailure: [RequestKind: SimTime]
  public var timeline: Timeline
  /// One row per bucket.
  public var series: [SeriesRow]
  /// Attempts by kind and outcome over the whole run.
  public var totals: OutcomeCounts
  /// Latency of successful attempts over the whole run, and per request kind.
  public var latency: LogHistogram
  public var latencyByKind: [RequestKind: LogHistogram]
  /// The regions, in configuration order.
  public var regionNames: [String] = []
  /// Attempts that ended, per region and the place they were at (see ``FailurePlace``).
  public var outcomesByPlace: [(region: String, place: FailurePlace, counts: OutcomeCounts)] = []
  /// Latency of successful attempts per region and request kind.
  public var latencyByRegion: [(region: String, kind: RequestKind, histogram: LogHistogram)] = []
  public var loadBalancers: [LoadBalancerSummary]
  public var groups: [GroupSummary]
  /// Writes: acknowledged, lost at failover, split brain; nil without a data path.
  public var data: DataSummary?
  public var eventsProcessed: Int

  /// Attempts started (first attempts and retries).
  public var arrivals: Int { series.last?.cumulativeArrivals ?? 0 }
  /// Clients still waiting when the run ended.
  public var inFlightAtEnd: Int { series.last?.inFlight ?? 0 }
}

/// A load balancer over the whole run.
public struct LoadBalancerSummary: Sendable {
  public var name: String
  /// Requests that reached it.
  public var accepted: Int
  /// Mean wait in its queue of the requests it dispatched, in seconds (Wq).
  public var meanQueueWait: Double
  /// Mean time from arrival to the release of its target slot, in seconds (W).
  public var meanSojourn: Double
  /// Time-average queue length (Lq) and requests in the system, queued or at a target (L).
  public var meanQueueLength: Double
  public var meanInSystem: Double
  public var maxQueueLength: Int
  /// Per-request time in the system, for confidence intervals.
  public var sojournStatistics: RunningStatistics
  /// Simulated time these averages cover.
  public var elapsed: SimDuration
}

/// An autoscaling group over the whole run.
public struct GroupSummary: Sendable {
  public var name: String
  /// ∫ billed instances dt, in instance-seconds (for display).
  public var instanceSeconds: Double
  /// The same, exact in instance-nanoseconds: what the cost report prices.
  public var instanceNanoseconds: Int64
  public var peakInService: Int
}

/// What happened to the data over the run.
public struct DataSummary: Sendable {
  public var acknowledgedWrites: Int
  /// Acknowledged writes in the history of the authoritative primary at the end.
  public var durableOnSurvivor: Int
  public var lostWrites: Int
  public var rpoSeconds: Double
  public var splitBrainWrites: Int
  public var winningSideWritesDuringSplitBrain: Int
  public var promotions: Int
  /// The primary whose history counts at the end.
  public var survivor: String
  /// Nodes and their final role and timeline.
  public var nodes: [(name: String, role: String, timeline: Int)]
}
