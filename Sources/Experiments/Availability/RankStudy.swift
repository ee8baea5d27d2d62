import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// A change to try: one or more settings, and what it costs beyond what the price table
/// already prices (a VM more is priced from the table; UptimeRobot Pro is not in it).
public struct Lever: Sendable {
  public var name: String
  public var settings: [(path: String, value: String)]
  /// Extra per month, beside the bill the changed configuration comes to.
  public var monthlyCost: Money
  /// Where the extra cost comes from.
  public var costSource: String

  public init(name: String, settings: [(path: String, value: String)], monthlyCost: Money = .zero, costSource: String = "") {
    self.name = name
    self.settings = settings
    self.monthlyCost = monthlyCost
    self.costSource = costSource
  }
}

/// What `drill rank` computes: for each lever, the downtime it saves a year against the
/// scenario as written, paired (the same failures in every variant), its cost a year, and
/// the net saving.
public struct RankStudy: Sendable {
  public struct Row: Sendable {
    public var lever: Lever
    /// Per year: baseline minus lever (positive: the lever saves).
    public var minutesSaved: [Double]
    public var rupeesSaved: [Double]
    public var costPerYear: Double
    public var netSaving: [Double] { rupeesSaved.map { $0 - costPerYear } }
  }

  public var baseline: AvailabilityStudy
  public var rows: [Row]
  /// Levers that do not apply to this scenario, with why.
  public var skipped: [(name: String, why: String)]

  /// The levers tried when no file gives any: the mechanisms that decide downtime.
  public static func defaultLevers(regions: [String], prices: PriceTable) -> [Lever] {
    func each(_ suffix: String, _ value: String) -> [(String, String)] { regions.map { ("regions.\($0).\(suffix)", value) } }
    return [
      Lever(
        name: "1-minute monitors (UptimeRobot Pro)", settings: regions.map { ("monitors.\($0).interval", "\"1m\"") },
        monthlyCost: prices.dollars(cents: 700), costSource: "UptimeRobot Pro, $7 a month"),
      Lever(
        name: "Route 53 fast health checks (10 s)", settings: [("dns.healthCheck.interval", "\"10s\"")],
        monthlyCost: prices.dollars(cents: 200 * Int64(regions.count)),
        costSource: "Route 53 optional feature, $2 a month per health check of a non-AWS endpoint"),
      Lever(name: "DNS TTL 10 s", settings: [("dns.ttl", "\"10s\"")]),
      Lever(name: "PgPool promotes the standby (failover_command)", settings: [("pgpool.failoverCommand", "\"promote\"")]),
      Lever(name: "fence the old primary before promoting", settings: [("automation.fence", "true")]),
      Lever(name: "automation checks the database first", settings: [("automation.rule", "\"check-database-first\"")]),
      Lever(name: "one more backend instance per region", settings: each("backend.instances", "2") + each("backend.min", "2")),
      Lever(
        name: "instances boot in 20–40 s (baked image)",
        settings: each("frontend.bootTime", "\"uniform(min: 20s, max: 40s)\"") + each("backend.bootTime", "\"uniform(min: 20s, max: 40s)\"")
      ),
      Lever(name: "synchronous standby (RPO 0)", settings: [("replication.synchronousStandby", "true")]),
    ]
  }

