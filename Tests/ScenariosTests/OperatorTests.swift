import Foundation
import SimCore
import Testing

@testable import Scenarios
@testable import Topology

/// Runs scenario text; returns the result with times as seconds after the first fault.
private func run(_ text: String) throws -> RunResult {
  TopologyModel.run(try Scenario.parse(text, file: "operators.json5").config)
}

extension RunResult {
  /// Seconds after the first fault of the entries of `kind` (optionally whose text contains `containing`).
  fileprivate func times(_ kind: TimelineKind, containing: String? = nil) -> [Double] {
    timeline.entries.filter { $0.kind == kind && (containing.map($0.text.contains) ?? true) }.map {
      ($0.time - (firstFault ?? .zero)).seconds
    }
  }
}

/// The diagnostics of scenario text that must not parse.
private func problems(_ text: String) -> [String] {
  do {
    _ = try Scenario.parse(text, file: "bad.json5")
    return []
  } catch let error as Scenario.Errors {
    return error.diagnostics.map { "\($0.path ?? ""): \($0.message)" }
  } catch {
    return ["\(error)"]
  }
}

@Suite("Runbooks: operators as people")
struct RunbookTests {
  /// Delhi's database refuses from T+0:00 with a deep monitor checking every minute from 0 s:
  /// the alert comes at a known time, and every human delay and step time is constant.
  static func scenario(steps: String, extra: String = "", trigger: String = "alert:delhi") -> String {
    """
    { version: 1, base: "documented", duration: "40m", clients: { rate: "5/s" },
      automation: null,
      monitors: { delhi: { deep: true, interval: "1m", phase: "0s", confirmations: 0 }, chennai: null },
      databases: { chennai: { promotionTime: "10s" } },
      faults: [{ at: "10m", target: "delhi.database", mode: "crash" }],
      runbooks: { manual: { on: "\(trigger)", page: "1m", acknowledge: "2m", diagnose: "3m", steps: [\(steps)] } },
      \(extra) }
    """
  }

