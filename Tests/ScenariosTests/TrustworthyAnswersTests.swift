import Foundation
import SimCore
import Testing

@testable import Reports
@testable import Scenarios
@testable import Topology

/// Answers that must never be silently wrong: undefined availability, milestones that
/// depend on others, and clock times printed one way everywhere.
@Suite("Trustworthy answers")
struct TrustworthyAnswersTests {
  static func report(_ text: String) throws -> RunReport {
    let scenario = try Scenario.parse(text, file: "test.json5")
    return RunReport(result: TopologyModel.run(scenario.config), context: scenario.info)
  }

  /// Reads scenario `text` and runs it.
  static func run(_ text: String) throws -> RunResult { try report(text).result }

  @Test("a run without requests has no availability: null in JSON, undefined in the text, not 100%")
  func noRequestsNoAvailability() throws {
    let report = try Self.report("{ version: 1, duration: \"2m\", clients: { rate: \"0/s\" } }")
    #expect(report.attempts == 0)
    guard case .object(let pairs) = report.json(), case .object(let metrics)? = pairs.first(where: { $0.0 == "metrics" })?.1 else {
      Issue.record("no metrics object")
      return
    }
    #expect(metrics.first { $0.0 == "availability" }?.1 == .null)
    let text = report.text()
    #expect(text.contains("availability is undefined"))
    #expect(!text.contains("availability 100"))
  }

