import Foundation

/// Readable text for distributions.
///
/// ```
/// 40ms                                  constant
/// const(40ms)                           constant
/// uniform(min: 10ms, max: 30ms)
/// exp(mean: 80ms)                       also exponential(…)
/// normal(mean: 100ms, sd: 20ms)         optional min:, max: (a duration normal stops at 0)
/// lognormal(mean: 120ms, p99: 900ms)    or lognormal(median: 100ms, sigma: 0.6),
///                                       or lognormal(median: 30m, p99: 6h),
///                                       or lognormal(mu: -2.3, sigma: 0.6)
/// gamma(shape: 2, scale: 40ms)          or gamma(shape: 2, mean: 80ms)
/// erlang(k: 3, mean: 90ms)
/// empirical(10ms, 12ms, 15ms, 40ms)     CDF linear between the sorted points
/// ```
/// Duration values carry a unit (`ms`, `s`, `m`…); plain numbers carry none. For a
/// duration lognormal given by `mu` and `sigma`, mu is the log of seconds.
extension Distribution {
  /// The family names accepted in text, and the parameter keys each takes.
  public static let textFamilies: [(name: String, keys: [String])] = [
    ("const", ["value"]), ("constant", ["value"]), ("uniform", ["min", "max"]), ("exp", ["mean"]),
    ("exponential", ["mean"]), ("normal", ["mean", "sd", "min", "max"]),
    ("lognormal", ["mean", "p99", "median", "mu", "sigma"]), ("gamma", ["shape", "scale", "mean"]),
    ("erlang", ["k", "mean"]), ("empirical", []),
  ]

  /// Parses readable distribution text.
  ///
  /// - Parameters:
  ///   - text: for example `"exp(mean: 80ms)"` or `"lognormal(mean: 120ms, p99: 900ms)"`.
  ///   - expected: the dimension the caller needs; a mismatch is an error (a duration
  ///     written without a unit, or a count written with one). Nil accepts either.
  /// - Throws: ``TextError`` quoting the text, saying what is wrong and what is accepted,
  ///   with a suggestion for a misspelt family or key.
  public init(parsing text: String, expecting expected: Dimension? = nil) throws(TextError) {
    let trimmed = text.trimmingSpaces()
    let general =
      "a distribution such as \"40ms\", \"exp(mean: 80ms)\", \"lognormal(mean: 120ms, p99: 900ms)\", "
      + "\"uniform(min: 1s, max: 3s)\", \"normal(mean: 100ms, sd: 20ms)\", \"gamma(shape: 2, scale: 40ms)\", "
      + "\"erlang(k: 3, mean: 90ms)\" or \"empirical(10ms, 15ms, 40ms)\""
    guard let open = trimmed.firstIndex(of: "(") else {
      // A bare value is a constant.
      let value = try Self.quantity(trimmed, in: text, expecting: expected, general: general)
      self = try Self.constant(value.value, dimension: value.dimension)
      return
    }
    let name = trimmed[..<open].trimmingSpaces()
    guard trimmed.hasSuffix(")") else {
      throw TextError(value: text, problem: "the closing \")\" is missing", accepted: general)
    }
    let families = Self.textFamilies.map(\.name)
    guard let family = Self.textFamilies.first(where: { $0.name == name.lowercased() }) else {
      var error = TextError(value: text, problem: "\"\(name)\" is not a distribution", accepted: general)
      if let near = Suggestion.nearest(to: name, among: families) { error.suggestion = trimmed.replacingFirst(name, with: near) }
      throw error
    }
    let inside = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
    var positional: [Quantity] = []
    var named: [String: Quantity] = [:]
    for rawArgument in inside.split(separator: ",", omittingEmptySubsequences: false) {
      let argument = String(rawArgument).trimmingSpaces()
      if argument.isEmpty {
        if rawArgument.startIndex == inside.endIndex || rawArgument.endIndex == inside.endIndex { continue }
        throw TextError(value: text, problem: "an argument is empty", accepted: general)
      }
      if let colon = argument.firstIndex(of: ":") {
        let key = argument[..<colon].trimmingSpaces()
        guard family.keys.contains(key) else {
          var error = TextError(
            value: text, problem: "\(family.name) has no parameter \"\(key)\"",
            accepted: family.keys.isEmpty
              ? "\(family.name)(v1, v2, …) with plain values"
              : "\(family.name) with " + family.keys.map { "\"\($0)\"" }.joined(separator: ", "))
          if let near = Suggestion.nearest(to: key, among: family.keys) {
            error.suggestion = trimmed.replacingFirst(key + ":", with: near + ":")
          }
          throw error
        }
        if named[key] != nil { throw TextError(value: text, problem: "\"\(key)\" is given twice", accepted: general) }
        named[key] = try Self.quantity(
          argument[argument.index(after: colon)...].trimmingSpaces(), in: text, expecting: nil, general: general)
      } else {
        positional.append(try Self.quantity(argument, in: text, expecting: nil, general: general))
      }
    }
    self = try Self.build(family: family.name, positional: positional, named: named, text: text, expected: expected)
  }

