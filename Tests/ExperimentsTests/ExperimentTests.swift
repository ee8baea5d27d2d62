import Foundation
import SimCore
import Testing

@testable import Experiments
@testable import Reports
@testable import Scenarios
@testable import Topology

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A small M/M/1 scenario file (known answer: mean time in system 1/(μ − λ) = 0.2 s).
func mm1File() throws -> String {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("mm1-\(UUID().uuidString).json5")
  try Data(
    """
    // M/M/1: λ = 5/s, μ = 10/s.
    { version: 1, duration: "10m", dns: null, databases: null, monitors: { delhi: null, chennai: null }, automation: null,
      clients: { rate: "5/s", mix: { pageLoad: 0, apiRead: 1, apiWrite: 0 }, timeout: null },
      regions: { delhi: { frontend: null, backend: { instances: 1, min: 1, max: 1, vcpus: 1, autoscaling: { policy: "none" },
                 cpu: { apiRead: "exp(mean: 100ms)" }, loadBalancer: { concurrencyPerTarget: 1, queueLimit: null, queueTimeout: null, healthCheck: null } } },
                 chennai: { frontend: null, backend: null } } }
    """.utf8
  ).write(to: url)
  return url.path
}

@Suite("Experiments")
struct ExperimentTests {
  static func row(_ c: Int, _ result: RunResult) -> MetricRow {
    ["sojourn": result.loadBalancers.first?.meanSojourn, "arrivals": Double(result.arrivals), "latency": result.latency.mean]
  }

  @Test("results are identical for 1 and 4 threads, and configurations share each replication's seed")
  func jobsIndependence() throws {
    let scenario = try Scenario.load(path: mm1File())
    var other = scenario.config
    other.regions[0].backend!.cpuTime[.apiRead] = try .exponential(mean: 0.08)
    let configs = [scenario.config, other]
    let one = Runner(configurations: configs, replications: 6, seed: 11, jobs: 1).run(metrics: Self.row)
    let four = Runner(configurations: configs, replications: 6, seed: 11, jobs: 4).run(metrics: Self.row)
    #expect(one.map(\.metrics) == four.map(\.metrics))
    // Common random numbers: same arrivals in replication r of both configurations.
    for r in 0..<6 { #expect(one[r].metrics["arrivals"]! == one[6 + r].metrics["arrivals"]!) }
    #expect(Set(one.prefix(6).map { $0.metrics["arrivals"]! }).count > 1)  // replications differ
  }

  @Test("shards run disjoint tasks whose union is the whole; merging their partial files gives the unsharded summary")
  func shardsAndMerge() throws {
    let scenario = try Scenario.load(path: mm1File())
    let full = Runner(configurations: [scenario.config], replications: 7, seed: 3, jobs: 2).run(metrics: Self.row)
    var documents: [Data] = []
    var covered: [TaskResult] = []
    for k in 1...3 {
      let part = Runner(configurations: [scenario.config], replications: 7, seed: 3, jobs: 1, shard: Shard(index: k, count: 3)).run(
        metrics: Self.row)
      covered += part
      documents.append(
        Data(
          ExperimentOutput.partial(results: part, command: ["run", "x"], configurations: 1, shard: Shard(index: k, count: 3)).serialized()
            .utf8))
    }
    #expect(covered.count == 7)
    let merged = try ExperimentOutput.merge(documents).get()
    let a = ExperimentSummary(results: full, configurations: 1)
    let b = ExperimentSummary(results: merged.results, configurations: 1)
    #expect(
      ExperimentOutput.json(a, sweep: nil, replications: 7, seed: 3) == ExperimentOutput.json(b, sweep: nil, replications: 7, seed: 3))
    #expect(throws: (any Error).self) { try ExperimentOutput.merge(documents + [documents[0]]).get() }  // a task twice
  }

  @Test("95% intervals over replications cover the true M/M/1 mean time in system about 95% of the time")
  func coverage() throws {
    let scenario = try Scenario.load(path: mm1File())
    var config = scenario.config
    config.duration = .minutes(10)
    var covered = 0
    let experiments = 60
    for e in 0..<experiments {
      let results = Runner(configurations: [config], replications: 8, seed: UInt64(1000 + e), jobs: 2).run(metrics: Self.row)
      let summary = ExperimentSummary(results: results, configurations: 1)
      let sojourn = summary.configurations[0].first { $0.name == "sojourn" }!
      if sojourn.interval!.contains(0.2) { covered += 1 }
    }
    // Binomial(60, 0.95) has sd 1.7; a warm-up bias from starting empty would pull coverage down.
    #expect(covered >= 51, "covered \(covered) of \(experiments)")
  }

