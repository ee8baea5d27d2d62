import Foundation
import Reports
import SimCore
import Topology

extension RankStudy {
  /// Whether a row's minutes-saved interval spans zero (the data cannot tell it from nothing).
  public static func spansZero(_ row: Row) -> Bool {
    guard let interval = AvailabilityStudy.summary(row.minutesSaved).interval else { return true }
    return interval.lower <= 0 && interval.upper >= 0
  }

  /// The ranking for people: the costliest-to-skip lever first.
  public func text(name: String) -> String {
    let n = baseline.years.count
    var lines = [
      "Drill rank: \(name) (\(n) simulated year\(n == 1 ? "" : "s") per lever, paired: every lever meets the same failures, seed \(baseline.options.seed))",
      "",
      "As written: downtime \(AvailabilityStudy.text(baseline.downtimeMinutes, AvailabilityStudy.minutes, within: AvailabilityStudy.positive)) min a year, "
        + "availability \(AvailabilityStudy.text(baseline.availability, AvailabilityStudy.percent, within: AvailabilityStudy.share)), "
        + "downtime cost \(AvailabilityStudy.text(baseline.downtimeCost, AvailabilityStudy.rupees, within: AvailabilityStudy.positive)) a year.",
      "",
      "Levers, by net saving a year (mean [95% interval]; ~ : the downtime saved is not told apart from zero):",
    ]
    let rupees = AvailabilityStudy.wholeRupees
    for (k, row) in rows.enumerated() {
      lines.append("  \(k + 1). \(row.lever.name)" + (Self.spansZero(row) ? "   ~ not told apart from zero" : ""))
      lines.append(
        "     downtime saved \(AvailabilityStudy.text(row.minutesSaved, AvailabilityStudy.minutes)) min a year, worth "
          + "\(AvailabilityStudy.text(row.rupeesSaved, rupees)); costs \(rupees(row.costPerYear)) a year; net "
          + AvailabilityStudy.text(row.netSaving, rupees))
    }
    lines.append("")
    lines.append("What each lever sets:")
    for row in rows {
      var line = "  \(row.lever.name): " + row.lever.settings.map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
      if !row.lever.costSource.isEmpty { line += " (cost: \(row.lever.costSource))" }
      lines.append(line)
    }
    for (lever, why) in skipped { lines.append("  \(lever): not tried here (\(why))") }
    lines.append("")
    lines.append(
      "Costs a year: the bill of the changed deployment from the price table minus the bill as written, plus the lever's own price. "
        + "Savings: downtime cost (lost revenue per failure-weighted minute, as drill cost prices it).")
    return lines.joined(separator: "\n")
  }

  /// The ranking for programs (docs/json.md).
  public func json(name: String) -> JSONValue {
    .object([
      ("scenario", .string(name)),
      ("seed", .int(Int64(bitPattern: baseline.options.seed))),
      ("years", .int(Int64(baseline.years.count))),
      (
        "baseline",
        .object([
          ("downtime_minutes_per_year", AvailabilityStudy.json(baseline.downtimeMinutes, within: AvailabilityStudy.positive)),
          ("availability", AvailabilityStudy.json(baseline.availability, within: AvailabilityStudy.share)),
          ("downtime_cost_per_year", AvailabilityStudy.json(baseline.downtimeCost, within: AvailabilityStudy.positive)),
        ])
      ),
      (
        "levers",
        .array(
          rows.map { row in
            .object([
              ("name", .string(row.lever.name)),
              ("path", .string(row.lever.settings.first?.path ?? "")),
              ("value", .string(row.lever.settings.first?.value ?? "")),
              ("settings", .array(row.lever.settings.map { .object([("path", .string($0.path)), ("value", .string($0.value))]) })),
              ("downtime_minutes_saved_per_year", AvailabilityStudy.json(row.minutesSaved)),
              ("downtime_cost_saved_per_year", AvailabilityStudy.json(row.rupeesSaved)),
              ("cost_per_year", .double(row.costPerYear)),
              ("net_saving_per_year", AvailabilityStudy.json(row.netSaving)),
              ("spans_zero", .bool(Self.spansZero(row))),
            ])
          })
      ),
      ("skipped", .array(skipped.map { .object([("name", .string($0.name)), ("why", .string($0.why))]) })),
    ])
  }
}
