/// Everything that can happen in the traffic model. Small payloads (integer IDs and a
/// request reference), so events stay inline in the kernel's queue.
public enum ModelEvent: Sendable {
  /// The next arrival candidate of a population (non-homogeneous Poisson by thinning).
  case arrival(population: Int32)
  /// A client starts a retry of an earlier attempt (the new attempt's slot is allocated).
  case retry(RequestRef)
  /// A client gives up connecting to a dead address.
  case connectTimedOut(RequestRef)
  /// A client stops waiting for a response.
  case clientTimeout(RequestRef)
  /// A request has waited in a load balancer's queue for the queue timeout.
  case queueTimeout(RequestRef, loadBalancer: Int32)
  /// A load balancer stops waiting for a target's answer (504).
  case targetTimeout(RequestRef, loadBalancer: Int32)
  /// An instance's worker finished a request's CPU time.
  case cpuDone(RequestRef, instance: Int32)
  /// The data tier answered a request's call.
  case dataReply(RequestRef)
  /// A load balancer answers 502 for a target that refused or dropped the request.
  case refused(RequestRef)
  /// A launched instance finished booting.
  case instanceBooted(instance: Int32)
  /// A load balancer probes one of its targets.
  case targetProbe(instance: Int32)
  /// The result of that probe arrives.
  case targetProbeResult(instance: Int32, passed: Bool)
  /// A draining instance's deregistration delay ran out.
  case drainDeadline(instance: Int32)
  /// An autoscaling group evaluates its metric.
  case scalingTick(group: Int32)
  /// A Route 53 checker sends a probe.
  case dnsProbe(checker: Int32)
  /// A Route 53 checker's probe result arrives.
  case dnsProbeResult(checker: Int32, passed: Bool)
  /// DNS answers start to reflect a record's new health (after the propagation delay).
  case dnsAnswersChange(record: Int32, healthy: Bool, episode: UInt32)
  /// The moment the last cached answer pointing at a region may expire.
  case cachesDrainCheck(region: Int32, episode: UInt32)
  /// A scheduled fault is due; it takes effect after everything else due at that instant.
  case faultDue(index: Int32, begins: Bool)
  /// The fault takes effect (begins) or is repaired (ends).
  case faultApply(index: Int32, begins: Bool)
  /// A time-series bucket closes.
  case bucketTick
}
