/// What happens at the load balancers: queue and target timeouts, refusals. Small payloads (typed
/// IDs, a request reference), so events stay inline in the kernel's queue.
public enum LoadBalancerEvent: Sendable {
  /// A load balancer's queue-timeout list falls due: its oldest queued request has waited
  /// for the queue timeout.
  case queueTimeout(LoadBalancerID)
  /// A load balancer's target-timeout list falls due: it stops waiting for a target's
  /// answer (504).
  case targetTimeout(LoadBalancerID)
  /// A load balancer answers 502 for a target that refused or dropped the request.
  case refused(RequestRef)
}

/// The model's events of this mechanism, written as before: `.queueTimeout(…)` builds
/// ``ModelEvent/loadBalancer(_:)``.
extension ModelEvent {
  @inline(__always) static func queueTimeout(_ lb: LoadBalancerID) -> ModelEvent { .loadBalancer(.queueTimeout(lb)) }
  @inline(__always) static func targetTimeout(_ lb: LoadBalancerID) -> ModelEvent { .loadBalancer(.targetTimeout(lb)) }
  @inline(__always) static func refused(_ a0: RequestRef) -> ModelEvent { .loadBalancer(.refused(a0)) }
}
