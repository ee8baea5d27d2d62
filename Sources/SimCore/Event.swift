/// A scheduled event: when it happens, its place among events at the same instant, and what it is.
///
/// `Kind` is the model's own enum of event kinds with small integer IDs as payloads
/// (for example `.checkerProbe(CheckerID)`), so an event is a few machine words stored
/// inline in the queue: no closures and no existentials on the hot path.
public struct Event<Kind> {
  /// When the event happens.
  public var time: SimTime
  /// Scheduling order; breaks ties between events at the same time (earlier scheduled first).
  public var sequence: UInt64
  /// What happens.
  public var kind: Kind

  @inlinable public init(time: SimTime, sequence: UInt64, kind: Kind) {
    self.time = time
    self.sequence = sequence
    self.kind = kind
  }

  /// Whether `self` pops before `other`: earlier time first, then earlier scheduling.
  ///
  /// The earlier time is taken as a value, not a branch: in a heap, which of two children
  /// comes first is a coin toss, and a branch on it is mispredicted half the time. Equal
  /// times are rare, so the branch to the tie-break is almost never taken and costs little.
  @inlinable @inline(__always)
  public func precedes(_ other: Event<Kind>) -> Bool { precedes(time: other.time, sequence: other.sequence) }

  /// Whether `self` pops before an event at `time` with `sequence` (the order of
  /// ``precedes(_:)``, against a key kept apart from its event).
  @inlinable @inline(__always)
  public func precedes(time otherTime: SimTime, sequence otherSequence: UInt64) -> Bool {
    if _slowPath(time.nanosecondsSinceStart == otherTime.nanosecondsSinceStart) { return sequence < otherSequence }
    return time.nanosecondsSinceStart < otherTime.nanosecondsSinceStart
  }
}

extension Event: Sendable where Kind: Sendable {}
