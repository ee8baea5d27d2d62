/// Timeouts that all last the same time (a load balancer's queue timeout, a client's request
/// timeout), kept in the order they were set, with one event in the simulator's queue for
/// the whole list instead of one per timeout.
///
/// Most timeouts never fire: the request they guard ends first. Scheduling each as an event
/// and cancelling it left the event queue holding tens of thousands of stale entries and
/// paid a hash-set insert and remove per request. Here a timeout is a node of a doubly
/// linked list in a slab: setting one links it at the tail, cancelling unlinks it and frees
/// its slot (O(1), no hashing), so memory follows the timeouts still set (the requests in
/// flight), not the rate times the timeout.
///
/// Because every entry lasts ``duration`` and time only moves forward, deadlines rise in the
/// order entries are set, so the head is always the next to fall due. The list keeps one
/// event (its "wake") in the queue, due no later than its head. Each entry takes its
/// sequence number from the queue when it is set and its wake is queued with that number, so
/// a timeout fires at exactly the place among events at the same instant that an event
/// scheduled when it was set would have: runs are the same, event for event. When the head
/// is cancelled its wake stays queued; when it fires it finds nothing due and queues the wake
/// of the new head (whose deadline is not earlier), one comparison.
///
/// The owner of the list schedules nothing itself: it calls ``set(_:wake:in:)`` and, when
/// the `wake` event it passed fires, ``fire(wake:in:)``, which returns the timed-out payload
/// (nil when the wake was for an entry cancelled since).
public struct TimeoutList<Payload> {
  @usableFromInline struct Node {
    @usableFromInline var deadline: SimTime
    @usableFromInline var sequence: UInt64
    @usableFromInline var payload: Payload
    @usableFromInline var previous: Int32
    @usableFromInline var next: Int32
    /// Moves on when the slot is freed, so an old handle to it no longer matches.
    @usableFromInline var generation: UInt32

    @inlinable init(deadline: SimTime, sequence: UInt64, payload: Payload, previous: Int32, generation: UInt32) {
      self.deadline = deadline
      self.sequence = sequence
      self.payload = payload
      self.previous = previous
      self.next = -1
      self.generation = generation
    }
  }

  @usableFromInline var nodes: ContiguousArray<Node> = []
  @usableFromInline var free: ContiguousArray<Int32> = []
  @usableFromInline var head: Int32 = -1
  @usableFromInline var tail: Int32 = -1
  @usableFromInline var held = 0
  /// The sequence of the wake queued for this list, if one is (the head's, or a cancelled
  /// former head's).
  @usableFromInline var wakeSequence: UInt64? = nil
  /// How long every timeout in this list lasts.
  public let duration: SimDuration

  /// An empty list of timeouts that each last `duration`.
  ///
  /// - Precondition: `duration` is not negative.
  public init(duration: SimDuration) {
    precondition(duration >= .zero, "a timeout cannot be negative (\(duration))")
    self.duration = duration
  }

  /// Timeouts still set.
  @inlinable public var count: Int { held }

  /// Sets a timeout for `payload`, due `duration` from now.
  ///
  /// - Parameters:
  ///   - wake: the event that tells the owner to call ``fire(wake:in:)``; the list queues
  ///     it for its head.
  /// - Returns: the handle that ``cancel(_:)`` takes.
  @inlinable
  public mutating func set<Kind>(_ payload: Payload, wake: Kind, in sim: inout Simulator<Kind>) -> TimeoutHandle {
    let sequence = sim.queue.reserveSequence()
    let deadline = sim.now + duration
    let slot: Int32
    if let reused = free.popLast() {
      slot = reused
      nodes[Int(slot)] = Node(
        deadline: deadline, sequence: sequence, payload: payload, previous: tail, generation: nodes[Int(slot)].generation)
    } else {
      slot = Int32(nodes.count)
      nodes.append(Node(deadline: deadline, sequence: sequence, payload: payload, previous: tail, generation: 0))
    }
    if tail >= 0 { nodes[Int(tail)].next = slot } else { head = slot }
    tail = slot
    held &+= 1
    if wakeSequence == nil {
      wakeSequence = sequence
      sim.queue.schedule(wake, at: deadline, sequence: sequence)
    }
    return TimeoutHandle(slot: slot, generation: nodes[Int(slot)].generation)
  }

  /// Cancels a timeout so that it never fires. Cancelling one that already fired, was
  /// cancelled before, or is ``TimeoutHandle/none`` does nothing.
  ///
  /// - Complexity: O(1).
  @inlinable
  public mutating func cancel(_ handle: TimeoutHandle) {
    guard isSet(handle) else { return }
    unlink(handle.slot)
  }

  /// Whether the timeout behind `handle` is still to fire.
  @inlinable
  public func isSet(_ handle: TimeoutHandle) -> Bool {
    // Freeing a slot moves its generation on, so a handle to a fired or cancelled timeout no
    // longer matches, even once the slot is reused.
    handle.slot >= 0 && Int(handle.slot) < nodes.count && nodes[Int(handle.slot)].generation == handle.generation
  }

  /// The list's `wake` event fired: takes the timeout due now, if the wake was its own,
  /// and queues the wake of the next one.
  ///
  /// - Returns: the payload of the timeout that fell due, or nil if the wake was for an
  ///   entry cancelled since.
  @inlinable
  public mutating func fire<Kind>(wake: Kind, in sim: inout Simulator<Kind>) -> Payload? {
    let fired = wakeSequence
    wakeSequence = nil
    var due: Payload?
    if head >= 0 && nodes[Int(head)].sequence == fired {
      precondition(
        nodes[Int(head)].deadline == sim.now, "a timeout list woke at \(sim.now) for an entry due at \(nodes[Int(head)].deadline)")
      due = nodes[Int(head)].payload
      unlink(head)
    }
    if head >= 0 {
      wakeSequence = nodes[Int(head)].sequence
      sim.queue.schedule(wake, at: nodes[Int(head)].deadline, sequence: nodes[Int(head)].sequence)
    }
    return due
  }

  /// Takes a node out of the list and frees its slot (its generation moves on).
  @inlinable mutating func unlink(_ slot: Int32) {
    let node = nodes[Int(slot)]
    if node.previous >= 0 { nodes[Int(node.previous)].next = node.next } else { head = node.next }
    if node.next >= 0 { nodes[Int(node.next)].previous = node.previous } else { tail = node.previous }
    nodes[Int(slot)].generation &+= 1
    free.append(slot)
    held &-= 1
  }
}

extension TimeoutList: Sendable where Payload: Sendable {}
extension TimeoutList.Node: Sendable where Payload: Sendable {}

/// Names one timeout of a ``TimeoutList``, so that it can be cancelled.
public struct TimeoutHandle: Hashable, Sendable {
  /// The timeout's slot in its list, and the slot's generation when it was set.
  @usableFromInline var slot: Int32
  @usableFromInline var generation: UInt32

  @inlinable init(slot: Int32, generation: UInt32) {
    self.slot = slot
    self.generation = generation
  }

  /// No timeout: cancelling it does nothing, and it is never set.
  public static let none = TimeoutHandle(slot: -1, generation: 0)
}
