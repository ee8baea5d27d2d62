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

  /// The entries, oldest at `head`, in a ring whose capacity is a power of two. Not a
  /// ``RingBuffer``: its slots are optionals, and a timeout is set and cleared for every
  /// request, so the plain slots and the mask here are worth their few lines.
  @usableFromInline var ring: ContiguousArray<Entry> = []
  @usableFromInline var head = 0
  @usableFromInline var held = 0
  /// The position (counted from the list's creation) of the entry at `head`.
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
  @inlinable public var count: Int { held }

  /// Sets a timeout for `payload`, due `duration` from now.
  ///
  /// - Parameters:
  ///   - wake: the event that tells the owner to call ``fire(wake:in:)``; the list queues
  ///     it for its oldest entry.
  /// - Returns: the handle that ``cancel(_:)`` takes.
  @inlinable
  public mutating func set<Kind>(_ payload: Payload, wake: Kind, in sim: inout Simulator<Kind>) -> TimeoutHandle {
    let sequence = sim.queue.reserveSequence()
    let entry = Entry(deadline: sim.now + duration, sequence: sequence, payload: payload)
    if held == ring.count { grow(with: entry) }
    ring.withUnsafeMutableBufferPointer { $0[(head &+ held) & ($0.count &- 1)] = entry }
    held &+= 1
    if held == 1 { sim.queue.schedule(wake, at: entry.deadline, sequence: sequence) }
    return TimeoutHandle(position: firstPosition &+ UInt64(held &- 1))
  }

  /// Cancels a timeout so that it never fires. Cancelling one that already fired, was
  /// cancelled before, or is ``TimeoutHandle/none`` does nothing.
  ///
  /// - Complexity: O(1).
  @inlinable
  public mutating func cancel(_ handle: TimeoutHandle) {
    let offset = handle.position &- firstPosition  // wraps to a huge value for one already passed
    guard offset < UInt64(held) else { return }
    ring.withUnsafeMutableBufferPointer { $0[(head &+ Int(offset)) & ($0.count &- 1)].isSet = false }
  }

  /// Whether the timeout behind `handle` is still to fire.
  @inlinable
  public func isSet(_ handle: TimeoutHandle) -> Bool {
    let offset = handle.position &- firstPosition
    return offset < UInt64(held) && ring[(head &+ Int(offset)) & (ring.count &- 1)].isSet
  }

  /// The list's `wake` event fired: takes the timeout due now and queues `wake` for the
  /// next one still set.
  ///
  /// - Returns: the payload of the timeout that fell due, or nil if it was cancelled after
  ///   its event was queued.
  @inlinable
  public mutating func fire<Kind>(wake: Kind, in sim: inout Simulator<Kind>) -> Payload? {
    guard held > 0 else { return nil }
    let due = ring[head]
    precondition(due.deadline == sim.now, "a timeout list woke at \(sim.now) for an entry due at \(due.deadline)")
    dropFirst()
    while held > 0, !ring[head].isSet { dropFirst() }
    if held > 0 { sim.queue.schedule(wake, at: ring[head].deadline, sequence: ring[head].sequence) }
    return due.isSet ? due.payload : nil
  }

  @inlinable mutating func dropFirst() {
    head = (head &+ 1) & (ring.count &- 1)
    held &-= 1
    firstPosition &+= 1
  }

  /// Doubles the ring, oldest entry first; free slots hold copies of `filler`.
  @inlinable mutating func grow(with filler: Entry) {
    let capacity = ring.count
    var bigger = ContiguousArray<Entry>()
    bigger.reserveCapacity(max(16, capacity * 2))
    for i in 0..<held { bigger.append(ring[(head &+ i) & (capacity &- 1)]) }
    while bigger.count < max(16, capacity * 2) { bigger.append(filler) }
    ring = bigger
    head = 0
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
