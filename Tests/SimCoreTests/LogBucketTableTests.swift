import Foundation
import Testing

@testable import SimCore

@Suite("Histogram buckets by table")
struct LogBucketTableTests {
  @Test("every bucket boundary in the table's range: the table and the logarithm agree on both sides")
  func boundaries() {
    let table = LogBucketTable.standard
    let histogram = LogHistogram()
    #expect(table.slices.count == 54 * 64, "54 powers of two, 64 slices each at 1% accuracy")
    var boundaries = 0
    for slice in table.slices where slice.nextBucketFrom.isFinite {
      boundaries += 1
      let first = slice.nextBucketFrom
      #expect(histogram.bucket(of: first) == slice.bucket + 1)
      #expect(histogram.bucket(of: first.nextDown) == slice.bucket)
      #expect(table.bucket(of: first) == slice.bucket + 1)
      #expect(table.bucket(of: first.nextDown) == slice.bucket)
    }
    // ln(2^54)/ln(γ) boundaries, γ = 1.01/0.99.
    let expected = 54 * log(2.0) / log(1.01 / 0.99)
    #expect(boundaries == Int(expected.rounded(.down)) || boundaries == Int(expected.rounded(.up)))
  }

  @Test("random values, in range and out of it, and the edges: the table gives the logarithm's bucket")
  func randomValues() {
    let table = LogBucketTable.standard
    let histogram = LogHistogram()
    var rng = Xoshiro256StarStar(seed: 5)
    var values: [Double] = [
      0, .leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-30, (0x1p-30).nextDown, 0x1p24, (0x1p24).nextDown, 1, 60,
      .greatestFiniteMagnitude,
    ]
    for _ in 0..<200_000 {
      // Log-uniform over 2^-40 ... 2^30, and any bit pattern of a positive finite double.
      values.append(exp2(-40 + 70 * rng.nextUnit()))
      values.append(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))
    }
    var mismatches = 0
    for value in values where table.bucket(of: value) != histogram.bucket(of: value) { mismatches += 1 }
    #expect(mismatches == 0)
  }

  @Test("a histogram finer than the table can serve gets no table, and its buckets still come out right")
  func otherAccuracies() {
    for accuracy in [0.05, 0.001, 1e-5] {
      let histogram = LogHistogram(relativeAccuracy: accuracy)
      let table = LogBucketTable(for: histogram)
      #expect(table.slices.isEmpty == (accuracy < 0x1p-13))
      var rng = Xoshiro256StarStar(seed: 11)
      for _ in 0..<20_000 {
        let value = exp2(-35 + 65 * rng.nextUnit())
        #expect(table.bucket(of: value) == histogram.bucket(of: value))
      }
    }
  }
}
