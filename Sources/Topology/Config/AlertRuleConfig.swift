import SimCore

/// A Prometheus-style alerting rule on the metrics the run records: every `interval` the
/// expression is evaluated over the last `window`; while it holds the rule is pending, and
/// once it has held for `pendingFor` it fires; Alertmanager notifies `notifyAfter` later
/// (its `group_wait`). Firing pages runbooks waiting for the rule and can start the
/// failover automation. When the expression stops holding, a firing rule resolves.
public struct AlertRuleConfig: Sendable {
  public var name: String
  public var metric: AlertMetric
  public var comparison: AlertComparison
  public var threshold: Double
  /// The range the metric is taken over (whole buckets, at least one).
  public var window: SimDuration
  /// Prometheus `for:`: how long the expression must hold before the rule fires (0: at once).
  public var pendingFor: SimDuration
  /// Evaluation interval (Prometheus `evaluation_interval`, default 1 m).
  public var interval: SimDuration
  /// Alertmanager's `group_wait` before the first notification of a firing alert (30 s).
  public var notifyAfter: SimDuration
  /// Firing starts the failover automation as an alert about this region would.
  public var startsAutomationFor: Int?

  public init(
    name: String, metric: AlertMetric, comparison: AlertComparison, threshold: Double, window: SimDuration = .minutes(1),
    pendingFor: SimDuration = .zero, interval: SimDuration = .minutes(1), notifyAfter: SimDuration = .seconds(30),
    startsAutomationFor: Int? = nil
  ) {
    self.name = name
    self.metric = metric
    self.comparison = comparison
    self.threshold = threshold
    self.window = window
    self.pendingFor = pendingFor
    self.interval = interval
    self.notifyAfter = notifyAfter
    self.startsAutomationFor = startsAutomationFor
  }
}

/// What an alert rule measures over its window.
public enum AlertMetric: Sendable, Hashable {
  /// Failed attempts ÷ attempts ended in the window, of one request kind or all (nil);
  /// with a region, of the attempts DNS sent there (failed ÷ started).
  case errorShare(kind: RequestKind?, region: Int?)
  /// The 99th percentile latency of successful attempts in the window, in seconds, in all
  /// regions or one.
  case p99Latency(region: Int?)
  /// A database node's replication lag in seconds, the largest in the window.
  case replicationLag(region: Int)
  /// Instances in service in a region's tier, the fewest in the window.
  case instancesInService(region: Int, tier: TierRole)
}

/// How the metric is compared with the threshold.
public enum AlertComparison: String, Sendable, Hashable, CaseIterable {
  case above = ">"
  case atLeast = ">="
  case below = "<"
  case atMost = "<="

  /// Whether `value` compared with `threshold` holds.
  public func holds(_ value: Double, _ threshold: Double) -> Bool {
    switch self {
    case .above: return value > threshold
    case .atLeast: return value >= threshold
    case .below: return value < threshold
    case .atMost: return value <= threshold
    }
  }
}
