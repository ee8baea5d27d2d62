import Foundation

/// The special functions behind Drill's distributions and confidence intervals.
///
/// Written out here (the package depends on nothing) from standard algorithms:
/// series and continued fractions for the incomplete gamma and beta functions
/// (Numerical Recipes, 3rd ed., §6.2 and §6.4, modified Lentz), Acklam's rational
/// approximation for the normal quantile refined by one Halley step (full double
/// precision), and bisection on the CDF for Student-t quantiles.
public enum SpecialFunctions {
  /// ln Γ(x) for x > 0.
  public static func logGamma(_ x: Double) -> Double { Foundation.lgamma(x) }

  /// The standard normal CDF Φ(x) = ½·erfc(−x/√2).
  public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  /// The standard normal quantile Φ⁻¹(p) for 0 < p < 1; −∞ at 0 and +∞ at 1.
  public static func normalQuantile(_ p: Double) -> Double {
    if p <= 0 { return -.infinity }
    if p >= 1 { return .infinity }
    // Acklam's algorithm (relative error < 1.15e-9).
    let a = [
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    let b = [
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01,
    ]
    let c = [
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
    ]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      x =
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
      let q = p - 0.5
      let r = q * q
      x =
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log(1 - p)).squareRoot()
      x =
        -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // One Halley step on Φ(x) − p brings the error to rounding level.
    let e = normalCDF(x) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
  }

  /// The regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0.
  public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    precondition(a > 0, "regularizedGammaP needs a > 0")
    if x <= 0 { return 0 }
    if x < a + 1 {
      // Series: γ(a,x) = e^{-x} x^a Σ x^n / (a(a+1)…(a+n)).
      var term = 1 / a
      var sum = term
      var n = a
      for _ in 0..<10_000 {
        n += 1
        term *= x / n
        sum += term
        if abs(term) < abs(sum) * 1e-16 { break }
      }
      return sum * exp(-x + a * log(x) - logGamma(a))
    }
    return 1 - regularizedGammaQContinuedFraction(a, x)
  }

  /// Q(a, x) = 1 − P(a, x) by Lentz's continued fraction (x ≥ a + 1).
  static func regularizedGammaQContinuedFraction(_ a: Double, _ x: Double) -> Double {
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1..<10_000 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return exp(-x + a * log(x) - logGamma(a)) * h
  }

  /// The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1.
  public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let front = exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log(1 - x))
    if x < (a + 1) / (a + b + 2) { return front * betaContinuedFraction(x, a, b) / a }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b
  }

  static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1..<10_000 {
      let m = Double(m)
      var aa = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return h
  }

  /// The CDF of Student's t distribution with `degreesOfFreedom` ν > 0.
  public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    let tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5)
    return t >= 0 ? 1 - tail : tail
  }

  /// The quantile of Student's t distribution: the t with CDF(t) = p, for 0 < p < 1.
  public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
    precondition(p > 0 && p < 1 && nu > 0, "studentTQuantile needs 0 < p < 1 and ν > 0")
    if p == 0.5 { return 0 }
    // Bracket, then bisect to double precision: the CDF is monotone, so this always converges.
    var low = -1.0
    var high = 1.0
    while studentTCDF(low, degreesOfFreedom: nu) > p { low *= 2 }
    while studentTCDF(high, degreesOfFreedom: nu) < p { high *= 2 }
    for _ in 0..<200 {
      let mid = (low + high) / 2
      if mid == low || mid == high { break }
      if studentTCDF(mid, degreesOfFreedom: nu) < p { low = mid } else { high = mid }
    }
    return (low + high) / 2
  }

  /// The CDF of the χ² distribution with k degrees of freedom: P(k/2, x/2).
  public static func chiSquaredCDF(_ x: Double, degreesOfFreedom k: Double) -> Double {
    regularizedGammaP(k / 2, x / 2)
  }
}