  /// A number read from text, with or without a duration unit.
  struct Quantity {
    var value: Double
    var dimension: Dimension
  }

  static func quantity(_ token: String, in text: String, expecting expected: Dimension?, general: String) throws(TextError) -> Quantity {
    if token.isEmpty { throw TextError(value: text, problem: "a value is missing", accepted: general) }
    if let number = Double(token), number.isFinite {
      if expected == .duration {
        throw TextError(
          value: text, problem: "\(token) has no unit", accepted: "a duration with a unit such as \"\(token)ms\" or \"\(token)s\"",
          suggestion: text.trimmingSpaces() == token ? token + "ms" : nil)
      }
      return Quantity(value: number, dimension: .number)
    }
    let duration: SimDuration
    do throws(TextError) {
      duration = try SimDuration(parsing: token)
    } catch {
      let looksNumeric = token.first.map { $0.isNumber || $0 == "." || $0 == "-" } ?? false
      if expected == .number || !looksNumeric {
        throw TextError(value: text, problem: "\"\(token)\" is not a number or a duration", accepted: general)
      }
      var wrapped = TextError(value: text, problem: "\"\(token)\": \(error.problem)", accepted: error.accepted)
      if let fixed = error.suggestion { wrapped.suggestion = text.replacingFirst(token, with: fixed) }
      throw wrapped
    }
    if expected == .number {
      throw TextError(
        value: text, problem: "\"\(token)\" is a duration but a plain number is needed here", accepted: "a number without a unit")
    }
    return Quantity(value: duration.seconds, dimension: .duration)
  }

  private static func build(
    family: String, positional: [Quantity], named: [String: Quantity], text: String, expected: Dimension?
  ) throws(TextError) -> Distribution {
    let grammar = grammar(for: family)
    func fail(_ why: String) -> TextError { TextError(value: text, problem: why, accepted: grammar) }
    // Dimensionless parameters that do not decide the dimension (shape, k, sigma, mu).
    let valueKeys: Set<String> = ["value", "min", "max", "mean", "sd", "p99", "median", "scale"]
    let valueDimensions = Set(positional.map(\.dimension) + named.filter { valueKeys.contains($0.key) }.map(\.value.dimension))
    if valueDimensions.count > 1 { throw fail("some values have units and some do not; give them all the same kind") }
    var dimension = valueDimensions.first ?? expected ?? .number
    if family == "lognormal" && named["mu"] != nil { dimension = expected ?? .number }
    if let expected, dimension != expected {
      throw fail(expected == .duration ? "the values need a duration unit (such as ms or s)" : "a plain number is needed, not a duration")
    }
    for key in ["shape", "k", "mu", "sigma"] where named[key]?.dimension == .duration {
      throw fail("\(key) is a plain number, not a duration")
    }
    func needs(_ keys: [String]) throws(TextError) -> [Double] {
      if !positional.isEmpty { throw fail("write the parameters by name, as in \(grammar)") }
      var values: [Double] = []
      for key in keys {
        guard let q = named[key] else { throw fail("\"\(key)\" is missing") }
        values.append(q.value)
      }
      return values
    }
    func onlyKeys(_ keys: Set<String>) throws(TextError) {
      if let extra = named.keys.sorted().first(where: { !keys.contains($0) }) {
        throw fail("\"\(extra)\" does not go with " + keys.sorted().map { "\"\($0)\"" }.joined(separator: " and "))
      }
    }
    switch family {
    case "const", "constant":
      if positional.count == 1 && named.isEmpty { return try constant(positional[0].value, dimension: dimension) }
      let v = try needs(["value"])
      return try constant(v[0], dimension: dimension)
    case "uniform":
      let v = try needs(["min", "max"])
      return try uniform(min: v[0], max: v[1], dimension: dimension)
    case "exp", "exponential":
      let v = try needs(["mean"])
      return try exponential(mean: v[0], dimension: dimension)
    case "normal":
      let v = try needs(["mean", "sd"])
      return try normal(mean: v[0], standardDeviation: v[1], min: named["min"]?.value, max: named["max"]?.value, dimension: dimension)
    case "lognormal":
      if named["median"] != nil && named["p99"] != nil {
        // The way failure studies quote repair times: the typical one and the tail.
        try onlyKeys(["median", "p99"])
        let v = try needs(["median", "p99"])
        guard v[0] > 0 else { throw fail("the median must be greater than zero") }
        guard v[1] > v[0] else { throw fail("p99 must be above the median") }
        return try lognormal(mu: log(v[0]), sigma: log(v[1] / v[0]) / SpecialFunctions.normalQuantile(0.99), dimension: dimension)
      }
      if named["median"] != nil {
        try onlyKeys(["median", "sigma"])
        let v = try needs(["median", "sigma"])
        guard v[0] > 0 else { throw fail("the median must be greater than zero") }
        return try lognormal(mu: log(v[0]), sigma: v[1], dimension: dimension)
      }
      if named["mu"] != nil || named["sigma"] != nil {
        try onlyKeys(["mu", "sigma"])
        let v = try needs(["mu", "sigma"])
        return try lognormal(mu: v[0], sigma: v[1], dimension: dimension)
      }
      try onlyKeys(["mean", "p99"])
      let v = try needs(["mean", "p99"])
      return try lognormal(mean: v[0], p99: v[1], dimension: dimension)
    case "gamma":
      if named["mean"] != nil {
        try onlyKeys(["shape", "mean"])
        let v = try needs(["shape", "mean"])
        return try gamma(shape: v[0], scale: v[1] / max(v[0], .leastNonzeroMagnitude), dimension: dimension)
      }
      let v = try needs(["shape", "scale"])
      return try gamma(shape: v[0], scale: v[1], dimension: dimension)
    case "erlang":
      let v = try needs(["k", "mean"])
      guard v[0] == v[0].rounded(), v[0] >= 1, v[0] < 1e6 else { throw fail("k must be a whole number of phases, at least 1") }
      return try erlang(k: Int(v[0]), mean: v[1], dimension: dimension)
    default:  // empirical
      if !named.isEmpty { throw fail("empirical takes its points without names") }
      return try empirical(positional.map(\.value), dimension: dimension)
    }
  }

