/// What happens in Route 53: checker probes and results, answers changing, caches draining. Small
/// payloads (typed IDs, a request reference), so events stay inline in the kernel's queue.
public enum DNSEvent: Sendable {
  /// A Route 53 checker sends a probe.
  case dnsProbe(checker: CheckerID)
  /// A Route 53 checker's probe result arrives.
  case dnsProbeResult(checker: CheckerID, passed: Bool)
  /// DNS answers start to reflect a record's new health (after the propagation delay).
  case dnsAnswersChange(record: RegionID, healthy: Bool, episode: UInt32)
  /// The moment the last cached answer pointing at a region may expire.
  case cachesDrainCheck(region: RegionID, episode: UInt32)
}

/// The model's events of this mechanism, written as before: `.dnsProbe(…)` builds
/// ``ModelEvent/dns(_:)``.
extension ModelEvent {
  @inline(__always) static func dnsProbe(checker: CheckerID) -> ModelEvent { .dns(.dnsProbe(checker: checker)) }
  @inline(__always) static func dnsProbeResult(checker: CheckerID, passed: Bool) -> ModelEvent {
    .dns(.dnsProbeResult(checker: checker, passed: passed))
  }
  @inline(__always) static func dnsAnswersChange(record: RegionID, healthy: Bool, episode: UInt32) -> ModelEvent {
    .dns(.dnsAnswersChange(record: record, healthy: healthy, episode: episode))
  }
  @inline(__always) static func cachesDrainCheck(region: RegionID, episode: UInt32) -> ModelEvent {
    .dns(.cachesDrainCheck(region: region, episode: episode))
  }
}
