/// An instant of simulated time: nanoseconds since the start of the run.
///
/// Instants and intervals are different types (as `NIODeadline` and `TimeAmount` are in
/// swift-nio) so that adding two instants, a common slip, does not compile.
public struct SimTime: Hashable, Comparable, Sendable {
  /// Nanoseconds since the start of the run.
  public var nanosecondsSinceStart: Int64

  /// The instant `nanosecondsSinceStart` nanoseconds after the start of the run.
  @inlinable public init(nanosecondsSinceStart: Int64) { self.nanosecondsSinceStart = nanosecondsSinceStart }

  /// The start of the run.
  @inlinable public static var zero: SimTime { SimTime(nanosecondsSinceStart: 0) }
  /// Later than any instant a run reaches; used as "no limit".
  @inlinable public static var distantFuture: SimTime { SimTime(nanosecondsSinceStart: .max) }

  /// The instant `offset` after the start of the run.
  @inlinable public static func at(_ offset: SimDuration) -> SimTime { SimTime(nanosecondsSinceStart: offset.nanoseconds) }

  /// The time since the start of the run.
  @inlinable public var sinceStart: SimDuration { SimDuration(nanoseconds: nanosecondsSinceStart) }
  /// Seconds since the start of the run, as a floating-point number.
  @inlinable public var seconds: Double { Double(nanosecondsSinceStart) / 1e9 }

  @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.nanosecondsSinceStart < b.nanosecondsSinceStart }
  /// An instant plus a duration; past the end of the clock it saturates at ``distantFuture``
  /// (an event there never fires within a run), never a trap.
  @inlinable public static func + (t: SimTime, d: SimDuration) -> SimTime {
    let (sum, overflow) = t.nanosecondsSinceStart.addingReportingOverflow(d.nanoseconds)
    if overflow { return d.nanoseconds > 0 ? .distantFuture : SimTime(nanosecondsSinceStart: .min) }
    return SimTime(nanosecondsSinceStart: sum)
  }
  @inlinable public static func - (t: SimTime, d: SimDuration) -> SimTime { t + (-d) }
  @inlinable public static func += (t: inout SimTime, d: SimDuration) { t = t + d }
  /// The interval from `b` to `a`.
  @inlinable public static func - (a: SimTime, b: SimTime) -> SimDuration {
    SimDuration(nanoseconds: a.nanosecondsSinceStart - b.nanosecondsSinceStart)
  }
}
