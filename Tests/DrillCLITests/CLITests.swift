import Foundation
import Testing

/// Runs the built `drill` binary and captures what it prints.
struct DrillProcess {
  var status: Int32
  var stdout: String
  var stderr: String

  /// The `drill` executable next to this test bundle (SwiftPM builds both into one folder).
  static var executable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("drill")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    // Fall back to the package's own build folder.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/drill")
  }

  /// Runs drill with `arguments`, in the folder `directory` when one is given, with
  /// `environment` added to this process's.
  static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> DrillProcess {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return DrillProcess(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
  }
}

@Suite("drill command line")
struct CLITests {
  @Test("no arguments prints the overview and succeeds")
  func overview() throws {
    let result = try DrillProcess.run([])
    #expect(result.status == 0)
    #expect(result.stdout.contains("usage: drill COMMAND"))
  }

  @Test("an unknown command is a usage error with a suggestion, exit code 2")
  func unknownCommand() throws {
    let result = try DrillProcess.run(["sampel"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown command \"sampel\"") && result.stderr.contains("Did you mean \"sample\"?"))
    #expect(result.stdout.isEmpty)
  }

  @Test("sample prints exact and sampled figures; the same seed prints the same bytes")
  func sampleDeterminism() throws {
    let args = ["sample", "lognormal(mean: 120ms, p99: 900ms)", "--samples", "20000", "--seed", "7"]
    let first = try DrillProcess.run(args)
    let second = try DrillProcess.run(args)
    #expect(first.status == 0)
    #expect(first.stdout == second.stdout)
    #expect(first.stdout.contains("seed          7"))
    #expect(first.stdout.contains("p99           900ms"))
    let other = try DrillProcess.run(["sample", "lognormal(mean: 120ms, p99: 900ms)", "--samples", "20000", "--seed", "8"])
    #expect(other.stdout != first.stdout)
  }

  @Test("sample --json parses and carries the seed")
  func sampleJSON() throws {
    let result = try DrillProcess.run(["sample", "exp(mean: 80ms)", "--json", "--samples", "1000", "--seed", "3"])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    #expect(object["seed"] as? Int == 3)
    #expect((object["exact"] as! [String: Any])["mean"] as? Double == 0.08)
  }

