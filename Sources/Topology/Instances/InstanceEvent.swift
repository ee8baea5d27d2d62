/// What happens to instances and groups: CPU work done, boot, target health checks, draining,
/// scaling. Small payloads (typed IDs, a request reference), so events stay inline in the kernel's
/// queue.
public enum InstanceEvent: Sendable {
  /// An instance's worker finished a request's CPU time.
  case cpuDone(RequestRef, instance: InstanceID)
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
  /// The group looks again at an unhealthy instance whose grace period has ended.
  case healthReplacement(instance: InstanceID)
  /// systemd starts an exited application process again (RestartSec later).
  case processStart(instance: InstanceID)
  /// A request waiting for one of its backend's own database connections gets one.
  case appConnectionGranted(RequestRef)
}

/// The model's events of this mechanism, written as before: `.cpuDone(…)` builds
/// ``ModelEvent/instances(_:)``.
extension ModelEvent {
  @inline(__always) static func healthReplacement(instance: InstanceID) -> ModelEvent { .instances(.healthReplacement(instance: instance)) }
  @inline(__always) static func cpuDone(_ a0: RequestRef, instance: InstanceID) -> ModelEvent {
    .instances(.cpuDone(a0, instance: instance))
  }
  @inline(__always) static func instanceBooted(instance: InstanceID) -> ModelEvent { .instances(.instanceBooted(instance: instance)) }
  @inline(__always) static func targetProbe(instance: InstanceID) -> ModelEvent { .instances(.targetProbe(instance: instance)) }
  @inline(__always) static func targetProbeResult(instance: InstanceID, passed: Bool) -> ModelEvent {
    .instances(.targetProbeResult(instance: instance, passed: passed))
  }
  @inline(__always) static func drainDeadline(instance: InstanceID) -> ModelEvent { .instances(.drainDeadline(instance: instance)) }
  @inline(__always) static func scalingTick(group: GroupID) -> ModelEvent { .instances(.scalingTick(group: group)) }
  @inline(__always) static func processStart(instance: InstanceID) -> ModelEvent { .instances(.processStart(instance: instance)) }
  @inline(__always) static func appConnectionGranted(_ ref: RequestRef) -> ModelEvent { .instances(.appConnectionGranted(ref)) }
}
