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
  /// Computed without branches (three comparisons combined as bits): in a heap, which of two
  /// children comes first is a coin toss, and a branch on it is mispredicted half the time.
  @inlinable @inline(__always)
  public func precedes(_ other: Event<Kind>) -> Bool {
    let earlier: UInt8 = time.nanosecondsSinceStart < other.time.nanosecondsSinceStart ? 1 : 0
    let sameTime: UInt8 = time.nanosecondsSinceStart == other.time.nanosecondsSinceStart ? 1 : 0
    let scheduledFirst: UInt8 = sequence < other.sequence ? 1 : 0
    return earlier | (sameTime & scheduledFirst) != 0
  }
}

extension Event: Sendable where Kind: Sendable {}
