/// Timeouts that all last the same time (a load balancer's queue timeout, a client's request
/// timeout), kept in the order they were set, with one event in the simulator's queue for
/// the whole list instead of one per timeout.
///
/// Most timeouts never fire: the request they guard ends first. Scheduling each as an event
/// and cancelling it left the event queue holding tens of thousands of stale entries and
/// paid a hash-set insert and remove per request. Here the timeouts sit in a ring, in the
/// order they were set: setting one writes the slot after the last (O(1)); cancelling one
/// marks its slot dead (O(1), no hashing, no links to mend), and dead slots at the front are
/// passed over at once, so the front is always the earliest timeout still set. Memory
/// follows the span from the oldest timeout still set to the newest: the requests in flight
/// when they end in about the order they began, at most the rate times the duration.
///
/// Because every entry lasts ``duration`` and time only moves forward, deadlines rise in the
/// order entries are set, so the front is always the next to fall due. The list keeps one
/// event (its "wake") in the queue, due no later than its front. Each entry takes its
/// sequence number from the queue when it is set and its wake is queued with that number, so
/// a timeout fires at exactly the place among events at the same instant that an event
/// scheduled when it was set would have: runs are the same, event for event. When the front
/// is cancelled its wake stays queued; when it fires it finds nothing due and queues the wake
/// of the new front (whose deadline is not earlier), one comparison.
///
/// The owner of the list schedules nothing itself: it calls ``set(_:wake:in:)`` and, when
/// the `wake` event it passed fires, ``fire(wake:in:)``, which returns the timed-out payload
/// (nil when the wake was for an entry cancelled since).
///
/// The ring is a ``StateArray``, written in place by the handler that owns the list: after
/// a copy of the list (or of a model holding it), call ``makeUnique()`` before the next
/// ``set(_:wake:in:)``, ``cancel(_:)`` or ``fire(wake:in:)``, as a model does in its
/// ``EventHandler/prepareForEvents()``.
public struct TimeoutList<Payload> {
  @usableFromInline struct Entry {
    @usableFromInline var deadline: SimTime
    @usableFromInline var sequence: UInt64
    @usableFromInline var payload: Payload
    /// Still set: false once it fired or was cancelled.
    @usableFromInline var live: Bool

    @inlinable init(deadline: SimTime, sequence: UInt64, payload: Payload) {
      self.deadline = deadline
      self.sequence = sequence
      self.payload = payload
      self.live = true
    }
  }

  /// The ring: entry number `n` (counted from the first ever set) lives at `n & mask`.
  /// Slots outside `front..<end` hold dead entries (copies kept to fill the ring).
  @usableFromInline var ring = StateArray<Entry>()
  @usableFromInline var mask = -1
  /// Number of the front entry (the earliest still set, when any is) and one past the last.
  @usableFromInline var front = 0
  @usableFromInline var end = 0
  @usableFromInline var held = 0
  /// The sequence of the wake queued for this list, if one is (the front's, or a cancelled
  /// former front's).
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

  /// Gives the list a ring of its own if a copy shares it (see ``StateArray``).
  @inlinable public mutating func makeUnique() { ring.makeUnique() }

  /// Sets a timeout for `payload`, due `duration` from now.
  ///
  /// - Parameters:
  ///   - wake: the event that tells the owner to call ``fire(wake:in:)``; the list queues
  ///     it for its front.
  /// - Returns: the handle that ``cancel(_:)`` takes.
  @inlinable @inline(__always)
  public mutating func set<Kind>(_ payload: Payload, wake: Kind, in sim: inout Simulator<Kind>) -> TimeoutHandle {
    let sequence = sim.queue.reserveSequence()
    let deadline = sim.now + duration
    let entry = Entry(deadline: deadline, sequence: sequence, payload: payload)
    if end &- front == ring.count { grow(filling: entry) }
    let number = end
    ring[number & mask] = entry
    end &+= 1
    held &+= 1
    if wakeSequence == nil {
      wakeSequence = sequence
      sim.queue.schedule(wake, at: deadline, sequence: sequence)
    }
    return TimeoutHandle(number: number)
  }

  /// Doubles the ring, keeping the entries from the front on at their numbers; free slots
  /// get dead copies of `entry`.
  @usableFromInline mutating func grow(filling entry: Entry) {
    let capacity = Swift.max(16, ring.count * 2)
    var dead = entry
    dead.live = false
    var larger = StateArray<Entry>(repeating: dead, count: capacity)
    for number in front..<end { larger[number & (capacity - 1)] = ring[number & mask] }
    ring = larger
    mask = capacity - 1
  }

  /// Cancels a timeout so that it never fires. Cancelling one that already fired, was
  /// cancelled before, or is ``TimeoutHandle/none`` does nothing.
  ///
  /// - Complexity: O(1), amortised.
  @inlinable @inline(__always)
  public mutating func cancel(_ handle: TimeoutHandle) {
    guard isSet(handle) else { return }
    remove(handle.number)
  }

  /// Whether the timeout behind `handle` is still to fire.
  @inlinable
  public func isSet(_ handle: TimeoutHandle) -> Bool {
    // An entry before the front has fired or been cancelled, and its slot may hold a later
    // entry by now: only numbers from the front on are looked up.
    handle.number >= front && handle.number < end && ring[handle.number & mask].live
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
    if front < end, case let head = ring[front & mask], head.sequence == fired {
      precondition(head.deadline == sim.now, "a timeout list woke at \(sim.now) for an entry due at \(head.deadline)")
      due = head.payload
      remove(front)
    }
    if front < end {
      let head = ring[front & mask]
      wakeSequence = head.sequence
      sim.queue.schedule(wake, at: head.deadline, sequence: head.sequence)
    }
    return due
  }

  /// Marks entry `number` dead and moves the front past the dead entries it leads.
  @inlinable @inline(__always) mutating func remove(_ number: Int) {
    ring[number & mask].live = false
    held &-= 1
    while front < end && !ring[front & mask].live { front &+= 1 }
  }
}

extension TimeoutList: Sendable where Payload: Sendable {}
extension TimeoutList.Entry: Sendable where Payload: Sendable {}

/// Names one timeout of a ``TimeoutList``, so that it can be cancelled.
public struct TimeoutHandle: Hashable, Sendable {
  /// The timeout's number in its list (counted from the first ever set); -1 for none.
  @usableFromInline var number: Int

  @inlinable init(number: Int) { self.number = number }

  /// No timeout: cancelling it does nothing, and it is never set.
  @inlinable public static var none: TimeoutHandle { TimeoutHandle(number: -1) }
}

extension Optional {
  /// Cancels `handle` in the list, when there is a list: the same as `list?.cancel(handle)`,
  /// which, on a list inside an array element, the compiler compiles to a call of the array's
  /// out-of-line element accessor; this mutates the element in place.
  @inlinable @inline(__always)
  public mutating func cancel<Payload>(_ handle: TimeoutHandle) where Wrapped == TimeoutList<Payload> {
    guard self != nil else { return }
    self!.cancel(handle)
  }
}
