import Foundation
import SimCore

/// One documented key of the scenario format, as the reader met it.
public struct ReferenceEntry: Sendable, Hashable {
  /// The key's path with placeholders (`regions.<region>.backend.max`).
  public var path: String
  /// What it takes (`duration`, `distribution of durations`, `whole number 1…10`…).
  public var type: String
  /// Its default, as scenario text (`"30s"`, `3`, `null`).
  public var defaultValue: String
  public var doc: String
}

/// Reads a merged parameter tree into typed values. It collects every problem (with the
/// source, line, column and path) instead of stopping at the first, flags keys nobody
/// read as unknown, with a suggestion, and records the reference of every key it reads,
/// so the documentation comes from the code that reads the files.
public final class ScenarioReader {
  /// The longest duration a scenario may state or draw: 100 years, well inside the clock's
  /// reach (``SimDuration/limit``, about 146 years) and far beyond any run.
  static let longestDuration = SimDuration.days(36_525)

  public private(set) var diagnostics: [Diagnostic] = []
  public private(set) var reference: [ReferenceEntry] = []
  private var documented: Set<String> = []

  public init() {}

  func report(_ span: SourceSpan?, path: String, _ message: String) {
    diagnostics.append(Diagnostic(file: span?.source ?? "scenario", location: span?.location, path: path, message: message))
  }

  func document(_ pattern: String, type: String, defaultValue: String, doc: String) {
    guard documented.insert(pattern).inserted else { return }
    reference.append(ReferenceEntry(path: pattern, type: type, defaultValue: defaultValue, doc: doc))
  }

  /// A reader over an object value (an absent value reads as an empty object: all defaults).
  func object(_ value: JSON5Value?, path: String, pattern: String) -> ObjectReader {
    switch value {
    case .object(let members, let span)?:
      return ObjectReader(reader: self, members: members, span: span, path: path, pattern: pattern)
    case nil:
      return ObjectReader(reader: self, members: [], span: nil, path: path, pattern: pattern)
    case let other?:
      report(other.span, path: path, "\"\(other.text)\" is \(other.kindName); expected an object { … }")
      return ObjectReader(reader: self, members: [], span: other.span, path: path, pattern: pattern)
    }
  }
}

/// Reads the keys of one object. Call ``finish()`` when done to report unknown keys.
final class ObjectReader {
  let reader: ScenarioReader
  let members: [JSON5Member]
  let span: SourceSpan?
  let path: String
  let pattern: String
  private(set) var expected: [String] = []

  init(reader: ScenarioReader, members: [JSON5Member], span: SourceSpan?, path: String, pattern: String) {
    self.reader = reader
    self.members = members
    self.span = span
    self.path = path
    self.pattern = pattern
  }

  func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
  func childPattern(_ key: String) -> String { pattern.isEmpty ? key : "\(pattern).\(key)" }

  /// The member for `key`, remembering that the key is known.
  func member(_ key: String) -> JSON5Member? {
    expected.append(key)
    return members.first { $0.key == key }
  }

  /// Every key present, in file order (for maps keyed by name, such as regions).
  var keys: [String] { members.map(\.key) }

  /// Reports keys present but never read, with the nearest known key.
  func finish() {
    for m in members where !expected.contains(m.key) {
      // A huge key is quoted by its start and length, not echoed whole.
      let shown = m.key.count <= 80 ? m.key : "\(m.key.prefix(40))…" + " (\(m.key.count) characters)"
      var message = "unknown key \"\(shown)\""
      if let near = Suggestion.nearest(to: m.key, among: expected) {
        message += ". Did you mean \"\(near)\"?"
      } else if !expected.isEmpty {
        message += "; known keys here: " + expected.map { "\"\($0)\"" }.joined(separator: ", ")
      }
      reader.report(m.keySpan, path: childPath(m.key.count <= 80 ? m.key : String(m.key.prefix(40)) + "…"), message)
    }
  }

  func fail(_ value: JSON5Value, _ key: String, _ message: String) {
    reader.report(value.span, path: childPath(key), message)
  }