  @Test("a sweep over a misspelt path fails before any run, with the suggestion")
  func misspeltPath() throws {
    let sweep = Sweep(file: try mm1File(), axes: [try Sweep.axis("clients.rat=1/s,2/s").get()])
    guard case .failure(let errors) = sweep.scenarios() else {
      Issue.record("a misspelt path was accepted")
      return
    }
    #expect(errors.description.contains("unknown key \"rat\". Did you mean \"rate\"?"))
  }

  @Test("axes: lists, integer ranges, quoting, and bad specs")
  func axes() throws {
    #expect(try Sweep.axis("regions.chennai.backend.max=1...4").get().values == ["1", "2", "3", "4"])
    #expect(try Sweep.axis("dns.healthCheck.interval=10s,30s").get().values == ["\"10s\"", "\"30s\""])
    #expect(try Sweep.axis("pgpool=null").get().values == ["null"])
    #expect(throws: (any Error).self) { try Sweep.axis("nothing").get() }
    #expect(throws: (any Error).self) { try Sweep.axis("a=5...1").get() }
    let sweep = Sweep(file: "f", axes: [try Sweep.axis("a=1,2").get(), try Sweep.axis("b=x,y,z").get()])
    #expect(sweep.combinations.count == 6)
    #expect(sweep.combinations[1].map(\.value) == ["1", "\"y\""])
  }

  @Test("--shard auto reads Slurm job arrays and Kubernetes Indexed Jobs")
  func shardAuto() throws {
    #expect(
      try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"]).get()
        == Shard(index: 5, count: 8))
    #expect(
      try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "0", "DRILL_SHARD_COUNT": "4"]).get() == Shard(index: 1, count: 4))
    #expect(throws: (any Error).self) { try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "0"]).get() }
    #expect(try Shard.parse("2/8", environment: [:]).get() == Shard(index: 2, count: 8))
    #expect(throws: (any Error).self) { try Shard.parse("9/8", environment: [:]).get() }
  }
}

@Suite("one random stream per purpose: a change re-draws only what it governs")
struct StreamIsolationTests {
  /// Delhi goes dark at 2 min; the documented reading with fixed automation delays.
  static let base = """
    { version: 1, base: "documented", duration: "20m", clients: { rate: "20/s" },
      automation: { webhookDelay: "1s", apiCall: "2s", notificationDelay: "0s", coldStartProbability: 0 },
      databases: { chennai: { promotionTime: "30s" } },
      faults: [{ at: "2m", target: "delhi", mode: "crash" }] }
    """

  static func milestones(_ overrides: [(String, String)], seed: UInt64) throws -> [Milestone: Double] {
    var scenario = try Scenario.parse(
      base, file: "isolation.json5", overrides: try overrides.map { ($0.0, try JSON5Parser.parse($0.1, source: "override")) })
    scenario.config.seed = seed
    return RunReport(result: TopologyModel.run(scenario.config), context: scenario.info).milestoneSeconds
  }

