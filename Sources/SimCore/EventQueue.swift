/// The pending events of a simulation, earliest first; equal times in scheduling order.
///
/// Optionally two heaps: given a near horizon, events due within it of the last one popped go
/// to the *near* heap, later ones (periodic probes, scaling ticks, timeouts of seconds or
/// minutes) to the *far* heap, and a pop takes the earlier of the two roots. In a model of a
/// deployment most pending events are such timers (in the standard case about 50 of 65), while
/// most events that fire are a request's next step, due within milliseconds: kept apart, those
/// sink through a heap of a dozen events instead of one of sixty-odd (the heaps' instructions
/// fell by a fifth; ten simulated minutes of the standard case ran 4 to 9% faster, an hour or
/// two within this machine's noise). Which heap holds an event changes nothing in the order:
/// every pop compares both roots by `(time, sequence)`. Without a horizon every event is near:
/// where delays are alike (the hold model's exponential ones), a second heap only costs its far
/// pops, which refill their root at once rather than leave it for the next push.
///
/// Each heap (``EventHeap``) is 4-ary over contiguous storage, the choice of a node's earliest
/// child made by arithmetic, not branches, and a pop leaves the root empty for the next push
/// to fill; see there. Each event gets the next sequence number when scheduled, so events at
/// the same instant pop in the order they were scheduled (FIFO), which makes runs deterministic.
///
/// There is no cancellation here, by design: a global set of cancelled events cost a hash
/// insert and remove per cancelled event and left stale entries to sift off the top.
/// A model instead checks, when an event fires, whether it still applies (a request's
/// generation, a component's epoch: one comparison), and keeps timeouts of one duration in
/// a ``TimeoutList``, which holds one event in this queue for the whole list.
///
/// The heaps are ``StateArray``s. Used on its own the queue is a plain value: every push and
/// pop first makes the heaps its own. Inside ``Simulator/run(until:handler:stopWhen:)``,
/// which makes them unique once before its first event, pushes and pops skip that check
/// (``writesInPlace``): nothing can copy the queue while the loop holds it.
public struct EventQueue<Kind> {
  /// Events due within ``nearHorizon`` of the last pop when scheduled, and the rest.
  @usableFromInline var near: EventHeap<Kind>
  @usableFromInline var far: EventHeap<Kind>
  /// The far heap's earliest time and sequence (both at their largest when it is empty), kept
  /// as plain fields: a pop compares the near root with them, not with the far heap's storage.
  @usableFromInline var farFirstTime = SimTime.distantFuture
  @usableFromInline var farFirstSequence = UInt64.max
  /// How far ahead, in nanoseconds, an event may be due and still go to the near heap.
  @usableFromInline let nearHorizon: Int64
  @usableFromInline var nextSequence: UInt64 = 0
  /// Time and sequence of the last popped event (the simulation's "now").
  @usableFromInline var lastPoppedTime: SimTime = .zero
  @usableFromInline var lastPoppedSequence: UInt64 = 0
  @usableFromInline var hasPopped = false
  /// Set by the simulator's run loop after ``makeUnique()``, cleared when it returns: while
  /// set, pushes and pops write the heaps without checking that no copy shares them.
  @usableFromInline var writesInPlace = false

  /// An empty queue with room for `capacity` events before it reallocates; with a
  /// `nearHorizon`, events due more than that after the last pop are kept in a heap of their
  /// own (see above).
  public init(capacity: Int = 0, nearHorizon: SimDuration? = nil) {
    precondition((nearHorizon ?? .zero) >= .zero, "the near horizon cannot be negative (\(nearHorizon ?? .zero))")
    near = EventHeap(capacity: capacity)
    far = EventHeap(capacity: 0)
    self.nearHorizon = nearHorizon?.nanoseconds ?? .max
  }

  /// Gives the heaps storage of their own if a copy of the queue shares it.
  @inlinable public mutating func makeUnique() {
    near.storage.makeUnique()
    far.storage.makeUnique()
  }

  /// The number of events still to fire.
  @inlinable public var count: Int { near.held &+ far.held }
  /// Whether no event is still to fire.
  @inlinable public var isEmpty: Bool { near.held == 0 && far.held == 0 }
  /// The time of the last popped event; nothing may be scheduled before it.
  @inlinable public var now: SimTime { lastPoppedTime }

  /// Schedules `kind` to happen at `time`.
  ///
  /// - Precondition: `time` is not before the last popped event.
  /// - Complexity: O(log n).
  @inlinable
  public mutating func schedule(_ kind: Kind, at time: SimTime) {
    precondition(time >= lastPoppedTime, "event scheduled at \(time), before now (\(lastPoppedTime))")
    let sequence = nextSequence
    nextSequence &+= 1
    push(Event(time: time, sequence: sequence, kind: kind))
  }

