import Foundation
import Testing

@testable import SimCore

@Suite("Statistics")
struct StatisticsTests {
  @Test("running mean and variance match the two-pass formulas; merging equals recording everything")
  func running() {
    var rng = Xoshiro256StarStar(seed: 5)
    let values = (0..<10_001).map { _ in 1e6 + rng.nextUnit() * 10 }  // a large offset tests stability
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    let all = RunningStatistics(values)
    #expect(abs(all.mean - mean) / mean < 1e-12)
    #expect(abs(all.variance - variance) / variance < 1e-9)
    var left = RunningStatistics(values[..<3000])
    left.merge(RunningStatistics(values[3000...]))
    #expect(left.count == all.count && abs(left.mean - all.mean) / mean < 1e-12 && abs(left.variance - all.variance) / variance < 1e-9)
    #expect(left.minimum == values.min() && left.maximum == values.max())
  }

  @Test("shifted sums give the two-pass mean and variance, even with a large offset; empty and single values")
  func shiftedSums() {
    var rng = Xoshiro256StarStar(seed: 9)
    for offset in [0.0, 1e6, 1e9] {
      // The first value is far from the mean, so the shift is not a lucky guess.
      let values = [offset + 50] + (0..<10_000).map { _ in offset + rng.nextUnit() * 10 }
      let mean = values.reduce(0, +) / Double(values.count)
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
      var sums = ShiftedSums()
      for v in values { sums.record(v) }
      let statistics = sums.statistics
      #expect(statistics.count == values.count && sums.count == values.count)
      #expect(abs(sums.mean - mean) <= 1e-12 * max(mean, 1), "offset \(offset)")
      #expect(abs(statistics.variance - variance) / variance < 1e-7, "offset \(offset): \(statistics.variance) vs \(variance)")
      #expect(statistics.minimum == values.min() && statistics.maximum == values.max())
    }
    let empty = ShiftedSums()
    #expect(empty.mean == 0 && empty.statistics == RunningStatistics())
    var one = ShiftedSums()
    one.record(0.25)
    #expect(one.statistics == RunningStatistics([0.25]))
    // Equal values: no spread at all, not a rounding hair below zero.
    var same = ShiftedSums()
    for _ in 0..<1000 { same.record(0.1) }
    #expect(same.statistics.variance == 0 && same.mean == 0.1)
  }

  @Test("time-weighted average of a step function")
  func timeWeighted() {
    var queue = TimeWeightedAverage(value: 0, at: .zero)
    queue.update(to: 4, at: .at(.seconds(10)))  // 0 for 10 s
    queue.update(to: 1, at: .at(.seconds(15)))  // 4 for 5 s
    // then 1 for 5 s: (0·10 + 4·5 + 1·5) / 20 = 1.25
    #expect(queue.mean(until: .at(.seconds(20))) == 1.25)
    #expect(queue.integral(until: .at(.seconds(20))) == 25)
    #expect(queue.maximum == 4)
  }

  @Test(
    "histogram quantiles are within 1% of the exact quantiles",
    arguments: ["exp(mean: 80ms)", "lognormal(mean: 120ms, p99: 900ms)", "uniform(min: 0, max: 1)", "empirical(0, 0, 0, 5, 1000)"])
  func histogramQuantiles(text: String) throws {
    let d = try Distribution(parsing: text)
    var rng = Xoshiro256StarStar(seed: 11)
    var values = (0..<50_000).map { _ in d.sample(&rng) }
    values += [0, 0, 0]
    var histogram = LogHistogram()
    for v in values { histogram.record(v) }
    values.sort()
    for q in [0.001, 0.01, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999] {
      let exact = values[max(1, Int((q * Double(values.count)).rounded(.up))) - 1]
      let estimate = histogram.quantile(q)!
      #expect(abs(estimate - exact) <= 0.01 * exact, "q=\(q): \(estimate) vs \(exact)")
    }
    #expect(histogram.quantile(0) == values.first && histogram.quantile(1) == values.last)
    #expect(abs(histogram.mean - values.reduce(0, +) / Double(values.count)) < 1e-9)
  }

  @Test("merged histograms answer like one histogram; memory follows the value range, not the count")
  func histogramMerge() {
    var rng = Xoshiro256StarStar(seed: 3)
    var a = LogHistogram()
    var b = LogHistogram()
    var both = LogHistogram()
    for i in 0..<200_000 {
      let v = 1e-3 * exp(8 * rng.nextUnit())  // 1 ms to 3 s
      if i % 3 == 0 { a.record(v) } else { b.record(v) }
      both.record(v)
    }
    a.merge(b)
    // Counts, extremes and count merge exactly; the sum only up to the order of additions.
    #expect(a.counts == both.counts && a.firstBucket == both.firstBucket && a.count == both.count)
    #expect(a.minimum == both.minimum && a.maximum == both.maximum && abs(a.sum - both.sum) < 1e-9 * both.sum)
    #expect(a.quantile(0.99) == both.quantile(0.99))
    #expect(both.counts.count < 500)
  }