  func fail(_ value: JSON5Value, _ key: String, _ error: TextError) {
    var message = "\"\(error.value)\" is not valid: \(error.problem); expected \(error.accepted)"
    if let suggestion = error.suggestion { message += ". Did you mean \"\(suggestion)\"?" }
    reader.report(value.span, path: childPath(key), message)
  }

  // MARK: Typed values

  func object(_ key: String, doc: String) -> ObjectReader {
    reader.document(childPattern(key), type: "object", defaultValue: "", doc: doc)
    return reader.object(member(key)?.value, path: childPath(key), pattern: childPattern(key))
  }

  /// An object that may be `null` (a feature turned off); nil when null.
  func optionalObject(_ key: String, defaultPresent: Bool, doc: String) -> ObjectReader? {
    reader.document(childPattern(key), type: "object or null", defaultValue: defaultPresent ? "{ … }" : "null", doc: doc)
    let value = member(key)?.value
    if case .null? = value { return nil }
    if value == nil && !defaultPresent { return nil }
    return reader.object(value, path: childPath(key), pattern: childPattern(key))
  }

  func duration(_ key: String, default d: SimDuration, min: SimDuration = .zero, max: SimDuration? = nil, doc: String) -> SimDuration {
    reader.document(childPattern(key), type: "duration", defaultValue: "\"\(d)\"", doc: doc)
    guard let value = member(key)?.value else { return d }
    return durationValue(value, key, default: d, min: min, max: max)
  }

  func durationValue(_ value: JSON5Value, _ key: String, default d: SimDuration, min: SimDuration = .zero, max: SimDuration? = nil)
    -> SimDuration
  {
    guard case .string(let text, _) = value else {
      if case .number = value {
        fail(value, key, "\(value.text) needs a unit; write \"\(value.text)s\" or \"\(value.text)ms\"")
      } else {
        fail(value, key, "\"\(value.text)\" is \(value.kindName); expected a duration such as \"30s\", \"1h30m\" or \"40ms\"")
      }
      return d
    }
    do {
      let parsed = try SimDuration(parsing: text)
      if parsed > ScenarioReader.longestDuration {
        fail(value, key, "\"\(text)\" is longer than Drill holds; expected at most \(ScenarioReader.longestDuration) (100 years)")
        return d
      }
      if parsed < min || (max.map { parsed > $0 } ?? false) {
        fail(value, key, "\"\(text)\" is out of range; expected from \(min) to \(max.map(\.description) ?? "any length")")
        return d
      }
      return parsed
    } catch {
      fail(value, key, error)
      return d
    }
  }

  func optionalDuration(_ key: String, default d: SimDuration?, doc: String) -> SimDuration? {
    reader.document(childPattern(key), type: "duration or null", defaultValue: d.map { "\"\($0)\"" } ?? "null", doc: doc)
    guard let value = member(key)?.value else { return d }
    if case .null = value { return nil }
    return durationValue(value, key, default: d ?? .zero)
  }

  /// A distribution; `bounded: false` lets it draw beyond the longest duration a run holds
  /// (times between failures, which a study accounts without putting them on the clock).
  func distribution(
    _ key: String, default d: Distribution, expecting dimension: Distribution.Dimension = .duration, bounded: Bool = true,
    shown: String? = nil, doc: String
  ) -> Distribution {
    reader.document(
      childPattern(key), type: dimension == .duration ? "distribution of durations" : "distribution of numbers",
      defaultValue: "\"\(shown ?? d.description)\"", doc: doc)
    guard let value = member(key)?.value else { return d }
    return distributionValue(value, key, default: d, expecting: dimension, bounded: bounded)
  }

  /// A distribution that may be `null` (the mechanism it drives is off).
  func optionalDistribution(_ key: String, default d: Distribution?, shown: String? = nil, doc: String) -> Distribution? {
    reader.document(
      childPattern(key), type: "distribution of durations or null",
      defaultValue: shown.map { "\"\($0)\"" } ?? d.map { "\"\($0)\"" } ?? "null",
      doc: doc)
    guard let value = member(key)?.value else { return d }
    if case .null = value { return nil }
    return distributionValue(value, key, default: d ?? .constant(.zero), expecting: .duration, bounded: true)
  }