  /// Takes the next sequence number without scheduling anything: the place, among events
  /// at one instant, of an event that will be scheduled later with
  /// ``schedule(_:at:sequence:)`` (a ``TimeoutList`` entry's event).
  @inlinable public mutating func reserveSequence() -> UInt64 {
    defer { nextSequence &+= 1 }
    return nextSequence
  }

  /// Schedules `kind` at `time` with a sequence number taken earlier by
  /// ``reserveSequence()``, so it fires exactly where an event scheduled then would have.
  ///
  /// - Precondition: `(time, sequence)` comes after the last popped event.
  @inlinable
  public mutating func schedule(_ kind: Kind, at time: SimTime, sequence: UInt64) {
    precondition(
      !hasPopped || time > lastPoppedTime || (time == lastPoppedTime && sequence > lastPoppedSequence),
      "event scheduled at \(time) #\(sequence), not after the last one fired (\(lastPoppedTime) #\(lastPoppedSequence))")
    precondition(sequence < nextSequence, "sequence \(sequence) was not reserved")
    push(Event(time: time, sequence: sequence, kind: kind))
  }

  /// The time of the next event to fire, without removing it.
  ///
  /// - Complexity: O(log n) after a pop (the root is filled), else O(1).
  @inlinable public var nextTime: SimTime? {
    mutating get { peekMin()?.time }
  }

  /// The next event to fire, without removing it.
  ///
  /// - Complexity: O(log n) after a pop (the root is filled), else O(1).
  @inlinable public mutating func peekMin() -> Event<Kind>? {
    if !writesInPlace { makeUnique() }
    near.fillRoot()
    if takesFar() { return far.root }
    return near.held > 0 ? near.root : nil
  }

  /// Removes and returns the earliest event, or nil when none is pending.
  ///
  /// - Complexity: O(log n).
  @inlinable public mutating func popMin() -> Event<Kind>? { popMin(notAfter: .distantFuture) }

  /// Removes and returns the earliest event if it happens at `limit` or before; nil when it
  /// is later or none is pending (``isEmpty`` tells which).
  ///
  /// - Complexity: O(log n).
  @inlinable @inline(__always) public mutating func popMin(notAfter limit: SimTime) -> Event<Kind>? {
    if !writesInPlace { makeUnique() }
    near.fillRoot()
    let top: Event<Kind>
    if takesFar() {
      top = far.root
      guard top.time <= limit else { return nil }
      far.removeRoot()
      far.fillRoot()
      noteFarFirst()
    } else {
      guard near.held > 0 else { return nil }
      top = near.root
      guard top.time <= limit else { return nil }
      near.removeRoot()
    }
    lastPoppedTime = top.time
    lastPoppedSequence = top.sequence
    hasPopped = true
    return top
  }

  /// Removes every pending event.
  public mutating func removeAll() {
    near.removeAll()
    far.removeAll()
    noteFarFirst()
  }

  /// Whether the next event is the far heap's root (the near root filled; the far root always
  /// is). Sequences are unique, so the far root comes first exactly when the near one does not;
  /// an empty far heap's key (the end of time, the largest sequence) comes after every event.
  @inlinable @inline(__always) func takesFar() -> Bool {
    guard near.held > 0 else { return far.held > 0 }
    return !near.root.precedes(time: farFirstTime, sequence: farFirstSequence)
  }

  /// Copies the far heap's root key into ``farFirstTime`` and ``farFirstSequence``.
  @inlinable mutating func noteFarFirst() {
    if far.held > 0 {
      farFirstTime = far.root.time
      farFirstSequence = far.root.sequence
    } else {
      farFirstTime = .distantFuture
      farFirstSequence = .max
    }
  }

  /// Out of line, so that ``schedule(_:at:)`` stays small enough to inline at every call site.
  @inlinable @inline(never) mutating func push(_ event: Event<Kind>) {
    if !writesInPlace { makeUnique() }
    if event.time.nanosecondsSinceStart &- lastPoppedTime.nanosecondsSinceStart > nearHorizon {
      far.push(event)
      noteFarFirst()
    } else {
      near.push(event)
    }
  }
}

