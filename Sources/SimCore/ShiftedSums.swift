/// Count, sum and sum of squares of a stream of values, taken about a shift (the first value),
/// for the hot path: a value costs additions and a multiplication, where Welford's update in
/// ``RunningStatistics`` divides once per value. The model records two values per request at
/// each load balancer it passes, and the division was the slowest step of each.
///
/// Summing deviations from a value near the mean, rather than the values themselves, keeps
/// the variance accurate when the spread is small beside the mean (the "shifted data"
/// algorithm; Chan, Golub and LeVeque, 1983). ``statistics`` gives the usual summary.
public struct ShiftedSums: Hashable, Sendable {
  /// Values recorded.
  @inlinable public var count: Int { recorded }
  @usableFromInline var recorded = 0
  @usableFromInline var shift = 0.0
  @usableFromInline var deviations = 0.0
  @usableFromInline var squaredDeviations = 0.0
  @usableFromInline var smallest = Double.infinity
  @usableFromInline var largest = -Double.infinity

  /// No values yet.
  public init() {}

  /// Adds one value.
  @inlinable @inline(__always)
  public mutating func record(_ value: Double) {
    if _slowPath(recorded == 0) { shift = value }
    recorded &+= 1
    let deviation = value - shift
    deviations += deviation
    squaredDeviations += deviation * deviation
    if value < smallest { smallest = value }
    if value > largest { largest = value }
  }

  /// The mean (0 when empty).
  public var mean: Double { count == 0 ? 0 : shift + deviations / Double(count) }

  /// Count, mean, sum of squared deviations from the mean, minimum and maximum.
  public var statistics: RunningStatistics {
    guard count > 0 else { return RunningStatistics() }
    // Σ(x − m)² = Σ(x − K)² − (Σ(x − K))²/n for any shift K; rounding may leave a hair below 0.
    let squares = Swift.max(0, squaredDeviations - deviations * (deviations / Double(count)))
    return RunningStatistics(count: count, mean: mean, sumOfSquaredDeviations: squares, minimum: smallest, maximum: largest)
  }
}
