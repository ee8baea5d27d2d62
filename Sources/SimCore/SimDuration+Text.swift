/// Readable text for durations: `"30s"`, `"1h30m"`, `"40ms"`, `"1.5s"`, `"250us"`.
///
/// Grammar: one or more `NUMBER UNIT` parts, optionally separated by spaces, optionally
/// preceded by `-`; NUMBER is decimal digits with an optional fraction; UNIT is one of
/// `d h m s ms us µs ns`. A bare `0` is accepted. Parsing is exact (decimal digits are
/// turned into nanoseconds with integer arithmetic), so `"0.1s"` is exactly 100,000,000 ns.
extension SimDuration {
  /// The units accepted in duration text, largest first, with their length in nanoseconds.
  public static let textUnits: [(symbol: String, nanoseconds: Int64)] = [
    ("d", Unit.day), ("h", Unit.hour), ("m", Unit.minute), ("s", Unit.second),
    ("ms", Unit.millisecond), ("us", Unit.microsecond), ("µs", Unit.microsecond), ("ns", Unit.nanosecond),
  ]

  /// Words people write for units, mapped to the symbol Drill expects (for "did you mean").
  static let unitSynonyms: [String: String] = [
    "sec": "s", "secs": "s", "second": "s", "seconds": "s", "min": "m", "mins": "m", "minute": "m",
    "minutes": "m", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "day": "d", "days": "d",
    "msec": "ms", "millis": "ms", "milliseconds": "ms", "usec": "us", "nsec": "ns",
  ]

  /// Parses readable duration text such as `"30s"`, `"1h30m"` or `"40ms"`.
  ///
  /// - Throws: ``TextError`` naming the bad text, what is accepted, and a suggestion
  ///   where a unit was misspelt (`"5min"`: did you mean `"5m"`?).
  public init(parsing text: String) throws(TextError) {
    let trimmed = text.trimmingSpaces()
    let chars = Array(trimmed.unicodeScalars)
    func fail(_ why: String) -> TextError {
      TextError(
        value: text, problem: why,
        accepted: "a duration such as \"30s\", \"1h30m\", \"40ms\" or \"1.5s\" (units: d, h, m, s, ms, us, ns)")
    }
    if chars.isEmpty { throw fail("it is empty") }
    var i = 0
    var negative = false
    if chars[0] == "-" {
      negative = true
      i = 1
    }
    if i == chars.count { throw fail("a number is missing") }
    if chars.count - i == 1 && chars[i] == "0" {
      self = .zero
      return
    }
    var total: Int64 = 0
    var parts = 0
    var lastUnit: Int64 = .max
    while i < chars.count {
      while i < chars.count && chars[i] == " " { i += 1 }
      if i == chars.count { break }
      var whole = ""
      var fraction = ""
      while i < chars.count, chars[i].properties.numericType == .decimal, chars[i].isASCII {
        whole.unicodeScalars.append(chars[i])
        i += 1
      }
      if i < chars.count && chars[i] == "." {
        i += 1
        while i < chars.count, chars[i].properties.numericType == .decimal, chars[i].isASCII {
          fraction.unicodeScalars.append(chars[i])
          i += 1
        }
      }
      if whole.isEmpty && fraction.isEmpty { throw fail("expected a number at \"\(String(String.UnicodeScalarView(chars[i...])))\"") }
      while i < chars.count && chars[i] == " " { i += 1 }  // "10 s" reads like "10s"
      var unitText = ""
      while i < chars.count, chars[i].properties.isAlphabetic || chars[i] == "µ" {
        unitText.unicodeScalars.append(chars[i])
        i += 1
      }
      if unitText.isEmpty {
        throw TextError(
          value: text, problem: "the number \(whole.isEmpty ? "0" : whole)\(fraction.isEmpty ? "" : "." + fraction) has no unit",
          accepted: "a duration with a unit, such as \"\(whole.isEmpty ? "0" : whole)s\" or \"\(whole.isEmpty ? "0" : whole)ms\"")
      }
      guard let unit = Self.textUnits.first(where: { $0.symbol == unitText }) else {
        var error = fail("\"\(unitText)\" is not a unit")
        if let symbol = Self.unitSynonyms[unitText.lowercased()] ?? Suggestion.nearest(to: unitText, among: Self.textUnits.map(\.symbol)) {
          error.suggestion = trimmed.replacingFirst(unitText, with: symbol)
        }
        throw error
      }
      if unit.nanoseconds >= lastUnit { throw fail("units must go from largest to smallest, each once") }
      lastUnit = unit.nanoseconds
      guard let value = Self.exactNanoseconds(whole: whole, fraction: fraction, unit: unit.nanoseconds) else {
        throw fail("it is too long (at most about 292 years) or finer than a nanosecond")
      }
      let (sum, overflow) = total.addingReportingOverflow(value)
      if overflow { throw fail("it is too long (at most about 292 years)") }
      total = sum
      parts += 1
    }
    if parts == 0 { throw fail("a number is missing") }
    self.init(nanoseconds: negative ? -total : total)
  }

