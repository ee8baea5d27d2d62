import Experiments
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

/// `drill cost FILE`: what the deployment costs and what its second region earns back.
enum CostCommand {
  static let spec = CommandSpec(
    name: "cost", usage: ["cost FILE [--json] [--seed N] [--loads RATES] [--readings] [--svg DIR] [--years N] [--jobs N]"],
    summary: """
      Runs the scenario twice with the same seed, with and without its second region, and prints:
      the infrastructure bill from simulated instance-hours (per month and for the run), the case
      study's cost table checked against the price table, the downtime cost with its arithmetic,
      and the second region's return: what it costs, what it prevents, and the breakeven in
      outage minutes per month. Prices and revenue come from the file's money section.
      """,
    options: [
      OptionSpec("--json", "one JSON document instead of the text"),
      WorkLimits.option,
      OptionSpec.set,
      OptionSpec("--seed", "N", "run with this seed instead of the file's"),
      OptionSpec(
        "--loads", "RATES",
        "a cost curve against offered load: for each rate (\"100/s,200/s,400/s\") the\nscenario runs without its faults, autoscaled, and reports the instances it\nneeded, the monthly cost, availability and p99 latency"
      ),
      OptionSpec("--readings", "cost against availability: the same outage under each reading of the seed"),
      OptionSpec("--svg", "DIR", "write the --loads curve as charts (cost-vs-load.svg, availability-vs-load.svg)"),
      OptionSpec("--jobs", "N", "threads for the runs (default: the cores); the output is the same for any N"),
      OptionSpec(
        "--years", "N",
        "also the second region's return per year: N years of random failures (drill availability)\nwith both regions and with the primary's alone, paired"
      ),
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
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
    let settings = try parsed.settings(command: "cost")
    var scenario: Scenario
    do {
      scenario = try Scenario.load(path: parsed.positional[0], overrides: settings)
    } catch {
      output.err(error.description)
      return 2
    }
    try WorkLimits.check([scenario.config], runs: 1, command: "cost", large: parsed.switches.contains("--large"), output: output)
    if parsed.options["--seed"] != nil { scenario.config.seed = try parsed.seed(default: 1, command: "cost") }
    let jobs = try parsed.jobs(command: "cost")
    let rates = parsed.options["--loads"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
    let study: CostStudy
    do {
      study = try CostStudy.run(
        scenario, rates: rates, readings: parsed.switches.contains("--readings"), jobs: jobs, progress: Progress.bar())
    } catch {
      throw UsageError(message: "drill cost: \(error.message)")
    }
    Progress.clear()
    var yearly: [SecondRegionYear] = []
    if parsed.options["--years"] != nil {
      let years = try parsed.integer("--years", default: 10, in: 1...10_000, command: "cost")
      if let problem = AvailabilityStudy.unsupported(scenario.config) {
        output.err("drill cost: --years: \(scenario.file): \(problem)")
        return 2
      }
      let options = AvailabilityStudy.Options(years: years, replications: 1, jobs: jobs, seed: scenario.config.seed)
      yearly = SecondRegionYear.run(config: scenario.config, info: scenario.info, options: options, progress: Progress.bar())
      Progress.clear()
    }
    guard study.violations.isEmpty else {
      return InternalError.report(study.violations, seed: scenario.config.seed, command: "cost", output: output)
    }
    let analysis = study.analysis
    let loads = study.loadCurve
    let readings = study.readingCurve
    if let directory = parsed.options["--svg"], !loads.isEmpty {
      let points = loads.compactMap { point -> (rate: Double, cost: Double, availability: Double)? in
        guard case .object(let pairs) = point.json else { return nil }
        let fields = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        guard case .string(let rate)? = fields["rate"], case .double(let cost)? = fields["monthly_infrastructure"],
          case .double(let availability)? = fields["availability"]
        else { return nil }
        return (Rate.perSecond(rate) ?? Double(rate) ?? 0, cost, availability)
      }
      var cost = SVGChart(
        title: "Monthly infrastructure cost against offered load (autoscaled)", xLabel: "offered load (requests per second)",
        yLabel: "₹ per month", series: [SVGChart.Series(name: "monthly infrastructure", points: points.map { ($0.rate, $0.cost) })])
      cost.pointMarkers = true
      // Availability zooms to the data, with the objective drawn across.
      let objective = scenario.info.availabilityObjective * 100
      var availability = SVGChart(
        title: "Availability against offered load", xLabel: "offered load (requests per second)",
        yLabel: "% of requests served",
        series: [SVGChart.Series(name: "availability", points: points.map { ($0.rate, $0.availability * 100) })])
      availability.pointMarkers = true
      availability.yFromZero = false
      availability.levels = [(objective, "objective \(String(format: "%g", objective))%")]
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
      pairs.append(("case_study_table", CostStudy.caseStudyTable(scenario.info.money.prices).json))
      if let roi = analysis.roi { pairs.append(("roi", roi.json())) }
      if let roi = analysis.roi { pairs.append(("breakeven_downtime_minutes_per_month", .double(roi.breakevenMinutesPerMonth))) }
      if !analysis.returns.isEmpty {
        pairs.append(
          ("roi_by_region", .array(analysis.returns.map { .object([("region", .string($0.region))] + $0.roi.jsonPairs) })))
      }
      if let year = yearly.first { pairs.append(("second_region_per_year", year.json())) }
      if !yearly.isEmpty { pairs.append(("per_year_by_region", .array(yearly.map { $0.json() }))) }
      if !loads.isEmpty { pairs.append(("load_curve", .array(loads.map(\.json)))) }
      if !readings.isEmpty { pairs.append(("readings", .array(readings.map(\.json)))) }
      output.out(JSONValue.object(pairs).serialized(pretty: true))
      return 0
    }
    output.out("Drill cost: \(scenario.info.name) (reading: \(scenario.info.base), seed \(scenario.config.seed))")
    output.out("")
    output.out(analysis.with.text())
    output.out("")
    output.out(CostStudy.caseStudyTable(scenario.info.money.prices).text)
    if analysis.returns.count == 1, let roi = analysis.roi, let second = analysis.secondRegion {
      output.out("")
      output.out(roi.text(secondRegion: second))
    } else {
      for (region, roi) in analysis.returns {
        output.out("")
        output.out(roi.text(region: region))
      }
    }
    if let roi = analysis.roi {
      output.out("")
      output.out(CostStudy.caseStudyROICheck(scenario.info.money, roi: roi))
    }
    for year in yearly {
      output.out("")
      output.out(year.text())
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
}
