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
  @inlinable public static var zero: SimDuration { SimDuration(nanoseconds: 0) }

  /// Nanoseconds in one of each unit Drill reads and writes.
  public enum Unit {
    @inlinable public static var nanosecond: Int64 { 1 }
    @inlinable public static var microsecond: Int64 { 1_000 }
    @inlinable public static var millisecond: Int64 { 1_000_000 }
    @inlinable public static var second: Int64 { 1_000_000_000 }
    @inlinable public static var minute: Int64 { 60 * second }
    @inlinable public static var hour: Int64 { 60 * minute }
    @inlinable public static var day: Int64 { 24 * hour }
  }

  @inlinable public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
  @inlinable public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.microsecond) }
  @inlinable public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.millisecond) }
  @inlinable public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.second) }
  @inlinable public static func minutes(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.minute) }
  @inlinable public static func hours(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.hour) }
  @inlinable public static func days(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * Unit.day) }

  /// The clock's reach: 2^62 ns, about 146 years, far beyond any run (at most 366 days).
  /// Durations saturate here instead of overflowing, so a pathological draw (a lognormal
  /// with a huge sigma, a slow fault on a long CPU time) makes an event that never comes
  /// within the run, never a trap. Scenario files are refused long before (100 years).
  @inlinable public static var limit: SimDuration { SimDuration(nanoseconds: 1 << 62) }

  /// An interval of `seconds` seconds, rounded to the nearest nanosecond; beyond
  /// ±``limit`` (or not a number) it saturates at the limit.
  @inlinable @inline(__always) public init(seconds: Double) {
    let scaled = seconds * 1e9
    // `scaled.rounded()` (half away from zero) without a call into libm, exactly, and in a
    // short chain of dependent operations (the result is usually an event's time, which the
    // next pop waits for): below 2^51 in magnitude, `scaled + 1.5·2^52` lies in [2^52, 2^53),
    // where the ulp is 1, so the sum is rounded to a whole number (halves to even) and its
    // bits, less the constant's, are that number: no conversion, whose range checks would
    // branch. The difference of the rounded value from `scaled` is exact (Sterbenz), so a tie
    // is seen exactly; ties are rare and go away from zero, out of line with larger values.
    // Inline at every draw: the common case is six operations, where a call cost as many.
    let magic = 0x1.8p52
    let sum = scaled + magic
    let rounded = sum - magic
    if _fastPath(scaled.magnitude < 0x1p51 && (rounded - scaled).magnitude != 0.5) {
      self.init(nanoseconds: Int64(bitPattern: sum.bitPattern) &- Int64(bitPattern: magic.bitPattern))
    } else {
      self = Self.roundedRarely(scaled)
    }
  }

  /// `scaled` nanoseconds rounded half away from zero, for what the inline path leaves: an
  /// exact tie below 2^51, larger magnitudes, and NaN.
  @usableFromInline static func roundedRarely(_ scaled: Double) -> SimDuration {
    if scaled.magnitude < 0x1p51 {
      return SimDuration(nanoseconds: Int64(scaled + (scaled < 0 ? -0.5 : 0.5)))
    } else if scaled.magnitude < 4.6e18 {
      // Truncate, then the dropped fraction f (exact) decides: 2f truncates to ±1 at a half or more.
      let ns = Int64(scaled)
      let fraction = scaled - Double(ns)
      return SimDuration(nanoseconds: ns &+ Int64(fraction + fraction))
    } else {
      return SimDuration(nanoseconds: scaled < 0 ? -(1 << 62) : 1 << 62)
    }
  }

  /// `ns` clamped to ±``limit``.
  @inlinable static func saturating(_ ns: Int64, overflow: Bool, positive: Bool) -> SimDuration {
    if overflow { return SimDuration(nanoseconds: positive ? 1 << 62 : -(1 << 62)) }
    return SimDuration(nanoseconds: min(max(ns, -(1 << 62)), 1 << 62))
  }

  /// The interval in seconds, as a floating-point number (for statistics and display).
  @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

  @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
  /// Sums and differences saturate at ±``limit`` rather than overflow.
  @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
    let (sum, overflow) = a.nanoseconds.addingReportingOverflow(b.nanoseconds)
    return saturating(sum, overflow: overflow, positive: b.nanoseconds > 0)
  }
  @inlinable public static func - (a: SimDuration, b: SimDuration) -> SimDuration {
    let (difference, overflow) = a.nanoseconds.subtractingReportingOverflow(b.nanoseconds)
    return saturating(difference, overflow: overflow, positive: b.nanoseconds < 0)
  }
  @inlinable public static func += (a: inout SimDuration, b: SimDuration) { a = a + b }
  @inlinable public static func -= (a: inout SimDuration, b: SimDuration) { a = a - b }
  @inlinable public static prefix func - (a: SimDuration) -> SimDuration { SimDuration(nanoseconds: -a.nanoseconds) }
  @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration {
    let (product, overflow) = a.nanoseconds.multipliedReportingOverflow(by: k)
    return saturating(product, overflow: overflow, positive: (a.nanoseconds < 0) == (k < 0))
  }
  @inlinable public static func * (k: Int64, a: SimDuration) -> SimDuration { a * k }
  /// Scales the interval by a real factor, rounding to the nearest nanosecond.
  @inlinable public static func * (a: SimDuration, k: Double) -> SimDuration { SimDuration(seconds: a.seconds * k) }
  /// Whole-nanosecond division, truncating toward zero.
  @inlinable public static func / (a: SimDuration, k: Int64) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds / k) }
  /// The ratio of two intervals.
  @inlinable public static func / (a: SimDuration, b: SimDuration) -> Double { Double(a.nanoseconds) / Double(b.nanoseconds) }
}
