import Foundation
import SimCore

extension ArrivalProfile {
  /// Requests per second at `t` after the start of the run.
  public func rate(at t: SimDuration) -> Double {
    switch self {
    case .constant(let rate): return rate
    case .step(let before, let after, let at): return t < at ? before : after
    case .ramp(let from, let to, let start, let end):
      if t <= start { return from }
      if t >= end { return to }
      return from + (to - from) * ((t - start) / (end - start))
    case .diurnal(let mean, let amplitude, let period, let peakAt):
      let phase = 2 * Double.pi * ((t - peakAt) / period)
      return max(0, mean * (1 + amplitude * cos(phase)))
    case .piecewise(let points):
      guard let first = points.first else { return 0 }
      if t <= first.at { return first.rate }
      for (a, b) in zip(points, points.dropFirst()) where t <= b.at {
        if b.at == a.at { return b.rate }
        return a.rate + (b.rate - a.rate) * ((t - a.at) / (b.at - a.at))
      }
      return points.last!.rate
    }
  }

  /// The highest rate reached in [0, duration]: the candidate rate for thinning.
  public func peakRate(over duration: SimDuration) -> Double {
    switch self {
    case .constant(let rate): return rate
    case .step(let before, let after, let at): return at > duration ? before : max(before, after)
    case .ramp(let from, let to, _, _): return max(from, to)
    case .diurnal(let mean, let amplitude, _, _): return mean * (1 + abs(amplitude))
    case .piecewise(let points): return points.map(\.rate).max() ?? 0
    }
  }

  /// Expected arrivals in [0, duration]: ∫ rate dt (trapezoids over 10,000 steps).
  public func expectedArrivals(over duration: SimDuration) -> Double {
    let steps = 10_000
    let h = duration.seconds / Double(steps)
    var sum = 0.0
    for k in 0...steps {
      let weight = k == 0 || k == steps ? 0.5 : 1
      sum += weight * rate(at: SimDuration(seconds: Double(k) * h))
    }
    return sum * h
  }
}