  func distributionValue(
    _ value: JSON5Value, _ key: String, default d: Distribution, expecting dimension: Distribution.Dimension, bounded: Bool
  ) -> Distribution {
    let text: String
    switch value {
    case .string(let s, _): text = s
    case .number: text = value.text
    default:
      fail(value, key, "\"\(value.text)\" is \(value.kindName); expected a distribution such as \"40ms\" or \"exp(mean: 80ms)\"")
      return d
    }
    do {
      let parsed = try Distribution(parsing: text, expecting: dimension)
      // Durations must fit on the clock: refuse what draws beyond the longest duration.
      let most = parsed.practicalMaximum
      if bounded && dimension == .duration && !(most <= ScenarioReader.longestDuration.seconds) {
        fail(
          value, key,
          "\"\(text)\" draws values up to about "
            + (most.isFinite ? String(format: "%.3g years", most / (365.25 * 86_400)) : "infinity")
            + " (one draw in a billion), beyond the longest duration Drill holds (\(ScenarioReader.longestDuration), 100 years)")
        return d
      }
      return parsed
    } catch {
      fail(value, key, error)
      return d
    }
  }

  /// `documentedAs`: the key's name in the reference when it stands for any of several
  /// (`<region>` for a key per region).
  func int(_ key: String, default d: Int, range: ClosedRange<Int>, documentedAs: String? = nil, doc: String) -> Int {
    reader.document(
      childPattern(documentedAs ?? key),
      type: "whole number \(range.lowerBound)…\(range.upperBound == Int.max ? "" : String(range.upperBound))",
      defaultValue: String(d), doc: doc)
    guard let value = member(key)?.value else { return d }
    return intValue(value, key, default: d, range: range)
  }

  func intValue(_ value: JSON5Value, _ key: String, default d: Int, range: ClosedRange<Int>) -> Int {
    guard case .number(let n, _) = value, n == n.rounded(), n.isFinite, abs(n) < 1e15 else {
      fail(
        value, key,
        "\"\(value.text)\" is not a whole number; expected one from \(range.lowerBound) to \(range.upperBound == Int.max ? "any" : String(range.upperBound))"
      )
      return d
    }
    guard range.contains(Int(n)) else {
      fail(
        value, key,
        "\(Int(n)) is out of range; expected \(range.lowerBound) to \(range.upperBound == Int.max ? "any" : String(range.upperBound))")
      return d
    }
    return Int(n)
  }

