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

  // Data path.
  /// A query reaches its database node.
  case dbArrive(RequestRef)
  /// A database node finished a query's statement (and, for a write, its local commit).
  case dbDone(RequestRef, node: Int32, epoch: UInt32)
  /// WAL up to `lsn` reaches a standby.
  case walArrive(node: Int32, lsn: Int64)
  /// The standby has flushed WAL up to `lsn`.
  case walFlushed(node: Int32, lsn: Int64)
  /// The standby has replayed WAL up to `lsn`.
  case walReplayed(node: Int32, lsn: Int64)
  /// A standby's report that it has reached `lsn` at a sync level reaches its primary.
  case standbyFeedback(primary: Int32, lsn: Int64, level: Int32)
  /// A PgPool health-check attempt on a backend starts, and its result arrives.
  case pgpoolCheck(pool: Int32, node: Int32, attempt: Int32)
  case pgpoolCheckResult(pool: Int32, node: Int32, attempt: Int32, passed: Bool)
  /// PgPool's failover_command finished.
  case pgpoolFailoverCommandDone(pool: Int32, node: Int32)
  /// PgPool polls its backends for a primary (every second during a failover).
  case pgpoolSearch(pool: Int32)
  /// PgPool samples replication delay (sr_check_period).
  case pgpoolSRCheck(pool: Int32)
  /// A monitor check, its result, a confirming probe's result, and a delayed alert.
  case monitorCheck(monitor: Int32)
  case monitorResult(monitor: Int32, passed: Bool, confirmationsLeft: Int32)
  case monitorAlert(monitor: Int32, episode: Int32)
  /// The next step of an automation run.
  case automationStep(run: Int32, step: Int32)
  /// A promotion finishes.
  case promotionDone(node: Int32, promotion: Int32)
  /// A node's fencing (power-off) takes effect.
  case fenceDone(node: Int32)
  /// An operator action is due, or the next step of a multi-step procedure.
  case operatorAction(index: Int32, step: Int32)
}
