/// Count, mean, variance, minimum and maximum of a stream of values, in constant memory.
///
/// Welford's update (1962) keeps the mean and the sum of squared deviations M2 accurate
/// for long runs; ``merge(_:)`` combines two summaries exactly (Chan, Golub and LeVeque,
/// 1979), so per-thread or per-replication summaries can be added up in any grouping.
public struct RunningStatistics: Hashable, Sendable {
  /// Values recorded.
  public private(set) var count: Int = 0
  /// Their mean (0 when empty).
  public private(set) var mean: Double = 0
  /// Sum of squared deviations from the mean.
  public private(set) var sumOfSquaredDeviations: Double = 0
  /// The smallest value (+∞ when empty).
  public private(set) var minimum: Double = .infinity
  /// The largest value (−∞ when empty).
  public private(set) var maximum: Double = -.infinity

  /// An empty summary.
  public init() {}

  /// A summary given by its parts: `count` values with this mean, sum of squared deviations
  /// from it, minimum and maximum (as another accumulator, such as ``ShiftedSums``, found them).
  public init(count: Int, mean: Double, sumOfSquaredDeviations: Double, minimum: Double, maximum: Double) {
    precondition(count >= 0 && sumOfSquaredDeviations >= 0, "a summary needs a count and a sum of squares of at least 0")
    precondition(count > 0 || (mean == 0 && sumOfSquaredDeviations == 0), "an empty summary has mean and sum of squares 0")
    self.count = count
    self.mean = mean
    self.sumOfSquaredDeviations = sumOfSquaredDeviations
    self.minimum = count > 0 ? minimum : .infinity
    self.maximum = count > 0 ? maximum : -.infinity
  }

  /// A summary of `values`.
  public init<S: Sequence<Double>>(_ values: S) {
    for value in values { record(value) }
  }

  /// Adds one value.
  public mutating func record(_ value: Double) {
    count += 1
    let delta = value - mean
    mean += delta / Double(count)
    sumOfSquaredDeviations += delta * (value - mean)
    if value < minimum { minimum = value }
    if value > maximum { maximum = value }
  }

  /// The sample variance s² = M2 / (n − 1); 0 with fewer than two values.
  public var variance: Double { count > 1 ? sumOfSquaredDeviations / Double(count - 1) : 0 }
  /// The sample standard deviation s.
  public var standardDeviation: Double { variance.squareRoot() }
  /// The sum of the values.
  public var sum: Double { mean * Double(count) }

  /// Adds every value that `other` summarised, as if they had been recorded here.
  public mutating func merge(_ other: RunningStatistics) {
    guard other.count > 0 else { return }
    guard count > 0 else {
      self = other
      return
    }
    let total = count + other.count
    let delta = other.mean - mean
    mean += delta * Double(other.count) / Double(total)
    sumOfSquaredDeviations += other.sumOfSquaredDeviations + delta * delta * Double(count) * Double(other.count) / Double(total)
    count = total
    minimum = Swift.min(minimum, other.minimum)
    maximum = Swift.max(maximum, other.maximum)
  }

  /// The Student-t confidence interval for the mean of the population these values were
  /// drawn from (independent, roughly normal means, as replications of a run are).
  ///
  /// - Parameter level: the confidence level, 0.95 by default.
  /// - Returns: nil with fewer than two values.
  public func confidenceInterval(level: Double = 0.95) -> ConfidenceInterval? {
    ConfidenceInterval(mean: mean, standardDeviation: standardDeviation, count: count, level: level)
  }
}
