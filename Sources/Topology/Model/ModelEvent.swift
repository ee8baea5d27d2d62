/// Everything that can happen in the traffic model. Small payloads (integer IDs and a
/// request reference), so events stay inline in the kernel's queue.
public enum ModelEvent: Sendable {
  /// The next arrival candidate of a population (non-homogeneous Poisson by thinning).
  case arrival(population: PopulationID)
  /// A client starts a retry of an earlier attempt (the new attempt's slot is allocated).
  case retry(RequestRef)
  /// A client gives up connecting to a dead address.
  case connectTimedOut(RequestRef)
  /// A client stops waiting for a response.
  case clientTimeout(RequestRef)
  /// A request has waited in a load balancer's queue for the queue timeout.
  case queueTimeout(RequestRef, loadBalancer: LoadBalancerID)
  /// A load balancer stops waiting for a target's answer (504).
  case targetTimeout(RequestRef, loadBalancer: LoadBalancerID)
  /// An instance's worker finished a request's CPU time.
  case cpuDone(RequestRef, instance: InstanceID)
  /// The data tier answered a request's call.
  case dataReply(RequestRef)
  /// A load balancer answers 502 for a target that refused or dropped the request.
  case refused(RequestRef)
  /// A launched instance finished booting.
  case instanceBooted(instance: InstanceID)
  /// A load balancer probes one of its targets.
  case targetProbe(instance: InstanceID)
  /// The result of that probe arrives.
  case targetProbeResult(instance: InstanceID, passed: Bool)
  /// A draining instance's deregistration delay ran out.
  case drainDeadline(instance: InstanceID)
  /// An autoscaling group evaluates its metric.
  case scalingTick(group: GroupID)
  /// A Route 53 checker sends a probe.
  case dnsProbe(checker: CheckerID)
  /// A Route 53 checker's probe result arrives.
  case dnsProbeResult(checker: CheckerID, passed: Bool)
  /// DNS answers start to reflect a record's new health (after the propagation delay).
  case dnsAnswersChange(record: RegionID, healthy: Bool, episode: UInt32)
  /// The moment the last cached answer pointing at a region may expire.
  case cachesDrainCheck(region: RegionID, episode: UInt32)
  /// A scheduled fault is due; it takes effect after everything else due at that instant.
  case faultDue(fault: FaultID, begins: Bool)
  /// The fault takes effect (begins) or is repaired (ends).
  case faultApply(fault: FaultID, begins: Bool)
  /// A time-series bucket closes.
  case bucketTick

  // Data path.
  /// A query reaches its database node.
  case dbArrive(RequestRef)
  /// A database node finished a query's statement (and, for a write, its local commit).
  case dbDone(RequestRef, node: NodeEpoch)
  /// WAL up to `lsn` reaches a standby.
  case walArrive(node: DatabaseID, lsn: WALPosition)
  /// The standby has flushed WAL up to `lsn`.
  case walFlushed(node: DatabaseID, lsn: WALPosition)
  /// The standby has replayed WAL up to `lsn`.
  case walReplayed(node: DatabaseID, lsn: WALPosition)
  /// A standby's report that it has reached `lsn` (at the sync level) reaches its primary.
  case standbyFeedback(primary: DatabaseID, lsn: WALPosition)
  /// A PgPool health-check attempt on a backend starts, and its result arrives.
  case pgpoolCheck(pool: PoolID, node: DatabaseID, attempt: Int32)
  case pgpoolCheckResult(pool: PoolID, node: DatabaseID, attempt: Int32, passed: Bool)
  /// PgPool's failover_command finished.
  case pgpoolFailoverCommandDone(pool: PoolID, node: DatabaseID)
  /// PgPool polls its backends for a primary (every second during a failover).
  case pgpoolSearch(pool: PoolID)
  /// PgPool samples replication delay (sr_check_period).
  case pgpoolSRCheck(pool: PoolID)
  /// A monitor check, its result, a confirming probe's result, and a delayed alert.
  case monitorCheck(monitor: MonitorID)
  case monitorResult(monitor: MonitorID, passed: Bool, confirmationsLeft: Int32)
  case monitorAlert(monitor: MonitorID, episode: Int32)
  /// The next step of an automation run.
  case automationStep(run: AutomationRunID, step: Int32)
  /// A promotion finishes.
  case promotionDone(node: DatabaseID, promotion: Int32)
  /// A node's fencing (power-off) takes effect.
  case fenceDone(node: DatabaseID)
  /// An operator action is due, or the next step of a multi-step procedure.
  case operatorAction(action: ActionID, step: Int32)
}

/// A WAL position in two 32-bit halves: 4-byte aligned, so an event that carries one
/// stays within 12 bytes of payload and every event fits the queue's 32-byte slots.
public struct WALPosition: Sendable, Hashable {
  var high: UInt32
  var low: UInt32

  @inline(__always) init(_ value: Int64) {
    high = UInt32(truncatingIfNeeded: value >> 32)
    low = UInt32(truncatingIfNeeded: value)
  }

  @inline(__always) var value: Int64 { Int64(high) << 32 | Int64(low) }
}

/// A database node and its epoch in one word (16 bits each; the epoch wraps).
public struct NodeEpoch: Sendable, Hashable {
  var bits: UInt32

  @inline(__always) init(node: DatabaseID, epoch: UInt32) { bits = UInt32(UInt16(truncatingIfNeeded: node.raw)) << 16 | (epoch & 0xFFFF) }
  @inline(__always) var node: DatabaseID { DatabaseID(raw: Int32(bits >> 16)) }
  @inline(__always) var epoch: UInt32 { bits & 0xFFFF }
}
