import Foundation
import Reports
import SimCore
import Topology

extension AvailabilityStudy {
  /// The case study's claims this study tests.
  public static let claim = "99.9%+ availability through geographic redundancy"

  /// "99.95% [99.93, 99.97]": a mean and its interval, formatted.
  /// `within`: the quantity's natural range (a share stays in 0…1, minutes and rupees above
  /// 0), to which the interval's ends are clipped: a t interval from few years can reach
  /// past it.
  static func text(_ values: [Double], _ format: (Double) -> String, within range: ClosedRange<Double>? = nil) -> String {
    guard !values.isEmpty else { return "—" }
    let s = summary(values)
    guard let interval = s.interval else { return format(s.mean) }
    let (low, high) = clip(interval, range)
    return "\(format(s.mean)) [\(format(low)), \(format(high))]"
  }

  static func clip(_ interval: ConfidenceInterval, _ range: ClosedRange<Double>?) -> (Double, Double) {
    guard let range else { return (interval.lower, interval.upper) }
    return (min(max(interval.lower, range.lowerBound), range.upperBound), min(max(interval.upper, range.lowerBound), range.upperBound))
  }

  static let share: ClosedRange<Double> = 0...1
  static let positive: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude

  static func percent(_ x: Double) -> String { String(format: "%.3f%%", x * 100) }
  static func minutes(_ x: Double) -> String { String(format: "%.1f", x) }
  static func rupees(_ x: Double) -> String { Money(paise: Int64((x * 100).rounded())).description }
  /// Rupees without paise, for yearly sums where paise only add noise.
  static func wholeRupees(_ x: Double) -> String { Money(paise: Int64(x.rounded()) * 100).description }
  static func count(_ x: Double) -> String { String(format: "%.2f", x) }

  static func duration(_ seconds: Double) -> String {
    if seconds < 90 { return String(format: "%.0f s", seconds) }
    if seconds < 5_400 { return String(format: "%.1f min", seconds / 60) }
    return String(format: "%.1f h", seconds / 3_600)
  }

  /// What the claim comes to against the result.
  public var verdict: String {
    let s = Self.summary(availability)
    let target = 0.999
    guard let interval = s.interval else {
      return s.mean >= target ? "the simulated year meets 99.9%" : "the simulated year falls short of 99.9%"
    }
    if interval.lower >= target { return "supported: the whole 95% interval is at or above 99.9%" }
    if interval.upper < target { return "not supported: the whole 95% interval is below 99.9%" }
    return "undecided: the 95% interval spans 99.9%"
  }

  /// The case study's "near-zero RTO" and "minimal RPO", set beside what the years show.
  public var otherClaims: [String] {
    let all = incidents
    var lines: [String] = []
    if let rto = Self.spread(all.compactMap(\.rtoSeconds)) {
      lines.append(
        "It also claims \"near-zero RTO\": incidents took \(Self.duration(rto.p50)) to recover at the median, "
          + "\(Self.duration(rto.p95)) at the 95th percentile.")
    }
    let lost = Self.summary(lostWrites).mean
    let losing = all.filter { $0.lostWrites > 0 }.count
    lines.append(
      "And \"minimal RPO\": \(Self.count(Double(losing) / Double(max(1, years.count)))) incidents a year lost acknowledged writes, "
        + String(format: "%.0f writes a year in all (failovers and split brain).", lost))
    return lines
  }