  func double(_ key: String, default d: Double, range: ClosedRange<Double>, doc: String) -> Double {
    reader.document(
      childPattern(key), type: "number \(format(range.lowerBound))…\(range.upperBound.isInfinite ? "" : format(range.upperBound))",
      defaultValue: format(d), doc: doc)
    guard let value = member(key)?.value else { return d }
    guard case .number(let n, _) = value, n.isFinite else {
      fail(
        value, key,
        "\"\(value.text)\" is \(value.kindName); expected a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
      return d
    }
    guard range.contains(n) else {
      fail(value, key, "\(format(n)) is out of range; expected \(format(range.lowerBound)) to \(format(range.upperBound))")
      return d
    }
    return n
  }

  func optionalInt(_ key: String, default d: Int?, range: ClosedRange<Int>, doc: String) -> Int? {
    reader.document(childPattern(key), type: "whole number or null", defaultValue: d.map(String.init) ?? "null", doc: doc)
    guard let value = member(key)?.value else { return d }
    if case .null = value { return nil }
    return intValue(value, key, default: d ?? range.lowerBound, range: range)
  }

  func bool(_ key: String, default d: Bool, doc: String) -> Bool {
    reader.document(childPattern(key), type: "true or false", defaultValue: String(d), doc: doc)
    guard let value = member(key)?.value else { return d }
    guard case .bool(let b, _) = value else {
      fail(value, key, "\"\(value.text)\" is \(value.kindName); expected true or false")
      return d
    }
    return b
  }

  /// A region's name (`""` too when `optional`): the reference says so rather than listing
  /// the regions of the built-in reading, since a file may add its own.
  func regionChoice(_ key: String, default d: String, among regions: [String], optional: Bool = false, doc: String) -> String {
    reader.document(
      childPattern(key), type: optional ? "a region's name, or \"\"" : "a region's name", defaultValue: "\"\(d)\"", doc: doc)
    guard let value = member(key)?.value else { return d }
    return choiceValue(value, key, default: d, among: optional ? [""] + regions : regions)
  }

  /// One of a fixed set of words.
  func choice(_ key: String, default d: String, among choices: [String], doc: String) -> String {
    reader.document(childPattern(key), type: choices.map { "\"\($0)\"" }.joined(separator: " | "), defaultValue: "\"\(d)\"", doc: doc)
    guard let value = member(key)?.value else { return d }
    return choiceValue(value, key, default: d, among: choices)
  }

  func choiceValue(_ value: JSON5Value, _ key: String, default d: String, among choices: [String]) -> String {
    guard case .string(let s, _) = value, choices.contains(s) else {
      var message = "\"\(value.text)\" is not one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
      if let near = Suggestion.nearest(to: value.text, among: choices) { message += ". Did you mean \"\(near)\"?" }
      fail(value, key, message)
      return d
    }
    return s
  }

  /// A rate: `"200/s"`, `"12/min"`, `"3600/h"`, or a plain number per second.
  func rate(_ key: String, default d: Double, doc: String) -> Double {
    reader.document(childPattern(key), type: "rate", defaultValue: "\"\(format(d))/s\"", doc: doc)
    guard let value = member(key)?.value else { return d }
    return rateValue(value, key, default: d)
  }

  /// The highest arrival rate a scenario may give: ten million a second (Drill simulates
  /// about a million a second on one core; beyond this, arrivals less than 100 ns apart).
  static let highestRate = 10_000_000.0

  func rateValue(_ value: JSON5Value, _ key: String, default d: Double) -> Double {
    func bounded(_ perSecond: Double) -> Double {
      guard perSecond <= ObjectReader.highestRate else {
        fail(value, key, "\"\(value.text)\" is too high; expected at most \(Int(ObjectReader.highestRate))/s")
        return d
      }
      return perSecond
    }
    switch value {
    case .number(let n, _) where n >= 0 && n.isFinite: return bounded(n)
    case .string(let s, _):
      if let perSecond = Rate.perSecond(s) { return bounded(perSecond) }
      let parts = s.replacingOccurrences(of: " ", with: "").split(separator: "/")
      var message = "\"\(s)\" is not a rate; expected a rate such as \"200/s\", \"12/min\" or \"3600/h\""
      let synonyms = [
        "second": "s", "seconds": "s", "secs": "s", "minute": "min", "minutes": "min", "mins": "min", "hours": "h", "hr": "h",
      ]
      if parts.count == 2,
        let near = synonyms[String(parts[1]).lowercased()] ?? Suggestion.nearest(to: String(parts[1]), among: ["s", "min", "h"])
      {
        message += ". Did you mean \"\(parts[0])/\(near)\"?"
      }
      fail(value, key, message)
    default:
      fail(value, key, "\"\(value.text)\" is not a rate; expected a rate such as \"200/s\"")
    }
    return d
  }

  func array(_ key: String, doc: String) -> [JSON5Value] {
    reader.document(childPattern(key), type: "list", defaultValue: "[]", doc: doc)
    guard let value = member(key)?.value else { return [] }
    guard case .array(let items, _) = value else {
      fail(value, key, "\"\(value.text)\" is \(value.kindName); expected a list [ … ]")
      return []
    }
    return items
  }

  private func format(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
}

/// Rates as scenario files write them.
public enum Rate {
  /// `"200/s"`, `"12/min"`, `"3600/h"`, `"2/day"` in events per second; nil when not a rate.
  public static func perSecond(_ text: String) -> Double? {
    let parts = text.replacingOccurrences(of: " ", with: "").split(separator: "/")
    let units: [String: Double] = ["s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "day": 86_400, "d": 86_400]
    guard parts.count == 2, let n = Double(parts[0]), n >= 0, n.isFinite, let per = units[String(parts[1])] else { return nil }
    return n / per
  }
}