  /// Reads a levers file: `{ levers: [{ name, set: { PATH: VALUE, … }, monthlyCost: "₹600" }] }`.
  public static func levers(file: String) throws(StudyError) -> [Lever] {
    let tree = try StudyError.readJSON5(file, option: "--levers")
    guard case .object(let top, _) = tree, let list = top.first(where: { $0.key == "levers" })?.value, case .array(let items, _) = list
    else {
      throw StudyError(message: "\(file): expected { levers: [{ name, set: { PATH: VALUE }, monthlyCost }] }")
    }
    var levers: [Lever] = []
    for (k, item) in items.enumerated() {
      let at = "\(file): levers[\(k)]"
      guard case .object(let members, _) = item else { throw StudyError(message: "\(at) is \(item.kindName); expected an object") }
      for member in members where !["name", "set", "monthlyCost"].contains(member.key) {
        var message = "\(at): unknown key \"\(member.key)\"; known keys: \"name\", \"set\", \"monthlyCost\""
        if let near = Suggestion.nearest(to: member.key, among: ["name", "set", "monthlyCost"]) {
          message += ". Did you mean \"\(near)\"?"
        }
        throw StudyError(message: message)
      }
      guard case .object(let settings, _)? = members.first(where: { $0.key == "set" })?.value, !settings.isEmpty else {
        throw StudyError(message: "\(at).set: expected an object of settings such as { \"dns.ttl\": \"10s\" }")
      }
      var name = settings.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ")
      if case .string(let given, _)? = members.first(where: { $0.key == "name" })?.value { name = given }
      var cost = Money.zero
      if let value = members.first(where: { $0.key == "monthlyCost" })?.value {
        guard case .string(let text, _) = value, let money = Money(parsing: text) else {
          throw StudyError(message: "\(at).monthlyCost: \"\(value.text)\" is not an amount; expected rupees such as \"₹600\"")
        }
        cost = money
      }
      let pairs = settings.map { member -> (String, String) in
        if case .string(let s, _) = member.value { return (member.key, "\"\(s)\"") }
        return (member.key, member.value.text)
      }
      levers.append(Lever(name: name, settings: pairs, monthlyCost: cost, costSource: cost == .zero ? "" : "levers file"))
    }
    return levers
  }

  /// Runs the scenario as written and every lever that applies, paired, on `jobs` threads.
  public static func run(
    _ scenario: Scenario, levers: [Lever], options: AvailabilityStudy.Options, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> RankStudy {
    var variants: [(config: TopologyConfig, info: ScenarioInfo)] = [(scenario.config, scenario.info)]
    var applied: [Lever] = []
    var skipped: [(String, String)] = []
    for lever in levers {
      do {
        let variant = try Scenario.load(path: scenario.file, overrides: scenario.overrides.map { ($0.path, $0.value) } + lever.settings)
        if let problem = AvailabilityStudy.unsupported(variant.config) { throw StudyError(message: problem) }
        variants.append((variant.config, variant.info))
        applied.append(lever)
      } catch let error as Scenario.Errors {
        skipped.append((lever.name, error.diagnostics.first.map { "\($0.path ?? ""): \($0.message)" } ?? "invalid"))
      } catch {
        skipped.append((lever.name, "\(error)"))
      }
    }
    let studies = AvailabilityStudy.runMany(variants, options: options, progress: progress)
    let base = studies[0]
    let baseBill = monthlyBill(scenario.config, money: scenario.info.money)
    var rows: [Row] = []
    for (k, lever) in applied.enumerated() {
      let study = studies[k + 1]
      let extra = monthlyBill(variants[k + 1].config, money: scenario.info.money) - baseBill + lever.monthlyCost
      rows.append(
        Row(
          lever: lever, minutesSaved: zip(base.downtimeMinutes, study.downtimeMinutes).map { $0 - $1 },
          rupeesSaved: zip(base.downtimeCost, study.downtimeCost).map { $0 - $1 }, costPerYear: Double(extra.paise) * 12 / 100))
    }
    rows.sort {
      let a = AvailabilityStudy.summary($0.netSaving).mean
      let b = AvailabilityStudy.summary($1.netSaving).mean
      return a != b ? a > b : $0.lever.name < $1.lever.name
    }
    return RankStudy(baseline: base, rows: rows, skipped: skipped)
  }

  /// The bill a month of a configuration at its starting instance counts: what the cost
  /// report bills (``CostReport/billedParts(of:money:)``), VMs at each group's initial size.
  public static func monthlyBill(_ config: TopologyConfig, money: MoneyConfig) -> Money {
    let groups = config.regions.flatMap { [$0.frontend, $0.backend].compactMap { $0?.group } }
    return CostReport.billedParts(of: config, money: money).reduce(.zero) { total, part in
      switch part.price {
      case .vms(let g): return total + money.prices.vm * Int64(groups[g].initial)
      case .fixed(let monthly): return total + monthly
      }
    }
  }
}
