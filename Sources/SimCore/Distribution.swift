import Foundation

/// A probability distribution of durations or plain numbers, validated when built.
///
/// Durations are held in seconds; ``sampleDuration(_:)`` turns a draw into a ``SimDuration``.
/// Build one with the throwing factories (``exponential(mean:dimension:)``,
/// ``lognormal(mean:p99:dimension:)``…) or parse readable text with ``init(parsing:expecting:)``:
/// `"exp(mean: 80ms)"`, `"lognormal(mean: 120ms, p99: 900ms)"`, `"40ms"` (a constant).
///
/// Sampling uses the inverse CDF wherever it has a closed form or a fast exact method
/// (all but gamma), so each draw takes exactly one uniform number: two configurations
/// fed the same stream then see the same quantiles (common random numbers).
public struct Distribution: Hashable, Sendable {
  /// What a distribution's values measure.
  public enum Dimension: String, Hashable, Sendable {
    /// A duration, held in seconds.
    case duration
    /// A plain number (a count, a ratio, a factor).
    case number
  }

  /// The family and its parameters (duration parameters in seconds).
  public enum Shape: Hashable, Sendable {
    /// Always `value`.
    case constant(Double)
    /// Uniform on [min, max].
    case uniform(min: Double, max: Double)
    /// Exponential with the given mean.
    case exponential(mean: Double)
    /// Normal with mean and standard deviation, truncated to [min, max] (either may be infinite).
    case normal(mean: Double, standardDeviation: Double, min: Double, max: Double)
    /// exp(N(mu, sigma²)); for durations mu is the log of seconds.
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with shape k and scale θ (mean kθ); Erlang when k is a whole number.
    case gamma(shape: Double, scale: Double)
    /// Continuous empirical distribution: the CDF rises linearly between consecutive sorted
    /// points, each gap holding equal probability (Law, "Simulation Modeling and Analysis", §6.2.4).
    case empirical(EmpiricalPoints)
  }

  /// The family and parameters.
  public let shape: Shape
  /// Whether values are durations (seconds) or plain numbers.
  public let dimension: Dimension
  /// For a truncated normal, Φ at its bounds, worked out once: a draw then takes no `erfc`.
  @usableFromInline let normalBounds: (low: Double, high: Double)

  private init(_ shape: Shape, _ dimension: Dimension) {
    self.shape = shape
    self.dimension = dimension
    if case .normal(let mean, let sd, let low, let high) = shape {
      normalBounds = (SpecialFunctions.normalCDF((low - mean) / sd), SpecialFunctions.normalCDF((high - mean) / sd))
    } else {
      normalBounds = (0, 1)
    }
  }

