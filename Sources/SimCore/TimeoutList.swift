/// Timeouts that all last the same time (a load balancer's queue timeout, a client's request
/// timeout), kept in the order they were set, with one event in the simulator's queue for
/// the whole list instead of one per timeout.
///
/// Most timeouts never fire: the request they guard ends first. Scheduling each as an event
/// and cancelling it left the event queue holding tens of thousands of stale entries and
/// paid a hash-set insert and remove per request. Here a timeout is an entry in a ring
/// buffer; cancelling clears its flag (O(1), no hashing); the list keeps one event in the
/// queue, for its oldest entry, and drops cleared entries when it moves on.
///
/// Because every entry lasts ``duration`` and time only moves forward, deadlines rise in the
/// order entries are set, so the oldest entry is always the next to fall due. Each entry
/// takes its sequence number from the queue when it is set and its event is queued with
/// that number, so a timeout fires at exactly the place among events at the same instant
/// that an event scheduled when it was set would have: runs are the same, event for event.
///
/// The owner of the list schedules nothing itself: it calls ``set(_:wake:in:)`` and, when
/// the `wake` event it passed fires, ``fire(wake:in:)``, which returns the timed-out payload
/// (nil when that entry was cancelled after its event was queued).
public struct TimeoutList<Payload> {
  @usableFromInline struct Entry {
    @usableFromInline var deadline: SimTime
    @usableFromInline var sequence: UInt64
    @usableFromInline var payload: Payload
    @usableFromInline var isSet: Bool

    @inlinable init(deadline: SimTime, sequence: UInt64, payload: Payload) {
      self.deadline = deadline
      self.sequence = sequence
      self.payload = payload
      isSet = true
    }
  }

  @usableFromInline var entries = RingBuffer<Entry>()
  /// The position (counted from the list's creation) of `entries.first`.
  @usableFromInline var firstPosition: UInt64 = 0
  /// How long every timeout in this list lasts.
  public let duration: SimDuration

  /// An empty list of timeouts that each last `duration`.
  ///
  /// - Precondition: `duration` is not negative.
  public init(duration: SimDuration) {
    precondition(duration >= .zero, "a timeout cannot be negative (\(duration))")
    self.duration = duration
  }

  /// Entries held: timeouts still set, and cancelled ones not yet passed by the list.
  @inlinable public var count: Int { entries.count }

  /// Sets a timeout for `payload`, due `duration` from now.
  ///
  /// - Parameters:
  ///   - wake: the event that tells the owner to call ``fire(wake:in:)``; the list queues
  ///     it for its oldest entry.
  /// - Returns: the handle that ``cancel(_:)`` takes.
  @inlinable
  public mutating func set<Kind>(_ payload: Payload, wake: Kind, in sim: inout Simulator<Kind>) -> TimeoutHandle {
    let sequence = sim.queue.reserveSequence()
    let deadline = sim.now + duration
    let wasEmpty = entries.isEmpty
    entries.append(Entry(deadline: deadline, sequence: sequence, payload: payload))
    if wasEmpty { sim.queue.schedule(wake, at: deadline, sequence: sequence) }
    return TimeoutHandle(position: firstPosition &+ UInt64(entries.count &- 1))
  }

  /// Cancels a timeout so that it never fires. Cancelling one that already fired, was
  /// cancelled before, or is ``TimeoutHandle/none`` does nothing.
  ///
  /// - Complexity: O(1).
  @inlinable
  public mutating func cancel(_ handle: TimeoutHandle) {
    let offset = handle.position &- firstPosition  // wraps to a huge value for one already passed
    guard offset < UInt64(entries.count) else { return }
    entries[Int(offset)].isSet = false
  }

  /// Whether the timeout behind `handle` is still to fire.
  @inlinable
  public func isSet(_ handle: TimeoutHandle) -> Bool {
    let offset = handle.position &- firstPosition
    return offset < UInt64(entries.count) && entries[Int(offset)].isSet
  }

  /// The list's `wake` event fired: takes the timeout due now and queues `wake` for the
  /// next one still set.
  ///
  /// - Returns: the payload of the timeout that fell due, or nil if it was cancelled after
  ///   its event was queued.
  @inlinable
  public mutating func fire<Kind>(wake: Kind, in sim: inout Simulator<Kind>) -> Payload? {
    guard let due = entries.popFirst() else { return nil }
    firstPosition &+= 1
    precondition(due.deadline == sim.now, "a timeout list woke at \(sim.now) for an entry due at \(due.deadline)")
    while let next = entries.first, !next.isSet {
      _ = entries.popFirst()
      firstPosition &+= 1
    }
    if let next = entries.first { sim.queue.schedule(wake, at: next.deadline, sequence: next.sequence) }
    return due.isSet ? due.payload : nil
  }
}

extension TimeoutList: Sendable where Payload: Sendable {}
extension TimeoutList.Entry: Sendable where Payload: Sendable {}

/// Names one timeout of a ``TimeoutList``, so that it can be cancelled.
public struct TimeoutHandle: Hashable, Sendable {
  /// The entry's position in its list, counted from the list's creation.
  @usableFromInline var position: UInt64

  @inlinable init(position: UInt64) { self.position = position }

  /// No timeout: cancelling it does nothing, and it is never set.
  public static let none = TimeoutHandle(position: .max)
}