  @Test(
    "bad input gives the bad value in quotes and exit code 2",
    arguments: [
      (["sample", "lognorml(mean: 1s, p99: 2s)"], "Did you mean \"lognormal(mean: 1s, p99: 2s)\"?"),
      (["sample", "exp(mean: 80ms)", "--samles", "5"], "Did you mean \"--samples\"?"),
      (["sample", "exp(mean: 80ms)", "--samples", "lots"], "--samples \"lots\" is not a whole number"),
      (["sample", "exp(mean: 80ms)", "--seed", "-1"], "--seed \"-1\" is not a whole number"),
      (["sample"], "give exactly one distribution"),
      (["sample", "exp(mean: 80ms)", "--samples"], "--samples needs a value"),
    ])
  func badInput(arguments: [String], message: String) throws {
    let result = try DrillProcess.run(arguments)
    #expect(result.status == 2)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }
}

@Suite("drill run, validate, list")
struct ScenarioCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  @Test("run prints the timeline in the case study's format and the milestones that match it")
  func run() throws {
    let result = try DrillProcess.run(["run", Self.path("scenarios/seed-case-study.json5")])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("T+1:30    [dns]            Route 53 marks delhi unhealthy"))
    #expect(result.stdout.contains("failover_complete      5:15     published 5:15  (matches)"))
  }

  @Test("run --json parses and carries the documented keys")
  func json() throws {
    let result = try DrillProcess.run(["run", Self.path("scenarios/seed-case-study.json5"), "--json", "--seed", "3"])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    #expect(object["seed"] as? Int == 3)
    let timeline = object["timeline"] as! [[String: Any]]
    #expect(timeline.first.map { Set($0.keys).isSuperset(of: ["at", "kind", "text"]) } == true)
    let milestones = object["milestones"] as! [String: Any]
    for key in [
      "first_failed_request", "dns_unhealthy", "monitor_alert", "webhook_sent", "automation_received", "promote_called", "db_promoted",
      "pgpool_switched", "writes_restored", "reads_restored", "failover_complete",
    ] {
      #expect(milestones[key] != nil, "milestone \(key)")
    }
    let metrics = object["metrics"] as! [String: Any]
    for key in ["availability", "failed_requests", "rto_seconds", "rpo_lost_writes", "rpo_seconds", "split_brain_writes"] {
      #expect(metrics.keys.contains(key), "metric \(key)")
    }
  }

  @Test("run --csv writes the time series to the file named, making its folder")
  func csv() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drill-csv-\(UUID().uuidString)")
    let result = try DrillProcess.run([
      "run", Self.path("scenarios/both-regions-down.json5"), "--csv", directory.appendingPathComponent("series.csv").path, "--quiet",
    ])
    #expect(result.status == 0)
    let csv = try String(contentsOf: directory.appendingPathComponent("series.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("start_since_run_seconds,start_since_fault_seconds,arrivals_page-load"))
    #expect(csv.split(separator: "\n").count == 1 + 150)  // 25 minutes of 10-second buckets
  }

  @Test("validate: OK for a good file; every problem and exit code 2 for a bad one; nothing on stdout")
  func validate() throws {
    let good = try DrillProcess.run(["validate", Self.path("scenarios/dr-drill.json5")])
    #expect(good.status == 0 && good.stdout.contains("OK"))
    let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json5")
    try Data("{ version: 1,\n  dns: { tll: \"30s\" },\n  faults: [{ at: \"1m\", target: \"delhi.frontnd\" }] }".utf8).write(to: bad)
    let result = try DrillProcess.run(["validate", bad.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(bad.path):2:10: error: dns.tll: unknown key \"tll\". Did you mean \"ttl\"?"))
    #expect(result.stderr.contains(":3:32: error: faults[0].target: \"delhi.frontnd\" is not a part of the topology"))
    let run = try DrillProcess.run(["run", bad.path])
    #expect(run.status == 2 && run.stdout.isEmpty && run.stderr.contains("2 errors; nothing was run."))
  }

  @Test("list shows every shipped scenario with its one-line description")
  func list() throws {
    let result = try DrillProcess.run(["list", "--dir", Self.path("scenarios")])
    #expect(result.status == 0)
    #expect(result.stdout.split(separator: "\n").count == 17)
    #expect(
      result.stdout.contains("seed-case-study.json5") && result.stdout.contains("Reproduces the case study's published failover timeline"))
  }
}

@Suite("drill explain")
struct ExplainCLITests {
  @Test("explain narrates each milestone, names its parameters and says how far each moves it")
  func explain() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID().uuidString).json5")
    try Data(
      """
      // A small outage to explain.
      { version: 1, base: "case-study", duration: "12m", clients: { rate: "5/s" },
        faults: [{ at: "5m", target: "delhi.frontend", mode: "crash" }] }
      """.utf8
    ).write(to: file)
    let result = try DrillProcess.run(["explain", file.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("T+1:30  dns_unhealthy"))
    #expect(result.stdout.contains("dns.healthCheck.interval \"30s\" → \"10s\": moves it to T+0:30 (-60 s)"))
    #expect(result.stdout.contains("monitors.delhi.interval \"5m\" → \"1m\": moves it to T+1:00 (-240 s)"))
    let order = ["dns_unhealthy", "monitor_alert", "db_promoted", "pgpool_switched", "failover_complete"].compactMap {
      result.stdout.range(of: "  " + $0)?.lowerBound
    }
    #expect(order == order.sorted() && order.count == 5)
  }
}