  @Test("page, acknowledge, diagnose and each step take exactly their time; the promotion lands when its step ends")
  func exactTimeline() throws {
    let result = try run(
      Self.scenario(steps: #"{ do: "check", what: "confirms", takes: "1m" }, { do: "promote", region: "chennai", takes: "2m" }"#))
    // The monitor's check at 10:00 runs before the fault; the one at 11:00 fails (refused, one
    // round trip) and alerts at once: T+1:00.1.
    let paged = try #require(result.times(.runbookTriggered).first)
    #expect(abs(paged - 60.1) < 1e-9)
    #expect(result.times(.runbookPaged) == [paged + 60])
    #expect(result.times(.runbookAcknowledged) == [paged + 180])
    #expect(result.times(.runbookDiagnosed) == [paged + 360])
    #expect(result.times(.runbookStepStarted) == [paged + 360, paged + 420])
    #expect(result.times(.operatorPromote) == [paged + 540])
    #expect(result.times(.runbookCompleted) == [paged + 540])
    #expect(result.times(.dbPromoted) == [paged + 550])  // promotionTime 10 s, no backlog
    // The operator's pcp_promote_node follows the promotion: PgPool sends writes there.
    #expect(result.times(.pgpoolSwitched, containing: "Operator") == [paged + 550])
    // A runbook runs once, though the monitor alerts again (recurrence) or stays down.
    #expect(result.times(.runbookTriggered).count == 1)
  }

  @Test("a step that always fails is tried `attempts` times, then the runbook stops there and nothing is promoted")
  func failingStep() throws {
    let result = try run(Self.scenario(steps: #"{ do: "promote", region: "chennai", takes: "1m", fails: 1, attempts: 3 }"#))
    let paged = try #require(result.times(.runbookTriggered).first)
    #expect(result.times(.runbookStepStarted) == [paged + 360, paged + 420, paged + 480])
    #expect(result.times(.runbookStepFailed) == [paged + 420, paged + 480])
    #expect(result.times(.runbookAbandoned) == [paged + 540])
    #expect(result.times(.operatorPromote).isEmpty)
    #expect(result.times(.dbPromoted).isEmpty)
    #expect(result.times(.runbookCompleted).isEmpty)
  }

  @Test("a step failing with probability 0.3 and one attempt stops 30% of runbooks (binomial 99% bounds over 300 seeds)")
  func failureShare() throws {
    let base = try Scenario.parse(
      Self.scenario(steps: #"{ do: "check", takes: "1m", fails: 0.3, attempts: 1 }"#).replacingOccurrences(of: "40m", with: "20m"),
      file: "share.json5")
    var abandoned = 0
    let runs = 300
    for seed in 1...runs {
      var config = base.config
      config.seed = UInt64(seed)
      config.populations[0].arrivals = .constant(rate: 0.2)
      if TopologyModel.run(config).timeline.entries.contains(where: { $0.kind == .runbookAbandoned }) { abandoned += 1 }
    }
    // 300 × 0.3 = 90, standard deviation √(300 × 0.3 × 0.7) ≈ 7.9: 99% within ±21.
    #expect(abs(Double(abandoned) - 90) < 21, "abandoned \(abandoned) of \(runs)")
  }

  @Test("a timeline event pages the operator: on db_promoted, after the automation's promotion")
  func timelineTrigger() throws {
    let text = Self.scenario(
      steps: #"{ do: "set-weight", region: "delhi", weight: 0, takes: "30s" }"#, trigger: "db_promoted"
    ).replacingOccurrences(
      of: "automation: null,",
      with:
        "automation: { notificationDelay: \"0s\", webhookDelay: \"1s\", functionTime: \"1s\", coldStartProbability: 0, apiCall: \"2s\" },")
    let result = try run(text)
    let promoted = try #require(result.times(.dbPromoted).first)
    #expect(result.times(.runbookTriggered) == [promoted])
    #expect(result.times(.dnsWeightChanged) == [promoted + 60 + 120 + 180 + 30])
  }

  @Test("rebuild (terraform apply) ends every fault on the region when its step ends; the fault's own end changes nothing after")
  func rebuild() throws {
    let result = try run(
      """
      { version: 1, base: "documented", duration: "1h", clients: { rate: "5/s" }, automation: null,
        monitors: { delhi: { interval: "1m", phase: "0s", confirmations: 0 }, chennai: null },
        faults: [{ at: "10m", target: "delhi", mode: "crash", duration: "40m" }, { at: "10m", target: "delhi.database", mode: "hang" }],
        runbooks: { rebuild: { on: "alert:delhi", page: "0s", acknowledge: "0s", diagnose: "0s",
          steps: [{ do: "rebuild", region: "delhi", takes: "12m" }] } } }
      """)
    let paged = try #require(result.times(.runbookTriggered).first)
    #expect(result.times(.regionRebuilt) == [paged + 720])
    // Both faults on Delhi end then: the region and its database (two repair lines), and at
    // T+40:00, when the region fault was due to end, nothing more happens.
    #expect(result.times(.faultEnded) == [paged + 720, paged + 720])
  }

  @Test("restart takes a tier out for downFor without moving the origin of T+, and repoints DATABASE_URL")
  func restart() throws {
    let result = try run(
      """
      { version: 1, base: "documented", duration: "30m", clients: { rate: "20/s" }, automation: null, dns: null,
        monitors: { delhi: { interval: "1m", phase: "0s", confirmations: 0 }, chennai: null },
        faults: [{ at: "10m", target: "delhi.frontend.lb", mode: "crash", duration: "90s" }],
        runbooks: { restart: { on: "alert:delhi", page: "0s", acknowledge: "0s", diagnose: "0s",
          steps: [{ do: "restart", region: "delhi", tier: "backend", downFor: "20s", database: "chennai", takes: "1m" }] } } }
      """)
    let paged = try #require(result.times(.runbookTriggered).first)
    #expect(result.times(.tierRestarted) == [paged + 60, paged + 80])
    #expect(result.times(.faultBegan).count == 1)  // the restart is no fault
    #expect(abs((result.firstFault!.sinceStart).seconds - 600) < 1e-9)
    // Requests refused while the backends restart (the load balancer answers 502).
    let restartBucket = Int((600 + paged + 60) / 10)
    #expect(result.series[restartBucket].outcomes.failed > 0)
  }

  @Test("each delay and step draws from its own stream: removing the acknowledgement moves the promotion by exactly its draw")
  func streamsPerDelay() throws {
    let drawn = Self.scenario(
      steps:
        #"{ do: "check", takes: "uniform(min: 1m, max: 5m)", fails: 0.3, attempts: 5 }, { do: "promote", region: "chennai", takes: "uniform(min: 1m, max: 3m)" }"#
    ).replacingOccurrences(of: #"acknowledge: "2m""#, with: #"acknowledge: "uniform(min: 1m, max: 10m)""#)
    let a = try run(drawn)
    let b = try run(drawn.replacingOccurrences(of: #"acknowledge: "uniform(min: 1m, max: 10m)""#, with: #"acknowledge: "0s""#))
    let acknowledged = try #require(a.times(.runbookAcknowledged).first) - a.times(.runbookPaged).first!
    #expect(acknowledged >= 60 && acknowledged <= 600)
    let promotedA = try #require(a.times(.operatorPromote).first)
    let promotedB = try #require(b.times(.operatorPromote).first)
    #expect(abs((promotedA - promotedB) - acknowledged) < 1e-6)
    #expect(a.times(.runbookStepFailed) == b.times(.runbookStepFailed).map { $0 + acknowledged })
  }

  @Test("bad runbooks are refused with the path and a suggestion")
  func badRunbooks() {
    #expect(problems(Self.scenario(steps: "", trigger: "alert:delhy")).contains { $0.contains("Did you mean \"alert:delhi\"") })
    #expect(problems(Self.scenario(steps: "", trigger: "db_promote")).contains { $0.contains("Did you mean \"db_promoted\"") })
    #expect(problems(Self.scenario(steps: "", trigger: "rule:writes")).contains { $0.contains("this scenario has none (alertRules)") })
    #expect(
      problems(Self.scenario(steps: #"{ do: "promot" }"#)).contains {
        $0.hasPrefix("runbooks.manual.steps[0].do") && $0.contains("Did you mean \"promote\"")
      })
    #expect(problems(Self.scenario(steps: #"{ do: "check", tkes: "1m" }"#)).contains { $0.contains("Did you mean \"takes\"") })
  }
}

@Suite("Alert rules")
struct AlertRuleTests {
  /// Delhi's backends refuse from T+0:00 for 5 min; clients all go to Delhi (no DNS).
  static func scenario(rule: String, runbook: String = "") -> String {
    """
    { version: 1, base: "documented", duration: "25m", clients: { rate: "20/s", region: "delhi" }, dns: null,
      automation: null, monitors: { delhi: null, chennai: null },
      faults: [{ at: "10m", target: "delhi.backend", mode: "crash", duration: "5m" }],
      alertRules: { failing: \(rule) }, \(runbook) }
    """
  }

  @Test("pending when the expression first holds, firing once it held for `for`, notified after group_wait, resolved after")
  func lifecycle() throws {
    let result = try run(
      Self.scenario(
        rule: #"{ expr: "error_share > 20%", over: "1m", for: "2m", every: "30s" }"#,
        runbook: #"runbooks: { look: { on: "rule:failing", page: "0s", acknowledge: "0s", diagnose: "0s", steps: [] } }"#))
    // Evaluations at every 30 s. At 10:00 the window [9:00, 10:00] holds no failure (the fault
    // applies after the bucket closes); at 10:30 half of [9:30, 10:30] failed.
    #expect(result.times(.alertRulePending) == [30])
    #expect(result.times(.alertRuleFiring) == [150])
    #expect(result.times(.alertRuleNotified) == [180])
    #expect(result.times(.runbookTriggered) == [180])
    let resolved = try #require(result.times(.alertRuleResolved).first)
    #expect(resolved > 300)  // the fault ends at T+5:00; the window must clear of failures
    #expect(result.times(.alertRuleFiring).count == 1)
  }

  @Test("for: 0 fires at the first evaluation that holds; a rule that never holds stays silent")
  func immediate() throws {
    let result = try run(Self.scenario(rule: #"{ expr: "error_share(apiWrite) >= 0.2", over: "30s", every: "1m" }"#))
    #expect(result.times(.alertRulePending).isEmpty)
    #expect(result.times(.alertRuleFiring) == [60])
    let quiet = try run(Self.scenario(rule: #"{ expr: "replication_lag(chennai) > 1h" }"#))
    #expect(quiet.timeline.entries.allSatisfy { ![.alertRulePending, .alertRuleFiring].contains($0.kind) })
  }

  @Test("p99 latency over the window sees a slow database; instances in service sees a tier out")
  func otherMetrics() throws {
    let slow = try run(
      """
      { version: 1, base: "documented", duration: "15m", clients: { rate: "20/s" }, automation: null,
        faults: [{ at: "10m", target: "delhi.database", mode: "latency", latency: "2s" }],
        alertRules: { slow: { expr: "p99_latency > 1s", over: "1m", every: "1m" } } }
      """)
    #expect(slow.times(.alertRuleFiring) == [60])
    let out = try run(
      Self.scenario(rule: #"{ expr: "instances_in_service(delhi.backend) < 1", over: "10s", every: "10s" }"#))
    let unhealthy = try #require(out.times(.lbTargetUnhealthy, containing: "delhi.backend").first)
    let firing = try #require(out.times(.alertRuleFiring).first)
    #expect(firing >= unhealthy && firing < unhealthy + 10)
  }

  @Test("bad expressions are refused with what is accepted and a suggestion")
  func badRules() {
    #expect(problems(Self.scenario(rule: #"{ expr: "error_shar > 5%" }"#)).contains { $0.contains("Did you mean \"error_share\"") })
    #expect(problems(Self.scenario(rule: #"{ expr: "p99_latency > 5%" }"#)).contains { $0.contains("expected a duration") })
    #expect(problems(Self.scenario(rule: #"{ expr: "error_share(apiWrite, delhi) > 5%" }"#)).contains { $0.contains("not both") })
    #expect(problems(Self.scenario(rule: #"{ expr: "error_share 5%" }"#)).contains { $0.contains("has no comparison") })
    #expect(
      problems(Self.scenario(rule: #"{ expr: "instances_in_service(delhi.backnd) < 1" }"#)).contains {
        $0.contains("Did you mean \"delhi.backend\"")
      })
    #expect(
      problems(Self.scenario(rule: #"{ expr: "error_share > 5%", every: "1s" }"#)).contains { $0.contains("alertRules.failing.every") })
    #expect(problems(Self.scenario(rule: #"{ expr: "error_share > 5%", automation: "delhi" }"#)).contains { $0.contains("has none") })
  }
}

@Suite("The backend's own database pool and crash loop (the seed's code)")
struct AppPoolTests {
  @Test("a database crash ends the process; it crash-loops every 10 s and listens again at the first start after the repair")
  func crashLoop() throws {
    let result = try run(
      """
      { version: 1, base: "as-coded", duration: "20m", clients: { rate: "50/s" },
        faults: [{ at: "10m", target: "delhi.database", mode: "crash", duration: "95s" }] }
      """)
    #expect(result.times(.processExited, containing: "delhi.backend#0") == [0])
    #expect(result.times(.processCrashLoop, containing: "delhi.backend#0") == [10])
    // Starts at 10, 20, …, 90 s fail (9 of them); the one at 100 s finds the database back.
    let started = try #require(result.timeline.entries.first { $0.kind == .processStarted })
    #expect((started.time - result.firstFault!).seconds == 100)
    #expect(started.text.contains("after 9 failed starts"))
    // Chennai's backends use their own (standalone) database: they never exit.
    #expect(result.times(.processExited, containing: "chennai").isEmpty)
  }

  @Test("a hung database resets nothing: the process stays up and its requests wait for a connection instead")
  func hangDoesNotExit() throws {
    let result = try run(
      """
      { version: 1, base: "as-coded", duration: "15m", clients: { rate: "50/s" },
        faults: [{ at: "10m", target: "delhi.database", mode: "hang", duration: "2m" }] }
      """)
    #expect(result.times(.processExited).isEmpty)
    let causes = result.totals
    #expect(causes.total(.clientTimeout) > 0)  // the clients give up on them after 30 s
  }

  @Test("PgPool dropping its sessions on failover ends processes that use it; without the pool nothing exits")
  func pgpoolSessionsKilled() throws {
    let text = """
      { version: 1, base: "documented", duration: "15m", clients: { rate: "50/s" },
        regions: { delhi: { backend: { databasePool: {} } }, chennai: { backend: { databasePool: {} } } },
        faults: [{ at: "10m", target: "delhi.database", mode: "crash" }] }
      """
    let result = try run(text)
    let killed = result.times(.pgpoolSessionsKilled)
    #expect(!killed.isEmpty)
    #expect(result.times(.processExited).count == 2)
    #expect(Set(result.times(.processExited)).isSubset(of: Set(killed)))
    let without = try run(text.replacingOccurrences(of: "databasePool: {}", with: "databasePool: null"))
    #expect(without.times(.processExited).isEmpty)
  }

  @Test("one connection per process queues requests in order: the added wait is M/D/1's ρ/(2μ(1−ρ)) (50 ms at ρ = 0.5)")
  func poolQueueing() throws {
    func meanLatency(_ pool: String) throws -> Double {
      let result = try run(
        """
        { version: 1, base: "documented", duration: "2h", seed: 7, dns: null, pgpool: null, automation: null,
          monitors: { delhi: null, chennai: null },
          clients: { rate: "5/s", region: "delhi", mix: { pageLoad: 0, apiRead: 1, apiWrite: 0 }, timeout: null },
          regions: { delhi: { frontend: { cpu: { apiRead: "0s" } }, backend: { cpu: { apiRead: "0s" }, databasePool: \(pool) } } },
          databases: { delhi: { readTime: "100ms" } } }
        """)
      return result.latency.mean
    }
    let queued = try meanLatency("{ max: 1 }")
    let free = try meanLatency("null")
    // 36,000 reads; the M/D/1 wait has a standard deviation of about 70 ms per request and is
    // correlated over a few requests: the mean's half-width is a few milliseconds.
    #expect(abs((queued - free) - 0.050) < 0.008, "added wait \(queued - free)")
  }
}

@Suite("Alert rules that start the automation")
struct AlertRuleAutomationTests {
  @Test("a firing rule with automation: \"delhi\" starts the failover automation when Alertmanager notifies, monitors or not")
  func ruleStartsAutomation() throws {
    let result = try run(
      """
      { version: 1, base: "documented", duration: "20m", clients: { rate: "20/s" },
        monitors: { delhi: null, chennai: null },
        automation: { notificationDelay: "0s", webhookDelay: "1s", functionTime: "1s", coldStartProbability: 0, apiCall: "2s" },
        faults: [{ at: "10m", target: "delhi.database", mode: "crash" }],
        alertRules: { writes: { expr: "error_share(apiWrite) > 20%", over: "30s", every: "30s", automation: "delhi" } } }
      """)
    let notified = try #require(result.times(.alertRuleNotified).first)
    #expect(result.times(.webhookSent, containing: "alert rule writes") == [notified])
    #expect(result.times(.promoteCalled) == [notified + 2])
    #expect(!result.times(.dbPromoted).isEmpty)
  }
}

@Suite("docs/json.md names every timeline kind and mechanism")
struct TimelineNamesDocTests {
  @Test("every TimelineKind and Mechanism raw value is in docs/json.md, so scripts know every name they may meet")
  func everyName() throws {
    let root = projectRoot
    let text = try String(contentsOf: root.appendingPathComponent("docs/json.md"), encoding: .utf8)
    for kind in TimelineKind.allCases { #expect(text.contains("`\(kind.rawValue)`"), "\(kind.rawValue)") }
    for mechanism in Mechanism.allCases { #expect(text.contains("`\(mechanism.rawValue)`"), "\(mechanism.rawValue)") }
  }
}
