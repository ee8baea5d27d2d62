import Foundation
import SimCore
import Topology

/// A scenario file, validated and turned into a runnable configuration.
///
/// A scenario names a reading of the seed (`base`) and states only what differs: the
/// built-in seed, the reading's overlay and the file are layered in that order, then read
/// by ``ScenarioBuilder``. Every problem in the file is reported at once.
public struct Scenario: Sendable {
  public var config: TopologyConfig
  public var info: ScenarioInfo
  /// The file it came from.
  public var file: String
  /// The merged parameter tree (seed, reading, file, overrides), for looking values up.
  public var tree: JSON5Value
  /// The overrides it was loaded with (dotted path → JSON5 text, `--set` on the command
  /// line): studies that load variants of the file apply them first, then their own.
  public var overrides: [(path: String, value: String)] = []

  /// All the problems found in a scenario file.
  public struct Errors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
  }

  /// Loads and validates the scenario at `path`.
  public static func load(path: String) throws(Errors) -> Scenario {
    try parse(readText(path), file: path)
  }

  /// The text of the file at `path`: a missing file and bytes that are not UTF-8 are told
  /// apart, the latter with the line and column of the first bad byte.
  static func readText(_ path: String) throws(Errors) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Errors(diagnostics: [Diagnostic(file: path, message: "cannot read the file (does it exist?)")])
    }
    if let text = String(validating: data, as: UTF8.self) { return text }
    // Find the first byte that does not decode, counting lines and columns up to it.
    var line = 1
    var column = 1
    var iterator = data.makeIterator()
    var decoder = UTF8()
    var offset = 0
    loop: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
        if scalar == "\n" {
          line += 1
          column = 1
        } else {
          column += 1
        }
      case .emptyInput, .error: break loop
      }
    }
    throw Errors(diagnostics: [
      Diagnostic(
        file: path, location: SourceLocation(line: line, column: column),
        message: "the file is not UTF-8 text: the byte at offset \(offset) does not decode; save it as UTF-8")
    ])
  }

  /// Validates scenario `text`; `file` names it in errors.
  public static func parse(_ text: String, file: String, overrides: [(path: String, value: JSON5Value)] = []) throws(Errors) -> Scenario {
    let tree: JSON5Value
    do {
      tree = try JSON5Parser.parse(text, source: file)
    } catch {
      throw Errors(diagnostics: [
        Diagnostic(file: file, location: error.span.location, path: error.path.isEmpty ? nil : error.path, message: error.message)
      ])
    }
    guard case .object(let members, _) = tree else {
      throw Errors(diagnostics: [
        Diagnostic(file: file, location: tree.span.location, message: "a scenario is an object { … }, not \(tree.kindName)")
      ])
    }
    var diagnostics: [Diagnostic] = []
    if !members.contains(where: { $0.key == "version" }) {
      diagnostics.append(
        Diagnostic(file: file, location: tree.span.location, path: "version", message: "the format version is missing; add version: 1"))
    }
    var base = "documented"
    if let member = members.first(where: { $0.key == "base" }), case .string(let name, _) = member.value, Readings.names.contains(name) {
      base = name
    }
    // An override of `base` picks the reading too.
    if let override = overrides.last(where: { $0.path == "base" }), case .string(let name, _) = override.value,
      Readings.names.contains(name)
    {
      base = name
    }
    let seed = try! JSON5Parser.parse(Readings.seed, source: "built-in seed")
    let overlay = try! JSON5Parser.parse(Readings.overlay(base)!, source: "built-in reading \(base)")
    let reading = TreeMerge.merge(seed, overlay)
    var merged = TreeMerge.merge(reading, tree)
    for (path, value) in overrides { merged = setting(merged, path: path.split(separator: ".").map(String.init), to: value) }
    let reader = ScenarioReader()
    let built = ScenarioBuilder(reader: reader, readingRegions: regionNames(of: reading), readingName: base).build(merged)
    diagnostics += reader.diagnostics
    // In the order of the file, as an editor lists them; those without a place last.
    diagnostics = diagnostics.enumerated().sorted { x, y in
      let a = x.element.location.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
      let b = y.element.location.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
      return a != b ? a < b : x.offset < y.offset
    }.map(\.element)
    guard diagnostics.isEmpty, let (config, info) = built else { throw Errors(diagnostics: diagnostics) }
    var withBase = info
    withBase.base = base
    // An untitled scenario takes its file's name, not a generic one.
    if !members.contains(where: { $0.key == "name" }) {
      let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
      if !stem.isEmpty { withBase.name = stem }
    }
    return Scenario(config: config, info: withBase, file: file, tree: merged)
  }

  /// The keys of a tree's `regions` object.
  static func regionNames(of tree: JSON5Value) -> [String] {
    guard case .object(let members, _) = tree, let regions = members.first(where: { $0.key == "regions" }),
      case .object(let names, _) = regions.value
    else { return [] }
    return names.map(\.key)
  }

  /// The text of the value at a dotted path as the scenario sets it (the file, its
  /// reading or the seed), or the format's default when none sets it.
  public func value(at path: String) -> String {
    var node: JSON5Value? = tree
    for key in path.split(separator: ".") {
      guard case .object(let members, _)? = node else {
        node = nil
        break
      }
      node = members.first { $0.key == key }?.value
    }
    if let node {
      if case .string(let s, _) = node { return "\"\(s)\"" }
      return node.text
    }
    // Not set anywhere: the default, from the reference (region names become <region>).
    let parts = path.split(separator: ".").map(String.init)
    let regions = config.regions.map(\.name)
    let pattern = parts.map { regions.contains($0) ? "<region>" : $0 }.joined(separator: ".")
    return Scenario.reference().first { $0.path == pattern }?.defaultValue ?? "?"
  }

  /// Loads the same file with `overrides` (dotted path → JSON5 text) applied on top.
  public static func load(path: String, overrides: [(String, String)]) throws(Errors) -> Scenario {
    let text = try readText(path)
    var values: [(path: String, value: JSON5Value)] = []
    for (key, valueText) in overrides {
      do {
        values.append((key, try JSON5Parser.parse(valueText, source: "command line: \(key)")))
      } catch {
        throw Errors(diagnostics: [
          Diagnostic(file: "command line", path: key, message: "\"\(valueText)\" is not a value: \(error.message)")
        ])
      }
    }
    var scenario = try parse(text, file: path, overrides: values)
    scenario.overrides = overrides.map { (path: $0.0, value: $0.1) }
    return scenario
  }

  /// Reads `--set PATH=VALUE` text: a value that is not JSON5 by itself (`30s`) is taken as text.
  public static func setting(_ text: String) -> (path: String, value: String)? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let path = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
    let value = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
    guard !path.isEmpty, !value.isEmpty else { return nil }
    if (try? JSON5Parser.parse(value, source: "value")) != nil { return (path, value) }
    return (path, "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"")
  }

  /// The tree with the value at `path` replaced (objects created along the way).
  static func setting(_ tree: JSON5Value, path: [String], to value: JSON5Value) -> JSON5Value {
    guard let key = path.first else { return value }
    let span = tree.span
    var members: [JSON5Member] = []
    if case .object(let existing, _) = tree { members = existing }
    let rest = Array(path.dropFirst())
    if let i = members.firstIndex(where: { $0.key == key }) {
      members[i].value = setting(members[i].value, path: rest, to: value)
    } else {
      members.append(JSON5Member(key: key, keySpan: value.span, value: setting(.object([], value.span), path: rest, to: value)))
    }
    return .object(members, span)
  }

  /// Every key of the format, with its type, default and meaning, gathered by reading an
  /// empty scenario (so it always matches the code that reads files).
  public static func reference() -> [ReferenceEntry] {
    let reader = ScenarioReader()
    let seed = try! JSON5Parser.parse(Readings.seed, source: "built-in seed")
    // One fault, action, alert rule and runbook make their keys appear too.
    let extra = try! JSON5Parser.parse(
      "{ faults: [{ at: \"1m\", target: \"delhi\" }], actions: [{ at: \"1m\", do: \"promote\", region: \"chennai\" }], "
        + "clients: { retry: {} }, regions: { delhi: { backend: { databasePool: {} } } }, "
        + "link: { roundTrips: { delhi: { chennai: \"40ms\" } } }, money: { backups: {} }, alertRules: { x: { expr: \"error_share > 5%\" } }, "
        + "runbooks: { r: { on: \"rule:x\", steps: [{ do: \"check\" }] } } }", source: "reference")
    _ = ScenarioBuilder(reader: reader).build(TreeMerge.merge(seed, extra))
    // Each rate shape reads its own sub-keys: read every shape once so all are listed, each
    // placed right after `clients.rate` (the reader lists a key once, where first read).
    let before = reader.reference.count
    for shape in ["constant", "step", "ramp", "diurnal", "points"] {
      let rate = try! JSON5Parser.parse(
        "{ clients: { rate: { shape: \"\(shape)\", points: [[\"0s\", \"100/s\"]] } } }", source: "reference")
      _ = ScenarioBuilder(reader: reader).build(TreeMerge.merge(seed, rate))
    }
    var entries = Array(reader.reference[..<before])
    let shapes = reader.reference[before...].filter { $0.path.hasPrefix("clients.rate.") }
    if let rate = entries.firstIndex(where: { $0.path == "clients.rate" }) {
      entries.insert(contentsOf: shapes, at: rate + 1)
    } else {
      entries += shapes
    }
    return entries
  }
}