@Suite("drill cost")
struct CostCLITests {
  @Test("cost --json carries the bill, the downtime cost and the breakeven; the text checks the case study's figures")
  func cost() throws {
    let path = ScenarioCLITests.path("scenarios/both-regions-down.json5")
    let json = try DrillProcess.run(["cost", path, "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
    let infrastructure = object["monthly_infrastructure"] as! [String: Any]
    #expect((infrastructure["by_region"] as! [String: Double])["delhi"] == 9_500)
    for key in ["downtime_cost_per_minute", "downtime_cost", "breakeven_downtime_minutes_per_month"] {
      #expect(object[key] != nil, "\(key)")
    }
    #expect(object["downtime_cost_per_minute"] as? Double == 23.15)
    let text = try DrillProcess.run(["cost", path])
    #expect(text.stdout.contains("one region, 1 VM per tier:  ₹9,500   (published ₹9,500)"))
    #expect(text.stdout.contains("₹10,00,000 / 43,200 minutes is ₹23.15"))
  }

  @Test("with three regions, cost gives each region beyond the primary's its own return: the same outage without it")
  func returnPerRegion() throws {
    let path = ScenarioCLITests.path("scenarios/three-regions.json5")
    let json = try DrillProcess.run(["cost", path, "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
    let returns = try #require(object["roi_by_region"] as? [[String: Any]])
    #expect(returns.map { $0["region"] as? String } == ["chennai", "mumbai"])
    for r in returns {
      #expect(r["second_region_monthly"] as? Double == 9_500)
      // Delhi's outage costs more without either region than with both.
      #expect((r["downtime_cost_without"] as! Double) > (r["downtime_cost_with"] as! Double))
    }
    let text = try DrillProcess.run(["cost", path])
    #expect(text.stdout.contains("Return on chennai (the same outage without it, the other regions as written):"))
    #expect(text.stdout.contains("Return on mumbai (the same outage without it, the other regions as written):"))
    #expect(!text.stdout.contains("Return on the second region"))
  }
}

@Suite("drill cost curves")
struct CostCurveCLITests {
  @Test("--loads gives one point per rate with instances, cost, availability and p99; --readings one per reading")
  func curves() throws {
    let path = ScenarioCLITests.path("scenarios/both-regions-down.json5")
    let result = try DrillProcess.run(["cost", path, "--json", "--loads", "20/s,60/s", "--readings"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    let curve = object["load_curve"] as! [[String: Any]]
    #expect(curve.map { $0["rate"] as? String } == ["20/s", "60/s"])
    #expect(
      curve.allSatisfy { $0["monthly_infrastructure"] is Double && $0["availability"] is Double && $0["latency_p99_seconds"] is Double })
    let readings = object["readings"] as! [[String: Any]]
    #expect(readings.map { $0["reading"] as? String } == ["documented", "case-study", "as-coded"])
    let svg = FileManager.default.temporaryDirectory.appendingPathComponent("cost-svg-\(UUID().uuidString)")
    let charts = try DrillProcess.run(["cost", path, "--loads", "20/s,1800/min", "--svg", svg.path])
    #expect(charts.status == 0)
    let chart = try String(contentsOf: svg.appendingPathComponent("cost-vs-load.svg"), encoding: .utf8)
    #expect(chart.contains("₹ per month") && chart.contains(">30<"))  // 1800/min is 30 per second on the axis
    let bad = try DrillProcess.run(["cost", path, "--loads", "lots"])
    #expect(bad.status == 2 && bad.stderr.contains("--loads \"lots\""))
  }
}

@Suite("drill experiments")
struct ExperimentCLITests {
  static func smallScenario() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("small-\(UUID().uuidString).json5")
    try Data(
      """
      // A small outage for experiment tests.
      { version: 1, base: "documented", duration: "6m", clients: { rate: "10/s" },
        faults: [{ at: "2m", target: "delhi.frontend", mode: "crash" }] }
      """.utf8
    ).write(to: url)
    return url.path
  }

  @Test("--replications gives mean ± interval per metric; --jobs 1 and --jobs 4 print the same bytes")
  func replications() throws {
    let file = try Self.smallScenario()
    let one = try DrillProcess.run(["run", file, "--replications", "4", "--jobs", "1", "--json"])
    let four = try DrillProcess.run(["run", file, "--replications", "4", "--jobs", "4", "--json"])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout == four.stdout)
    let object = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as! [String: Any]
    let metrics = ((object["configurations"] as! [[String: Any]])[0]["metrics"] as! [String: Any])
    let availability = metrics["availability"] as! [String: Any]
    #expect(availability["count"] as? Int == 4)
    for key in ["mean", "sd", "ci95_low", "ci95_high", "min", "max"] { #expect(availability[key] is Double, "\(key)") }
    let text = try DrillProcess.run(["run", file, "--replications", "3", "--jobs", "2"])
    #expect(text.stdout.contains("3 replications; 95% Student-t intervals") && text.stdout.contains("milestones.dns_unhealthy"))
  }

  @Test("a sweep run as two shards and merged prints exactly what the unsharded sweep prints")
  func shardMerge() throws {
    let file = try Self.smallScenario()
    let vary = ["--vary", "dns.healthCheck.interval=10s,30s", "--replications", "3"]
    let whole = try DrillProcess.run(["sweep", file] + vary + ["--jobs", "2"])
    #expect(whole.status == 0, "\(whole.stderr)")
    #expect(whole.stdout.contains("dns.healthCheck.interval=\"30s\"") && whole.stdout.contains("vs first:"))
    let directory = FileManager.default.temporaryDirectory
    var parts: [String] = []
    for k in 1...2 {
      let out = directory.appendingPathComponent("part-\(k)-\(UUID().uuidString).json").path
      let shard = try DrillProcess.run(["sweep", file] + vary + ["--jobs", "1", "--shard", "\(k)/2", "--out", out])
      #expect(shard.status == 0, "\(shard.stderr)")
      parts.append(out)
    }
    let merged = try DrillProcess.run(["merge"] + parts)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout == whole.stdout)
    let missing = try DrillProcess.run(["merge", parts[0]])
    #expect(missing.status == 2 && missing.stderr.contains("a shard is missing"))
    // merge takes the output formats the other commands do: the same JSON and CSV.
    let wholeJSON = try DrillProcess.run(["sweep", file] + vary + ["--jobs", "2", "--json"])
    let csv = directory.appendingPathComponent("merged-\(UUID().uuidString).csv").path
    let mergedJSON = try DrillProcess.run(["merge"] + parts + ["--json", "--csv", csv])
    #expect(mergedJSON.status == 0 && mergedJSON.stdout == wholeJSON.stdout)
    let table = try String(contentsOfFile: csv, encoding: .utf8)
    #expect(table.hasPrefix("dns.healthCheck.interval,metric,count,mean,sd,ci95_low,ci95_high,min,max"))
  }

  @Test("--baseline runs the file as written first and compares every grid point with it")
  func baseline() throws {
    let file = try Self.smallScenario()
    // The grid point equal to the file's own value (the documented TTL, 60 s) differs from
    // the baseline by exactly zero.
    let result = try DrillProcess.run([
      "sweep", file, "--vary", "dns.ttl=60s,10s", "--baseline", "--replications", "2", "--jobs", "1", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    let configurations = object["configurations"] as! [[String: Any]]
    #expect(configurations.count == 3)
    #expect((configurations[0]["values"] as! [String: Any]).isEmpty, "the first is the file as written")
    let same = (configurations[1]["paired_difference_vs_first"] as! [String: Any])["metrics"] as! [String: [String: Any]]
    #expect(same["availability"]?["mean"] as? Double == 0, "dns.ttl=60s is the documented reading's own TTL")
    let table = try DrillProcess.run(["sweep", file, "--vary", "dns.ttl=60s,10s", "--baseline", "--replications", "2", "--jobs", "1"])
    #expect(table.stdout.contains("as written (the file's own values)") && table.stdout.contains("vs as written:"))
  }

  @Test("a sweep over a misspelt path fails before any run, with the suggestion and exit code 2")
  func misspelt() throws {
    let result = try DrillProcess.run(["sweep", try Self.smallScenario(), "--vary", "dns.healthCheck.intervall=10s"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown key \"intervall\". Did you mean \"interval\"?") && result.stderr.contains("nothing was run"))
  }
}

@Suite("drill run --html --svg")
struct ReportCLITests {
  @Test("run --html writes one self-contained page; --svg writes each chart")
  func htmlAndSVG() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drill-report-\(UUID().uuidString)")
    let html = directory.appendingPathComponent("report.html")
    let result = try DrillProcess.run([
      "run", ScenarioCLITests.path("scenarios/both-regions-down.json5"), "--quiet", "--html", html.path, "--svg",
      directory.appendingPathComponent("svg").path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.contains("<svg ") && page.contains("Drill: both-regions-down"))
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("svg").path).sorted()
    // No request waited in a queue in this run: that chart is left out, and the page says so.
    #expect(
      files == [
        "failures-by-region.svg", "instances.svg", "latency-by-region.svg", "latency.svg", "replication-lag.svg",
        "requests.svg", "timeline.svg", "traffic-share.svg",
      ])
    #expect(page.contains("no request waited in any queue, so no chart"))
  }
}

@Suite("what-ifs on the command line: --set, diff, --version")
struct WhatIfCLITests {
  static let caseStudy = ScenarioCLITests.path("scenarios/seed-case-study.json5")

  static func milestones(_ result: DrillProcess) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    return object["milestones"] as! [String: Any]
  }

  @Test("--set changes one key without a copied file; a misspelt path gets the file's did-you-mean")
  func set() throws {
    let plain = try DrillProcess.run(["run", Self.caseStudy, "--json"])
    let shorter = try DrillProcess.run(["run", Self.caseStudy, "--json", "--set", "dns.ttl=10s"])
    #expect(plain.status == 0 && shorter.status == 0, "\(shorter.stderr)")
    let before = try Self.milestones(plain)["clients_left_region"] as! Double
    let after = try Self.milestones(shorter)["clients_left_region"] as! Double
    #expect(after < before - 30, "a 10 s TTL empties the caches sooner (\(before) → \(after))")
    let misspelt = try DrillProcess.run(["run", Self.caseStudy, "--set", "dns.tll=10s"])
    #expect(misspelt.status == 2 && misspelt.stderr.contains("Did you mean \"ttl\"?") && misspelt.stdout.isEmpty)
    let shapeless = try DrillProcess.run(["run", Self.caseStudy, "--set", "dnsttl"])
    #expect(shapeless.status == 2 && shapeless.stderr.contains("is not PATH=VALUE"))
  }

  @Test("diff runs both on the same seeds: a file against itself differs by exactly zero; a --set change shows")
  func diff() throws {
    let same = try DrillProcess.run(["diff", Self.caseStudy, Self.caseStudy, "--replications", "2", "--json"])
    #expect(same.status == 0, "\(same.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as! [String: Any]
    let configurations = object["configurations"] as! [[String: Any]]
    #expect(configurations.count == 2)
    let paired = (configurations[1]["paired_difference_vs_first"] as! [String: Any])["metrics"] as! [String: [String: Any]]
    for (name, stats) in paired { #expect((stats["mean"] as? Double) == 0, "\(name)") }

    let ttl = try DrillProcess.run(["diff", Self.caseStudy, "--set", "dns.ttl=10s", "--replications", "2"])
    #expect(ttl.status == 0, "\(ttl.stderr)")
    let line = ttl.stdout.split(separator: "\n").first { $0.contains("milestones.clients_left_region") }
    #expect(line?.contains("-4") == true || line?.contains("-5") == true, "\(line ?? "no line")")
    let alone = try DrillProcess.run(["diff", Self.caseStudy])
    #expect(alone.status == 2 && alone.stderr.contains("give two scenario files, or one file and --set"))
  }

  @Test("drill --version prints the version")
  func version() throws {
    let result = try DrillProcess.run(["--version"])
    #expect(result.status == 0 && result.stdout.hasPrefix("drill ") && result.stdout.contains("."))
  }
}

@Suite("work limits")
struct WorkLimitCLITests {
  static func file(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("drill-limits-\(UUID().uuidString).json5")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test(
    "work past the limits is refused before anything runs, with the estimate and --large",
    arguments: [
      (#"{ version: 1, duration: "366d", bucket: "100ms", clients: { rate: "0/s" } }"#, ["run"], "time-series rows"),
      (#"{ version: 1, duration: "1h", clients: { rate: "1000000/s" } }"#, ["run"], "3.6e+09 requests"),
      (#"{ version: 1, duration: "10m", clients: { rate: "1000/s" } }"#, ["run", "--replications", "1000000"], "in all"),
      (#"{ version: 1, duration: "1h", clients: { rate: "1000000/s" } }"#, ["cost"], "requests"),
      (#"{ version: 1, duration: "1h", clients: { rate: "1000000/s" } }"#, ["explain"], "requests"),
    ] as [(String, [String], String)])
  func refused(text: String, command: [String], message: String) throws {
    let path = try Self.file(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try DrillProcess.run([command[0], path] + command.dropFirst())
    #expect(result.status == 2)
    #expect(result.stderr.contains(message) && result.stderr.contains("--large"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test("a rate beyond ten million a second is refused when the file is read")
  func rate() throws {
    let path = try Self.file(#"{ version: 1, clients: { rate: "1e308/s" } }"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try DrillProcess.run(["validate", path])
    #expect(result.status == 2 && result.stderr.contains("is too high; expected at most 10000000/s"))
  }
}

@Suite("drill availability, drill rank")
struct YearCLITests {
  static func file(_ text: String) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("year-\(UUID().uuidString).json5")
    try Data(text.utf8).write(to: file)
    return file.path
  }

  static let small = """
    { version: 1, base: "documented", seed: 4, clients: { rate: "2/s" },
      availability: { defaultProcesses: false },
      faultProcesses: { region: { target: "delhi", every: "exp(mean: 30d)", repair: "lognormal(median: 1h, p99: 6h)" } } }
    """

  @Test("availability prints the per-year figures with intervals and the claim; the same seed prints the same bytes")
  func availability() throws {
    let path = try Self.file(Self.small)
    let first = try DrillProcess.run(["availability", path, "--years", "3", "--jobs", "1"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("seed 4"))
    for line in [
      "availability (served / all requests)", "downtime minutes (failure-weighted)", "P(a year meets 99.900%)",
      "The case study claims \"99.9%+ availability through geographic redundancy\"", "region", "By what ended them:",
    ] {
      #expect(first.stdout.contains(line), "\(line)")
    }
    let again = try DrillProcess.run(["availability", path, "--years", "3", "--jobs", "2"])
    #expect(again.stdout == first.stdout)
    let html = FileManager.default.temporaryDirectory.appendingPathComponent("year-\(UUID().uuidString).html").path
    let page = try DrillProcess.run(["availability", path, "--years", "2", "--html", html])
    #expect(page.status == 0)
    #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<h2>Per year</h2>"))
  }

  @Test("cost --years prices the second region per year: one region's downtime cost minus two regions', against its price")
  func secondRegionPerYear() throws {
    let path = try Self.file(Self.small)
    let result = try DrillProcess.run(["cost", path, "--years", "2", "--json", "--jobs", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let year = try #require(document["second_region_per_year"] as? [String: Any])
    #expect(year["second_region"] as? String == "chennai")
    // Chennai's price from the price table: 2 VMs, 2 load balancers, a PgPool VM and a database a month.
    #expect(year["price_per_year"] as? Double == Double((2 * 2_000 + 2 * 500 + 1_500 + 3_000) * 12))
    let without = try #require((year["downtime_minutes_without"] as? [String: Any])?["mean"] as? Double)
    let with = try #require((year["downtime_minutes_with"] as? [String: Any])?["mean"] as? Double)
    #expect(without > with, "Delhi alone is down whenever Delhi fails")
  }

  @Test("bad input: a varying rate, --years 0, an unknown lever key, a misspelt process target")
  func badInput() throws {
    let diurnal = try Self.file(
      "{ version: 1, clients: { rate: { shape: \"diurnal\", mean: \"100/s\", amplitude: 0.5, period: \"1d\", peakAt: \"14h\" } } }")
    let varying = try DrillProcess.run(["availability", diurnal])
    #expect(varying.status == 2)
    #expect(varying.stderr.contains("needs a constant request rate"))
    let path = try Self.file(Self.small)
    let zero = try DrillProcess.run(["availability", path, "--years", "0"])
    #expect(zero.status == 2)
    #expect(zero.stderr.contains("--years \"0\" is not a whole number from 1"))
    let levers = try Self.file("{ levers: [{ set: { \"dns.ttl\": \"10s\" }, montlyCost: \"₹5\" }] }")
    let rank = try DrillProcess.run(["rank", path, "--levers", levers])
    #expect(rank.status == 2)
    #expect(rank.stderr.contains("unknown key \"montlyCost\"") && rank.stderr.contains("Did you mean \"monthlyCost\"?"))
    let misspelt = try Self.file("{ version: 1, faultProcesses: { region: { target: \"*.frontned.lb\" } } }")
    let bad = try DrillProcess.run(["availability", misspelt])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("faultProcesses.region.target") && bad.stderr.contains("Did you mean \"frontend\"?"))
  }

  @Test("rank puts the lever that restores writes first and prices UptimeRobot Pro at $7 a month")
  func rank() throws {
    // Delhi's database fails often and PgPool promotes nothing: promoting saves downtime.
    let path = try Self.file(
      """
      { version: 1, base: "documented", seed: 6, clients: { rate: "2/s" },
        availability: { defaultProcesses: false, operator: null },
        faultProcesses: { databaseHost: { target: "delhi.database", every: "exp(mean: 10d)", repair: "lognormal(median: 2h, p99: 6h)" } } }
      """)
    let levers = try Self.file(
      """
      { levers: [
        { name: "PgPool promotes", set: { "pgpool.failoverCommand": "promote" } },
        { name: "1-minute monitors", set: { "monitors.delhi.interval": "1m", "monitors.chennai.interval": "1m" }, monthlyCost: "₹581" },
      ] }
      """)
    let result = try DrillProcess.run(["rank", path, "--levers", levers, "--years", "3", "--jobs", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    let first = try #require(result.stdout.range(of: "1. "))
    #expect(result.stdout[first.upperBound...].hasPrefix("PgPool promotes"), "\(result.stdout)")
    #expect(result.stdout.contains("costs ₹6,972 a year"))
  }
}

@Suite("drill calibrate")
struct CalibrateCLITests {
  @Test("times Drill itself produced under a known monitor interval and TTL are recovered as the best fit")
  func recoversKnownValues() throws {
    let scenario = try YearCLITests.file(
      """
      // An outage to calibrate against.
      { version: 1, base: "documented", seed: 3, duration: "25m", clients: { rate: "20/s" },
        faults: [{ at: "5m", target: "delhi.frontend", mode: "crash" }] }
      """)
    // The "observed" incident: the mean milestones of 20 runs with a 2-minute monitor and a 30 s TTL.
    let truth = try DrillProcess.run([
      "run", scenario, "--replications", "20", "--set", "monitors.delhi.interval=2m", "--set", "dns.ttl=30s", "--json", "--jobs", "2",
    ])
    #expect(truth.status == 0, "\(truth.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(truth.stdout.utf8)) as? [String: Any])
    let milestones = try #require((document["configurations"] as? [[String: Any]])?.first?["milestones"] as? [String: [String: Any]])
    func mean(_ name: String) throws -> Double { try #require(milestones[name]?["mean"] as? Double) }
    let obs = try YearCLITests.file(
      "{ milestones: { dns_unhealthy: \(try mean("dns_unhealthy")), clients_left_region: \(try mean("clients_left_region")), "
        + "monitor_alert: { at: \(try mean("monitor_alert")), tolerance: \"20s\" } } }")
    let result = try DrillProcess.run([
      "calibrate", scenario, "--observed", obs, "--vary", "monitors.delhi.interval=1m,2m,5m", "--vary", "dns.ttl=30s,60s,120s",
      "--replications", "20", "--json", "--jobs", "2",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let fit = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let best = try #require(fit["best_fit"] as? [String: Any])
    #expect(best["monitors.delhi.interval"] as? String == "2m")
    #expect(best["dns.ttl"] as? String == "30s")
    let rows = try #require(fit["milestones"] as? [[String: Any]])
    #expect(rows.count == 3)
    for row in rows {
      #expect(row["within_tolerance"] as? Bool == true, "\(row)")
      #expect(row["percentile"] is Double && row["simulated_mean"] is Double && row["observed"] is Double)
    }
    #expect((fit["runners_up"] as? [Any])?.count == 5)
  }

  @Test("a misspelt milestone is an error with the nearest name; a bad time says what is accepted")
  func badObservation() throws {
    let scenario = ScenarioCLITests.path("scenarios/seed-case-study.json5")
    let misspelt = try YearCLITests.file("{ milestones: { dns_unhealty: \"T+1:30\" } }")
    let result = try DrillProcess.run(["calibrate", scenario, "--observed", misspelt])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\"dns_unhealty\" is not a milestone") && result.stderr.contains("Did you mean \"dns_unhealthy\"?"))
    let badTime = try YearCLITests.file("{ milestones: { dns_unhealthy: \"soon\" } }")
    let time = try DrillProcess.run(["calibrate", scenario, "--observed", badTime])
    #expect(time.status == 2)
    #expect(time.stderr.contains("\"soon\" is not a time after the first fault; expected \"T+1:30\""))
    let good = try YearCLITests.file("{ milestones: { dns_unhealthy: \"T+1:30\", monitor_alert: \"5:00\" } }")
    let asWritten = try DrillProcess.run(["calibrate", scenario, "--observed", good, "--replications", "2"])
    #expect(asWritten.status == 0, "\(asWritten.stderr)")
    // The case-study reading reproduces the published times, so the observation sits on the simulated ones.
    #expect(asWritten.stdout.contains("dns_unhealthy          T+1:30      T+1:30"))
  }
}
