/// A first-in, first-out queue over a growable ring buffer: O(1) append and pop, storage
/// reused, so a queue that fills and drains all day does not allocate.
///
/// The capacity is a power of two, so positions wrap with a mask rather than a division.
public struct RingBuffer<Element> {
  @usableFromInline var storage: ContiguousArray<Element?> = []
  @usableFromInline var head = 0
  @usableFromInline var held = 0
  /// The number of elements held.
  @inlinable public var count: Int { held }

  /// An empty queue; storage is allocated on the first append.
  @inlinable public init() {}

  /// Whether the queue holds nothing.
  @inlinable public var isEmpty: Bool { count == 0 }

  /// Adds `element` at the back.
  @inlinable public mutating func append(_ element: Element) {
    if count == storage.count { grow() }
    storage[(head &+ count) & (storage.count &- 1)] = element
    held &+= 1
  }

  /// Removes and returns the oldest element, or nil when empty.
  @inlinable public mutating func popFirst() -> Element? {
    guard count > 0 else { return nil }
    let element = storage[head]
    storage[head] = nil
    head = (head &+ 1) & (storage.count &- 1)
    held &-= 1
    return element
  }

  /// Removes every element, keeping the storage.
  @inlinable public mutating func removeAll() {
    while popFirst() != nil {}
  }

  /// The oldest element, without removing it.
  @inlinable public var first: Element? { count > 0 ? storage[head] : nil }

  /// The element `offset` places after the oldest.
  @inlinable public subscript(offset: Int) -> Element {
    get {
      precondition(offset >= 0 && offset < count, "ring buffer index out of range")
      return storage[(head &+ offset) & (storage.count &- 1)].unsafelyUnwrapped
    }
    set {
      precondition(offset >= 0 && offset < count, "ring buffer index out of range")
      storage[(head &+ offset) & (storage.count &- 1)] = newValue
    }
  }

  /// Doubles the storage, oldest element first. Inlinable so that it is specialised for the
  /// element type: an unspecialised copy looked up the array's type metadata per element.
  @inlinable mutating func grow() {
    let oldCapacity = storage.count
    let newCapacity = max(16, oldCapacity * 2)
    var bigger = ContiguousArray<Element?>()
    bigger.reserveCapacity(newCapacity)
    for i in 0..<held { bigger.append(storage[(head &+ i) & (oldCapacity &- 1)]) }
    bigger.append(contentsOf: repeatElement(nil, count: newCapacity - held))
    storage = bigger
    head = 0
  }
}

extension RingBuffer: Sendable where Element: Sendable {}
