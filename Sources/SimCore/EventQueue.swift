/// The pending events of a simulation, earliest first; equal times in scheduling order.
///
/// A binary min-heap over contiguous storage, ordered by `(time, sequence)`. Each event
/// gets the next sequence number when scheduled, so events at the same instant pop in
/// the order they were scheduled (FIFO), which makes runs deterministic.
///
/// Because nothing may be scheduled before the last popped event, popped keys rise
/// strictly. Cancellation uses that: a token whose key is not above the last popped key
/// has already fired (``cancel(_:)`` says so), and a pending one is remembered in a small
/// set and dropped when it reaches the top. When nothing is cancelled, a pop pays one
/// `isEmpty` check for this.
public struct EventQueue<Kind> {
  @usableFromInline var heap: ContiguousArray<Event<Kind>>
  @usableFromInline var nextSequence: UInt64 = 0
  @usableFromInline var cancelled: Set<UInt64> = []
  /// Time of the last popped event (the simulation's "now").
  @usableFromInline var lastPoppedTime: SimTime = .zero
  @usableFromInline var lastPoppedSequence: UInt64? = nil
  /// Events with a lower sequence number were removed by ``removeAll()``.
  @usableFromInline var firstLiveSequence: UInt64 = 0

  /// An empty queue with room for `capacity` events before it reallocates.
  public init(capacity: Int = 0) {
    heap = []
    heap.reserveCapacity(capacity)
  }

  /// The number of events still to fire (cancelled ones excluded).
  @inlinable public var count: Int { heap.count - cancelled.count }
  /// Whether no event is still to fire.
  @inlinable public var isEmpty: Bool { count == 0 }
  /// The time of the last popped event; nothing may be scheduled before it.
  @inlinable public var now: SimTime { lastPoppedTime }

  /// Schedules `kind` to happen at `time`.
  ///
  /// - Precondition: `time` is not before the last popped event.
  /// - Returns: a token that ``cancel(_:)`` accepts.
  /// - Complexity: O(log n).
  @inlinable @discardableResult
  public mutating func schedule(_ kind: Kind, at time: SimTime) -> EventToken {
    precondition(time >= lastPoppedTime, "event scheduled at \(time), before now (\(lastPoppedTime))")
    let event = Event(time: time, sequence: nextSequence, kind: kind)
    nextSequence &+= 1
    heap.append(event)
    siftUp(from: heap.count - 1)
    return event.token
  }

  /// The next event to fire, without removing it.
  ///
  /// - Complexity: O(1) unless cancelled events sit at the top, which it then discards.
  @inlinable public mutating func peekMin() -> Event<Kind>? {
    if !cancelled.isEmpty { discardCancelledTop() }
    return heap.first
  }

  /// Removes and returns the earliest event, or nil when none is pending.
  ///
  /// - Complexity: O(log n).
  @inlinable public mutating func popMin() -> Event<Kind>? {
    if !cancelled.isEmpty { discardCancelledTop() }
    guard let top = removeTop() else { return nil }
    lastPoppedTime = top.time
    lastPoppedSequence = top.sequence
    return top
  }

  /// Cancels a pending event.
  ///
  /// - Returns: true if the event was pending and will now never fire; false if it had
  ///   already fired or was already cancelled.
  /// - Complexity: O(1) amortised; the event's slot is reclaimed when it reaches the top.
  @discardableResult
  public mutating func cancel(_ token: EventToken) -> Bool {
    if token.sequence >= nextSequence || token.sequence < firstLiveSequence { return false }
    if let lastSequence = lastPoppedSequence {
      let fired =
        token.time < lastPoppedTime || (token.time == lastPoppedTime && token.sequence <= lastSequence)
      if fired { return false }
    }
    return cancelled.insert(token.sequence).inserted
  }

  /// Removes every pending event.
  public mutating func removeAll() {
    heap.removeAll(keepingCapacity: true)
    cancelled.removeAll()
    firstLiveSequence = nextSequence
  }

  @inlinable mutating func discardCancelledTop() {
    while let top = heap.first, cancelled.remove(top.sequence) != nil {
      _ = removeTop()
    }
  }

  @inlinable mutating func removeTop() -> Event<Kind>? {
    guard let last = heap.popLast() else { return nil }
    if heap.isEmpty { return last }
    let top = heap[0]
    siftDown(placing: last)
    return top
  }

  /// Moves the hole at `index` up until the event there is in heap order.
  @inlinable mutating func siftUp(from index: Int) {
    heap.withUnsafeMutableBufferPointer { buffer in
      let moving = buffer[index]
      var hole = index
      while hole > 0 {
        let parent = (hole - 1) >> 1
        if !moving.precedes(buffer[parent]) { break }
        buffer[hole] = buffer[parent]
        hole = parent
      }
      buffer[hole] = moving
    }
  }

  /// Puts `moving` into the hole at the root and sinks it to its place.
  @inlinable mutating func siftDown(placing moving: Event<Kind>) {
    heap.withUnsafeMutableBufferPointer { buffer in
      let count = buffer.count
      var hole = 0
      while true {
        var child = 2 &* hole &+ 1
        if child >= count { break }
        let right = child &+ 1
        if right < count && buffer[right].precedes(buffer[child]) { child = right }
        if !buffer[child].precedes(moving) { break }
        buffer[hole] = buffer[child]
        hole = child
      }
      buffer[hole] = moving
    }
  }
}

extension EventQueue: Sendable where Kind: Sendable {}