  public static func == (a: Distribution, b: Distribution) -> Bool { a.shape == b.shape && a.dimension == b.dimension }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(shape)
    hasher.combine(dimension)
  }

  // MARK: Factories (each validates its parameters)

  /// Always `value`.
  public static func constant(_ value: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let d = Distribution(.constant(value), dimension)
    try d.require(value.isFinite && (dimension == .number || value >= 0), "the value must be finite and, for a duration, not negative")
    return d
  }

  /// A fixed duration.
  public static func constant(_ value: SimDuration) -> Distribution {
    Distribution(.constant(value.seconds), .duration)
  }

  /// Uniform on [min, max].
  public static func uniform(min: Double, max: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let d = Distribution(.uniform(min: min, max: max), dimension)
    try d.require(min.isFinite && max.isFinite, "min and max must be finite")
    try d.require(min <= max, "min must not exceed max")
    try d.require(dimension == .number || min >= 0, "a duration cannot be negative")
    return d
  }

  /// Exponential with mean `mean` (rate 1/mean).
  public static func exponential(mean: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let d = Distribution(.exponential(mean: mean), dimension)
    try d.require(mean.isFinite && mean > 0, "the mean must be greater than zero")
    return d
  }

  /// Normal with `mean` and `standardDeviation`, truncated to [min, max].
  ///
  /// A duration normal is truncated at zero unless `min` says otherwise.
  public static func normal(
    mean: Double, standardDeviation: Double, min: Double? = nil, max: Double? = nil,
    dimension: Dimension = .duration
  ) throws(TextError) -> Distribution {
    let low = min ?? (dimension == .duration ? 0 : -.infinity)
    let high = max ?? .infinity
    let d = Distribution(.normal(mean: mean, standardDeviation: standardDeviation, min: low, max: high), dimension)
    try d.require(mean.isFinite, "the mean must be finite")
    try d.require(standardDeviation.isFinite && standardDeviation > 0, "sd must be greater than zero")
    try d.require(low < high, "min must be below max")
    try d.require(dimension == .number || low >= 0, "a duration cannot be negative: min must be at least 0")
    let mass =
      SpecialFunctions.normalCDF((high - mean) / standardDeviation)
      - SpecialFunctions.normalCDF((low - mean) / standardDeviation)
    try d.require(mass > 1e-9, "[min, max] lies so far in the tail that it holds almost no probability")
    return d
  }

  /// Lognormal from the mean and standard deviation of the logarithm.
  public static func lognormal(mu: Double, sigma: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let d = Distribution(.lognormal(mu: mu, sigma: sigma), dimension)
    try d.require(mu.isFinite, "mu must be finite")
    try d.require(sigma.isFinite && sigma > 0, "sigma must be greater than zero")
    return d
  }

  /// Lognormal with the given mean and 99th percentile, the way latency is usually quoted.
  ///
  /// Solves mean = e^(μ+σ²/2) and p99 = e^(μ+z·σ) (z = Φ⁻¹(0.99) ≈ 2.326) for the smaller σ:
  /// σ = z − √(z² − 2·ln(p99/mean)). That needs mean < p99 ≤ e^(z²/2)·mean ≈ 14.97 × mean.
  public static func lognormal(mean: Double, p99: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let z = SpecialFunctions.normalQuantile(0.99)
    let placeholder = Distribution(.lognormal(mu: 0, sigma: 1), dimension)
    func fail(_ why: String) -> TextError {
      TextError(
        value: "lognormal(mean: \(placeholder.format(mean)), p99: \(placeholder.format(p99)))", problem: why,
        accepted: "a mean above zero and a p99 above the mean and at most 14.97 × the mean")
    }
    guard mean.isFinite, mean > 0, p99.isFinite else { throw fail("the mean must be greater than zero") }
    guard p99 > mean else { throw fail("p99 must be above the mean") }
    let spread = log(p99 / mean)
    guard spread <= z * z / 2 else { throw fail("no lognormal has a p99 more than 14.97 × its mean") }
    let sigma = z - (z * z - 2 * spread).squareRoot()
    let mu = log(mean) - sigma * sigma / 2
    return try lognormal(mu: mu, sigma: sigma, dimension: dimension)
  }

  /// Gamma with `shape` k and `scale` θ.
  public static func gamma(shape: Double, scale: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let d = Distribution(.gamma(shape: shape, scale: scale), dimension)
    try d.require(shape.isFinite && shape > 0, "shape must be greater than zero")
    try d.require(scale.isFinite && scale > 0, "scale must be greater than zero")
    return d
  }

  /// Erlang: the sum of `k` exponential phases with total mean `mean`.
  public static func erlang(k: Int, mean: Double, dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let d = Distribution(.gamma(shape: Double(k), scale: mean / Double(max(k, 1))), dimension)
    try d.require(k >= 1, "k must be a whole number of phases, at least 1")
    try d.require(mean.isFinite && mean > 0, "the mean must be greater than zero")
    return d
  }

  /// The continuous empirical distribution through `points` (in any order).
  public static func empirical(_ points: [Double], dimension: Dimension = .duration) throws(TextError) -> Distribution {
    let sorted = points.sorted()
    let d = Distribution(.empirical(EmpiricalPoints(sorted)), dimension)
    try d.require(!points.isEmpty, "it needs at least one point")
    try d.require(points.allSatisfy(\.isFinite), "every point must be finite")
    try d.require(dimension == .number || sorted[0] >= 0, "a duration cannot be negative")
    return d
  }

  private func require(_ condition: Bool, _ problem: String) throws(TextError) {
    if !condition { throw TextError(value: description, problem: problem, accepted: Self.grammar(for: shape)) }
  }

  // MARK: Sampling

  /// One draw from the distribution (seconds for durations).
  ///
  /// Inlinable, and a distribution is a plain value (its empirical points are interned, see
  /// ``EmpiricalPoints``), so a draw copies no reference-counted storage.
  @inlinable
  public func sample(_ rng: inout Xoshiro256StarStar) -> Double {
    switch shape {
    case .constant(let value):
      return value
    case .uniform(let low, let high):
      return low + (high - low) * rng.nextUnit()
    case .exponential(let mean):
      return -mean * log(rng.nextOpenUnit())
    case .normal(let mean, let sd, let low, let high):
      // Inverse CDF restricted to [Φ(a), Φ(b)]: exact truncation, one uniform per draw.
      let (pa, pb) = normalBounds
      let p = pa + (pb - pa) * rng.nextOpenUnit()
      return Swift.min(Swift.max(mean + sd * SpecialFunctions.normalQuantile(p), low), high)
    case .lognormal(let mu, let sigma):
      return exp(mu + sigma * SpecialFunctions.normalQuantile(rng.nextOpenUnit()))
    case .gamma(let k, let theta):
      return theta * Self.standardGamma(k, &rng)
    case .empirical(let points):
      if points.count == 1 { return points[0] }
      let position = rng.nextUnit() * Double(points.count - 1)
      let index = Int(position)
      return points[index] + (position - Double(index)) * (points[index + 1] - points[index])
    }
  }

  /// One draw as a duration, rounded to the nearest nanosecond.
  @inlinable
  public func sampleDuration(_ rng: inout Xoshiro256StarStar) -> SimDuration {
    SimDuration(seconds: sample(&rng))
  }

  /// Gamma(k, 1) by Marsaglia and Tsang (2000); for k < 1, Gamma(k+1)·U^(1/k).
  @usableFromInline
  static func standardGamma(_ k: Double, _ rng: inout Xoshiro256StarStar) -> Double {
    if k < 1 {
      return standardGamma(k + 1, &rng) * pow(rng.nextOpenUnit(), 1 / k)
    }
    let d = k - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
      let x = SpecialFunctions.normalQuantile(rng.nextOpenUnit())
      let v0 = 1 + c * x
      if v0 <= 0 { continue }
      let v = v0 * v0 * v0
      let u = rng.nextOpenUnit()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }

  // MARK: Properties

  /// The expected value.
  public var mean: Double {
    switch shape {
    case .constant(let value): return value
    case .uniform(let low, let high): return (low + high) / 2
    case .exponential(let mean): return mean
    case .normal(let mean, let sd, let low, let high):
      let (a, b, z) = Self.truncation(mean, sd, low, high)
      return mean + sd * (Self.phi(a) - Self.phi(b)) / z
    case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
    case .gamma(let k, let theta): return k * theta
    case .empirical(let points):
      if points.count == 1 { return points[0] }
      var sum = 0.0
      for i in 0..<(points.count - 1) { sum += (points[i] + points[i + 1]) / 2 }
      return sum / Double(points.count - 1)
    }
  }

  /// The variance.
  public var variance: Double {
    switch shape {
    case .constant: return 0
    case .uniform(let low, let high): return (high - low) * (high - low) / 12
    case .exponential(let mean): return mean * mean
    case .normal(let mean, let sd, let low, let high):
      let (a, b, z) = Self.truncation(mean, sd, low, high)
      let aTerm = a.isFinite ? a * Self.phi(a) : 0
      let bTerm = b.isFinite ? b * Self.phi(b) : 0
      let shift = (Self.phi(a) - Self.phi(b)) / z
      return sd * sd * (1 + (aTerm - bTerm) / z - shift * shift)
    case .lognormal(let mu, let sigma): return (exp(sigma * sigma) - 1) * exp(2 * mu + sigma * sigma)
    case .gamma(let k, let theta): return k * theta * theta
    case .empirical(let points):
      if points.count == 1 { return 0 }
      // E[X²] over each linear segment: (a² + ab + b²)/3, equal weights.
      var second = 0.0
      for i in 0..<(points.count - 1) {
        let a = points[i]
        let b = points[i + 1]
        second += (a * a + a * b + b * b) / 3
      }
      second /= Double(points.count - 1)
      return Swift.max(0, second - mean * mean)
    }
  }

  /// P(X ≤ x).
  public func cdf(_ x: Double) -> Double {
    switch shape {
    case .constant(let value): return x >= value ? 1 : 0
    case .uniform(let low, let high):
      if high == low { return x >= low ? 1 : 0 }
      return Swift.min(1, Swift.max(0, (x - low) / (high - low)))
    case .exponential(let mean): return x <= 0 ? 0 : 1 - exp(-x / mean)
    case .normal(let mean, let sd, let low, let high):
      if x < low { return 0 }
      if x >= high { return 1 }
      let pa = SpecialFunctions.normalCDF((low - mean) / sd)
      let pb = SpecialFunctions.normalCDF((high - mean) / sd)
      return (SpecialFunctions.normalCDF((x - mean) / sd) - pa) / (pb - pa)
    case .lognormal(let mu, let sigma):
      return x <= 0 ? 0 : SpecialFunctions.normalCDF((log(x) - mu) / sigma)
    case .gamma(let k, let theta): return x <= 0 ? 0 : SpecialFunctions.regularizedGammaP(k, x / theta)
    case .empirical(let points):
      if x < points[0] { return 0 }
      if x >= points[points.count - 1] { return 1 }
      // Last index with points[i] <= x; the segment from it carries 1/(n-1) of the mass.
      var i = 0
      while i + 1 < points.count && points[i + 1] <= x { i += 1 }
      let width = points[i + 1] - points[i]
      let within = width > 0 ? (x - points[i]) / width : 1
      return (Double(i) + within) / Double(points.count - 1)
    }
  }

  /// The p-quantile (0 < p < 1): closed form where one exists, otherwise bisection on the CDF.
  /// A value that draws exceed about once in a billion or never: the bound a scenario's
  /// durations are checked against, so that what cannot fit on the clock is refused when
  /// the file is read. Closed forms only (a 6σ bound for normal and lognormal tails, the
  /// 1 − 10⁻⁹ quantile for the exponential, mean + 12 sd + 21 scale for gamma), so it is
  /// cheap and finite or +∞ even for absurd parameters.
  public var practicalMaximum: Double {
    switch shape {
    case .constant(let value): return value
    case .uniform(_, let high): return high
    case .exponential(let mean): return mean * 20.73  // −ln(10⁻⁹)
    case .normal(let mean, let sd, _, let high): return Swift.min(high, mean + 6 * sd)
    case .lognormal(let mu, let sigma): return exp(mu + 6 * sigma)
    case .gamma(let k, let theta): return k * theta + 12 * k.squareRoot() * theta + 21 * theta
    case .empirical(let points): return points.max() ?? 0
    }
  }

  public func quantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "quantile needs 0 < p < 1")
    switch shape {
    case .constant(let value): return value
    case .uniform(let low, let high): return low + p * (high - low)
    case .exponential(let mean): return -mean * log(1 - p)
    case .lognormal(let mu, let sigma): return exp(mu + sigma * SpecialFunctions.normalQuantile(p))
    case .empirical(let points):
      if points.count == 1 { return points[0] }
      let position = p * Double(points.count - 1)
      let index = Swift.min(Int(position), points.count - 2)
      return points[index] + (position - Double(index)) * (points[index + 1] - points[index])
    case .normal, .gamma:
      var low = mean - 1
      var high = mean + 1
      while cdf(low) > p { low -= 2 * (high - low) }
      while cdf(high) < p { high += 2 * (high - low) }
      for _ in 0..<200 {
        let mid = (low + high) / 2
        if mid == low || mid == high { break }
        if cdf(mid) < p { low = mid } else { high = mid }
      }
      return (low + high) / 2
    }
  }

  private static func phi(_ x: Double) -> Double {
    x.isFinite ? exp(-x * x / 2) / (2 * Double.pi).squareRoot() : 0
  }

  private static func truncation(_ mean: Double, _ sd: Double, _ low: Double, _ high: Double) -> (Double, Double, Double) {
    let a = (low - mean) / sd
    let b = (high - mean) / sd
    return (a, b, SpecialFunctions.normalCDF(b) - SpecialFunctions.normalCDF(a))
  }
}

