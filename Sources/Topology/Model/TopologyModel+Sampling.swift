import SimCore

/// The time series: at the end of each bucket the model samples its groups, load balancers
/// and replication lag and hands the samples to the recorder, which only stores them.
extension TopologyModel {
  mutating func bucketTick(_ sim: inout Simulator<ModelEvent>) {
    for rule in closeBucket(at: sim.now) {
      sim.schedule(.alertNotification(rule: AlertRuleID(rule)), after: alertRules.configs[rule].notifyAfter)
    }
    if sim.now < SimTime.at(config.duration) { sim.schedule(.bucketTick, after: config.bucket) }
  }

  /// Samples groups and load balancers for the bucket ending now and hands them to the recorder.
  /// Returns the alert rules that started firing.
  @discardableResult
  mutating func closeBucket(at now: SimTime) -> [Int] {
    let groupSamples = fleet.closeBucket(at: now, bucketStart: recorder.bucketStart)
    let (lbSamples, endedOverflow) = balancers.closeBucket()
    let lag = cluster.nodes.indices.map { cluster.replicationLag(of: DatabaseID($0), at: now) }
    for name in endedOverflow {
      recorder.timeline.record(
        now, .loadBalancer, .lbQueueOverflowEnded, "\(name): no request refused for a full queue in the last \(config.bucket)")
    }
    let latency = alertRules.configs.isEmpty ? [] : Array(recorder.bucketLatencyByRegion)
    recorder.closeBucket(at: now, inFlight: requests.waiting, groups: groupSamples, loadBalancers: lbSamples, replicationLag: lag)
    guard !alertRules.configs.isEmpty, let row = recorder.series.last else { return [] }
    return alertRules.bucketClosed(.init(row: row, latencyByRegion: latency), at: now, &recorder.timeline)
  }
}
