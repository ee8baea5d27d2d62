import Foundation
import Testing

/// docs/json.md is the contract for scripts: every key and column the commands print is
/// documented there, and everything documented there is printed.
@Suite("Output contracts (docs/json.md)")
struct OutputContractTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The documented keys and columns, per section of docs/json.md.
  struct Contract {
    var runKeys: Set<String> = []
    var experimentKeys: Set<String> = []
    var seriesColumns: Set<String> = []
    var experimentColumns: Set<String> = []
    var metrics: Set<String> = []
    var availabilityKeys: Set<String> = []
    var rankKeys: Set<String> = []
    var calibrateKeys: Set<String> = []
    var costKeys: Set<String> = []

    init() throws {
      let text = try String(contentsOf: OutputContractTests.root.appendingPathComponent("docs/json.md"), encoding: .utf8)
      var section = ""
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("## ") { section = String(line) }
        guard line.hasPrefix("| `") else { continue }
        let cell = line.dropFirst(3).prefix { $0 != "`" }
        let name = String(cell)
        if section.contains("drill calibrate") {
          calibrateKeys.insert(name)
        } else if section.contains("drill cost") {
          costKeys.insert(name)
        } else if section.contains("drill availability") {
          availabilityKeys.insert(name)
        } else if section.contains("drill rank") {
          rankKeys.insert(name)
        } else if section.contains("--replications") {
          if line.contains("| `metrics.") || line.contains("| `cost.") {
            // The metric table: `<metric>` | unit | run's key.
            metrics.insert(name)
          } else {
            experimentKeys.insert(name)
          }
        } else if section.contains("--json") {
          runKeys.insert(name)
        } else if section.contains("time series") {
          seriesColumns.insert(name)
        } else if section.contains("replications and sweeps") {
          experimentColumns.insert(name)
        }
      }
    }
  }

  static let kinds = ["page-load", "api-read", "api-write"]
  static let causes = [
    "connect_timeout", "client_timeout", "lb_queue_full", "lb_queue_timeout", "lb_no_target", "lb_target_refused",
    "lb_gateway_timeout", "lb_error", "app_error", "data_tier_error",
  ]
  static let milestones = [
    "first_failed_request", "dns_unhealthy", "clients_left_region", "monitor_alert", "webhook_sent", "automation_received",
    "promote_called", "db_promoted", "pgpool_switched", "writes_restored", "reads_restored", "failover_complete",
  ]
  static let stats = ["count", "mean", "sd", "ci95_low", "ci95_high", "min", "max"]
  static let regions = ["delhi", "chennai"]
  static let groups = regions.flatMap { r in ["\(r).frontend", "\(r).backend"] }
  static let places = ["frontend", "backend", "data"]

  /// Every leaf path of a JSON document, each key replaced by its placeholder.
  static func keys(_ json: Any, metrics: Set<String>) -> Set<String> {
    var out: Set<String> = []
    func name(_ key: String, under parent: [String]) -> String {
      if parent.last == "values" { return "<path>" }
      if parent.last == "metrics" && parent.first == "configurations[]" { return metrics.contains(key) ? "<metric>" : key }
      if parent.first == "configurations[]" && parent.count >= 3 && (stats.contains(key)) { return "<stat>" }
      if regions.contains(key) { return "<region>" }
      if groups.contains(key) { return "<group>" }
      if kinds.contains(key) { return "<kind>" }
      if causes.contains(key) { return "<cause>" }
      if milestones.contains(key) { return "<milestone>" }
      if parent.last == "<region>" && places.contains(key) && parent.contains("failures_by_place") {
        return "<place>"
      }
      return key
    }
    func walk(_ value: Any, _ path: [String]) {
      if let object = value as? [String: Any] {
        for (key, child) in object { walk(child, path + [name(key, under: path)]) }
      } else if let array = value as? [Any] {
        let last = path.last ?? ""
        let prefix = Array(path.dropLast()) + [last + "[]"]
        if array.isEmpty { out.insert(prefix.joined(separator: ".")) }
        for element in array { walk(element, prefix) }
      } else {
        out.insert(path.joined(separator: "."))
      }
    }
    walk(json, [])
    return out
  }

  /// A CSV header's columns, names replaced by placeholders (longest names first).
  static func columns(_ header: Substring, varied: [String] = []) -> Set<String> {
    Set(
      header.split(separator: ",").map { column in
        var c = String(column)
        if varied.contains(c) { return "<path>" }
        for g in groups { c = c.replacingOccurrences(of: g + "-lb", with: "<lb>").replacingOccurrences(of: g, with: "<group>") }
        for r in regions { c = c.replacingOccurrences(of: "_" + r, with: "_<region>") }
        for cause in causes { c = c.replacingOccurrences(of: "_" + cause, with: "_<cause>") }
        for kind in kinds { c = c.replacingOccurrences(of: "_" + kind, with: "_<kind>") }
        return c
      })
  }

  static func json(_ arguments: [String]) throws -> Any {
    let result = try DrillProcess.run(arguments, in: root)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
  }

  @Test("drill run --json prints exactly the documented keys, every milestone among them")
  func runJSON() throws {
    let contract = try Contract()
    let document = try Self.json(["run", "scenarios/seed-case-study.json5", "--json"])
    let printed = Self.keys(document, metrics: contract.metrics)
    #expect(printed.subtracting(contract.runKeys).sorted() == [], "printed, not documented")
    #expect(contract.runKeys.subtracting(printed).sorted() == [], "documented, not printed")
    let milestones = try #require((document as? [String: Any])?["milestones"] as? [String: Any])
    #expect(Set(milestones.keys) == Set(Self.milestones), "every milestone key, null when it did not happen")
  }

  /// A small year study: few processes, a low rate, so a debug build runs it in seconds.
  static func yearScenario() throws -> String {
    // A file of its own per call: tests that use it run in parallel and each removes its own.
    let path = NSTemporaryDirectory() + "drill-contract-year-\(getpid())-\(UUID().uuidString).json5"
    try """
    { version: 1, base: "documented", seed: 2, clients: { rate: "2/s" },
      availability: { defaultProcesses: false },
      faultProcesses: {
        region: { target: "*", every: "exp(mean: 60d)", repair: "lognormal(median: 30m, p99: 3h)" },
        postgresCrash: { target: "*.database", every: "exp(mean: 90d)", repair: "lognormal(median: 5m, p99: 30m)" },
      } }
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Every leaf path, keys under the given objects replaced by a placeholder.
  static func yearKeys(_ json: Any) -> Set<String> {
    Set(
      keys(json, metrics: []).map { key in
        var parts = key.split(separator: ".").map(String.init)
        for (k, part) in parts.enumerated() where k > 0 {
          if ["by_kind", "faults_per_year"].contains(parts[k - 1]) { parts[k] = "<process>" }
          if parts[k - 1] == "by_ended_by" { parts[k] = "<mechanism>" }
        }
        // An interval [low, high] is one documented key.
        return parts.map { $0 == "ci95[]" ? "ci95" : $0 }.joined(separator: ".")
      })
  }

  @Test("drill availability and drill rank print exactly the documented keys")
  func yearJSON() throws {
    let contract = try Contract()
    let file = try Self.yearScenario()
    defer { try? FileManager.default.removeItem(atPath: file) }
    let availability = try Self.json(["availability", file, "--years", "3", "--json", "--jobs", "1"])
    let printed = Self.yearKeys(availability)
    #expect(printed.subtracting(contract.availabilityKeys).sorted() == [], "printed, not documented")
    #expect(contract.availabilityKeys.subtracting(printed).sorted() == [], "documented, not printed")
    let document = try #require(availability as? [String: Any])
    #expect((document["availability"] as? [String: Any])?["ci95"] is [Double])
    let levers = NSTemporaryDirectory() + "drill-contract-levers-\(getpid()).json5"
    try
      "{ levers: [{ name: \"short TTL\", set: { \"dns.ttl\": \"10s\" } }, { set: { \"pgpool.failoverCommand\": \"promote\" }, monthlyCost: \"₹100\" }] }"
      .write(toFile: levers, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: levers) }
    let rank = try Self.json(["rank", file, "--years", "2", "--levers", levers, "--json", "--jobs", "1"])
    let rankPrinted = Self.yearKeys(rank)
    #expect(rankPrinted.subtracting(contract.rankKeys).sorted() == [], "printed, not documented")
    #expect(contract.rankKeys.subtracting(rankPrinted).sorted() == [], "documented, not printed")
    let rows = try #require((rank as? [String: Any])?["levers"] as? [[String: Any]])
    #expect(rows.count == 2)
    let promote = try #require(rows.first { $0["path"] as? String == "pgpool.failoverCommand" })
    #expect(promote["cost_per_year"] as? Double == 1_200)
  }

  @Test("drill cost prints exactly the documented keys, with loads, readings and years")
  func costJSON() throws {
    let contract = try Contract()
    let file = try Self.yearScenario()
    defer { try? FileManager.default.removeItem(atPath: file) }
    let document = try Self.json(["cost", file, "--years", "2", "--loads", "5/s", "--readings", "--json", "--jobs", "2"])
    // Each entry of per_year_by_region has second_region_per_year's keys.
    let printed = Set(
      Self.yearKeys(document).map {
        $0.hasPrefix("per_year_by_region[].") ? "per_year_by_region[].<key>" : $0
      })
    #expect(printed.subtracting(contract.costKeys).sorted() == [], "printed, not documented")
    // A reading the file is not valid with prints an error instead; every reading is valid here.
    #expect(contract.costKeys.subtracting(printed).subtracting(["readings[].error"]).sorted() == [], "documented, not printed")
  }

  @Test("drill calibrate prints exactly the documented keys")
  func calibrateJSON() throws {
    let contract = try Contract()
    let observed = NSTemporaryDirectory() + "drill-contract-observed-\(getpid()).json5"
    try "{ milestones: { dns_unhealthy: \"T+1:30\", monitor_alert: { at: \"5:00\", tolerance: \"10s\" } } }"
      .write(toFile: observed, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: observed) }
    let document = try Self.json([
      "calibrate", "scenarios/seed-case-study.json5", "--observed", observed, "--vary", "dns.ttl=30s,60s", "--replications", "2",
      "--json", "--jobs", "1",
    ])
    // The varied path is a key with dots in it: it stands for `<path>`.
    let normalised = Set(Self.keys(document, metrics: []).map { $0.replacingOccurrences(of: "dns.ttl", with: "<path>") })
    #expect(normalised.subtracting(contract.calibrateKeys).sorted() == [], "printed, not documented")
    #expect(contract.calibrateKeys.subtracting(normalised).sorted() == [], "documented, not printed")
  }

  @Test("replications and sweeps print exactly the documented keys, with the run's metric names")
  func experimentJSON() throws {
    let contract = try Contract()
    let replications = try Self.json(["run", "scenarios/seed-case-study.json5", "--replications", "2", "--json", "--jobs", "1"])
    let sweep = try Self.json([
      "sweep", "scenarios/seed-case-study.json5", "--vary", "dns.ttl=30s,60s", "--replications", "2", "--json", "--jobs", "1",
    ])
    let printed = Self.keys(replications, metrics: contract.metrics).union(Self.keys(sweep, metrics: contract.metrics))
    #expect(printed.subtracting(contract.experimentKeys).sorted() == [], "printed, not documented")
    #expect(contract.experimentKeys.subtracting(printed).sorted() == [], "documented, not printed")
    // Every metric of the table is printed, and under the run's own name where a run has it.
    let configuration = try #require(((replications as? [String: Any])?["configurations"] as? [[String: Any]])?.first)
    let metrics = try #require(configuration["metrics"] as? [String: Any])
    #expect(Set(metrics.keys) == contract.metrics)
    let run = try #require(try Self.json(["run", "scenarios/seed-case-study.json5", "--json"]) as? [String: Any])
    let runMetrics = try #require(run["metrics"] as? [String: Any])
    for name in contract.metrics where !["monthly_infrastructure", "downtime_cost"].contains(name) {
      #expect(runMetrics[name] != nil, "\(name) is named the same in a run")
    }
  }

  @Test("CSV columns are the documented ones: named by region and group, units in the names, both time origins")
  func csvColumns() throws {
    let contract = try Contract()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drill-contract-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let series = folder.appendingPathComponent("series.csv").path
    _ = try DrillProcess.run(["run", "scenarios/seed-case-study.json5", "--csv", series], in: Self.root)
    let seriesHeader = try #require(try String(contentsOfFile: series, encoding: .utf8).split(separator: "\n").first)
    let seriesColumns = Self.columns(seriesHeader)
    #expect(seriesColumns.subtracting(contract.seriesColumns).sorted() == [], "printed, not documented")
    #expect(contract.seriesColumns.subtracting(seriesColumns).sorted() == [], "documented, not printed")

    let table = folder.appendingPathComponent("sweep.csv").path
    _ = try DrillProcess.run(
      ["sweep", "scenarios/seed-case-study.json5", "--vary", "dns.ttl=30s,60s", "--replications", "2", "--csv", table, "--jobs", "1"],
      in: Self.root)
    let tableText = try String(contentsOfFile: table, encoding: .utf8)
    let tableHeader = try #require(tableText.split(separator: "\n").first)
    let tableColumns = Self.columns(tableHeader, varied: ["dns.ttl"])
    #expect(tableColumns == contract.experimentColumns)
    #expect(tableText.contains("\nmilestones.") || tableText.contains(",milestones."), "milestone rows are named milestones.<name>")
  }
}