  @Test("a histogram counts every value in its bucket, zeros apart, growing its range either way")
  func histogramCountsEveryValue() {
    var rng = Xoshiro256StarStar(seed: 17)
    var histogram = LogHistogram()
    var expected: [Int: Int] = [:]
    var zeros = 0
    var values: [Double] = []
    for i in 0..<50_000 {
      // Mostly inside the range seen so far, now and then far below or above it, and zeros.
      let v = i % 997 == 0 ? 0 : i % 101 == 0 ? exp(-30 + 60 * rng.nextUnit()) : 0.01 * exp(rng.nextUnit())
      values.append(v)
      if v == 0 { zeros += 1 } else { expected[histogram.bucket(of: v), default: 0] += 1 }
      histogram.record(v, bucket: histogram.bucket(of: v))
    }
    for (bucket, count) in expected { #expect(histogram.counts[bucket - histogram.firstBucket] == count) }
    #expect(histogram.counts.reduce(0, +) == values.count - zeros && histogram.zeroCount == zeros)
    #expect(histogram.count == values.count && histogram.sum == values.reduce(0, +))
    #expect(histogram.minimum == 0 && histogram.maximum == values.max())
  }

  /// The bad value goes to the child process by name: captured values travel as JSON, which
  /// has no infinity or NaN.
  @Test("a negative, infinite or NaN value in a histogram is a programming error", arguments: ["-1", "inf", "nan"])
  func histogramRejectsBadValues(text: String) async {
    await #expect(processExitsWith: .failure) { [text] in
      var histogram = LogHistogram()
      histogram.record(0.5)
      histogram.record(Double(text)!, bucket: histogram.bucket(of: 0.5))
    }
  }

  @Test("special functions match published values")
  func specialFunctions() {
    #expect(abs(SpecialFunctions.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
    #expect(abs(SpecialFunctions.normalQuantile(0.99) - 2.326347874040841) < 1e-12)
    #expect(abs(SpecialFunctions.normalQuantile(1e-10) + 6.361340902404056) < 1e-9)
    #expect(abs(SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 9) - 2.262157162740992) < 1e-9)
    #expect(abs(SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 1) - 12.70620473617471) < 1e-8)
    #expect(abs(SpecialFunctions.studentTQuantile(0.95, degreesOfFreedom: 30) - 1.697260886593957) < 1e-9)
    #expect(abs(SpecialFunctions.chiSquaredCDF(3.841458820694124, degreesOfFreedom: 1) - 0.95) < 1e-10)
    #expect(abs(SpecialFunctions.chiSquaredCDF(54.57223, degreesOfFreedom: 39) - 0.95) < 1e-6)
    #expect(abs(SpecialFunctions.regularizedGammaP(2, 3) - 0.8008517265285442) < 1e-12)
  }

  /// Quantiles of the doubles nearest these probabilities, found by bisection on an 80-bit Φ
  /// (erfcl), so the reference is the quantile of the very `p` passed, not of the decimal.
  @Test(
    "the normal quantile is within a few units in the last place everywhere (AS 241)",
    arguments: [
      (0.975, 1.9599639845400538551), (0.99, 2.3263478740408407666), (0.999, 3.0902323061678132698),
      (0.9, 1.2815515655446005933), (0.6, 0.25334710313579974123), (0.1, -1.2815515655446004352),
      (0.01, -2.3263478740408410931), (0.001, -3.0902323061678135352), (1e-5, -4.2648907939228246104),
      (1e-10, -6.3613409024040561985), (1e-20, -9.26234008979840758), (1e-100, -21.273453560965324294),
    ])
  func normalQuantileAccuracy(p: Double, expected: Double) {
    let x = SpecialFunctions.normalQuantile(p)
    #expect(abs(x - expected) <= 3 * expected.ulp, "Φ⁻¹(\(p)) = \(x), expected \(expected)")
  }

  @Test("the normal quantile is odd about ½, monotone, and infinite at 0 and 1")
  func normalQuantileShape() {
    #expect(SpecialFunctions.normalQuantile(0.5) == 0)
    #expect(SpecialFunctions.normalQuantile(0) == -.infinity && SpecialFunctions.normalQuantile(1) == .infinity)
    var previous = -Double.infinity
    for k in 1..<(1 << 14) {
      let p = Double(k) / Double(1 << 14)  // 1 − p is exact, so the two calls mirror each other
      let x = SpecialFunctions.normalQuantile(p)
      #expect(x == -SpecialFunctions.normalQuantile(1 - p))
      #expect(x > previous, "not increasing at p = \(p)")
      previous = x
    }
    // Across the joins of the centre and the tails (|p − ½| = 0.425, and ρ = 5 near p = 1.4e-11),
    // neighbouring doubles give values that differ by no more than the slope predicts and a few
    // units in the last place (rounding makes any double approximation wobble by an ulp or two).
    for join in [0.075, 0.925, exp(-25.0)] {
      let below = SpecialFunctions.normalQuantile(join.nextDown)
      let above = SpecialFunctions.normalQuantile(join)
      let slope = (2 * Double.pi).squareRoot() * exp(above * above / 2)
      #expect(abs(above - below) <= slope * (join - join.nextDown) + 4 * above.ulp)
    }
  }

  @Test("95% Student-t intervals cover the true mean about 95% of the time (4,000 experiments of 10 normal draws)")
  func intervalCoverage() throws {
    let d = try Distribution.normal(mean: 3, standardDeviation: 2, dimension: .number)
    var rng = Xoshiro256StarStar(seed: 95)
    let experiments = 4_000
    var covered = 0
    for _ in 0..<experiments {
      let interval = RunningStatistics((0..<10).map { _ in d.sample(&rng) }).confidenceInterval(level: 0.95)!
      if interval.contains(3) { covered += 1 }
    }
    // Binomial(4000, 0.95): sd ≈ 13.8; accept ±4 sd.
    #expect(abs(Double(covered) - 3_800) < 4 * 13.8, "covered \(covered) of \(experiments)")
    #expect(RunningStatistics([1]).confidenceInterval() == nil)
  }
}