  /// `whole.fraction × unit` in nanoseconds with integer arithmetic, or nil on overflow or
  /// when the value is not a whole number of nanoseconds.
  private static func exactNanoseconds(whole: String, fraction: String, unit: Int64) -> Int64? {
    var value: Int64 = 0
    for digit in whole.utf8 {
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int64(digit - 48))
      if o1 || o2 { return nil }
      value = a
    }
    let (scaled, o) = value.multipliedReportingOverflow(by: unit)
    if o { return nil }
    var fractional: Int64 = 0
    var denominator: Int64 = 1
    for digit in fraction.utf8 {
      if denominator > Int64.max / 10 { return nil }
      fractional = fractional * 10 + Int64(digit - 48)
      denominator *= 10
    }
    if fractional == 0 { return scaled }
    // fractional / denominator × unit must be a whole number of nanoseconds.
    let (product, o3) = fractional.multipliedReportingOverflow(by: unit)
    if o3 || product % denominator != 0 { return nil }
    let (sum, o4) = scaled.addingReportingOverflow(product / denominator)
    return o4 ? nil : sum
  }
}

extension SimDuration: CustomStringConvertible {
  /// Compact, exact text that ``init(parsing:)`` reads back to the same value:
  /// `"40ms"`, `"1.5s"`, `"5m15s"`, `"1h02m"`, `"2d03h"`, `"250us"`, `"0s"`.
  ///
  /// Below a minute the largest unit that leaves a whole or short decimal number is used;
  /// from a minute up, d/h/m/s parts with the later ones zero-padded to two digits and
  /// trailing zero parts left out.
  public var description: String {
    if nanoseconds == 0 { return "0s" }
    if nanoseconds < 0 {
      if nanoseconds == .min { return "-106751d23h47m16.854775808s" }
      return "-" + (-self).description
    }
    let ns = nanoseconds
    if ns < Unit.minute {
      if ns >= Unit.second { return Self.decimal(ns, Unit.second) + "s" }
      if ns >= Unit.millisecond { return Self.decimal(ns, Unit.millisecond) + "ms" }
      if ns >= Unit.microsecond { return Self.decimal(ns, Unit.microsecond) + "us" }
      return "\(ns)ns"
    }
    let parts: [(Int64, String)] = [
      (ns / Unit.day, "d"), (ns % Unit.day / Unit.hour, "h"), (ns % Unit.hour / Unit.minute, "m"),
    ]
    let secondsPart = ns % Unit.minute
    var text = ""
    var started = false
    // Index of the last non-zero part, so trailing zero parts are left out.
    let lastNonZero = secondsPart != 0 ? 3 : (parts.lastIndex(where: { $0.0 != 0 }) ?? 0)
    for (index, (value, symbol)) in parts.enumerated() where index <= lastNonZero {
      if !started && value == 0 { continue }
      text += started && value < 10 ? "0\(value)\(symbol)" : "\(value)\(symbol)"
      started = true
    }
    if secondsPart != 0 {
      let seconds = Self.decimal(secondsPart, Unit.second)
      text += (secondsPart < 10 * Unit.second ? "0" : "") + seconds + "s"
    }
    return text
  }

  /// `value / unit` as exact decimal text with trailing zeros removed.
  private static func decimal(_ value: Int64, _ unit: Int64) -> String {
    let whole = value / unit
    var remainder = value % unit
    if remainder == 0 { return "\(whole)" }
    var digits = ""
    var scale = unit
    while remainder != 0 {
      scale /= 10
      digits += "\(remainder / scale)"
      remainder %= scale
    }
    return "\(whole).\(digits)"
  }
}

extension SimTime {
  /// The instant as the case study writes it, relative to `origin` (usually the first fault):
  /// `"T+5:15"`, `"T+0:00"`, `"T+1:05:15"`, `"T-0:30"`. Seconds are truncated toward the origin.
  public func offsetDescription(from origin: SimTime) -> String {
    let delta = (self - origin).nanoseconds
    let sign = delta < 0 ? "-" : "+"
    // To the nearest second, as every clock time in the reports, so that two times less than
    // half a second apart never print a second apart.
    let total = (abs(delta) + SimDuration.Unit.second / 2) / SimDuration.Unit.second
    let hours = total / 3600
    let minutes = total % 3600 / 60
    let seconds = total % 60
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    if hours > 0 { return "T\(sign)\(hours):\(two(minutes)):\(two(seconds))" }
    return "T\(sign)\(minutes):\(two(seconds))"
  }
}

extension SimTime: CustomStringConvertible {
  /// The time since the start of the run, as duration text (`"5m15s"`).
  public var description: String { sinceStart.description }
}

extension StringProtocol {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let first = s.first, first.isWhitespace { s = s.dropFirst() }
    while let last = s.last, last.isWhitespace { s = s.dropLast() }
    return String(s)
  }

}

extension String {
  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}

extension SimDuration {
  /// The duration rounded to `significantDigits` significant decimal digits, for display
  /// (`123.456789ms` → `123.5ms` with 4).
  public func rounded(significantDigits: Int) -> SimDuration {
    precondition(significantDigits >= 1, "at least one significant digit")
    let magnitude = abs(nanoseconds)
    guard magnitude > 0 else { return self }
    var unit: Int64 = 1
    var digits = 1
    var m = magnitude
    while m >= 10 {
      m /= 10
      digits += 1
    }
    if digits <= significantDigits { return self }
    for _ in 0..<(digits - significantDigits) { unit *= 10 }
    let rounded = (magnitude + unit / 2) / unit * unit
    return SimDuration(nanoseconds: nanoseconds < 0 ? -rounded : rounded)
  }
}
