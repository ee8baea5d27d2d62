import Foundation
import Testing

@testable import SimCore

@Suite("Distributions")
struct DistributionTests {
  static let cases: [String] = [
    "uniform(min: 10ms, max: 30ms)", "exp(mean: 80ms)", "normal(mean: 100ms, sd: 20ms)",
    "normal(mean: 50ms, sd: 50ms)",  // truncated at 0: the mean moves up
    "normal(mean: 0, sd: 1, min: -1, max: 2)", "lognormal(mean: 120ms, p99: 900ms)",
    "lognormal(mu: 0.5, sigma: 0.25)", "gamma(shape: 0.5, scale: 2s)", "gamma(shape: 2.5, mean: 1s)",
    "erlang(k: 3, mean: 90ms)", "empirical(10ms, 12ms, 15ms, 40ms)",
  ]

  static func draws(_ d: Distribution, seed: String, count: Int) -> [Double] {
    var rng = RandomStreams(seed: 20_261_126).stream(named: seed)
    return (0..<count).map { _ in d.sample(&rng) }
  }

  @Test("sample mean and variance match the closed forms (200,000 draws, fixed seed)", arguments: cases)
  func moments(text: String) throws {
    let d = try Distribution(parsing: text)
    let n = 200_000
    let stats = RunningStatistics(Self.draws(d, seed: text, count: n))
    let standardError = (d.variance / Double(n)).squareRoot()
    #expect(abs(stats.mean - d.mean) <= 5 * standardError + 1e-12, "mean \(stats.mean) vs \(d.mean)")
    #expect(abs(stats.variance - d.variance) <= 0.05 * d.variance, "variance \(stats.variance) vs \(d.variance)")
  }

  @Test("draws pass Kolmogorov–Smirnov and χ² goodness-of-fit tests at the 0.1% level (fixed seed)", arguments: cases)
  func goodnessOfFit(text: String) throws {
    let d = try Distribution(parsing: text)
    let n = 20_000
    let sorted = Self.draws(d, seed: "gof " + text, count: n).sorted()
    // Kolmogorov–Smirnov: the largest gap between the empirical and the true CDF.
    var ks = 0.0
    for (i, x) in sorted.enumerated() {
      let f = d.cdf(x)
      ks = max(ks, Double(i + 1) / Double(n) - f, f - Double(i) / Double(n))
    }
    #expect(ks < 1.95 / Double(n).squareRoot(), "KS statistic \(ks)")
    // χ² over 40 bins of equal probability.
    let bins = 40
    let edges = (1..<bins).map { d.quantile(Double($0) / Double(bins)) }
    var counts = [Int](repeating: 0, count: bins)
    for x in sorted { counts[edges.firstIndex(where: { x <= $0 }) ?? bins - 1] += 1 }
    let expected = Double(n) / Double(bins)
    let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    let pValue = 1 - SpecialFunctions.chiSquaredCDF(chi2, degreesOfFreedom: Double(bins - 1))
    #expect(pValue > 0.001, "χ² = \(chi2), p = \(pValue)")
  }

  @Test("lognormal from mean and p99 has exactly that mean and p99")
  func lognormalFromMeanAndP99() throws {
    let d = try Distribution.lognormal(mean: 0.120, p99: 0.900)
    #expect(abs(d.mean - 0.120) < 1e-12)
    #expect(abs(d.quantile(0.99) - 0.900) < 1e-9)
  }

  @Test("truncated normal quantiles and CDF are inverse to each other")
  func quantileInverse() throws {
    for text in Self.cases {
      let d = try Distribution(parsing: text)
      for p in [0.01, 0.25, 0.5, 0.9, 0.999] {
        #expect(abs(d.cdf(d.quantile(p)) - p) < 1e-6, "\(text) at \(p)")
      }
    }
  }

  @Test("text reads back to the same distribution", arguments: cases + ["40ms", "const(2)", "empirical(1, 2, 5)"])
  func textRoundTrip(text: String) throws {
    let d = try Distribution(parsing: text)
    let again = try Distribution(parsing: d.description)
    #expect(again.dimension == d.dimension)
    #expect(abs(again.mean - d.mean) <= 1e-9 * max(1, abs(d.mean)), "\(d.description)")
    #expect(abs(again.variance - d.variance) <= 1e-6 * max(1, d.variance), "\(d.description)")
  }

  @Test("dimensions: durations need units, counts must not have them")
  func dimensions() throws {
    #expect(try Distribution(parsing: "exp(mean: 80ms)").dimension == .duration)
    #expect(try Distribution(parsing: "uniform(min: 1, max: 3)").dimension == .number)
    #expect(try Distribution(parsing: "lognormal(mu: -2, sigma: 0.5)", expecting: .duration).dimension == .duration)
    #expect(try Distribution(parsing: "erlang(k: 3, mean: 90ms)").sampleDurationIsPositive())
    #expect(throws: TextError.self) { try Distribution(parsing: "exp(mean: 80)", expecting: .duration) }
    #expect(throws: TextError.self) { try Distribution(parsing: "exp(mean: 80ms)", expecting: .number) }
    #expect(throws: TextError.self) { try Distribution(parsing: "uniform(min: 1, max: 3s)") }
  }

  @Test(
    "bad distribution text gives a precise error",
    arguments: [
      ("lognorml(mean: 120ms, p99: 900ms)", "\"lognorml\" is not a distribution", "lognormal(mean: 120ms, p99: 900ms)"),
      ("exp(mena: 80ms)", "exp has no parameter \"mena\"", "exp(mean: 80ms)"),
      ("exp(mean: -5ms)", "greater than zero", nil),
      ("uniform(min: 3s, max: 1s)", "min must not exceed max", nil),
      ("lognormal(mean: 100ms, p99: 50ms)", "p99 must be above the mean", nil),
      ("lognormal(mean: 10ms, p99: 900ms)", "14.97", nil),
      ("normal(mean: 1s)", "\"sd\" is missing", nil),
      ("erlang(k: 2.5, mean: 1s)", "whole number", nil),
      ("exp(mean: 80ms", "closing", nil),
      ("exp(mean: 80mins)", "\"mins\" is not a unit", "exp(mean: 80m)"),
      ("normal(mean: 10ms, sd: 1ms, min: 5s)", "almost no probability", nil),
      ("exp(mean: 1s, mean: 2s)", "given twice", nil),
      ("fast", "not a number or a duration", nil),
      ("lognormal(mu: 1, sigma: 1, mean: 1s)", "does not go with", nil),
    ] as [(String, String, String?)])
  func errors(text: String, problem: String, suggestion: String?) {
    #expect {
      try Distribution(parsing: text)
    } throws: { error in
      let e = error as! TextError
      return e.problem.contains(problem) && e.suggestion == suggestion && !e.accepted.isEmpty
    }
  }
}

extension Distribution {
  func sampleDurationIsPositive() -> Bool {
    var rng = Xoshiro256StarStar(seed: 1)
    return (0..<100).allSatisfy { _ in sampleDuration(&rng) > .zero }
  }
}
