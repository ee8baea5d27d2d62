import Foundation
import Testing

@testable import Reports
@testable import Scenarios
@testable import SimCore
@testable import Topology

/// The project folder (for scenarios/ and docs/).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shippedScenarios() -> [String] {
  let directory = projectRoot.appendingPathComponent("scenarios")
  let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
  return names.filter { $0.hasSuffix(".json5") }.sorted().map { directory.appendingPathComponent($0).path }
}

@Suite("Scenario files")
struct ScenarioTests {
  @Test("the project ships the seventeen scenarios the design names, each opening with a comment")
  func shipped() throws {
    let names = Set(shippedScenarios().map { URL(fileURLWithPath: $0).lastPathComponent })
    for name in [
      "seed-case-study", "seed-documented", "seed-as-coded", "delhi-region-outage", "delhi-frontend-only", "chennai-outage",
      "both-regions-down", "db-primary-crash", "cross-region-partition", "failback-restore-delhi", "traffic-surge", "dr-drill",
      "seed-year", "deep-health-checks", "manual-failover", "automated-failover", "three-regions",
    ] {
      #expect(names.contains(name + ".json5"), "missing \(name)")
    }
    for path in shippedScenarios() {
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(text.hasPrefix("// "), "\(path) must open with a comment saying what it shows")
    }
  }

