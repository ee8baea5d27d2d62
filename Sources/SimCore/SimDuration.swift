/// An interval of simulated time, held as a whole number of nanoseconds.
///
/// Integer nanoseconds keep timelines exact: adding thirty 10-second health-check
/// intervals gives exactly 300 s, with no floating-point drift, and ±292 years fit in
/// an `Int64`. Construct with the static helpers (`.seconds(30)`, `.milliseconds(40)`,
/// `.minutes(5)`), parse readable text with ``init(parsing:)``, print with `description`.
public struct SimDuration: Hashable, Comparable, Sendable {
  /// The length of the interval in nanoseconds (negative for a backwards interval).
  public var nanoseconds: Int64

  /// Creates an interval of `nanoseconds` nanoseconds.
  @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

  /// The empty interval.
  public static let zero = SimDuration(nanoseconds: 0)

  /// Nanoseconds in one of each unit Drill reads and writes.
  public enum Unit {
    public static let nanosecond: Int64 = 1
    public static let microsecond: Int64 = 1_000
    public static let millisecond: Int64 = 1_000_000
    public static let second: Int64 = 1_000_000_000
    public static let minute: Int64 = 60 * second
    public static let hour: Int64 = 60 * minute
    public static let day: Int64 = 24 * hour
  }

  @inlinable public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
  @inlinable public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.microsecond) }
  @inlinable public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.millisecond) }
  @inlinable public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.second) }
  @inlinable public static func minutes(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.minute) }
  @inlinable public static func hours(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.hour) }
  @inlinable public static func days(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.day) }

  /// An interval of `seconds` seconds, rounded to the nearest nanosecond.
  ///
  /// - Precondition: `seconds` is finite and fits in `Int64` nanoseconds (about ±292 years).
  @inlinable public init(seconds: Double) {
    let ns = (seconds * 1e9).rounded()
    precondition(ns.isFinite && abs(ns) < 9.2e18, "duration of \(seconds) s is out of range")
    self.init(nanoseconds: Int64(ns))
  }

  /// The interval in seconds, as a floating-point number (for statistics and display).
  @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

  @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
  @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
    SimDuration(nanoseconds: a.nanoseconds + b.nanoseconds)
  }
  @inlinable public static func - (a: SimDuration, b: SimDuration) -> SimDuration {
    SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds)
  }
  @inlinable public static func += (a: inout SimDuration, b: SimDuration) { a.nanoseconds += b.nanoseconds }
  @inlinable public static func -= (a: inout SimDuration, b: SimDuration) { a.nanoseconds -= b.nanoseconds }
  @inlinable public static prefix func - (a: SimDuration) -> SimDuration { SimDuration(nanoseconds: -a.nanoseconds) }
  @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds * k) }
  @inlinable public static func * (k: Int64, a: SimDuration) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds * k) }
  /// Scales the interval by a real factor, rounding to the nearest nanosecond.
  @inlinable public static func * (a: SimDuration, k: Double) -> SimDuration { SimDuration(seconds: a.seconds * k) }
  /// Whole-nanosecond division, truncating toward zero.
  @inlinable public static func / (a: SimDuration, k: Int64) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds / k) }
  /// The ratio of two intervals.
  @inlinable public static func / (a: SimDuration, b: SimDuration) -> Double { Double(a.nanoseconds) / Double(b.nanoseconds) }
}
