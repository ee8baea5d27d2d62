import SimCore

/// Everything a traffic run produced; reports read only this.
public struct RunResult: Sendable {
  public var seed: UInt64
  public var duration: SimDuration
  /// When the first fault began (the origin of `T+m:ss`), if any did.
  public var firstFault: SimTime?
  public var timeline: Timeline
  /// One row per bucket.
  public var series: [SeriesRow]
  /// Attempts by kind and outcome over the whole run.
  public var totals: OutcomeCounts
  /// Latency of successful attempts over the whole run.
  public var latency: LogHistogram
  public var loadBalancers: [LoadBalancerSummary]
  public var groups: [GroupSummary]
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
  /// ∫ billed instances dt: what the cost report prices.
  public var instanceSeconds: Double
  public var peakInService: Int
}
