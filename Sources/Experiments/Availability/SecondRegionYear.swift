import Foundation
import Reports
import SimCore
import Topology

/// A region's return per year (`drill cost --years N`): the year study run on the deployment
/// as written and on it without that region, paired (every part the two share fails at the
/// same times), against what the region costs a year. With two regions, the second region's.
public struct SecondRegionYear: Sendable {
  /// The deployment as written, and without the region.
  public var both: AvailabilityStudy
  public var one: AvailabilityStudy
  public var secondRegion: String
  /// How many regions the deployment has (the words differ beyond two).
  public var regionCount = 2
  /// The second region's price a year, from the price table.
  public var pricePerYear: Double
  /// Per year: downtime cost with one region minus with two.
  public var saved: [Double] { zip(one.downtimeCost, both.downtimeCost).map { $0 - $1 } }
  public var minutesSaved: [Double] { zip(one.downtimeMinutes, both.downtimeMinutes).map { $0 - $1 } }
  public var net: [Double] { saved.map { $0 - pricePerYear } }

  /// One per region beyond the primary's (each removed alone); empty for one region.
  public static func run(
    config: TopologyConfig, info: ScenarioInfo, options: AvailabilityStudy.Options, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> [SecondRegionYear] {
    guard config.regions.count >= 2 else { return [] }
    let keep = config.dataPath?.databases.firstIndex { $0.role == .primary } ?? 0
    let others = config.regions.indices.filter { $0 != keep }
    let variants = others.map { config.removing(region: $0) }
    let studies = AvailabilityStudy.runMany([(config, info)] + variants.map { ($0, info) }, options: options, progress: progress)
    return others.enumerated().map { k, r in
      let bill = RankStudy.monthlyBill(config, money: info.money) - RankStudy.monthlyBill(variants[k], money: info.money)
      return SecondRegionYear(
        both: studies[0], one: studies[k + 1], secondRegion: config.regions[r].name, regionCount: config.regions.count,
        pricePerYear: Double(bill.paise) * 12 / 100)
    }
  }

  public func text() -> String {
    let rupees = AvailabilityStudy.wholeRupees
    let n = both.years.count
    let heading = regionCount == 2 ? "The second region's return per year" : "What \(secondRegion) buys per year"
    return [
      "\(heading) (\(n) simulated year\(n == 1 ? "" : "s") of random failures, paired; drill availability):",
      "  with \(secondRegion): downtime \(AvailabilityStudy.text(both.downtimeMinutes, AvailabilityStudy.minutes, within: AvailabilityStudy.positive)) min, "
        + "cost \(AvailabilityStudy.text(both.downtimeCost, rupees, within: AvailabilityStudy.positive)), availability \(AvailabilityStudy.text(both.availability, AvailabilityStudy.percent, within: AvailabilityStudy.share))",
      "  without it:" + String(repeating: " ", count: max(1, secondRegion.count - 4))
        + "downtime \(AvailabilityStudy.text(one.downtimeMinutes, AvailabilityStudy.minutes, within: AvailabilityStudy.positive)) min, "
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