  @Test("failover_complete never comes before the reads and writes it waits for: capped capacity means it never happens")
  func failoverCompleteWaitsForItsParts() throws {
    // traffic-surge with Chennai's backend capped at 2: Chennai's queue overflows for the rest
    // of the run, so reads and writes are never restored.
    let surge = try String(contentsOfFile: "scenarios/traffic-surge.json5", encoding: .utf8)
    let capped = surge.replacingOccurrences(of: "max: 5, cpu", with: "max: 2, cpu")
    #expect(capped != surge)
    let report = try Self.report(capped)
    let seconds = report.milestoneSeconds
    #expect(seconds[.dnsUnhealthy] != nil, "DNS did drop Delhi")
    #expect(seconds[.writesRestored] == nil && seconds[.readsRestored] == nil)
    #expect(seconds[.failoverComplete] == nil, "it must not be reported while reads and writes still fail")
    #expect(report.rtoSeconds == nil)
    #expect(report.text().contains("RTO — (service never recovered)"))
    // And where it happens, it is the latest of its parts.
    let outage = try Self.report(try String(contentsOfFile: "scenarios/delhi-region-outage.json5", encoding: .utf8))
    let parts = outage.milestoneSeconds
    let complete = try #require(parts[.failoverComplete])
    for part in [Milestone.dnsUnhealthy, .writesRestored, .readsRestored, .pgpoolSwitched] {
      if let t = parts[part] { #expect(t <= complete, "\(part)") }
    }
  }

  @Test("clock times round to the nearest second everywhere, so 199.998 s and 200 s print alike")
  func clockRounding() {
    #expect(RunReport.clock(199.998) == "3:20")
    #expect(RunReport.clock(200) == "3:20")
    #expect(RunReport.clock(89.4) == "1:29")
    #expect(SimTime.at(.milliseconds(199_998)).offsetDescription(from: .zero) == "T+3:20")
    #expect(SimTime.at(.milliseconds(89_400)).offsetDescription(from: .zero) == "T+1:29")
    #expect(SimTime.zero.offsetDescription(from: .at(.milliseconds(1_600))) == "T-0:02")
  }

  @Test("a slow fault on a long CPU time saturates the clock instead of trapping; every request is still accounted for")
  func saturatedDraws() throws {
    let result = try Self.run(
      "{ version: 1, duration: \"3m\", regions: { delhi: { backend: { cpu: { apiRead: \"1000d\" } } } }, "
        + "faults: [{ at: \"1m\", target: \"delhi.backend\", mode: \"slow\", factor: 10000 }] }")
    #expect(result.invariantViolations.isEmpty, "\(result.invariantViolations)")
    #expect(result.totals.total(.clientTimeout) > 0, "requests stuck behind the endless CPU time time out")
  }

  @Test("a fault on the one monitor left, after the file removed the other, hits that monitor")
  func remainingMonitor() throws {
    let result = try Self.run(
      "{ version: 1, duration: \"3m\", monitors: { delhi: null }, faults: [{ at: \"1m\", target: \"monitor.chennai\" }] }")
    #expect(result.timeline.entries.contains { $0.text.contains("UptimeRobot chennai: stops working") })
  }

  @Test("overlapping faults on one target compose: it is repaired only when the last of them ends")
  func overlappingFaults() throws {
    let result = try Self.run(
      "{ version: 1, duration: \"12m\", faults: [{ at: \"1m\", target: \"delhi.frontend\", duration: \"4m\" }, "
        + "{ at: \"3m\", target: \"delhi.frontend\", duration: \"5m\" }] }")
    let faultLines = result.timeline.entries.filter { $0.mechanism == .fault }.map { ($0.time, $0.text) }
    let repaired = faultLines.filter { $0.1.hasSuffix("tier repaired") }.map(\.0)
    #expect(repaired == [.at(.minutes(8))], "\(faultLines)")
    #expect(faultLines.contains { $0.0 == .at(.minutes(5)) && $0.1.contains("another still holds it") })
    // Route 53 sees Delhi healthy again only after the second fault's end, not the first's.
    let healthy = result.timeline.entries.first { $0.kind == .dnsRecordHealthy }?.time
    #expect(healthy.map { $0 > .at(.minutes(8)) } == true, "\(String(describing: healthy))")
  }

  @Test("two faults at the same instant on one target: the later in the file is in force, and the timeline says so")
  func sameInstantFaults() throws {
    let result = try Self.run(
      "{ version: 1, duration: \"4m\", faults: [{ at: \"1m\", target: \"delhi.backend\", mode: \"slow\", factor: 5 }, "
        + "{ at: \"1m\", target: \"delhi.backend\", mode: \"crash\" }] }")
    #expect(result.timeline.entries.contains { $0.text.contains("another fault already holds it; this one is in force now") })
    #expect(result.totals.total(.targetRefused) > 0, "the crash, the later fault, is in force")
  }
}

@Suite("docs/mechanisms.md")
struct MechanismsDocTests {
  @Test("every § the code and the reference cite is a section of docs/mechanisms.md, and each section names a source")
  func citationsResolve() throws {
    let root = projectRoot
    let doc = try String(contentsOf: root.appendingPathComponent("docs/mechanisms.md"), encoding: .utf8)
    let sections = Set(
      doc.split(separator: "\n").compactMap { line -> String? in
        guard let m = line.firstMatch(of: #/^#{2,3} (\d+(?:\.\d+)?)\.? /#) else { return nil }
        return String(m.1)
      })
    var texts = [try String(contentsOf: root.appendingPathComponent("docs/scenario-reference.md"), encoding: .utf8)]
    let sources = FileManager.default.enumerator(at: root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)!
    for case let url as URL in sources where url.pathExtension == "swift" { texts.append(try String(contentsOf: url, encoding: .utf8)) }
    var cited: Set<String> = []
    for text in texts {
      for m in text.matches(of: #/mechanisms(?:\.md)? §(\d+(?:\.\d+)?)/#) { cited.insert(String(m.1)) }
    }
    #expect(!cited.isEmpty)
    #expect(cited.subtracting(sections).sorted() == [], "cited sections missing from docs/mechanisms.md")
    // Sections 1–7 each say where their rules come from: a named document or source file.
    for number in 1...7 {
      let start = try #require(doc.range(of: "\n## \(number). "))
      let rest = doc[start.upperBound...]
      let body = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
      #expect(body.contains("("), "section \(number) names its sources in parentheses")
    }
  }
}

/// Deep health checks: a check that asks the database path too.
@Suite struct DeepHealthCheckTests {
  static func firstDNSFailure(mode: String, deep: Bool) throws -> Double? {
    let scenario = try Scenario.parse(
      """
      { version: 1, base: "documented", duration: "12m", clients: { rate: "5/s" },
        dns: { healthCheck: { phase: "0s", deep: \(deep), responseTimeout: "2s", roundTrip: "50ms" } },
        monitors: { delhi: null, chennai: null },
        faults: [{ at: "10m", target: "delhi.database", mode: "\(mode)" }] }
      """, file: "deep.json5")
    let result = TopologyModel.run(scenario.config)
    let first = result.timeline.entries.first { $0.kind == .dnsCheckFailed && $0.text.contains("for delhi") }
    return first.map { ($0.time - (result.firstFault ?? .zero)).seconds }
  }

  @Test("a shallow check never sees the database; a deep one fails at once when it refuses, after the response timeout when it hangs")
  func deepChecksSeeTheDatabase() throws {
    #expect(try Self.firstDNSFailure(mode: "crash", deep: false) == nil)
    // Every checker starts at 0 s and waits 30 s from each response (50 ms after each probe), so
    // after twenty checks the one due after the fault starts at T+0:01. Its answer comes a round
    // trip later when the database refuses (503), the response timeout (2 s) later when it hangs.
    #expect(try Self.firstDNSFailure(mode: "crash", deep: true) == 1.05)
    #expect(try Self.firstDNSFailure(mode: "hang", deep: true) == 3)
  }

  @Test("deep load-balancer target checks take backends out when their database refuses")
  func deepTargetChecks() throws {
    let scenario = try Scenario.parse(
      """
      { version: 1, base: "documented", duration: "12m", clients: { rate: "5/s" },
        regions: { delhi: { backend: { loadBalancer: { healthCheck: { deep: true } } } } },
        databases: null, faults: [] }
      """, file: "deep.json5")
    // Without a data tier a deep check has nothing more to ask: every target stays healthy.
    let result = TopologyModel.run(scenario.config)
    #expect(!result.timeline.entries.contains { $0.kind == .lbTargetUnhealthy })
    let withData = try Scenario.parse(
      """
      { version: 1, base: "documented", duration: "12m", clients: { rate: "5/s" },
        regions: { delhi: { backend: { loadBalancer: { healthCheck: { deep: true, interval: "5s" } } } } },
        pgpool: null,
        faults: [{ at: "10m", target: "delhi.database", mode: "crash" }] }
      """, file: "deep.json5")
    let run = TopologyModel.run(withData.config)
    #expect(run.timeline.entries.contains { $0.kind == .lbTargetUnhealthy && $0.text.contains("delhi.backend") })
    #expect(!run.timeline.entries.contains { $0.kind == .lbTargetUnhealthy && $0.text.contains("frontend") })
  }
}
