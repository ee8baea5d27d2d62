import Foundation

/// A histogram of non-negative values with logarithmic buckets: any quantile within a
/// chosen relative error (1% by default), in memory that depends on the range of the
/// values, never on how many were recorded; two histograms merge by adding counts.
///
/// Bucket i holds values in (γ^(i−1), γ^i] with γ = (1 + α)/(1 − α); a quantile is reported
/// as 2γ^i/(γ + 1), which is within relative error α of every value in that bucket
/// (the DDSketch construction: Masson, Rim and Lee, VLDB 2019). With α = 1% there are
/// about 115 buckets per factor of 10, so nanoseconds to days fit in ~1,600 counters.
/// Zeros are counted apart. Exact count, sum, minimum and maximum are kept too.
public struct LogHistogram: Hashable, Sendable {
  /// The relative error bound α of reported quantiles.
  public let relativeAccuracy: Double
  @usableFromInline let gamma: Double
  @usableFromInline let inverseLogGamma: Double
  /// counts[j] is bucket `firstBucket + j`.
  @usableFromInline var counts: [Int] = []
  @usableFromInline var firstBucket: Int = 0
  /// Values equal to zero.
  public private(set) var zeroCount: Int = 0
  /// Values recorded.
  public private(set) var count: Int = 0
  /// Their exact sum.
  public private(set) var sum: Double = 0
  /// The exact smallest value (+∞ when empty).
  public private(set) var minimum: Double = .infinity
  /// The exact largest value (−∞ when empty).
  public private(set) var maximum: Double = -.infinity

  /// An empty histogram whose quantiles are within `relativeAccuracy` (0 < α < 1).
  public init(relativeAccuracy: Double = 0.01) {
    precondition(relativeAccuracy > 0 && relativeAccuracy < 1, "relative accuracy must be in (0, 1)")
    self.relativeAccuracy = relativeAccuracy
    gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    inverseLogGamma = 1 / log(gamma)
  }

  /// The exact mean (0 when empty).
  public var mean: Double { count > 0 ? sum / Double(count) : 0 }

  /// Records one value.
  ///
  /// - Precondition: `value` is finite and not negative.
  public mutating func record(_ value: Double) {
    record(value, bucket: bucket(of: value))
  }

  /// The bucket `value` falls in; a value recorded into several histograms of the same
  /// accuracy can share this one logarithm (``record(_:bucket:)``).
  @inlinable
  public func bucket(of value: Double) -> Int {
    value > 0 ? Int((log(value) * inverseLogGamma).rounded(.up)) : 0
  }

  /// Records `value`, whose bucket was computed by ``bucket(of:)`` of a histogram with the
  /// same relative accuracy.
  public mutating func record(_ value: Double, bucket: Int) {
    precondition(value >= 0 && value.isFinite, "histogram values must be finite and not negative, got \(value)")
    count += 1
    sum += value
    if value < minimum { minimum = value }
    if value > maximum { maximum = value }
    if value == 0 {
      zeroCount += 1
      return
    }
    if counts.isEmpty {
      firstBucket = bucket
      counts = [1]
      return
    }
    if bucket < firstBucket {
      counts.insert(contentsOf: repeatElement(0, count: firstBucket - bucket), at: 0)
      firstBucket = bucket
    } else if bucket >= firstBucket + counts.count {
      counts.append(contentsOf: repeatElement(0, count: bucket - firstBucket - counts.count + 1))
    }
    counts[bucket - firstBucket] += 1
  }

  /// Records a duration, in seconds.
  public mutating func record(_ duration: SimDuration) { record(duration.seconds) }

  /// The q-quantile (0 ≤ q ≤ 1): the value at rank ⌈q·n⌉ (at least 1), within the relative
  /// accuracy; the exact minimum at q = 0 and maximum at q = 1. Nil when empty.
  public func quantile(_ q: Double) -> Double? {
    precondition(q >= 0 && q <= 1, "quantile needs 0 ≤ q ≤ 1")
    guard count > 0 else { return nil }
    if q == 0 { return minimum }
    if q == 1 { return maximum }
    let rank = max(1, Int((q * Double(count)).rounded(.up)))
    if rank <= zeroCount { return 0 }
    var seen = zeroCount
    for (offset, bucketCount) in counts.enumerated() {
      seen += bucketCount
      if seen >= rank {
        let estimate = 2 * pow(gamma, Double(firstBucket + offset)) / (gamma + 1)
        // The exact extremes are known; never report outside them.
        return min(max(estimate, minimum), maximum)
      }
    }
    return maximum
  }

  /// Adds every value `other` recorded.
  ///
  /// - Precondition: both have the same relative accuracy.
  public mutating func merge(_ other: LogHistogram) {
    precondition(relativeAccuracy == other.relativeAccuracy, "cannot merge histograms of different accuracy")
    guard other.count > 0 else { return }
    count += other.count
    sum += other.sum
    zeroCount += other.zeroCount
    minimum = min(minimum, other.minimum)
    maximum = max(maximum, other.maximum)
    guard !other.counts.isEmpty else { return }
    if counts.isEmpty {
      counts = other.counts
      firstBucket = other.firstBucket
      return
    }
    let low = min(firstBucket, other.firstBucket)
    let high = max(firstBucket + counts.count, other.firstBucket + other.counts.count)
    var merged = [Int](repeating: 0, count: high - low)
    for (i, c) in counts.enumerated() { merged[firstBucket - low + i] += c }
    for (i, c) in other.counts.enumerated() { merged[other.firstBucket - low + i] += c }
    counts = merged
    firstBucket = low
  }

  /// Forgets every value.
  public mutating func removeAll() {
    counts.removeAll()
    zeroCount = 0
    count = 0
    sum = 0
    minimum = .infinity
    maximum = -.infinity
  }
}