  /// The report for people.
  public func text(name: String) -> String {
    var lines: [String] = []
    let n = years.count
    lines.append(
      "Drill availability: \(name) (\(options.years) year\(options.years == 1 ? "" : "s") × \(options.replications) replication"
        + "\(options.replications == 1 ? "" : "s") = \(n) simulated year\(n == 1 ? "" : "s"), seed \(options.seed))")
    lines.append("")
    lines.append("Per year (mean [95% interval] over \(n) year\(n == 1 ? "" : "s")):")
    lines.append("  availability (served / all requests)   \(Self.text(availability, Self.percent, within: Self.share))")
    lines.append("  time-based (no kind failing > 1%)       \(Self.text(timeAvailability, Self.percent, within: Self.share))")
    lines.append("  downtime minutes (failure-weighted)     \(Self.text(downtimeMinutes, Self.minutes, within: Self.positive))")
    lines.append("    reads                                 \(Self.text(readDowntimeMinutes, Self.minutes, within: Self.positive))")
    lines.append("    writes                                \(Self.text(writeDowntimeMinutes, Self.minutes, within: Self.positive))")
    lines.append("  incidents (users saw > 1% failing)      \(Self.text(incidentCounts, Self.count, within: Self.positive))")
    lines.append("  downtime cost                           \(Self.text(downtimeCost, Self.rupees, within: Self.positive))")
    lines.append(
      "  error budget burned (×, objective \(Self.percent(objective)))  \(Self.text(errorBudgetBurned, Self.count, within: Self.positive))")
    lines.append("  writes lost (failover + split brain)    \(Self.text(lostWrites, Self.count, within: Self.positive))")
    lines.append("  split-brain episodes                    \(Self.text(splitBrainEpisodes, Self.count, within: Self.positive))")
    let met = yearsMeetingObjective
    if let w = Self.wilson(successes: met, of: availability.count) {
      lines.append(
        "  P(a year meets \(Self.percent(objective)))            \(String(format: "%.2f", Double(met) / Double(max(1, availability.count)))) "
          + "[\(String(format: "%.2f", w.low)), \(String(format: "%.2f", w.high))] (\(met) of \(availability.count) years)")
    }
    lines.append("")
    lines.append("The case study claims \"\(Self.claim)\": \(verdict).")
    lines.append(contentsOf: otherClaims)
    lines.append("")
    let all = incidents
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    lines.append("Incidents (\(all.count) in \(n) year\(n == 1 ? "" : "s")) by the fault that began them, costliest first:")
    lines.append("  \(pad("fault", 26))\(pad("per year", 10))downtime min/year")
    for row in incidentsPerYear(by: \.kind) {
      lines.append("  \(pad(row.label, 26))\(pad(Self.count(row.perYear), 10))\(Self.minutes(row.downtimeMinutes))")
    }
    lines.append("By what ended them:")
    for row in incidentsPerYear(by: \.endedBy) {
      lines.append("  \(pad(row.label, 36))\(pad(Self.count(row.perYear), 10))\(Self.minutes(row.downtimeMinutes))")
    }
    let seen = faultsPerYear(processes: processNames)
    lines.append("Faults per year (most pass without an incident):")
    lines.append("  " + seen.map { "\($0.name) \(Self.count($0.perYear))" }.joined(separator: ", "))
    lines.append("")
    if let rto = Self.spread(all.compactMap(\.rtoSeconds)) {
      let open = all.filter { $0.rtoSeconds == nil }.count
      lines.append(
        "RTO per incident: p50 \(Self.duration(rto.p50)), p95 \(Self.duration(rto.p95)), worst \(Self.duration(rto.worst))"
          + (open > 0 ? "; \(open) not restored within their window" : ""))
    }
    if let rpo = Self.spread(all.map { Double($0.lostWrites) }), let seconds = Self.spread(all.map(\.rpoSeconds)) {
      lines.append(
        String(format: "RPO per incident: writes lost p50 %.0f, p95 %.0f, worst %.0f; ", rpo.p50, rpo.p95, rpo.worst)
          + String(format: "history lost p50 %.1f s, p95 %.1f s, worst %.1f s", seconds.p50, seconds.p95, seconds.worst))
    }
    lines.append("")
    lines.append(
      String(
        format: "Method: requests simulated one by one in incident windows (%.2f%% of the time; the rest accounted from the ",
        simulatedShare * 100)
        + "steady state before it), \(events) events. Fault processes and their sources: drill reference; the method: README, \"A year of outages\"."
    )
    return lines.joined(separator: "\n")
  }