  @Test("every shipped scenario validates and runs, and every attempt is accounted for", arguments: shippedScenarios())
  func runs(path: String) throws {
    let scenario = try Scenario.load(path: path)
    let result = TopologyModel.run(scenario.config)
    #expect(result.firstFault != nil)
    for row in result.series { #expect(row.cumulativeArrivals == row.cumulativeEnded + row.inFlight) }
    if let data = result.data {
      #expect(data.acknowledgedWrites == data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites, "\(path)")
    }
    // Every chart's labels: none overlaps another, none is cut at the chart's edges, and the
    // timeline labels every milestone that happened.
    let report = RunReport(result: result, context: scenario.info)
    for chart in report.charts() {
      let boxes = Self.labelBoxes(chart.svg)
      let size = Self.svgSize(chart.svg)
      for (i, a) in boxes.enumerated() {
        #expect(a.minX >= 0 && a.maxX <= size.width && a.minY >= 0 && a.maxY <= size.height, "\(path) \(chart.name): \(a.text) is cut")
        for b in boxes[(i + 1)...] where a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY {
          Issue.record("\(path) \(chart.name): \"\(a.text)\" overlaps \"\(b.text)\"")
        }
      }
      if chart.name == "timeline" {
        #expect(boxes.count == report.milestones.count, "\(path): every milestone is labelled")
      }
    }
  }

  /// The boxes of the milestone and marker labels of a chart, from their position, font size
  /// and laid-out width (text from its baseline up one font size, down a quarter).
  static func labelBoxes(_ svg: String) -> [(text: String, minX: Double, maxX: Double, minY: Double, maxY: Double)] {
    let pattern =
      #/<text class="(?:milestone|marker)-label" x="([\d.]+)" y="([\d.]+)" font-size="(\d+)"[^>]*data-width="([\d.]+)">([^<]*)</text>/#
    return svg.matches(of: pattern).map { m in
      let (x, y, size, width) = (Double(m.1)!, Double(m.2)!, Double(m.3)!, Double(m.4)!)
      return (String(m.5), x, x + width, y - size, y + size / 4)
    }
  }

  static func svgSize(_ svg: String) -> (width: Double, height: Double) {
    let m = svg.firstMatch(of: #/<svg[^>]* width="(\d+)" height="(\d+)"/#)!
    return (Double(m.1)!, Double(m.2)!)
  }

  @Test("the case-study reading reproduces every published milestone to the second")
  func caseStudyMilestones() throws {
    let scenario = try Scenario.load(path: projectRoot.appendingPathComponent("scenarios/seed-case-study.json5").path)
    let report = RunReport(
      result: TopologyModel.run(scenario.config),
      context: ScenarioInfo(
        name: scenario.info.name, description: "", base: scenario.info.base, published: scenario.info.published))
    let simulated = report.milestoneSeconds
    #expect(scenario.info.published.count == 8)
    for (key, published) in scenario.info.published {
      let value: Double? = Milestone(rawValue: key).flatMap { simulated[$0] }
      #expect(value == published.seconds, "\(key): \(String(describing: value)) vs \(published.seconds)")
    }
    // T+1:30, 5:00, 5:01, 5:02, 5:03, 5:10, 5:15, 5:15, as the case study prints them.
    #expect(scenario.info.published.map { Int($0.1.seconds) } == [90, 300, 301, 302, 303, 310, 315, 315])
  }

  @Test("the same file and seed give the same JSON, byte for byte; another seed does not")
  func determinism() throws {
    let path = projectRoot.appendingPathComponent("scenarios/delhi-frontend-only.json5").path
    func json(_ seed: UInt64?) throws -> String {
      var scenario = try Scenario.load(path: path)
      if let seed { scenario.config.seed = seed }
      let report = RunReport(result: TopologyModel.run(scenario.config), context: ScenarioInfo(name: "", description: "", base: ""))
      return report.json().serialized()
    }
    #expect(try json(nil) == json(nil))
    #expect(try json(nil) != json(99))
  }

  @Test("the key reference in docs/ is exactly what the code that reads scenario files documents")
  func referenceMatches() throws {
    let file = try String(contentsOf: projectRoot.appendingPathComponent("docs/scenario-reference.md"), encoding: .utf8)
    #expect(file == ScenarioReference.markdown(), "regenerate it: swift run drill reference > docs/scenario-reference.md")
    let paths = Scenario.reference().map(\.path)
    for key in [
      "dns.healthCheck.interval", "regions.<region>.backend.autoscaling.policy", "pgpool.searchPrimaryNodeTimeout", "faults[].target",
    ] {
      #expect(paths.contains(key), "\(key) is not documented")
    }
  }

  @Test("a reading and an override: the file states only what differs")
  func layering() throws {
    let scenario = try Scenario.parse(
      "{ version: 1, base: \"as-coded\", dns: { ttl: \"30s\" }, regions: { chennai: { backend: { max: 3 } } } }", file: "x.json5")
    #expect(scenario.config.dns!.ttl == .seconds(30))
    #expect(scenario.config.regions[1].backend!.group.max == 3)
    #expect(scenario.config.regions[0].backend!.group.max == 1)  // from the as-coded reading
    if case .direct = scenario.config.dataPath!.access[0] {} else { Issue.record("as-coded has no PgPool") }
    #expect(scenario.config.dataPath!.databases[1].role == .standalone)
  }
}

@Suite("Scenario errors")
struct ScenarioErrorTests {
  static func errors(_ text: String) -> [Diagnostic] {
    do {
      _ = try Scenario.parse(text, file: "broken.json5")
      return []
    } catch {
      return error.diagnostics
    }
  }

  @Test(
    "each broken file gives the expected message with its line, column and path",
    arguments: [
      ("{ version: 1,\n  duration: 30s }", 2, 13, "duration", "30s needs quotes"),
      ("{ version: 1, dns: { ttl: \"1s\",\n ttl: \"2s\" } }", 2, 2, "dns.ttl", "appears twice"),
      ("{ version: 1, faults: [{ at: \"1m\" }, { at: 5m }] }", 1, 44, "faults[1].at", "needs quotes"),
      ("{ version: 1, duration: \"5m\"", 1, 1, "", "never closed"),
      ("{ version: 1,\n  duration: 30 }", 2, 13, "duration", "needs a unit"),
      ("{ version: 1,\n  durration: \"5m\" }", 2, 3, "durration", "Did you mean \"duration\"?"),
      ("{ version: 1, dns: {\n tll: \"30s\" } }", 2, 2, "dns.tll", "Did you mean \"ttl\"?"),
      ("{ version: 1, regions: { delhi: { backend: { min: 5,\n max: 2 } } } }", 1, 51, "regions.delhi.backend.min", "min 5 is above max 2"),
      (
        "{ version: 1, faults: [\n { at: \"1m\", target: \"delhi.frontnd\" } ] }", 2, 22, "faults[0].target",
        "Did you mean \"delhi.frontend\"?"
      ),
      (
        "{ version: 1, duration: \"10m\", faults: [{ at: \"20m\", target: \"delhi\" }] }", 1, 47, "faults[0].at", "after the end of the run"
      ),
      (
        "{ version: 1, databases: { delhi: { readTime: \"lognorml(mean: 2ms, p99: 10ms)\" } } }", 1, 47, "databases.delhi.readTime",
        "Did you mean \"lognormal(mean: 2ms, p99: 10ms)\"?"
      ),
      ("{ duration: \"10m\" }", 1, 1, "version", "the format version is missing"),
      ("{ version: 1, base: \"case-studdy\" }", 1, 21, "base", "Did you mean \"case-study\"?"),
      ("{ version: 1, dns: { weights: { delhi: 0, chennai: 0 } } }", 1, 40, "dns.weights", "every weight is 0"),
      ("{ version: 1, clients: { rate: \"200/seconds\" } }", 1, 32, "clients.rate", "Did you mean \"200/s\"?"),
      ("{ version: 2 }", 1, 12, "version", "out of range"),
      ("{ version: 1, pgpool: { numInitChildren: -3 } }", 1, 42, "pgpool.numInitChildren", "out of range"),
      ("{ version: 1, clients: { dnsCache: \"chrome\" } }", 1, 36, "clients.dnsCache", "is not one of"),
      // A region the reading lacks must be declared: a misspelling never adds a third region.
      ("{ version: 1, regions: { chenai: { backend: { max: 2 } } } }", 1, 26, "regions.chenai", "Did you mean \"chennai\"?"),
      ("{ version: 1, regions: { delhi: { new: true } } }", 1, 26, "regions.delhi.new", "already a region"),
      ("{ version: 1, published: { dns_unhealty: \"1m30s\" } }", 1, 28, "published.dns_unhealty", "Did you mean \"dns_unhealthy\"?"),
      ("{ version: 1, clients: { rate: { shape: \"points\" } } }", 1, 32, "clients.rate.points", "at least one point"),
    ] as [(String, Int, Int, String, String)])
  func corpus(text: String, line: Int, column: Int, path: String, message: String) {
    Self.expectOneError(text, line: line, column: column, path: path, message: message)
  }

  /// `text` gives exactly one diagnostic, in broken.json5 at line:column, with this path and message.
  static func expectOneError(_ text: String, line: Int, column: Int, path: String, message: String) {
    let diagnostics = errors(text)
    #expect(diagnostics.count == 1, "\(diagnostics)")
    guard let d = diagnostics.first else { return }
    #expect(d.file == "broken.json5")
    #expect(d.location == SourceLocation(line: line, column: column), "\(d)")
    #expect((d.path ?? "") == path, "\(d)")
    #expect(d.description.contains(message), "\(d)")
  }

  @Test("a region declared new is added with its own tiers; the reading's two stay as they were")
  func newRegion() throws {
    let scenario = try Scenario.parse(
      "{ version: 1, regions: { mumbai: { new: true, backend: { instances: 1 } } }, dns: { weights: { mumbai: 0 } } }", file: "three.json5")
    #expect(scenario.config.regions.map(\.name) == ["delhi", "chennai", "mumbai"])
    #expect(scenario.config.regions[2].backend?.group.initial == 1)
  }

  /// Files that validated and then crashed `drill run` (found by a fuzzer): each is refused
  /// when read, with its place, path and what is accepted.
  @Test(
    "parts the file removed, impossible names and indices, durations and amounts beyond the clock are refused when read",
    arguments: [
      (
        "{ version: 1, databases: null, faults: [{ at: \"1m\", target: \"monitor.delhi\" }] }", 61, "faults[0].target",
        "no monitor watches delhi"
      ),
      ("{ version: 1, databases: null, faults: [{ at: \"1m\", target: \"delhi.database\" }] }", 61, "faults[0].target", "no data tier"),
      ("{ version: 1, pgpool: null, faults: [{ at: \"1m\", target: \"delhi.pgpool\" }] }", 58, "faults[0].target", "without PgPool"),
      ("{ version: 1, automation: null, faults: [{ at: \"1m\", target: \"automation\" }] }", 62, "faults[0].target", "no automation"),
      ("{ version: 1, regions: { \"a.b\": { new: true } } }", 26, "regions.a.b", "cannot name a region"),
      ("{ version: 1, faults: [{ at: \"1m\", target: \"delhi.frontend#-1\" }] }", 44, "faults[0].target", "run from 0 to 4"),
      ("{ version: 1, faults: [{ at: \"1m\", target: \"delhi.frontend#99\" }] }", 44, "faults[0].target", "run from 0 to 4"),
      (
        "{ version: 1, databases: { delhi: { readTime: \"lognormal(median: 1s, sigma: 50)\" } } }", 47, "databases.delhi.readTime",
        "draws values up to"
      ),
      (
        "{ version: 1, databases: { delhi: { readTime: \"gamma(shape: 1e300, scale: 1ms)\" } } }", 47, "databases.delhi.readTime",
        "draws values up to"
      ),
      (
        "{ version: 1, databases: { delhi: { readTime: \"normal(mean: 1s, sd: 100000d)\" } } }", 47, "databases.delhi.readTime",
        "draws values up to"
      ),
      (
        "{ version: 1, databases: { delhi: { readTime: \"uniform(min: 0s, max: 106751d)\" } } }", 47, "databases.delhi.readTime",
        "292 years"
      ),
      ("{ version: 1, link: { roundTrip: \"106751d\" } }", 34, "link.roundTrip", "beyond the longest duration"),
      ("{ version: 1, clients: { timeout: \"106751d\" } }", 35, "clients.timeout", "longer than Drill holds"),
      ("{ version: 1, clients: { browserMinimum: \"106751d\" } }", 42, "clients.browserMinimum", "longer than Drill holds"),
      ("{ version: 1, money: { prices: { vm: 1e16 } } }", 38, "money.prices.vm", "too large"),
      ("{ version: 1, money: { prices: { vm: \"9223372036854775807\" } } }", 38, "money.prices.vm", "too large"),
      (
        "{ version: 1, databases: null, actions: [{ at: \"1m\", do: \"promote\", region: \"chennai\" }] }", 58, "actions[0].do",
        "no data tier"
      ),
      ("{ version: 1, dns: null, actions: [{ at: \"1m\", do: \"set-weight\", region: \"chennai\" }] }", 52, "actions[0].do", "no DNS"),
      (
        "{ version: 1, x: " + String(repeating: "[", count: 15_000) + String(repeating: "]", count: 15_000) + " }", 117,
        "x" + String(repeating: "[0]", count: 99), "nest deeper than"
      ),
    ] as [(String, Int, String, String)])
  func formerCrashes(text: String, column: Int, path: String, message: String) {
    Self.expectOneError(text, line: 1, column: column, path: path, message: message)
  }

  @Test("JSON5's \\xHH escapes are read; bytes that are not UTF-8 are placed by line and column")
  func escapesAndEncoding() throws {
    let scenario = try Scenario.parse(#"{ version: 1, name: "a\x41b" }"#, file: "hex.json5")
    #expect(scenario.info.name == "aAb")
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).json5")
    try Data("{ version: 1,\n  name: \"caf".utf8 + [0xE9] + Data("\" }".utf8)).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    do {
      _ = try Scenario.load(path: url.path)
      Issue.record("a Latin-1 file loaded")
    } catch {
      #expect(error.diagnostics.first?.location == SourceLocation(line: 2, column: 13), "\(error)")
      #expect(error.description.contains("not UTF-8"))
    }
  }

  @Test("parsing stays linear: 20,000 unknown keys are all reported, in order; a huge key is quoted by its start")
  func manyKeys() {
    let keys = (0..<20_000).map { "k\($0): \($0)" }.joined(separator: ", ")
    let diagnostics = Self.errors("{ version: 1, " + keys + " }")
    #expect(diagnostics.count == 20_000)
    #expect(diagnostics.first?.path == "k0" && diagnostics.last?.path == "k19999")
    let huge = Self.errors("{ version: 1, " + String(repeating: "x", count: 1_000_000) + ": 1 }")
    #expect(huge.count == 1 && huge[0].description.contains("(1000000 characters)") && huge[0].description.count < 1_000)
  }

  @Test("errors come in the order of the file, as an editor lists them")
  func lineOrder() {
    let diagnostics = Self.errors("{ version: 1,\n  dns: { tll: \"1s\" },\n  durration: \"5m\",\n  clients: { rat: \"1/s\" } }")
    #expect(diagnostics.compactMap { $0.location?.line } == [2, 3, 4], "\(diagnostics)")
  }

  @Test("an untitled scenario takes its file's name")
  func untitled() throws {
    let scenario = try Scenario.parse("{ version: 1 }", file: "some/where/my-what-if.json5")
    #expect(scenario.info.name == "my-what-if")
    let named = try Scenario.parse("{ version: 1, name: \"given\" }", file: "x.json5")
    #expect(named.info.name == "given")
  }

  @Test("every error in a file is reported at once")
  func allAtOnce() {
    let diagnostics = Self.errors(
      """
      {
        version: 1,
        durration: "5m",
        dns: { ttl: 60 },
        faults: [{ at: "1m", target: "mars" }],
      }
      """)
    #expect(diagnostics.count == 3)
    #expect(diagnostics.map { $0.location?.line ?? 0 }.sorted() == [3, 4, 5])
  }
}

@Suite("milestones and the reference")
struct MilestoneReferenceTests {
  @Test("every scenario key that drill explain names is in the reference and loads as an override")
  func explainPathsExist() throws {
    let reference = ScenarioReference.markdown()
    let file = projectRoot.appendingPathComponent("scenarios/seed-case-study.json5").path
    var checked = 0
    for entry in MilestoneGuide.entries {
      for lever in entry.levers {
        let generic = lever.path.replacingOccurrences(of: "<watch>", with: "<region>").replacingOccurrences(
          of: "<promote>", with: "<region>")
        #expect(reference.contains("| `\(generic)` |"), "\(entry.milestone.rawValue): \(generic) is not in the reference")
        let concrete = lever.path.replacingOccurrences(of: "<watch>", with: "delhi").replacingOccurrences(of: "<promote>", with: "chennai")
        #expect(throws: Never.self, "\(concrete)") { _ = try Scenario.load(path: file, overrides: [(concrete, lever.alternative)]) }
        checked += 1
      }
    }
    #expect(checked >= 15)
  }

  @Test("every milestone has a guide entry, in the order a failover unfolds, and names a timeline kind where it is one event")
  func guideCoversMilestones() {
    #expect(MilestoneGuide.entries.map(\.milestone) == Milestone.allCases)
    let events = Milestone.allCases.compactMap(\.timelineKind)
    #expect(events.count == 8 && Set(events).count == 8)
  }
}

@Suite("defaults: the reference shows what a run uses")
struct DefaultsTests {
  /// A value's structure as text, with dictionary entries sorted (their order is not stable).
  static func canonical(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .dictionary:
      return "[" + mirror.children.map { canonical($0.value) }.sorted().joined(separator: ", ") + "]"
    case .struct, .class, .tuple, .enum, .collection, .optional, .set:
      if mirror.children.isEmpty { return String(describing: value) }
      let parts = mirror.children.map { ($0.label ?? "") + ":" + canonical($0.value) }
      return "\(mirror.subjectType)(" + (mirror.displayStyle == .set ? parts.sorted() : parts).joined(separator: ", ") + ")"
    default:
      return String(describing: value)
    }
  }

  /// Whether the merged tree states `path` (or a non-object on the way to it, such as `pgpool: null`).
  static func states(_ tree: JSON5Value, _ path: String) -> Bool {
    var node: JSON5Value? = tree
    for key in path.split(separator: ".") {
      guard case .object(let members, _)? = node else { return node != nil }
      node = members.first { $0.key == key }?.value
      if node == nil { return false }
    }
    return true
  }

  /// Numbers to six significant digits: the reference prints a lognormal's median rounded,
  /// which is the same distribution for any purpose but not the same bits.
  static func rounded(_ text: String) -> String {
    let pattern = try! NSRegularExpression(pattern: "[0-9]+\\.[0-9]+(e-?[0-9]+)?")
    var result = ""
    var last = text.startIndex
    for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
      let range = Range(match.range, in: text)!
      result += text[last..<range.lowerBound]
      result += String(format: "%.6g", Double(text[range])!)
      last = range.upperBound
    }
    return result + text[last...]
  }

