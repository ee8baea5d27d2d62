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
  public var zeroCount: Int { zeros }
  /// Values recorded.
  public var count: Int { recorded }
  /// Their exact sum.
  public var sum: Double { total }
  /// The exact smallest value (+∞ when empty).
  public var minimum: Double { smallest }
  /// The exact largest value (−∞ when empty).
  public var maximum: Double { largest }
  // Stored apart from their public names so the inlinable `record(_:bucket:)` may update them.
  @usableFromInline var zeros = 0
  @usableFromInline var recorded = 0
  @usableFromInline var total: Double = 0
  @usableFromInline var smallest: Double = .infinity
  @usableFromInline var largest: Double = -.infinity

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
  ///
  /// - Precondition: `value` is finite and not negative.
  @inlinable
  public mutating func record(_ value: Double, bucket: Int) {
    // The common case, inline: a positive finite value in a bucket already counted.
    let offset = bucket &- firstBucket
    guard value > 0, value < .infinity, offset >= 0, offset < counts.count else {
      recordRarely(value, bucket: bucket)
      return
    }
    noteCountSumAndExtremes(value)
    counts[offset] &+= 1
  }

  /// What every value recorded updates, counted in a bucket or not.
  @inlinable @inline(__always)
  mutating func noteCountSumAndExtremes(_ value: Double) {
    recorded &+= 1
    total += value
    if value < smallest { smallest = value }
    if value > largest { largest = value }
  }

  /// The rest of ``record(_:bucket:)``: zeros, bad values, and buckets the counts do not reach yet.
  @usableFromInline
  mutating func recordRarely(_ value: Double, bucket: Int) {
    precondition(value >= 0 && value.isFinite, "histogram values must be finite and not negative, got \(value)")
    noteCountSumAndExtremes(value)
    if value == 0 {
      zeros += 1
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
    recorded += other.recorded
    total += other.total
    zeros += other.zeros
    smallest = min(smallest, other.smallest)
    largest = max(largest, other.largest)
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
    zeros = 0
    recorded = 0
    total = 0
    smallest = .infinity
    largest = -.infinity
  }
}