  /// `{ mean, ci95: [low, high] }` of per-year values (ci95 null with one year).
  static func json(_ values: [Double], within range: ClosedRange<Double>? = nil, adding extra: [(String, JSONValue)] = []) -> JSONValue {
    guard !values.isEmpty else { return .object([("mean", .null), ("ci95", .null)] + extra) }
    let s = summary(values)
    let interval: JSONValue = s.interval.map { clip($0, range) }.map { .array([.double($0.0), .double($0.1)]) } ?? .null
    return .object([("mean", .double(s.mean)), ("ci95", interval)] + extra)
  }

  /// The report for programs (docs/json.md).
  public func json(name: String) -> JSONValue {
    let all = incidents
    func spread(_ values: [Double]) -> JSONValue {
      guard let s = Self.spread(values) else { return .object([("p50", .null), ("p95", .null), ("worst", .null)]) }
      return .object([("p50", .double(s.p50)), ("p95", .double(s.p95)), ("worst", .double(s.worst))])
    }
    let met = yearsMeetingObjective
    let w = Self.wilson(successes: met, of: availability.count)
    return .object([
      ("scenario", .string(name)),
      ("seed", .int(Int64(bitPattern: options.seed))),
      ("years", .int(Int64(years.count))),
      ("replications", .int(Int64(options.replications))),
      ("availability", Self.json(availability, within: Self.share)),
      ("time_availability", Self.json(timeAvailability, within: Self.share)),
      ("downtime_minutes_per_year", Self.json(downtimeMinutes, within: Self.positive)),
      ("read_downtime_minutes_per_year", Self.json(readDowntimeMinutes, within: Self.positive)),
      ("write_downtime_minutes_per_year", Self.json(writeDowntimeMinutes, within: Self.positive)),
      (
        "incidents_per_year",
        Self.json(
          incidentCounts, within: Self.positive,
          adding: [
            (
              "by_kind",
              .object(
                incidentsPerYear(by: \.kind).map {
                  ($0.label, .object([("per_year", .double($0.perYear)), ("downtime_minutes_per_year", .double($0.downtimeMinutes))]))
                })
            ),
            (
              "by_ended_by",
              .object(
                incidentsPerYear(by: \.endedBy).map {
                  ($0.label, .object([("per_year", .double($0.perYear)), ("downtime_minutes_per_year", .double($0.downtimeMinutes))]))
                })
            ),
          ])
      ),
      ("downtime_cost_per_year", Self.json(downtimeCost, within: Self.positive)),
      ("error_budget_burned", Self.json(errorBudgetBurned, within: Self.positive)),
      ("writes_lost_per_year", Self.json(lostWrites, within: Self.positive)),
      ("split_brain_episodes_per_year", Self.json(splitBrainEpisodes, within: Self.positive)),
      (
        "slo_met_probability",
        .object([
          ("value", .double(Double(met) / Double(max(1, availability.count)))),
          ("ci95", w.map { .array([.double($0.low), .double($0.high)]) } ?? .null), ("objective", .double(objective)),
        ])
      ),
      ("rto_seconds", spread(all.compactMap(\.rtoSeconds))),
      ("incidents_not_restored", .int(Int64(all.filter { $0.rtoSeconds == nil }.count))),
      ("rpo_writes", spread(all.map { Double($0.lostWrites) })),
      ("rpo_seconds", spread(all.map(\.rpoSeconds))),
      ("faults_per_year", .object(faultsPerYear(processes: processNames).map { ($0.name, .double($0.perYear)) })),
      ("claim", .object([("text", .string(Self.claim)), ("verdict", .string(verdict))])),
      ("simulated_share", .double(simulatedShare)),
      ("events", .int(Int64(events))),
    ])
  }
}

