import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill cost FILE`: what the deployment costs and what its second region earns back.
enum CostCommand {
  static let help = """
    usage: drill cost FILE [--json] [--seed N] [--loads RATES] [--readings] [--svg DIR]

    Runs the scenario twice with the same seed, with and without its second region, and prints:
    the infrastructure bill from simulated instance-hours (per month and for the run), the case
    study's cost table checked against the price table, the downtime cost with its arithmetic,
    and the second region's return: what it costs, what it prevents, and the breakeven in
    outage minutes per month. Prices and revenue come from the file's money section.

    options:
      --loads RATES  a cost curve against offered load: for each rate ("100/s,200/s,400/s") the
                     scenario runs without its faults, autoscaled, and reports the instances it
                     needed, the monthly cost, availability and p99 latency
      --readings     cost against availability: the same outage under each reading of the seed
      --svg DIR      write the curves as charts (cost-vs-load.svg, availability-vs-load.svg)
    """

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try ParsedArguments(
      arguments, command: "cost", valueOptions: ["--seed", "--loads", "--svg"], switchOptions: ["--json", "--readings", "--help"])
    if parsed.switches.contains("--help") {
      output.out(help)
      return 0
    }
    guard parsed.positional.count == 1 else { throw UsageError(message: "drill cost: give one scenario file") }
    if let directory = parsed.options["--svg"] {
      guard parsed.options["--loads"] != nil else {
        throw UsageError(
          message: "drill cost: --svg draws the --loads curve; give --loads RATES too (for example --loads 100/s,200/s,400/s)")
      }
      do { try OutputPath.checkDirectory(directory, option: "--svg", command: "cost") } catch {
        output.err(error.message)
        return 2
      }
    }
    var scenario: Scenario
    do {
      scenario = try Scenario.load(path: parsed.positional[0])
    } catch {
      output.err(error.description)
      return 2
    }
    if parsed.options["--seed"] != nil { scenario.config.seed = try parsed.seed(default: 1, command: "cost") }
    let analysis = analyse(scenario)
    let loads = try parsed.options["--loads"].map { try loadCurve(scenario, rates: $0) } ?? []
    let readings = parsed.switches.contains("--readings") ? readingCurve(scenario) : []
    if let directory = parsed.options["--svg"], !loads.isEmpty {
      let points = loads.compactMap { point -> (rate: Double, cost: Double, availability: Double)? in
        guard case .object(let pairs) = point.json else { return nil }
        let fields = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        guard case .string(let rate)? = fields["rate"], case .double(let cost)? = fields["monthly_infrastructure"],
          case .double(let availability)? = fields["availability"]
        else { return nil }
        return (Rate.perSecond(rate) ?? Double(rate) ?? 0, cost, availability)
      }
      let cost = SVGChart(
        title: "Monthly infrastructure cost against offered load (autoscaled)", xLabel: "offered load (requests per second)",
        yLabel: "rupees per month", series: [SVGChart.Series(name: "monthly infrastructure", points: points.map { ($0.rate, $0.cost) })])
      let availability = SVGChart(
        title: "Availability against offered load", xLabel: "offered load (requests per second)",
        yLabel: "% of requests served",
        series: [SVGChart.Series(name: "availability", points: points.map { ($0.rate, $0.availability * 100) })])
      let files = OutputTransaction()
      files.add(cost.svg(), named: "cost-vs-load.svg", in: directory)
      files.add(availability.svg(), named: "availability-vs-load.svg", in: directory)
      if let status = files.commit(command: "cost", output: output) { return status }
    }
    if parsed.switches.contains("--json") {
      var pairs: [(String, JSONValue)] = [
        ("scenario", .string(scenario.info.name)), ("seed", .int(Int64(bitPattern: scenario.config.seed))),
      ]
      if case .object(let costPairs) = analysis.with.json() { pairs += costPairs }
      pairs.append(("case_study_table", caseStudyTable(scenario.info.money.prices).json))
      if let roi = analysis.roi { pairs.append(("roi", roi.json())) }
      if let roi = analysis.roi { pairs.append(("breakeven_downtime_minutes_per_month", .double(roi.breakevenMinutesPerMonth))) }
      if !loads.isEmpty { pairs.append(("load_curve", .array(loads.map(\.json)))) }
      if !readings.isEmpty { pairs.append(("readings", .array(readings.map(\.json)))) }
      output.out(JSONValue.object(pairs).serialized(pretty: true))
      return 0
    }
    output.out("Drill cost: \(scenario.info.name) (reading: \(scenario.info.base), seed \(scenario.config.seed))")
    output.out("")
    output.out(analysis.with.text())
    output.out("")
    output.out(caseStudyTable(scenario.info.money.prices).text)
    if let roi = analysis.roi, let second = analysis.secondRegion {
      output.out("")
      output.out(roi.text(secondRegion: second))
      output.out("")
      output.out(caseStudyROICheck(scenario.info.money, roi: roi))
    }
    if !loads.isEmpty {
      output.out("")
      output.out("Cost against offered load (no faults, autoscaled):")
      output.out("  rate        instances (avg)         per month     availability  p99")
      for point in loads { output.out("  " + point.text) }
    }
    if !readings.isEmpty {
      output.out("")
      output.out("Cost against availability (this outage, each reading of the seed):")
      output.out("  reading       per month     availability  downtime cost")
      for point in readings { output.out("  " + point.text) }
    }
    return 0
  }

  /// One point of a cost curve.
  struct CurvePoint {
    var text: String
    var json: JSONValue
  }

  static func loadCurve(_ scenario: Scenario, rates: String) throws -> [CurvePoint] {
    var points: [CurvePoint] = []
    for rateText in rates.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      let variant: Scenario
      do {
        variant = try Scenario.load(
          path: scenario.file, overrides: [("clients.rate", "\"\(rateText)\""), ("faults", "[]"), ("actions", "[]")])
      } catch {
        throw UsageError(message: "drill cost: --loads \"\(rateText)\": \(error.diagnostics.first?.message ?? "not a rate")")
      }
      var config = variant.config
      config.seed = scenario.config.seed
      let result = TopologyModel.run(config)
      let report = RunReport(result: result, context: variant.info)
      let cost = CostReport(
        result: result, config: config, money: variant.info.money, downtimeSeconds: report.downtimeSeconds(RequestKind.allCases),
        availability: report.availability)
      let instances = result.groups.map { Double($0.instanceNanoseconds) / Double(max(1, result.duration.nanoseconds)) }
      let p99 = report.latency(0.99) ?? 0
      let text =
        rateText.padding(toLength: 11, withPad: " ", startingAt: 0) + " "
        + instances.map { String(format: "%.1f", $0) }.joined(separator: "/").padding(toLength: 23, withPad: " ", startingAt: 0) + " "
        + cost.monthlyTotal.description.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
        + String(format: "%.4f%%", report.availability * 100).padding(toLength: 13, withPad: " ", startingAt: 0) + " "
        + String(format: "%.0f ms", p99 * 1000)
      points.append(
        CurvePoint(
          text: text,
          json: .object([
            ("rate", .string(rateText)),
            ("instances", .object(zip(result.groups, instances).map { ($0.0.name, .double($0.1)) })),
            ("monthly_infrastructure", .double(Double(cost.monthlyTotal.paise) / 100)),
            ("availability", .double(report.availability)), ("latency_p99_seconds", .double(p99)),
          ])))
    }
    return points
  }

  static func readingCurve(_ scenario: Scenario) -> [CurvePoint] {
    var points: [CurvePoint] = []
    for reading in Readings.names {
      var variant: Scenario
      do {
        variant = try Scenario.load(path: scenario.file, overrides: [("base", "\"\(reading)\"")])
      } catch {
        // The file may set values a reading does not allow (min above its max, say): say so.
        let why = error.diagnostics.first.map { "\($0.path ?? ""): \($0.message)" } ?? "invalid"
        points.append(
          CurvePoint(
            text: reading.padding(toLength: 13, withPad: " ", startingAt: 0) + " not valid with this file (\(why))",
            json: .object([("reading", .string(reading)), ("error", .string(why))])))
        continue
      }
      variant.config.seed = scenario.config.seed
      let result = TopologyModel.run(variant.config)
      let report = RunReport(result: result, context: variant.info)
      let cost = CostReport(
        result: result, config: variant.config, money: variant.info.money, downtimeSeconds: report.downtimeSeconds(RequestKind.allCases),
        availability: report.availability)
      let text =
        reading.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
        + cost.monthlyTotal.description.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
        + String(format: "%.4f%%", report.availability * 100).padding(toLength: 13, withPad: " ", startingAt: 0) + " "
        + cost.downtimeCost.description
      points.append(
        CurvePoint(
          text: text,
          json: .object([
            ("reading", .string(reading)), ("monthly_infrastructure", .double(Double(cost.monthlyTotal.paise) / 100)),
            ("availability", .double(report.availability)), ("downtime_cost", .double(Double(cost.downtimeCost.paise) / 100)),
          ])))
    }
    return points
  }

  struct Analysis {
    var with: CostReport
    var roi: ReturnOnInvestment?
    var secondRegion: String?
  }

  /// The scenario as written, and (with two regions or more) the same outage with only the
  /// primary's region, same seed.
  static func analyse(_ scenario: Scenario) -> Analysis {
    let with = cost(scenario.config, scenario)
    guard scenario.config.regions.count >= 2 else { return Analysis(with: with) }
    let keep = scenario.config.dataPath?.databases.firstIndex { $0.role == .primary } ?? 0
    let other = scenario.config.regions.indices.first { $0 != keep }!
    let without = cost(scenario.config.keepingOnly(region: keep), scenario)
    let roi = ReturnOnInvestment(
      secondRegionMonthly: with.monthly(region: scenario.config.regions[other].name), downtimeWith: with.downtimeCost,
      downtimeWithout: without.downtimeCost, revenuePerMinute: scenario.info.money.revenuePerMinute)
    return Analysis(with: with, roi: roi, secondRegion: scenario.config.regions[other].name)
  }

  static func cost(_ config: TopologyConfig, _ scenario: Scenario) -> CostReport {
    let result = TopologyModel.run(config)
    let report = RunReport(result: result, context: scenario.info)
    return CostReport(
      result: result, config: config, money: scenario.info.money, downtimeSeconds: report.downtimeSeconds(RequestKind.allCases),
      availability: report.availability)
  }

  static func caseStudyTable(_ prices: PriceTable) -> (text: String, json: JSONValue) {
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
  static func caseStudyROICheck(_ money: MoneyConfig, roi: ReturnOnInvestment) -> String {
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