/// One of an ``EventQueue``'s heaps: a 4-ary min-heap over contiguous storage, ordered by
/// `(time, sequence)`; the array never shrinks, so a push or a pop touches it once.
///
/// Which of a node's children comes first is a coin toss, so it is chosen by arithmetic, not
/// by branches (two pairs, then their winners); with branches, the mispredictions made the
/// 4-ary heap slower than a binary one, without, it is faster than both (drill-bench kernel
/// and scenario; on the binary heap, a bottom-up pop, which takes the hole to a leaf and
/// raises the last event from there, was slower). A pop leaves the root empty, and the next
/// push fills it, sinking the new event from there: most handlers schedule an event, so a pop
/// and a push cost one descent instead of a descent (of the last event, which is usually late
/// and sinks to the bottom) and a climb (when no push comes before the next pop, the last event
/// fills the root then, as in a textbook pop).
@usableFromInline
struct EventHeap<Kind> {
  /// The heap is `storage[0..<held]`; slots beyond are spare (they may hold copies of fired
  /// events), so pushing and popping change a count and touch the array once. There are
  /// always at least three spare slots: before a descent they are marked as sentinels that come
  /// after every event, so the last parent's missing children need no bounds tests.
  @usableFromInline var storage: StateArray<Event<Kind>>
  @usableFromInline var held = 0
  /// The root was popped and nothing has filled it yet: the `held` events are then in
  /// `storage[1...held]`, and the root's four children are the roots of valid heaps.
  @usableFromInline var rootIsEmpty = false

  @usableFromInline init(capacity: Int) {
    storage = StateArray(capacity: capacity)
  }

  /// The earliest event (`held` > 0, the root filled). A read: no uniqueness check of the
  /// array (which a mutable buffer would make), only its bounds.
  @inlinable var root: Event<Kind> {
    @inline(__always) get { storage[0] }
  }

  /// Takes the root out (`held` > 0, the root filled): it stays empty until the next push or
  /// ``fillRoot()``.
  @inlinable @inline(__always) mutating func removeRoot() {
    held &-= 1
    rootIsEmpty = true
  }

  @usableFromInline mutating func removeAll() {
    storage.removeAll(keepingCapacity: true)
    held = 0
    rootIsEmpty = false
  }

  @inlinable @inline(__always) mutating func push(_ event: Event<Kind>) {
    while storage.count < held &+ 4 { storage.append(event) }  // the new slot and three spare
    held &+= 1
    if rootIsEmpty {
      // The root popped last is empty: the new event sinks from there (its children are in place).
      rootIsEmpty = false
      sinkFromRoot(event, count: held)
    } else {
      siftUp(event, from: held &- 1)
    }
  }

  /// After a pop with no push since: the last event fills the empty root and sinks to its place.
  @inlinable @inline(__always) mutating func fillRoot() {
    guard _slowPath(rootIsEmpty) else { return }
    refillRoot()
  }

  @inlinable @inline(__always) mutating func refillRoot() {
    rootIsEmpty = false
    guard held > 0 else { return }
    let count = held
    let last = storage[count]  // the events are in storage[1...held]
    sinkFromRoot(last, count: count)
  }

  /// Puts `moving` into the empty root of the heap `storage[0..<count]` (whose root's children
  /// are in place) and sinks it, after marking the three spare slots past it as sentinels that
  /// come after every event.
  @inlinable @inline(__always) mutating func sinkFromRoot(_ moving: Event<Kind>, count: Int) {
    let base = storage.baseAddress
    for spare in count..<count &+ 3 {
      base[spare].time = .distantFuture
      base[spare].sequence = .max
    }
    Self.siftDown(moving, in: base, count: count)
  }

  /// Puts `moving` into the hole at `index` and raises it until it is in heap order.
  @inlinable mutating func siftUp(_ moving: Event<Kind>, from index: Int) {
    let base = storage.baseAddress
    var hole = index
    while hole > 0 {
      let parent = (hole &- 1) >> 2
      if !moving.precedes(base[parent]) { break }
      base[hole] = base[parent]
      hole = parent
    }
    base[hole] = moving
  }

  /// Puts `moving` into the hole at the root of the heap `base[0..<count]` and sinks it to
  /// its place. `base[count..<count + 3]` must be sentinels that no event precedes.
  @inlinable static func siftDown(_ moving: Event<Kind>, in base: UnsafeMutablePointer<Event<Kind>>, count: Int) {
    var hole = 0
    while true {
      let first = 4 &* hole &+ 1
      if first >= count { break }
      // The earliest of the four children: the earlier of each pair, then of the two.
      let a = first &+ (base[first &+ 1].precedes(base[first]) ? 1 : 0)
      let b = first &+ 2 &+ (base[first &+ 3].precedes(base[first &+ 2]) ? 1 : 0)
      let child = base[b].precedes(base[a]) ? b : a
      if !base[child].precedes(moving) { break }
      base[hole] = base[child]
      hole = child
    }
    base[hole] = moving
  }
}

extension EventQueue: Sendable where Kind: Sendable {}
extension EventHeap: Sendable where Kind: Sendable {}
