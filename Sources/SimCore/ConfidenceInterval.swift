/// A Student-t confidence interval for a mean: `mean ± halfWidth` at `level`.
///
/// half-width = t(1 − (1 − level)/2, n − 1) · s / √n. Used over independent replications
/// of a run, whose per-run metrics are close to normal by the central limit theorem.
public struct ConfidenceInterval: Hashable, Sendable {
  /// The sample mean.
  public var mean: Double
  /// Half the width of the interval.
  public var halfWidth: Double
  /// The confidence level, such as 0.95.
  public var level: Double
  /// The number of observations behind it.
  public var count: Int

  /// The interval from `count` observations with sample `mean` and `standardDeviation`.
  ///
  /// - Returns: nil when `count < 2` or `level` is not strictly between 0 and 1.
  public init?(mean: Double, standardDeviation: Double, count: Int, level: Double = 0.95) {
    guard count >= 2, level > 0, level < 1 else { return nil }
    let t = SpecialFunctions.studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(count - 1))
    self.mean = mean
    self.halfWidth = t * standardDeviation / Double(count).squareRoot()
    self.level = level
    self.count = count
  }

  /// The lower end.
  public var lower: Double { mean - halfWidth }
  /// The upper end.
  public var upper: Double { mean + halfWidth }
  /// Whether `value` lies inside (ends included).
  public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
}
