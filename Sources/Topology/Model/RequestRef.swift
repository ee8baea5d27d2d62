/// A request in flight: its slot in the request slab and the slot's generation, so an
/// event that outlives its request (a timeout for a request already answered) is
/// recognised as stale when the slot has been reused.
public struct RequestRef: Hashable, Sendable {
  public var index: Int32
  public var generation: UInt32

  @inlinable public init(index: Int32, generation: UInt32) {
    self.index = index
    self.generation = generation
  }
}

/// How a request attempt ended, from the client's side. Every attempt ends in exactly one.
public enum Outcome: Int, CaseIterable, Sendable, Hashable {
  case success
  /// The client's cached address was dead: it waited out its connect timeout.
  case connectTimeout
  /// The client stopped waiting (its own timeout).
  case clientTimeout
  /// 503 from a load balancer: the queue was at its limit, or there was no queue.
  case queueFull
  /// 503 from a load balancer: the request waited in the queue past the queue timeout.
  case queueTimeout
  /// 503 from a load balancer with no registered target.
  case noTarget
  /// 502 from a load balancer: the target refused or dropped the connection.
  case targetRefused
  /// 504 from a load balancer: the target did not answer within the target timeout.
  case gatewayTimeout
  /// The load balancer itself answered with an error.
  case loadBalancerError
  /// 500 from an instance.
  case applicationError
  /// The data tier failed the call.
  case dataTierError

  /// A stable name for reports and JSON.
  public var name: String {
    switch self {
    case .success: return "success"
    case .connectTimeout: return "connect_timeout"
    case .clientTimeout: return "client_timeout"
    case .queueFull: return "lb_queue_full"
    case .queueTimeout: return "lb_queue_timeout"
    case .noTarget: return "lb_no_target"
    case .targetRefused: return "lb_target_refused"
    case .gatewayTimeout: return "lb_gateway_timeout"
    case .loadBalancerError: return "lb_error"
    case .applicationError: return "app_error"
    case .dataTierError: return "data_tier_error"
    }
  }
}
