import Foundation

/// The bucket of a value in a ``LogHistogram``, found without a logarithm: exactly the bucket
/// ``LogHistogram/bucket(of:)`` computes, from a table built with that very function.
///
/// A histogram's bucket is ⌈ln(v)/ln γ⌉, a logarithm per value recorded (one per request in a
/// run). Here the value's exponent and first few mantissa bits pick a slice of the number line
/// narrow enough to hold at most one bucket boundary; the table keeps, per slice, the bucket at
/// its start and the first value of the next bucket, found once with the histogram's own
/// formula (near γ^i, then double by double). A lookup is then a shift, a load and a
/// comparison. Values outside the table's range (below 2⁻³⁰ or from 2²⁴ on, in the histogram's
/// unit), zero, and histograms too fine for a table of reasonable size take the logarithm.
public struct LogBucketTable: Sendable {
  /// One slice of the number line: values from its start have `bucket`, from `nextBucketFrom`
  /// (+∞ when the slice holds no boundary) `bucket + 1`.
  @usableFromInline struct Slice: Sendable {
    @usableFromInline var bucket: Int
    @usableFromInline var nextBucketFrom: Double
  }

  /// The histogram whose buckets these are (its formula is the fallback).
  @usableFromInline let histogram: LogHistogram
  /// How far a value's bit pattern is shifted right to give its slice's key.
  @usableFromInline let keyShift: UInt64
  /// The key of the first slice.
  @usableFromInline let firstKey: Int
  @usableFromInline let slices: ContiguousArray<Slice>

  /// The table for histograms of the default relative accuracy (1%), built once.
  public static let standard = LogBucketTable(for: LogHistogram())

  /// The smallest and the first value past the range the table covers (powers of two).
  public static let coveredRange = (low: 0x1p-30, high: 0x1p24)

  /// A table for histograms of `histogram`'s relative accuracy (its counts do not matter).
  public init(for histogram: LogHistogram) {
    var empty = histogram
    empty.removeAll()
    self.histogram = empty
    // Slices of relative width 2^-bits at most: narrower than a bucket (γ − 1), so each holds
    // at most one boundary. Finer histograms than 2^-12 would need too large a table.
    guard let bits = (1...12).first(where: { 0x1p0 / Double(1 << $0) < histogram.gamma - 1 }) else {
      keyShift = 63
      firstKey = 0
      slices = []
      return
    }
    keyShift = UInt64(52 - bits)
    let firstKey = Int(Self.coveredRange.low.bitPattern >> keyShift)
    let endKey = Int(Self.coveredRange.high.bitPattern >> keyShift)
    self.firstKey = firstKey
    var slices = ContiguousArray<Slice>()
    slices.reserveCapacity(endKey - firstKey)
    let bucket = { (bits: UInt64) in empty.bucket(of: Double(bitPattern: bits)) }
    for key in firstKey..<endKey {
      let first = UInt64(key) << keyShift
      let last = first + (1 << keyShift) - 1
      let start = bucket(first)
      let end = bucket(last)
      precondition(end == start || end == start + 1, "a histogram bucket narrower than a table slice")
      guard end > start else {
        slices.append(Slice(bucket: start, nextBucketFrom: .infinity))
        continue
      }
      // The first value of the next bucket: near γ^start, then stepped over the neighbouring
      // doubles (ordered as their bit patterns) with the histogram's own formula.
      let estimate = exp(Double(start) / empty.inverseLogGamma).bitPattern
      var boundary = min(max(estimate, first + 1), last)
      while bucket(boundary - 1) > start { boundary -= 1 }
      while bucket(boundary) == start { boundary += 1 }
      slices.append(Slice(bucket: start, nextBucketFrom: Double(bitPattern: boundary)))
    }
    self.slices = slices
  }

  /// The bucket of `value` in a histogram of this table's accuracy: the same as
  /// ``LogHistogram/bucket(of:)`` gives.
  @inlinable public func bucket(of value: Double) -> Int {
    // Negative values, zero, infinities and NaN fall outside the keys, as values out of range do.
    let key = Int(truncatingIfNeeded: value.bitPattern >> keyShift) &- firstKey
    if UInt(bitPattern: key) < UInt(bitPattern: slices.count) {
      let slice = slices.withUnsafeBufferPointer { $0[key] }
      return slice.bucket &+ (value >= slice.nextBucketFrom ? 1 : 0)
    }
    return histogram.bucket(of: value)
  }
}
