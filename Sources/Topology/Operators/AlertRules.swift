import SimCore

/// Alert rules evaluated over the recorded metrics, Prometheus style: the buckets of the
/// longest window are kept (a row and its latency histograms each), and at each rule's
/// evaluation time its expression is computed over its own window. State per rule:
/// inactive → pending (the expression holds) → firing (it held for `for:`) → resolved.
/// What firing does (notify, page, start the automation) is the model's.
struct AlertRules {
  let configs: [AlertRuleConfig]
  let regionNames: [String]
  let bucket: SimDuration
  var states: [AlertRuleState]
  /// The most recent buckets, oldest first, as many as the longest window needs.
  var recent: [RecentBucket] = []
  let keep: Int

  struct RecentBucket {
    var row: SeriesRow
    /// Latency of successful attempts in the bucket, per region.
    var latencyByRegion: [LogHistogram]
  }

  init(configs: [AlertRuleConfig], regionNames: [String], bucket: SimDuration) {
    self.configs = configs
    self.regionNames = regionNames
    self.bucket = bucket
    states = configs.map { AlertRuleState(nextEvaluation: .at($0.interval)) }
    keep = configs.map { Self.buckets(in: $0.window, of: bucket) }.max() ?? 0
  }

  /// Whole buckets in a window (at least one).
  static func buckets(in window: SimDuration, of bucket: SimDuration) -> Int {
    max(1, Int((window.seconds / bucket.seconds).rounded(.up)))
  }

  /// A bucket closed: keep it, evaluate the rules that are due; returns the rules that
  /// started firing now.
  mutating func bucketClosed(_ bucket: RecentBucket, at now: SimTime, _ timeline: inout Timeline) -> [Int] {
    recent.append(bucket)
    if recent.count > keep { recent.removeFirst(recent.count - keep) }
    var fired: [Int] = []
    for r in configs.indices where now >= states[r].nextEvaluation {
      while states[r].nextEvaluation <= now { states[r].nextEvaluation = states[r].nextEvaluation + configs[r].interval }
      if evaluate(r, at: now, &timeline) { fired.append(r) }
    }
    return fired
  }

  /// Evaluates rule `r` now; true when it starts firing.
  mutating func evaluate(_ r: Int, at now: SimTime, _ timeline: inout Timeline) -> Bool {
    let config = configs[r]
    let value = measure(config.metric, over: Self.buckets(in: config.window, of: bucket))
    let holds = value.map { config.comparison.holds($0, config.threshold) } ?? false
    let shown = value.map { describe($0, of: config.metric) } ?? "no data"
    let expression = "\(describe(config.metric)) \(config.comparison.rawValue) \(describeThreshold(config))"
    switch (states[r].phase, holds) {
    case (.inactive, true):
      if config.pendingFor > .zero {
        states[r].phase = .pending(since: now)
        timeline.record(
          now, .alerting, .alertRulePending, "Alert rule \(config.name) is pending: \(expression) (now \(shown)), for \(config.pendingFor)")
        return false
      }
      return fire(r, expression: expression, shown: shown, at: now, &timeline)
    case (.pending(let since), true):
      guard now - since >= config.pendingFor else { return false }
      return fire(r, expression: expression, shown: shown, at: now, &timeline)
    case (.pending, false):
      states[r].phase = .inactive
      timeline.record(now, .alerting, .alertRuleResolved, "Alert rule \(config.name) is no longer pending (now \(shown))")
    case (.firing, false):
      states[r].phase = .inactive
      timeline.record(now, .alerting, .alertRuleResolved, "Alert rule \(config.name) is resolved (now \(shown))")
    case (.inactive, false), (.firing, true): break
    }
    return false
  }

  mutating func fire(_ r: Int, expression: String, shown: String, at now: SimTime, _ timeline: inout Timeline) -> Bool {
    states[r].phase = .firing
    timeline.record(now, .alerting, .alertRuleFiring, "Alert rule \(configs[r].name) is firing: \(expression) (now \(shown))")
    return true
  }

  /// The metric over the last `n` buckets; nil when there is nothing to measure (no
  /// attempts ended, no successful latency).
  func measure(_ metric: AlertMetric, over n: Int) -> Double? {
    let window = recent.suffix(n)
    guard !window.isEmpty else { return nil }
    switch metric {
    case .errorShare(_, let region?):  // the scenario reader refuses a kind with a region
      let started = window.reduce(0) { $0 + $1.row.arrivalsByRegion[region] }
      let failed = window.reduce(0) { $0 + $1.row.failuresByRegion[region] }
      return started > 0 ? min(1, Double(failed) / Double(started)) : nil
    case .errorShare(let kind?, nil):
      let ended = window.reduce(0) { $0 + $1.row.outcomes.ended(kind) }
      let succeeded = window.reduce(0) { $0 + $1.row.outcomes[kind, .success] }
      return ended > 0 ? Double(ended - succeeded) / Double(ended) : nil
    case .errorShare(nil, nil):
      let ended = window.reduce(0) { $0 + $1.row.outcomes.ended }
      let failed = window.reduce(0) { $0 + $1.row.outcomes.failed }
      return ended > 0 ? Double(failed) / Double(ended) : nil
    case .p99Latency(let region):
      var merged = LogHistogram()
      for b in window {
        if let region { merged.merge(b.latencyByRegion[region]) } else { for h in b.latencyByRegion { merged.merge(h) } }
      }
      return merged.quantile(0.99)
    case .replicationLag(let region):
      return window.compactMap { region < $0.row.replicationLag.count ? $0.row.replicationLag[region] : nil }.max()
    case .instancesInService(let region, let tier):
      guard let g = groupIndex(region: region, tier: tier) else { return nil }
      return window.compactMap { g < $0.row.groups.count ? Double($0.row.groups[g].serving) : nil }.min()
    }
  }

  /// Groups are numbered region by region, frontend before backend, skipping missing tiers.
  var groupOrder: [(region: Int, tier: TierRole)] = []
  func groupIndex(region: Int, tier: TierRole) -> Int? { groupOrder.firstIndex { $0.region == region && $0.tier == tier } }

  func describe(_ metric: AlertMetric) -> String {
    switch metric {
    case .errorShare(let kind, let region):
      let args = [kind?.scenarioKey, region.map { regionNames[$0] }].compactMap { $0 }
      return "error_share" + (args.isEmpty ? "" : "(\(args.joined(separator: ", ")))")
    case .p99Latency(let region): return "p99_latency" + (region.map { "(\(regionNames[$0]))" } ?? "")
    case .replicationLag(let region): return "replication_lag(\(regionNames[region]))"
    case .instancesInService(let region, let tier): return "instances_in_service(\(regionNames[region]).\(tier.rawValue))"
    }
  }

  func describe(_ value: Double, of metric: AlertMetric) -> String {
    switch metric {
    case .errorShare: return formatShare(value)
    case .p99Latency, .replicationLag: return SimDuration(seconds: value).rounded(significantDigits: 3).description
    case .instancesInService: return String(Int(value))
    }
  }

  func describeThreshold(_ config: AlertRuleConfig) -> String { describe(config.threshold, of: config.metric) }

  func formatShare(_ share: Double) -> String {
    let percent = share * 100
    return percent == percent.rounded() ? "\(Int(percent))%" : "\((percent * 10).rounded() / 10)%"
  }
}

/// Where one alert rule stands.
struct AlertRuleState {
  enum Phase: Equatable {
    case inactive
    case pending(since: SimTime)
    case firing
  }
  var phase: Phase = .inactive
  var nextEvaluation: SimTime
}
