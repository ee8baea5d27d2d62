import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// A problem with a study's inputs, found before anything runs.
public struct StudyError: Error, Sendable {
  public var message: String

  /// The JSON5 document in `file`, which `option` names; unreadable or malformed is an error
  /// naming the file (and the line and column).
  static func readJSON5(_ file: String, option: String) throws(StudyError) -> JSON5Value {
    guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
      throw StudyError(message: "\(option) \(file): cannot read the file (does it exist?)")
    }
    do { return try JSON5Parser.parse(text, source: file) } catch {
      throw StudyError(message: "\(file):\(error.span.location.line):\(error.span.location.column): \(error.message)")
    }
  }
}

/// What `drill cost` computes: the bill and downtime cost of the scenario as written, the
/// second region's return (the same outage with one region, same seed), and optionally cost
/// curves against offered load and across the seed's readings. Every run is independent, so
/// all of them go to ``ParallelRuns`` at once; results do not depend on the thread count.
public struct CostStudy: Sendable {
  /// One point of a cost curve, as a table row and as JSON.
  public struct CurvePoint: Sendable {
    public var text: String
    public var json: JSONValue
  }

  /// The cost of the scenario as written, and its second region's return.
  public struct Analysis: Sendable {
    public var with: CostReport
    /// Each region beyond the primary's: the same outage without it.
    public var returns: [(region: String, roi: ReturnOnInvestment)] = []
    /// The first of them (with two regions, the second region's).
    public var roi: ReturnOnInvestment? { returns.first?.roi }
    public var secondRegion: String? { returns.first?.region }
  }

  public var analysis: Analysis
  public var loadCurve: [CurvePoint]
  public var readingCurve: [CurvePoint]
  /// The accounting a run broke (``RunResult/invariantViolations``), if any.
  public var violations: [String] = []

  /// A run to make, and what it is for.
  enum Job {
    case asWritten
    case without(region: Int)
    case load(rate: String, variant: Scenario)
    case reading(name: String, variant: Scenario)
  }

