import Foundation
import Reports
import SimCore
import Topology

/// The second region's return per year (`drill cost --years N`): the year study run on the
/// deployment as written and on it with only its primary's region, paired (every part the
/// two share fails at the same times), against what the second region costs a year.
public struct SecondRegionYear: Sendable {
  public var both: AvailabilityStudy
  public var one: AvailabilityStudy
  public var secondRegion: String
  /// The second region's price a year, from the price table.
  public var pricePerYear: Double
  /// Per year: downtime cost with one region minus with two.
  public var saved: [Double] { zip(one.downtimeCost, both.downtimeCost).map { $0 - $1 } }
  public var minutesSaved: [Double] { zip(one.downtimeMinutes, both.downtimeMinutes).map { $0 - $1 } }
  public var net: [Double] { saved.map { $0 - pricePerYear } }

  /// Nil for a one-region deployment.
  public static func run(
    config: TopologyConfig, info: ScenarioInfo, options: AvailabilityStudy.Options, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> SecondRegionYear? {
    guard config.regions.count >= 2 else { return nil }
    let keep = config.dataPath?.databases.firstIndex { $0.role == .primary } ?? 0
    let single = config.keepingOnly(region: keep)
    let studies = AvailabilityStudy.runMany([(config, info), (single, info)], options: options, progress: progress)
    let bill = RankStudy.monthlyBill(config, money: info.money) - RankStudy.monthlyBill(single, money: info.money)
    let others = config.regions.indices.filter { $0 != keep }.map { config.regions[$0].name }.joined(separator: ", ")
    return SecondRegionYear(both: studies[0], one: studies[1], secondRegion: others, pricePerYear: Double(bill.paise) * 12 / 100)
  }

  public func text() -> String {
    let rupees = AvailabilityStudy.wholeRupees
    let n = both.years.count
    return [
      "The second region's return per year (\(n) simulated year\(n == 1 ? "" : "s") of random failures, paired; drill availability):",
      "  with \(secondRegion): downtime \(AvailabilityStudy.text(both.downtimeMinutes, AvailabilityStudy.minutes, within: AvailabilityStudy.positive)) min, "
        + "cost \(AvailabilityStudy.text(both.downtimeCost, rupees, within: AvailabilityStudy.positive)), availability \(AvailabilityStudy.text(both.availability, AvailabilityStudy.percent, within: AvailabilityStudy.share))",
      "  without it:   downtime \(AvailabilityStudy.text(one.downtimeMinutes, AvailabilityStudy.minutes, within: AvailabilityStudy.positive)) min, "
        + "cost \(AvailabilityStudy.text(one.downtimeCost, rupees, within: AvailabilityStudy.positive)), availability \(AvailabilityStudy.text(one.availability, AvailabilityStudy.percent, within: AvailabilityStudy.share))",
      "  downtime cost it prevents: \(AvailabilityStudy.text(saved, rupees)) a year; it costs \(rupees(pricePerYear)) a year; "
        + "net \(AvailabilityStudy.text(net, rupees))",
    ].joined(separator: "\n")
  }

  public func json() -> JSONValue {
    .object([
      ("years", .int(Int64(both.years.count))),
      ("second_region", .string(secondRegion)),
      ("downtime_minutes_with", AvailabilityStudy.json(both.downtimeMinutes, within: AvailabilityStudy.positive)),
      ("downtime_minutes_without", AvailabilityStudy.json(one.downtimeMinutes, within: AvailabilityStudy.positive)),
      ("downtime_cost_with", AvailabilityStudy.json(both.downtimeCost, within: AvailabilityStudy.positive)),
      ("downtime_cost_without", AvailabilityStudy.json(one.downtimeCost, within: AvailabilityStudy.positive)),
      ("downtime_cost_prevented", AvailabilityStudy.json(saved)),
      ("price_per_year", .double(pricePerYear)),
      ("net_per_year", AvailabilityStudy.json(net)),
    ])
  }
}
