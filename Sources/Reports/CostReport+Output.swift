import Foundation
import SimCore
import Topology

extension CostReport {
  /// The case study's "Cost Analysis" table from a price table: per region with `n` VMs in
  /// each of the two tiers, a PgPool VM, two load balancers and the database.
  public static func caseStudyRegion(vmsPerTier n: Int64, prices: PriceTable) -> Money {
    prices.vm * (2 * n) + prices.pgpoolVM + prices.loadBalancer * 2 + prices.database
  }

  /// The bill and the downtime arithmetic as text.
  public func text() -> String {
    var out = ["Infrastructure (per month at this run's average instance counts; for the run itself):"]
    for line in lines + shared {
      out.append(
        "  \(line.region.padding(toLength: 8, withPad: " ", startingAt: 0)) \(line.component.padding(toLength: 26, withPad: " ", startingAt: 0)) "
          + "\(line.quantityText.padding(toLength: 10, withPad: " ", startingAt: 0)) \(line.monthly.description.padding(toLength: 12, withPad: " ", startingAt: 0)) \(line.forRun)"
      )
    }
    out.append("  total per month \(monthlyTotal); for the \(runDuration) run \(runTotal)")
    out.append("Downtime:")
    out += arithmetic.map { "  " + $0 }
    return out.joined(separator: "\n")
  }

  public func json() -> JSONValue {
    let regions = Array(Set(lines.map(\.region))).sorted()
    return .object([
      (
        "monthly_infrastructure",
        .object([
          ("total", .double(Double(monthlyTotal.paise) / 100)),
          ("by_region", .object(regions.map { ($0, .double(Double(monthly(region: $0).paise) / 100)) })),
        ])
      ),
      ("run_infrastructure", .double(Double(runTotal.paise) / 100)),
      (
        "lines",
        .array(
          (lines + shared).map {
            .object([
              ("region", .string($0.region)), ("component", .string($0.component)), ("quantity", .double($0.quantity)),
              ("quantity_is_time_average", .bool($0.averaged)),
              ("monthly", .double(Double($0.monthly.paise) / 100)), ("run", .double(Double($0.forRun.paise) / 100)),
            ])
          })
      ),
      ("downtime_cost_per_minute", .double(Double(revenuePerMinute.paise) / 100)),
      ("downtime_minutes", .double(Double(downtimeMinutesMilli) / 1000)),
      ("downtime_cost", .double(Double(downtimeCost.paise) / 100)),
      ("arithmetic", .array(arithmetic.map(JSONValue.string))),
    ])
  }
}

extension ReturnOnInvestment {
  /// The second region's return, in a two-region deployment.
  public func text(secondRegion: String) -> String { text(heading: "Return on the second region (\(secondRegion)):") }

  /// One region's return, in a deployment of more than two (the same outage without it).
  public func text(region: String) -> String {
    text(heading: "Return on \(region) (the same outage without it, the other regions as written):")
  }

  func text(heading: String) -> String {
    [
      heading,
      "  its cost per month \(secondRegionMonthly)",
      "  this outage costs \(downtimeWithout) without it, \(downtimeWith) with it: it prevents \(prevented)",
      String(
        format: "  breakeven: %.1f outage minutes per month (= %@ / %@ per minute)",
        breakevenMinutesPerMonth, secondRegionMonthly.description, revenuePerMinute.description),
      prevented.paise > 0
        ? String(format: "  or %.2f outages like this one per month", breakevenOutagesPerMonth) : "  this outage alone never pays for it",
    ].joined(separator: "\n")
  }

  public func json() -> JSONValue { .object(jsonPairs) }

  public var jsonPairs: [(String, JSONValue)] {
    [
      ("second_region_monthly", .double(Double(secondRegionMonthly.paise) / 100)),
      ("downtime_cost_with", .double(Double(downtimeWith.paise) / 100)),
      ("downtime_cost_without", .double(Double(downtimeWithout.paise) / 100)),
      ("prevented_per_outage", .double(Double(prevented.paise) / 100)),
      ("breakeven_downtime_minutes_per_month", .double(breakevenMinutesPerMonth)),
      ("breakeven_outages_per_month", prevented.paise > 0 ? .double(breakevenOutagesPerMonth) : .null),
    ]
  }
}
