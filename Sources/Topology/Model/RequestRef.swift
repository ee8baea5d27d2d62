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

/// A first-in, first-out queue over a growable ring buffer: O(1) push and pop, storage
/// reused, so a queue that fills and drains all day does not allocate.
struct RingBuffer<Element> {
  private var storage: ContiguousArray<Element?> = []
  private var head = 0
  private(set) var count = 0

  var isEmpty: Bool { count == 0 }

  mutating func append(_ element: Element) {
    if count == storage.count { grow() }
    storage[(head + count) % storage.count] = element
    count += 1
  }

  mutating func popFirst() -> Element? {
    guard count > 0 else { return nil }
    let element = storage[head]
    storage[head] = nil
    head = (head + 1) % storage.count
    count -= 1
    return element
  }

  mutating func removeAll() {
    while popFirst() != nil {}
  }

  /// The oldest element, without removing it.
  var first: Element? { count > 0 ? storage[head] : nil }

  /// The element `offset` places after the oldest.
  subscript(offset: Int) -> Element {
    get {
      precondition(offset >= 0 && offset < count, "ring buffer index out of range")
      return storage[(head + offset) % storage.count]!
    }
    set {
      precondition(offset >= 0 && offset < count, "ring buffer index out of range")
      storage[(head + offset) % storage.count] = newValue
    }
  }

  private mutating func grow() {
    var bigger = ContiguousArray<Element?>(repeating: nil, count: max(16, storage.count * 2))
    for i in 0..<count { bigger[i] = storage[(head + i) % storage.count] }
    storage = bigger
    head = 0
  }
}
