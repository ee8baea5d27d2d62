/// What happens at the load balancers: queue and target timeouts, refusals. Small payloads (typed
/// IDs, a request reference), so events stay inline in the kernel's queue.
public enum LoadBalancerEvent: Sendable {
  /// A request has waited in a load balancer's queue for the queue timeout.
  case queueTimeout(RequestRef, loadBalancer: LoadBalancerID)
  /// A load balancer stops waiting for a target's answer (504).
  case targetTimeout(RequestRef, loadBalancer: LoadBalancerID)
  /// A load balancer answers 502 for a target that refused or dropped the request.
  case refused(RequestRef)
}

/// The model's events of this mechanism, written as before: `.queueTimeout(…)` builds
/// ``ModelEvent/loadBalancer(_:)``.
extension ModelEvent {
  @inline(__always) static func queueTimeout(_ a0: RequestRef, loadBalancer: LoadBalancerID) -> ModelEvent {
    .loadBalancer(.queueTimeout(a0, loadBalancer: loadBalancer))
  }
  @inline(__always) static func targetTimeout(_ a0: RequestRef, loadBalancer: LoadBalancerID) -> ModelEvent {
    .loadBalancer(.targetTimeout(a0, loadBalancer: loadBalancer))
  }
  @inline(__always) static func refused(_ a0: RequestRef) -> ModelEvent { .loadBalancer(.refused(a0)) }
}