  @Test(
    "for every key a reading leaves unset, stating the reference's default changes nothing in the run's configuration",
    arguments: Readings.names)
  func referenceDefaultIsUsed(reading: String) throws {
    let base = try Scenario.parse("{ version: 1, base: \"\(reading)\" }", file: "defaults.json5")
    let built = Self.rounded(Self.canonical(base.config))
    let reference = Scenario.reference()
    // Keys inside an object that is absent unless the file writes it (`clients.retry`): writing one creates it.
    let optionalObjects = reference.filter { $0.defaultValue == "null" }.map { $0.path + "." }
    var checked = 0
    for entry in reference where !entry.defaultValue.isEmpty && !entry.defaultValue.hasPrefix("{") {
      guard !optionalObjects.contains(where: { entry.path.hasPrefix($0) }) else { continue }
      let path = entry.path.replacingOccurrences(of: "<region>", with: base.config.regions[0].name)
      guard !path.contains("<"), !path.contains("["), !["version", "base", "name", "description"].contains(path) else { continue }
      guard !Self.states(base.tree, path) else { continue }
      // A rate shape's sub-keys apply only with that shape, not to the default "100/s".
      guard !path.hasPrefix("clients.rate.") else { continue }
      let value = try JSON5Parser.parse(entry.defaultValue, source: "reference")
      let variant: Scenario
      do {
        variant = try Scenario.parse("{ version: 1, base: \"\(reading)\" }", file: "defaults.json5", overrides: [(path, value)])
      } catch {
        Issue.record("\(reading): \(path) = \(entry.defaultValue) (the reference's default) is refused: \(error.description)")
        continue
      }
      let same = Self.rounded(Self.canonical(variant.config)) == built
      #expect(same, "\(reading): \(path): the reference says \(entry.defaultValue), a run without the key uses another value")
      checked += 1
    }
    #expect(checked >= 40, "only \(checked) keys checked")
  }
}