/// The sorted points of an empirical distribution, interned for the life of the process.
///
/// A pointer and a count instead of an array, so a ``Distribution`` holds no reference-counted
/// storage and copies as plain bytes: the draw of a CPU or query time copied the distribution
/// out of its configuration, and with an array inside, each copy paid a retain and a release
/// through the value witness table (2.6% of a full model's instructions). Equal point lists
/// (compared bit for bit) share one allocation, so memory grows with the distinct lists a
/// process reads, not with the runs or the scenarios that repeat them.
public struct EmpiricalPoints: RandomAccessCollection, Hashable, @unchecked Sendable {
  // Sendable: the storage is written once, before any value refers to it, and never freed.
  @usableFromInline let base: UnsafePointer<Double>
  /// The number of points.
  public let count: Int

  /// The interned copy of `values`.
  public init(_ values: [Double]) {
    base = Self.interned.pointer(for: values)
    count = values.count
  }

  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { count }

  @inlinable public subscript(position: Int) -> Double {
    precondition(position >= 0 && position < count, "empirical point \(position) out of 0..<\(count)")
    return base[position]
  }

  public static func == (a: EmpiricalPoints, b: EmpiricalPoints) -> Bool {
    a.count == b.count && (a.base == b.base || a.elementsEqual(b))
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for value in self { hasher.combine(value) }
  }

  /// Every list interned so far, by the bit patterns of its values.
  private static let interned = InternTable()

  private final class InternTable: @unchecked Sendable {
    // Guarded by `lock`; entries are never removed.
    private let lock = NSLock()
    private var table: [[UInt64]: UnsafePointer<Double>] = [:]

    func pointer(for values: [Double]) -> UnsafePointer<Double> {
      let key = values.map(\.bitPattern)
      lock.lock()
      defer { lock.unlock() }
      if let existing = table[key] { return existing }
      let storage = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, values.count))
      storage.initialize(from: values, count: values.count)
      let pointer = UnsafePointer(storage)
      table[key] = pointer
      return pointer
    }
  }
}
