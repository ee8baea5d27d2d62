import Foundation
import Testing

/// Every shipped scenario's text, `--json` and `--csv` output, byte for byte, against the
/// copies in Tests/Snapshots/. A change that moves any figure fails here; if the change is
/// meant, `Scripts/update-snapshots.sh` records the new output and the commit says why.
@Suite("snapshots of the shipped scenarios")
struct SnapshotTests {
  static let snapshots = ScenarioCLITests.root.appendingPathComponent("Tests/Snapshots")

  static let scenarios: [String] = {
    let folder = ScenarioCLITests.root.appendingPathComponent("scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".json5") }.map { String($0.dropLast(6)) }.sorted()
  }()

  /// The first line where two texts differ, for a readable failure.
  static func firstDifference(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
      return "line \(i + 1):\n  expected: \(i < a.count ? String(a[i]) : "<end>")\n  actual:   \(i < b.count ? String(b[i]) : "<end>")"
    }
    return "same lines"
  }

  @Test("every shipped scenario has a snapshot")
  func complete() throws {
    #expect(Self.scenarios.count == 17)
    for name in Self.scenarios {
      for suffix in ["txt", "json", "csv"] {
        #expect(
          FileManager.default.fileExists(atPath: Self.snapshots.appendingPathComponent("\(name).\(suffix)").path), "\(name).\(suffix)")
      }
    }
  }

  @Test("text, --json and --csv are byte-identical to the snapshot", arguments: scenarios)
  func matches(name: String) throws {
    let file = ScenarioCLITests.path("scenarios/\(name).json5")
    let folder = try scratchFolder("snapshot")
    let csvPath = folder.appendingPathComponent("series.csv").path
    let text = try DrillProcess.run(["run", file, "--csv", csvPath])
    #expect(text.status == 0, "\(text.stderr)")
    let json = try DrillProcess.run(["run", file, "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let outputs = [("txt", text.stdout), ("json", json.stdout), ("csv", try String(contentsOfFile: csvPath, encoding: .utf8))]
    for (suffix, actual) in outputs {
      let expected = try String(contentsOf: Self.snapshots.appendingPathComponent("\(name).\(suffix)"), encoding: .utf8)
      #expect(actual == expected, "\(name).\(suffix) differs at \(Self.firstDifference(expected, actual))")
    }
  }
}

/// What the shipped scenarios' opening comments claim, checked against their runs (the
/// snapshots, which the snapshot test holds equal to a fresh run).
@Suite("the shipped scenarios say what they show")
struct ScenarioClaimTests {
  static func json(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: SnapshotTests.snapshots.appendingPathComponent("\(name).json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  static func kinds(_ run: [String: Any]) -> [String] { (run["timeline"] as! [[String: Any]]).map { $0["kind"] as! String } }
  static func metrics(_ run: [String: Any]) -> [String: Any] { run["metrics"] as! [String: Any] }
  static func causes(_ run: [String: Any]) -> [String: Int] { metrics(run)["failures_by_cause"] as! [String: Int] }
  static func milestone(_ run: [String: Any], _ name: String) -> Double? { (run["milestones"] as! [String: Any])[name] as? Double }

  @Test(
    "cross-region-partition: writes fail across the cut link, Chennai's PgPool holds every client while it searches, reads come back when it gives up"
  )
  func partition() throws {
    let run = try Self.json("cross-region-partition")
    #expect(Self.causes(run)["data_tier_error"]! > 0)
    #expect(Self.kinds(run).contains("pgpool_detached") && Self.kinds(run).contains("pgpool_no_primary"))
    #expect(Self.milestone(run, "writes_restored") == nil)
    #expect(Self.milestone(run, "reads_restored").map { $0 > 300 } == true)
  }

  @Test("traffic-surge: Chennai's backend scales out after the fault, its queue never fills, p99 stays low, the failures are Delhi's")
  func surge() throws {
    let run = try Self.json("traffic-surge")
    let timeline = run["timeline"] as! [[String: Any]]
    #expect(timeline.contains { $0["kind"] as? String == "scale_out" && ($0["at"] as! Double) > 0 })
    #expect(Self.causes(run)["lb_queue_full"] == 0)
    #expect((Self.metrics(run)["latency_p99_seconds"] as! Double) < 0.2)
    #expect(Self.causes(run)["lb_target_refused"]! > 0)
  }

  @Test(
    "seed-year's incident: Delhi dark 90 minutes; the automation promotes Chennai within 5 minutes, split brain opens when Delhi returns")
  func yearIncident() throws {
    let run = try Self.json("seed-year")
    let restored = try #require(Self.milestone(run, "failover_complete"))
    #expect(restored < 300)
    let timeline = run["timeline"] as! [[String: Any]]
    let split = try #require(timeline.first { $0["kind"] as? String == "split_brain_began" })
    #expect(split["at"] as? Double == 5_400)
  }

  @Test("deep-health-checks: the deep monitor sees the database-only failure, the automation promotes and writes return within a minute")
  func deepChecks() throws {
    let run = try Self.json("deep-health-checks")
    #expect(try #require(Self.milestone(run, "monitor_alert")) <= 60)
    #expect(try #require(Self.milestone(run, "writes_restored")) <= 60)
    // The shallow checks of db-primary-crash never alert.
    #expect(Self.milestone(try Self.json("db-primary-crash"), "monitor_alert") == nil)
  }

  @Test("manual-failover: a person promotes Chennai 15–30 minutes after the outage; the automation promotes earlier")
  func manualRunbook() throws {
    let manual = try Self.json("manual-failover")
    let promoted = try #require(Self.milestone(manual, "db_promoted"))
    #expect(promoted >= 15 * 60 && promoted <= 30 * 60)
    #expect(Self.kinds(manual).contains("runbook_completed"))
    #expect(Self.milestone(manual, "webhook_sent") == nil)
    let automated = try Self.json("automated-failover")
    #expect(try #require(Self.milestone(automated, "db_promoted")) < promoted)
  }

  @Test("three-regions: with Delhi dark, DNS answers Chennai and Mumbai, and both PgPools follow the promotion")
  func threeRegions() throws {
    let run = try Self.json("three-regions")
    let timeline = run["timeline"] as! [[String: Any]]
    #expect(timeline.contains { ($0["text"] as? String)?.contains("new lookups go to chennai, mumbai") == true })
    #expect(timeline.filter { $0["kind"] as? String == "pgpool_switched" }.count == 2)
    #expect(try #require(Self.milestone(run, "writes_restored")) < 600)
  }

  @Test("the case study's reading matches every published milestone to the second")
  func caseStudy() throws {
    let run = try Self.json("seed-case-study")
    let published = run["published_milestones"] as! [String: Double]
    #expect(published.count == 8)
    for (name, time) in published { #expect(Self.milestone(run, name) == time, "\(name)") }
  }

  @Test("delhi-frontend-only: the split-brain trap opens; db-primary-crash: PgPool sees it, the monitors never do")
  func traps() throws {
    #expect(Self.kinds(try Self.json("delhi-frontend-only")).contains("split_brain_began"))
    let crash = try Self.json("db-primary-crash")
    #expect(Self.kinds(crash).contains("pgpool_detached"))
    #expect(Self.milestone(crash, "monitor_alert") == nil)
  }

  @Test("failures say where they happened, and latency is given per region and request kind")
  func places() throws {
    let caseStudy = try Self.json("seed-case-study")
    let byPlace = Self.metrics(caseStudy)["failures_by_place"] as! [String: [String: [String: Int]]]
    #expect(byPlace["delhi"]!["frontend"]!["lb_target_refused"] == Self.metrics(caseStudy)["failed_requests"] as? Int)
    #expect(byPlace["chennai"]!.values.allSatisfy { $0.values.allSatisfy { $0 == 0 } })
    let partition = Self.metrics(try Self.json("cross-region-partition"))["failures_by_place"] as! [String: [String: [String: Int]]]
    #expect(partition["chennai"]!["data"]!["data_tier_error"]! > 0)
    let latency = Self.metrics(caseStudy)["latency_by_region"] as! [String: [String: [String: Double]]]
    #expect(latency["chennai"]!["api-write"]!["p99_seconds"]! > latency["chennai"]!["api-write"]!["p50_seconds"]!)
    let header = try String(contentsOf: SnapshotTests.snapshots.appendingPathComponent("seed-case-study.csv"), encoding: .utf8)
      .split(separator: "\n")[0].split(separator: ",").map(String.init)
    for column in ["failed_delhi", "failed_chennai", "latency_p99_delhi_ms", "latency_p99_chennai_ms", "arrivals_delhi"] {
      #expect(header.contains(column), "\(column)")
    }
  }

  @Test("both-regions-down: DNS fails open, so every request fails until the frontends return at T+8:00")
  func bothDown() throws {
    let run = try Self.json("both-regions-down")
    #expect(Self.kinds(run).contains("dns_fail_open"))
    #expect(Self.causes(run).keys.filter { Self.causes(run)[$0]! > 0 } == ["lb_target_refused"])
    #expect(Self.milestone(run, "reads_restored") == 480 && Self.milestone(run, "writes_restored") == 480)
    #expect(Self.milestone(run, "clients_left_region") == nil, "DNS answered the dead regions again: clients had nowhere to go")
  }

  @Test("chennai-outage: the automation ignores Chennai's alert; nothing is promoted")
  func chennai() throws {
    let run = try Self.json("chennai-outage")
    #expect(Self.kinds(run).contains("automation_ignored"))
    #expect(Self.milestone(run, "automation_received") != nil && Self.milestone(run, "promote_called") == nil)
    #expect(Self.milestone(run, "db_promoted") == nil)
  }

  @Test("delhi-region-outage: connect timeouts until caches expire, PgPool detaches the primary in 43–53 s, writes are lost")
  func delhiDark() throws {
    let run = try Self.json("delhi-region-outage")
    #expect(Self.causes(run)["connect_timeout"]! > 0)
    let detached = try #require(
      (run["timeline"] as! [[String: Any]]).first { $0["kind"] as? String == "pgpool_detached" }?["at"] as? Double)
    #expect(detached >= 43 && detached <= 53, "\(detached)")
    #expect(Self.milestone(run, "db_promoted") != nil && Self.milestone(run, "pgpool_switched") != nil)
    #expect((Self.metrics(run)["rpo_lost_writes"] as! Int) > 0, "count the writes lost")
  }

  @Test("dr-drill: RTO and RPO are measured against the 15 min and 1 min targets, then Delhi fails back")
  func drill() throws {
    let run = try Self.json("dr-drill")
    let text = try String(contentsOf: SnapshotTests.snapshots.appendingPathComponent("dr-drill.txt"), encoding: .utf8)
    #expect(text.contains("(target 15m)") && text.contains("(target 1m)"))
    #expect(Self.metrics(run)["rto_seconds"] as? Double != nil)
    #expect(Self.kinds(run).contains("failback_complete"))
  }

  @Test("failback-restore-delhi: the failback steps are on the timeline, and the old primary's extra writes are lost")
  func failback() throws {
    let run = try Self.json("failback-restore-delhi")
    let kinds = Self.kinds(run)
    for step in ["failback_resync_started", "failback_resynced", "failback_switchover", "failback_complete"] {
      #expect(kinds.contains(step), "\(step)")
    }
    #expect((Self.metrics(run)["rpo_lost_writes"] as! Int) > 0)
  }

  @Test("seed-as-coded: the webhook is lost, nothing is promoted, and every Chennai write diverges (split brain from the start)")
  func asCoded() throws {
    let run = try Self.json("seed-as-coded")
    #expect(Self.kinds(run).contains("webhook_lost") && Self.kinds(run).contains("split_brain_began"))
    #expect(Self.milestone(run, "promote_called") == nil && Self.milestone(run, "db_promoted") == nil)
    #expect((Self.metrics(run)["split_brain_writes"] as! Int) > 0)
    #expect((Self.metrics(run)["peak_instances"] as! [String: Int]).values.allSatisfy { $0 == 1 }, "one VM per tier")
  }

  @Test("seed-documented: the managed promotion happens, but real PgPool never notices, so Chennai keeps writing to Delhi")
  func documented() throws {
    let run = try Self.json("seed-documented")
    #expect(Self.milestone(run, "db_promoted") != nil)
    #expect(Self.milestone(run, "pgpool_switched") == nil && Self.milestone(run, "failover_complete") == nil)
    #expect((Self.metrics(run)["split_brain_writes"] as! Int) > 0)
    let dns = try #require(Self.milestone(run, "dns_unhealthy"))
    #expect(dns >= 60 && dns <= 90 + 30, "60–90 s plus a check interval")
  }
}