@Suite("defaults: one home")
struct OneHomeTests {
  @Test("a scenario tree that states nothing builds the configuration types' own defaults")
  func builderUsesConfigDefaults() throws {
    let tree = try JSON5Parser.parse(
      "{ version: 1, regions: { a: {}, b: {} }, databases: { a: {}, b: {} }, monitors: { a: {} }, automation: {}, clients: { retry: {} } }",
      source: "empty")
    let reader = ScenarioReader()
    let (config, _) = try #require(ScenarioBuilder(reader: reader).build(tree))
    #expect(reader.diagnostics.isEmpty, "\(reader.diagnostics)")
    let c = DefaultsTests.canonical
    let dns = try #require(config.dns)
    #expect(dns.weights == [DNSConfig.defaultWeight, DNSConfig.defaultWeight])
    #expect(c(DNSConfig(weights: dns.weights, healthChecks: dns.healthChecks)) == c(dns))
    #expect(c(dns.healthChecks[0]!) == c(DNSHealthCheckConfig.defaults))
    let population = config.populations[0]
    #expect(c(population.retry!) == c(RetryPolicy.defaults))
    var expected = PopulationConfig.defaults
    expected.retry = population.retry
    #expect(c(expected) == c(population))
    let tier = try #require(config.regions[0].frontend)
    #expect(c(tier.loadBalancer) == c(LoadBalancerConfig.defaults))
    var group = GroupConfig.defaults
    group.policy = .step(StepPolicy.frontendDefaults)
    #expect(c(tier.group) == c(group))
    guard case .step(let backendStep)? = config.regions[0].backend?.group.policy else {
      Issue.record("no step policy")
      return
    }
    #expect(c(backendStep) == c(StepPolicy.backendDefaults))
    let data = try #require(config.dataPath)
    #expect(c(data.link) == c(RegionLinkConfig.defaults))
    #expect(c(data.replication) == c(ReplicationConfig.defaults))
    var database = DatabaseConfig.defaults
    database.role = data.databases[0].role
    #expect(c(data.databases[0]) == c(database))
    if case .pgpool(let pool) = data.access[0] { #expect(c(pool) == c(PgPoolConfig.defaults)) } else { Issue.record("no PgPool") }
    var monitor = MonitorConfig.defaults
    monitor.name = data.monitors[0].name
    #expect(c(data.monitors[0]) == c(monitor))
    #expect(c(data.automation!) == c(AutomationConfig.defaults))
  }
}

@Suite("the readings' boot times")
struct BootTimeTests {
  @Test("as-coded boots VMs with cloud-init in 5–10 minutes (the repository's figure); documented in 1–2 (EC2)")
  func bootTimes() throws {
    for (reading, low, high) in [("as-coded", 300.0, 600.0), ("documented", 60.0, 120.0)] {
      let scenario = try Scenario.parse("{ version: 1, base: \"\(reading)\" }", file: "boot.json5")
      for region in scenario.config.regions {
        for tier in [region.frontend, region.backend].compactMap({ $0 }) {
          guard case .uniform(let min, let max) = tier.group.bootTime.shape else {
            Issue.record("\(reading) \(region.name): \(tier.group.bootTime)")
            continue
          }
          #expect(min == low && max == high, "\(reading) \(region.name): \(tier.group.bootTime)")
        }
      }
    }
  }
}

@Suite("The model's event queue")
struct ModelQueueTests {
  /// Runs `config` on `simulator` and returns what a comparison needs.
  static func run(_ config: TopologyConfig, on simulator: inout Simulator<ModelEvent>) -> (
    events: Int, totals: OutcomeCounts, latencyCount: Int, latencySum: Double, timeline: [TimelineEntry]
  ) {
    var model = TopologyModel(config: config)
    model.start(&simulator)
    simulator.run(until: .at(config.duration), handler: &model)
    let latency = model.recorder.latency
    return (simulator.eventsProcessed, model.recorder.totals, latency.count, latency.sum, model.recorder.timeline.entries)
  }