  @Test(
    "removing a fixed delay d from one step moves the milestones after it by exactly −d and leaves the ones before it alone",
    arguments: [
      (
        "automation.apiCall", "\"0s\"", 2.0, [Milestone.dbPromoted],
        [Milestone.dnsUnhealthy, .monitorAlert, .automationReceived, .promoteCalled]
      ),
      (
        "automation.webhookDelay", "\"0s\"", 1.0, [.automationReceived, .promoteCalled, .dbPromoted],
        [.dnsUnhealthy, .monitorAlert, .webhookSent]
      ),
      ("databases.chennai.promotionTime", "\"25s\"", 5.0, [.dbPromoted], [.dnsUnhealthy, .monitorAlert, .promoteCalled]),
    ])
  func shifts(path: String, value: String, d: Double, after: [Milestone], before: [Milestone]) throws {
    for seed: UInt64 in 1...5 {
      let a = try Self.milestones([], seed: seed)
      let b = try Self.milestones([(path, value)], seed: seed)
      for m in after {
        let shift = try #require(b[m]) - (try #require(a[m]))
        #expect(abs(shift + d) < 1e-6, "seed \(seed): \(path) → \(value) moved \(m.rawValue) by \(shift) s, not −\(d) s")
      }
      for m in before { #expect(a[m] == b[m], "seed \(seed): \(path) → \(value) moved \(m.rawValue)") }
    }
  }

  @Test("PgPool's health-check period governs PgPool alone: DNS, the monitor, the automation and the promotion do not move")
  func pgpoolPeriod() throws {
    for seed: UInt64 in 1...5 {
      let a = try Self.milestones([], seed: seed)
      let b = try Self.milestones([("pgpool.healthCheckPeriod", "\"5s\"")], seed: seed)
      for m in [Milestone.dnsUnhealthy, .monitorAlert, .webhookSent, .automationReceived, .promoteCalled, .dbPromoted] {
        #expect(a[m] != nil && a[m] == b[m], "seed \(seed): the PgPool period moved \(m.rawValue)")
      }
      // Over-caching resolvers may keep Delhi past the end of the run: then neither has it.
      #expect(a[.clientsLeftRegion] == b[.clientsLeftRegion], "seed \(seed): the PgPool period moved clients_left_region")
    }
  }

  @Test("explain reports the exact shift: the API call's own delay, drawn in this seed, is what removing it saves")
  func explainShift() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("isolation-\(UUID().uuidString).json5")
    try Data(
      """
      // Delhi goes dark; the documented automation.
      { version: 1, base: "documented", duration: "20m", clients: { rate: "20/s" },
        faults: [{ at: "2m", target: "delhi", mode: "crash" }] }
      """.utf8
    ).write(to: file)
    let scenario = try Scenario.load(path: file.path)
    let result = TopologyModel.run(scenario.config)
    let called = try #require(result.timeline.first(.promoteCalled)).time
    let started = try #require(result.timeline.first(.promotionStarted)).time
    let study = ExplainStudy.run(scenario, seed: nil, jobs: 2)
    let step = try #require(study.steps.first { $0.milestone == .dbPromoted })
    let lever = try #require(step.levers.first { $0.path == "automation.apiCall" })
    guard case .moved(let to) = lever.change else {
      Issue.record("removing the API call's delay did not move db_promoted: \(lever.change)")
      return
    }
    #expect(
      abs((to - step.at) + (started - called).seconds) < 1e-6,
      "moved by \(to - step.at) s; the API call took \((started - called).seconds) s")
  }
}

@Suite("explain with people")
struct ExplainRunbookTests {
  @Test("a runbook's acknowledgement moves the promotion by exactly its draw; switched-off automation offers no lever")
  func runbookLevers() throws {
    let scenario = try Scenario.load(
      path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios/manual-failover.json5").path)
    let result = TopologyModel.run(scenario.config)
    let paged = try #require(result.timeline.first(.runbookPaged)).time
    let acknowledged = try #require(result.timeline.first(.runbookAcknowledged)).time
    let study = ExplainStudy.run(scenario, seed: nil, jobs: 2)
    let step = try #require(study.steps.first { $0.milestone == .dbPromoted })
    #expect(!step.levers.contains { $0.path.hasPrefix("automation.") }, "automation: null in the file")
    let lever = try #require(step.levers.first { $0.path == "runbooks.manual-failover.acknowledge" })
    guard case .moved(let to) = lever.change else {
      Issue.record("a faster acknowledgement did not move db_promoted: \(lever.change)")
      return
    }
    #expect(abs((step.at - to) - (acknowledged - paged).seconds) < 1e-6)
  }
}

@Suite("latency intervals are honest about the histogram")
struct LatencyIntervalTests {
  @Test("replications that agree on a p99 bucket get an interval as wide as the bucket, not ± 0; other metrics keep theirs")
  func resolutionFloor() {
    var same = RunningStatistics()
    for _ in 0..<10 { same.record(0.140) }
    let p99 = MetricSummary(name: "latency_p99_seconds", statistics: same)
    #expect(abs(p99.interval!.halfWidth - 0.0014) < 1e-12)
    let availability = MetricSummary(name: "availability", statistics: same)
    #expect(availability.interval!.halfWidth == 0)
  }
}
