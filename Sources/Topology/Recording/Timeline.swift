import SimCore

/// The part of the modelled system that caused a timeline entry, so every line of a
/// report can say which mechanism noticed or did what.
public enum Mechanism: String, CaseIterable, Hashable, Sendable {
  case fault, clients, dns
  case loadBalancer = "load-balancer"
  case autoscaling, instance
  case pgpool, database, replication, link, monitor, alerting, automation, `operator`
}

/// One state change that matters, stamped with its simulated time.
public struct TimelineEntry: Hashable, Sendable {
  /// When it happened.
  public var time: SimTime
  /// Which mechanism caused it.
  public var mechanism: Mechanism
  /// What kind of state change it is (its raw value is the stable name in JSON and CSV).
  public var kind: TimelineKind
  /// Plain words for people, in the case study's style.
  public var text: String

  public init(time: SimTime, mechanism: Mechanism, kind: TimelineKind, text: String) {
    self.time = time
    self.mechanism = mechanism
    self.kind = kind
    self.text = text
  }
}

/// The run's timeline: state changes in the order they happened.
///
/// Entries are state changes (a checker failing, a record turning unhealthy), not
/// requests, so their number follows the faults in a scenario, not its traffic. A cap
/// guards against a flapping model filling memory; entries past it are counted, not kept.
public struct Timeline: Sendable {
  /// The entries kept, in time order.
  public private(set) var entries: [TimelineEntry] = []
  /// Entries dropped because the cap was reached.
  public private(set) var droppedCount = 0
  /// How many entries are kept at most.
  public let capacity: Int
  /// Kinds something waits for (a runbook's trigger): recording one also queues it in
  /// `triggered`, which the model empties after the event that recorded it.
  var watched: Set<TimelineKind> = []
  var triggered: [TimelineKind] = []

  /// An empty timeline keeping at most `capacity` entries.
  public init(capacity: Int = 100_000) { self.capacity = capacity }

  /// Records a state change.
  public mutating func record(_ time: SimTime, _ mechanism: Mechanism, _ kind: TimelineKind, _ text: String) {
    precondition(entries.last.map { $0.time <= time } ?? true, "timeline entries must come in time order")
    if !watched.isEmpty && watched.contains(kind) { triggered.append(kind) }
    if entries.count >= capacity {
      droppedCount += 1
      return
    }
    entries.append(TimelineEntry(time: time, mechanism: mechanism, kind: kind, text: text))
  }

  /// Returns the entries kept and forgets them; the cap then counts afresh.
  public mutating func removeAll() -> [TimelineEntry] {
    defer { entries.removeAll(keepingCapacity: true) }
    return entries
  }

  /// The first entry of `kind`, if any.
  public func first(_ kind: TimelineKind) -> TimelineEntry? { entries.first { $0.kind == kind } }
}