  @Test(
    "the model's two-heap queue (timers a second or more ahead kept apart) runs event for event as one heap",
    arguments: ["seed-case-study", "automated-failover", "traffic-surge"])
  func twoHeapsAsOne(name: String) throws {
    var config = try Scenario.load(path: projectRoot.appendingPathComponent("scenarios/\(name).json5").path).config
    config.duration = min(config.duration, .minutes(30))
    var oneHeap = Simulator<ModelEvent>(capacity: 1024)
    var twoHeaps = TopologyModel.makeSimulator()
    let one = Self.run(config, on: &oneHeap)
    let two = Self.run(config, on: &twoHeaps)
    #expect(twoHeaps.queue.far.held > 0 && oneHeap.queue.far.held == 0, "the timers are apart in one run only")
    #expect(one.events == two.events && one.totals == two.totals && one.latencyCount == two.latencyCount)
    #expect(one.latencySum == two.latencySum, "the same latencies, added in the same order")
    #expect(one.timeline == two.timeline)
    #expect(one.timeline.count > 3, "\(name): the run saw something happen")
  }

  @Test(
    "a model copied mid-run (data path, PgPool, link, faults under way) runs on without disturbing the original",
    arguments: ["automated-failover", "seed-case-study"])
  func copiedModelRunsIndependently(name: String) throws {
    var config = try Scenario.load(path: projectRoot.appendingPathComponent("scenarios/\(name).json5").path).config
    config.duration = min(config.duration, .minutes(30))
    var uninterrupted = TopologyModel.makeSimulator()
    let whole = Self.run(config, on: &uninterrupted)

    var model = TopologyModel(config: config)
    var simulator = TopologyModel.makeSimulator()
    model.start(&simulator)
    // Copies at instants through the run: each shares every state array with the original
    // until it runs, and writes only its own once it does (the state arrays' rule).
    for minute in [5, 12, 20] {
      simulator.run(until: .at(.minutes(Int64(minute))), handler: &model)
      var copy = model
      var copySimulator = simulator
      copySimulator.run(until: .at(config.duration), handler: &copy)
      let latency = copy.recorder.latency
      #expect(copySimulator.eventsProcessed == whole.events && copy.recorder.totals == whole.totals, "copied at \(minute) min")
      #expect(latency.count == whole.latencyCount && latency.sum == whole.latencySum, "copied at \(minute) min")
      #expect(copy.recorder.timeline.entries == whole.timeline, "copied at \(minute) min")
    }
    simulator.run(until: .at(config.duration), handler: &model)
    #expect(simulator.eventsProcessed == whole.events && model.recorder.totals == whole.totals)
    #expect(model.recorder.latency.sum == whole.latencySum && model.recorder.timeline.entries == whole.timeline)
  }
}