  /// Prepares every run (so a bad rate is an error before anything runs), runs them on
  /// `jobs` threads and assembles the study.
  public static func run(
    _ scenario: Scenario, rates: [String], readings: Bool, jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws(StudyError) -> CostStudy {
    var work: [(Job, TopologyConfig)] = [(.asWritten, scenario.config)]
    let keep = scenario.config.dataPath?.databases.firstIndex { $0.role == .primary } ?? 0
    for r in scenario.config.regions.indices where r != keep {
      work.append((.without(region: r), scenario.config.removing(region: r)))
    }
    for rate in rates {
      let variant: Scenario
      do {
        variant = try Scenario.load(
          path: scenario.file,
          overrides: scenario.overrides.map { ($0.path, $0.value) } + [
            ("clients.rate", "\"\(rate)\""), ("faults", "[]"), ("actions", "[]"),
          ])
      } catch {
        throw StudyError(message: "--loads \"\(rate)\": \(error.diagnostics.first?.message ?? "not a rate")")
      }
      var config = variant.config
      config.seed = scenario.config.seed
      work.append((.load(rate: rate, variant: variant), config))
    }
    var invalidReadings: [String: String] = [:]
    if readings {
      for reading in Readings.names {
        do {
          var variant = try Scenario.load(
            path: scenario.file, overrides: scenario.overrides.map { ($0.path, $0.value) } + [("base", "\"\(reading)\"")])
          variant.config.seed = scenario.config.seed
          work.append((.reading(name: reading, variant: variant), variant.config))
        } catch {
          // The file may set values a reading does not allow (min above its max, say): say so.
          invalidReadings[reading] = error.diagnostics.first.map { "\($0.path ?? ""): \($0.message)" } ?? "invalid"
        }
      }
    }
    let configs = work.map(\.1)
    let results = ParallelRuns.map(configs.count, jobs: jobs, progress: progress) { k in TopologyModel.run(configs[k]) }

    func cost(_ result: RunResult, _ config: TopologyConfig, _ info: ScenarioInfo) -> (CostReport, RunReport) {
      let report = RunReport(result: result, context: info)
      let cost = CostReport(
        result: result, config: config, money: info.money, downtimeSeconds: report.downtimeSeconds(RequestKind.allCases),
        availability: report.availability)
      return (cost, report)
    }
    var analysis = Analysis(with: cost(results[0], configs[0], scenario.info).0)
    var loads: [CurvePoint] = []
    var readingPoints: [String: CurvePoint] = [:]
    for (k, (job, config)) in work.enumerated() {
      switch job {
      case .asWritten: break
      case .without(let region):
        let without = cost(results[k], config, scenario.info).0
        let name = scenario.config.regions[region].name
        let roi = ReturnOnInvestment(
          secondRegionMonthly: analysis.with.monthly(region: name), downtimeWith: analysis.with.downtimeCost,
          downtimeWithout: without.downtimeCost, revenuePerMinute: scenario.info.money.revenuePerMinute)
        analysis.returns.append((name, roi))
      case .load(let rate, let variant):
        loads.append(loadPoint(rate: rate, result: results[k], cost(results[k], config, variant.info)))
      case .reading(let name, let variant):
        let (c, report) = cost(results[k], config, variant.info)
        let text =
          name.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
          + c.monthlyTotal.description.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
          + String(format: "%.4f%%", report.availability * 100).padding(toLength: 13, withPad: " ", startingAt: 0) + " "
          + c.downtimeCost.description
        readingPoints[name] = CurvePoint(
          text: text,
          json: .object([
            ("reading", .string(name)), ("monthly_infrastructure", .double(Double(c.monthlyTotal.paise) / 100)),
            ("availability", .double(report.availability)), ("downtime_cost", .double(Double(c.downtimeCost.paise) / 100)),
          ]))
      }
    }
    var readingCurve: [CurvePoint] = []
    if readings {
      for name in Readings.names {
        if let point = readingPoints[name] {
          readingCurve.append(point)
        } else if let why = invalidReadings[name] {
          readingCurve.append(
            CurvePoint(
              text: name.padding(toLength: 13, withPad: " ", startingAt: 0) + " not valid with this file (\(why))",
              json: .object([("reading", .string(name)), ("error", .string(why))])))
        }
      }
    }
    return CostStudy(
      analysis: analysis, loadCurve: loads, readingCurve: readingCurve, violations: results.flatMap(\.invariantViolations))
  }

  static func loadPoint(rate: String, result: RunResult, _ pair: (CostReport, RunReport)) -> CurvePoint {
    let (cost, report) = pair
    let instances = result.groups.map { Double($0.instanceNanoseconds) / Double(max(1, result.duration.nanoseconds)) }
    let p99 = report.latency(0.99) ?? 0
    let text =
      rate.padding(toLength: 11, withPad: " ", startingAt: 0) + " "
      + instances.map { String(format: "%.1f", $0) }.joined(separator: "/").padding(toLength: 23, withPad: " ", startingAt: 0) + " "
      + cost.monthlyTotal.description.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
      + String(format: "%.4f%%", report.availability * 100).padding(toLength: 13, withPad: " ", startingAt: 0) + " "
      + String(format: "%.0f ms", p99 * 1000)
    return CurvePoint(
      text: text,
      json: .object([
        ("rate", .string(rate)),
        ("instances", .object(zip(result.groups, instances).map { ($0.0.name, .double($0.1)) })),
        ("monthly_infrastructure", .double(Double(cost.monthlyTotal.paise) / 100)),
        ("availability", .double(report.availability)), ("latency_p99_seconds", .double(p99)),
      ]))
  }

  /// The case study's cost table recomputed from the price table.
  public static func caseStudyTable(_ prices: PriceTable) -> (text: String, json: JSONValue) {
    let one = CostReport.caseStudyRegion(vmsPerTier: 1, prices: prices)
    let five = CostReport.caseStudyRegion(vmsPerTier: 5, prices: prices)
    let text = [
      "The case study's table, from the price table:",
      "  one region, 1 VM per tier:  \(one)   (published ₹9,500)",
      "  one region, 5 VMs per tier: \(five)  (published ₹25,500)",
      "  two regions at minimum:     \(one * 2)  (published ₹19,000)",
    ].joined(separator: "\n")
    let json = JSONValue.object([
      ("region_one_vm_per_tier", .double(Double(one.paise) / 100)), ("region_five_vms_per_tier", .double(Double(five.paise) / 100)),
      ("two_regions_minimum", .double(Double((one * 2).paise) / 100)),
    ])
    return (text, json)
  }

  /// The case study's ROI figures against its own inputs.
  public static func caseStudyROICheck(_ money: MoneyConfig, roi: ReturnOnInvestment) -> String {
    let perMinute = money.revenuePerMinute
    let hourCost = perMinute * 60
    return [
      "The case study's ROI, checked:",
      "  it says revenue per minute is ₹231 for ₹10 lakh a month; ₹10,00,000 / 43,200 minutes is \(MoneyConfig().revenuePerMinute), "
        + "ten times less (₹231 a minute would need ≈ ₹1 crore a month).",
      "  so a 1-hour outage costs \(hourCost), not ₹13,860; at this scenario's revenue the second region breaks even at "
        + String(
          format: "%.0f outage minutes (%.1f hours) a month, not 1.5 hours.", roi.breakevenMinutesPerMonth,
          roi.breakevenMinutesPerMonth / 60),
    ].joined(separator: "\n")
  }
}