  static func grammar(for family: String) -> String {
    switch family {
    case "const", "constant": return "\"40ms\" or \"const(40ms)\""
    case "uniform": return "\"uniform(min: 10ms, max: 30ms)\""
    case "exp", "exponential": return "\"exp(mean: 80ms)\""
    case "normal": return "\"normal(mean: 100ms, sd: 20ms)\", optionally with min: and max:"
    case "lognormal":
      return "\"lognormal(mean: 120ms, p99: 900ms)\", \"lognormal(median: 100ms, sigma: 0.6)\" or \"lognormal(mu: -2.3, sigma: 0.6)\""
    case "gamma": return "\"gamma(shape: 2, scale: 40ms)\" or \"gamma(shape: 2, mean: 80ms)\""
    case "erlang": return "\"erlang(k: 3, mean: 90ms)\""
    default: return "\"empirical(10ms, 15ms, 40ms)\""
    }
  }

  static func grammar(for shape: Shape) -> String {
    switch shape {
    case .constant: return grammar(for: "const")
    case .uniform: return grammar(for: "uniform")
    case .exponential: return grammar(for: "exp")
    case .normal: return grammar(for: "normal")
    case .lognormal: return grammar(for: "lognormal")
    case .gamma: return grammar(for: "gamma")
    case .empirical: return grammar(for: "empirical")
    }
  }

  /// A value as the text form writes it: a duration with its unit, or a plain number.
  func format(_ value: Double) -> String {
    if dimension == .duration, value.isFinite, abs(value) < 9e9 { return SimDuration(seconds: value).description }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}

extension Distribution: CustomStringConvertible {
  /// Text that ``init(parsing:expecting:)`` reads back (durations to the nanosecond).
  public var description: String {
    switch shape {
    case .constant(let value): return format(value)
    case .uniform(let low, let high): return "uniform(min: \(format(low)), max: \(format(high)))"
    case .exponential(let mean): return "exp(mean: \(format(mean)))"
    case .normal(let mean, let sd, let low, let high):
      var text = "normal(mean: \(format(mean)), sd: \(format(sd))"
      let defaultLow = dimension == .duration ? 0 : -Double.infinity
      if low != defaultLow { text += ", min: \(format(low))" }
      if high != .infinity { text += ", max: \(format(high))" }
      return text + ")"
    case .lognormal(let mu, let sigma):
      // A duration keeps its unit through the median; a plain number uses mu directly.
      if dimension == .duration { return "lognormal(median: \(format(exp(mu))), sigma: \(sigma))" }
      return "lognormal(mu: \(mu), sigma: \(sigma))"
    case .gamma(let k, let theta):
      if k == k.rounded() && k >= 1 { return "erlang(k: \(Int(k)), mean: \(format(k * theta)))" }
      return "gamma(shape: \(k), scale: \(format(theta)))"
    case .empirical(let points): return "empirical(" + points.map(format).joined(separator: ", ") + ")"
    }
  }
}
