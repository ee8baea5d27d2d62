import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// A parameter sweep: a grid over scenario paths. `dns.healthCheck.interval=10s,30s`
/// or `regions.chennai.backend.max=1...8`.
public struct Sweep: Sendable {
  /// One varied path and its values (as JSON5 text).
  public struct Axis: Sendable, Hashable {
    public var path: String
    public var values: [String]
  }

  public var file: String
  public var axes: [Axis]
  /// `--set` changes applied to every combination, before the varied values.
  public var settings: [(path: String, value: String)] = []

  /// The scenario as written comes first, as the configuration every other is compared with
  /// (`--baseline`); otherwise the first grid point is.
  public var baseline = false

  public init(file: String, axes: [Axis], settings: [(path: String, value: String)] = [], baseline: Bool = false) {
    self.file = file
    self.axes = axes
    self.settings = settings
    self.baseline = baseline
  }
  /// Every combination, first axis slowest; each as (path, value) pairs. With ``baseline``,
  /// an empty combination (the file as written) comes first.
  public var combinations: [[(path: String, value: String)]] {
    var result: [[(String, String)]] = [[]]
    for axis in axes {
      result = result.flatMap { prefix in axis.values.map { prefix + [(axis.path, $0)] } }
    }
    return baseline ? [[]] + result : result
  }

  public init(file: String, axes: [Axis]) {
    self.file = file
    self.axes = axes
  }

  /// Reads `PATH=VALUES`: a comma list or an integer range `LOW...HIGH`. A value that is not
  /// JSON5 by itself (`10s`) is taken as text.
  public static func axis(_ text: String) -> Result<Axis, SweepError> {
    guard let equals = text.firstIndex(of: "=") else {
      return .failure(
        SweepError(
          message:
            "--vary \"\(text)\" is not PATH=VALUES; for example regions.chennai.backend.max=1...8 or dns.healthCheck.interval=10s,30s"))
    }
    let path = String(text[..<equals])
    let spec = String(text[text.index(after: equals)...])
    var values: [String] = []
    if let range = spec.range(of: "..."), let low = Int(spec[..<range.lowerBound]), let high = Int(spec[range.upperBound...]) {
      guard low <= high, high - low < 10_000 else {
        return .failure(SweepError(message: "--vary \"\(text)\": the range \(low)...\(high) must go up, with fewer than 10,000 values"))
      }
      values = (low...high).map(String.init)
    } else {
      values = spec.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
    guard !path.isEmpty, !values.isEmpty, !values.contains("") else {
      return .failure(SweepError(message: "--vary \"\(text)\": a path and at least one value are needed"))
    }
    return .success(Axis(path: path, values: values.map(json5)))
  }

  /// `10s` → `"10s"`; numbers, booleans, null and quoted text stay as they are.
  static func json5(_ value: String) -> String {
    if (try? JSON5Parser.parse(value, source: "value")) != nil { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// Loads every combination; all problems (a misspelt path, a bad value) come back before
  /// anything runs.
  public func scenarios() -> Result<[Scenario], Scenario.Errors> {
    var scenarios: [Scenario] = []
    var diagnostics: [Diagnostic] = []
    // The file as written is checked first: a value it gets wrong is an error even where
    // every combination overrides it.
    do {
      _ = try Scenario.load(path: file, overrides: settings.map { ($0.path, $0.value) })
    } catch {
      return .failure(error)
    }
    for combination in combinations {
      do {
        scenarios.append(
          try Scenario.load(path: file, overrides: settings.map { ($0.path, $0.value) } + combination.map { ($0.path, $0.value) }))
      } catch {
        for d in error.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) }
      }
    }
    return diagnostics.isEmpty ? .success(scenarios) : .failure(Scenario.Errors(diagnostics: diagnostics))
  }
}

public struct SweepError: Error, Sendable {
  public var message: String
}