extension AvailabilityStudy {
  /// Constant traffic only: the incident windows replay a steady load, not a time of day.
  public static func unsupported(_ config: TopologyConfig) -> String? {
    for population in config.populations {
      guard case .constant = population.arrivals else {
        return "the year study needs a constant request rate (clients.rate: \"100/s\"); incident windows are not placed "
          + "by time of day, so a varying rate shape would be read at the wrong hours. Use --set clients.rate=100/s"
      }
    }
    return nil
  }

  /// The report as one HTML page (tables; the same figures as the text).
  public func html(name: String) -> String {
    func e(_ s: String) -> String { HTMLReport.escape(s) }
    func row(_ label: String, _ values: [Double], _ format: (Double) -> String, within range: ClosedRange<Double> = Self.positive) -> String
    {
      let s = Self.summary(values)
      let interval = s.interval.map { Self.clip($0, range) }.map { "\(format($0.0)) – \(format($0.1))" } ?? "—"
      return "<tr><td>\(e(label))</td><td class=\"num\">\(e(format(s.mean)))</td><td class=\"num\">\(e(interval))</td></tr>\n"
    }
    var body = "<h1>Drill availability: \(e(name))</h1>\n"
    body +=
      "<p>\(years.count) simulated year\(years.count == 1 ? "" : "s") (\(options.years) × \(options.replications)), seed \(options.seed).</p>\n"
    body += "<p><b>The case study claims \u{201C}\(e(Self.claim))\u{201D}: \(e(verdict)).</b> "
    body += otherClaims.map(e).joined(separator: " ") + "</p>\n"
    body += "<h2>Per year</h2>\n<table><tr><th>figure</th><th>mean</th><th>95% interval</th></tr>\n"
    body += row("availability (served / all requests)", availability, Self.percent, within: Self.share)
    body += row("time-based availability (no kind failing > 1%)", timeAvailability, Self.percent, within: Self.share)
    body += row("downtime minutes (failure-weighted)", downtimeMinutes, Self.minutes)
    body += row("read downtime minutes", readDowntimeMinutes, Self.minutes)
    body += row("write downtime minutes", writeDowntimeMinutes, Self.minutes)
    body += row("incidents", incidentCounts, Self.count)
    body += row("downtime cost", downtimeCost, Self.rupees)
    body += row("error budget burned (×)", errorBudgetBurned, Self.count)
    body += row("writes lost", lostWrites, Self.count)
    body += row("split-brain episodes", splitBrainEpisodes, Self.count)
    let met = yearsMeetingObjective
    let w = Self.wilson(successes: met, of: availability.count)
    body +=
      "<tr><td>P(a year meets \(e(Self.percent(objective))))</td><td class=\"num\">"
      + String(format: "%.2f", Double(met) / Double(max(1, availability.count))) + "</td><td class=\"num\">"
      + (w.map { String(format: "%.2f – %.2f", $0.low, $0.high) } ?? "—") + "</td></tr>\n</table>\n"
    for (title, label) in [("Incidents by the fault that began them", \Incident.kind), ("Incidents by what ended them", \Incident.endedBy)]
    {
      body += "<h2>\(e(title))</h2>\n<table><tr><th></th><th>per year</th><th>downtime min/year</th></tr>\n"
      for row in incidentsPerYear(by: { $0[keyPath: label] }) {
        body +=
          "<tr><td>\(e(row.label))</td><td class=\"num\">\(Self.count(row.perYear))</td>"
          + "<td class=\"num\">\(Self.minutes(row.downtimeMinutes))</td></tr>\n"
      }
      body += "</table>\n"
    }
    body += "<h2>Method</h2>\n<p>" + e(text(name: name).components(separatedBy: "\n").last ?? "") + "</p>\n"
    return HTMLReport.page(title: "Drill availability: \(name)", body: body)
  }
}
