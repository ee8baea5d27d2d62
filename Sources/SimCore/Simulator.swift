/// Receives events from the run loop and reacts: changes its own state and schedules more.
///
/// The model and the simulator are passed separately (`self` and `inout simulator`) so a
/// handler can schedule events while it mutates itself, without exclusivity conflicts.
public protocol EventHandler<Kind> {
  /// The model's event-kind enum.
  associatedtype Kind
  /// Reacts to `event`, which fires at `simulator.now`.
  mutating func handle(_ event: Event<Kind>, in simulator: inout Simulator<Kind>)
  /// Called by ``Simulator/run(until:handler:stopWhen:)`` before it handles any event: a
  /// handler keeping state in ``StateArray``s makes them unique here, once per run rather
  /// than at every write (the default does nothing).
  mutating func prepareForEvents()
}

extension EventHandler {
  public mutating func prepareForEvents() {}
}

/// Why ``Simulator/run(until:handler:)`` returned.
public enum RunOutcome: Equatable, Sendable {
  /// No event was left to fire.
  case queueEmpty
  /// The next event lies after the time limit; the clock stands at the limit.
  case reachedTimeLimit
  /// A handler called ``Simulator/requestStop()`` or the stop condition held.
  case stopped
}

/// The clock and the pending events of one simulation run, and the loop that drives them.
///
/// The simulator knows nothing of the model: a run pops the earliest event, advances
/// `now` to its time and hands it to the ``EventHandler``, until a limit is reached.
public struct Simulator<Kind> {
  /// The pending events.
  public var queue: EventQueue<Kind>
  @usableFromInline var currentTime: SimTime = .zero
  @usableFromInline var processedCount: Int = 0

  /// The current simulated time.
  @inlinable public var now: SimTime { currentTime }
  /// Events handed to a handler so far.
  @inlinable public var eventsProcessed: Int { processedCount }
  @usableFromInline var stopRequested = false

  /// A simulator at time zero with no events; `capacity` pre-sizes the queue, and a
  /// `nearHorizon` keeps events due further ahead than that in a heap of their own (see
  /// ``EventQueue``: for models whose pending events are mostly long timers).
  public init(capacity: Int = 0, nearHorizon: SimDuration? = nil) {
    queue = EventQueue(capacity: capacity, nearHorizon: nearHorizon)
  }

  /// Schedules `kind` at the instant `time`.
  ///
  /// - Precondition: `time >= now`.
  @inlinable
  public mutating func schedule(_ kind: Kind, at time: SimTime) {
    queue.schedule(kind, at: time)
  }

  /// Schedules `kind` to happen `delay` from now.
  ///
  /// - Precondition: `delay` is not negative.
  @inlinable
  public mutating func schedule(_ kind: Kind, after delay: SimDuration) {
    queue.schedule(kind, at: now + delay)
  }

  /// Asks the run loop to return after the event being handled.
  public mutating func requestStop() { stopRequested = true }

  /// Runs events in time order until the queue is empty, the next event lies after
  /// `limit` (the clock is then moved to `limit`), a handler requests a stop, or
  /// `condition` holds after an event.
  ///
  /// Events at exactly `limit` are run. A later call continues where this one stopped.
  /// Before the first event the queue and the handler make their state their own
  /// (``EventQueue/makeUnique()``, ``EventHandler/prepareForEvents()``): nothing can copy
  /// either while the loop holds them, so until it returns they write in place.
  /// - Parameters:
  ///   - limit: the last instant to simulate; `.distantFuture` (the default) for no limit.
  ///   - handler: the model that reacts to each event.
  ///   - condition: checked after each event; the loop stops when it returns true.
  /// - Returns: why the loop stopped.
  @inlinable @discardableResult
  public mutating func run<Handler: EventHandler>(
    until limit: SimTime = .distantFuture, handler: inout Handler,
    stopWhen condition: ((Handler, Simulator<Kind>) -> Bool)? = nil
  ) -> RunOutcome where Handler.Kind == Kind {
    stopRequested = false
    queue.makeUnique()
    queue.writesInPlace = true
    defer { queue.writesInPlace = false }
    handler.prepareForEvents()
    while true {
      guard let event = queue.popMin(notAfter: limit) else {
        if queue.isEmpty { return .queueEmpty }
        currentTime = limit
        return .reachedTimeLimit
      }
      currentTime = event.time
      processedCount &+= 1
      handler.handle(event, in: &self)
      if stopRequested { return .stopped }
      if let condition, condition(handler, self) { return .stopped }
    }
  }
}

extension Simulator: Sendable where Kind: Sendable {}
