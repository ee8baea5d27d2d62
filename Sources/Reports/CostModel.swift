import SimCore
import Topology

/// One line of an infrastructure bill.
public struct CostLine: Sendable {
  public var region: String
  public var component: String
  /// How many: a time average of instances billed for VMs, 1 for a fixed item.
  public var quantity: Double
  /// Whether `quantity` is a time average (VMs that scale) rather than a count.
  public var averaged = false
  public var monthly: Money
  public var forRun: Money

  /// The quantity as the cost table prints it ("1.00 avg", "1").
  public var quantityText: String { averaged ? String(format: "%.2f avg", quantity) : String(format: "%g", quantity) }
}

/// Something a configuration is billed for, and how its price is found.
public struct BilledPart: Sendable {
  public enum Price: Sendable {
    /// A tier's VMs: the price of one VM times the instances of group `group` (in the
    /// model's group order: regions in order, frontend before backend).
    case vms(group: Int)
    /// A fixed price a month.
    case fixed(Money)
  }
  /// A region's name, or "global" for shared services.
  public var region: String
  public var component: String
  public var price: Price
}

/// The cost of a run: infrastructure from simulated instance time, downtime from failures.
public struct CostReport: Sendable {
  public var lines: [CostLine]
  public var shared: [CostLine]
  public var runDuration: SimDuration
  public var monthlyTotal: Money { (lines + shared).reduce(.zero) { $0 + $1.monthly } }
  public var runTotal: Money { (lines + shared).reduce(.zero) { $0 + $1.forRun } }
  public func monthly(region: String) -> Money { lines.filter { $0.region == region }.reduce(.zero) { $0 + $1.monthly } }

  /// Downtime: failure-weighted outage minutes × revenue per minute, plus failed requests'
  /// value, plus the SLA penalty if the run's availability fell under the SLA.
  public var downtimeMinutesMilli: Int64
  public var failedRequests: Int64
  public var downtimeCost: Money
  public var revenuePerMinute: Money
  public var arithmetic: [String]

  /// What `config` is billed for, in the bill's order: per region each tier's VMs and load
  /// balancer, its PgPool VM and its database; then Route 53 and UptimeRobot ("global").
  public static func billedParts(of config: TopologyConfig, money: MoneyConfig) -> [BilledPart] {
    let prices = money.prices
    var parts: [BilledPart] = []
    var group = 0
    for (r, region) in config.regions.enumerated() {
      for (tierName, tier) in [("frontend", region.frontend), ("backend", region.backend)] where tier != nil {
        parts.append(BilledPart(region: region.name, component: "\(tierName) VMs (C3.8GB)", price: .vms(group: group)))
        parts.append(BilledPart(region: region.name, component: "\(tierName) load balancer", price: .fixed(prices.loadBalancer)))
        group += 1
      }
      if let dataPath = config.dataPath {
        if case .pgpool = dataPath.access[r] {
          parts.append(BilledPart(region: region.name, component: "PgPool VM (C2.4GB)", price: .fixed(prices.pgpoolVM)))
        }
        if r < dataPath.databases.count {
          parts.append(BilledPart(region: region.name, component: "PostgreSQL (DBS.8GB)", price: .fixed(prices.database)))
        }
      }
    }
    if config.dns != nil {
      parts.append(BilledPart(region: "global", component: "Route 53", price: .fixed(prices.dollars(cents: prices.route53Cents))))
    }
    if config.dataPath?.monitors.isEmpty == false {
      parts.append(BilledPart(region: "global", component: "UptimeRobot", price: .fixed(prices.dollars(cents: prices.uptimeRobotCents))))
    }
    if let backups = money.backups, let data = config.dataPath {
      let writable = data.databases.filter { $0.role != .replica }.map(\.dataBytes)
      let gb = backups.storedGB(writable)
      let price =
        gb <= prices.objectStorageFlatGB
        ? prices.objectStorageFlat : prices.objectStoragePerGB.scaled(by: Int64((gb * 1000).rounded()), over: 1000)
      parts.append(
        BilledPart(
          region: "global", component: String(format: "Backups, EOS (%.3g GB)", gb), price: .fixed(price)))
    }
    return parts
  }

  /// Builds the report for a run of `config`.
  public init(result: RunResult, config: TopologyConfig, money: MoneyConfig, downtimeSeconds: Double, availability: Double) {
    let prices = money.prices
    let monthNs = prices.hoursPerMonth * 3_600 * 1_000_000_000
    let runNs = max(1, result.duration.nanoseconds)
    func line(_ part: BilledPart) -> CostLine {
      switch part.price {
      case .vms(let g):
        // Instance time is integrated exactly in nanoseconds; a month of it costs `vm`.
        let group = result.groups[g]
        return CostLine(
          region: part.region, component: part.component, quantity: Double(group.instanceNanoseconds) / Double(runNs), averaged: true,
          monthly: prices.vm.scaled(by: group.instanceNanoseconds, over: runNs),
          forRun: prices.vm.scaled(by: group.instanceNanoseconds, over: monthNs))
      case .fixed(let monthly):
        return CostLine(
          region: part.region, component: part.component, quantity: 1, monthly: monthly, forRun: monthly.scaled(by: runNs, over: monthNs))
      }
    }
    let parts = Self.billedParts(of: config, money: money)
    let lines = parts.filter { $0.region != "global" }.map(line)
    let shared = parts.filter { $0.region == "global" }.map(line)
    self.lines = lines
    self.shared = shared
    self.runDuration = result.duration

    let perMinute = money.revenuePerMinute
    let milli = Int64((downtimeSeconds / 60 * 1000).rounded())
    let failed = Int64(result.totals.failed)
    var cost = perMinute.scaled(by: milli, over: 1000) + money.valuePerFailedRequest * failed
    var arithmetic = [
      "revenue per minute = \(money.revenuePerMonth) × \(money.revenueSharePercent)% / (\(money.daysPerMonth) days × 1,440 min) = \(perMinute)",
      String(format: "outage minutes = %.3f (failure-weighted: each bucket's length × its share of failed requests)", Double(milli) / 1000),
      "lost revenue = \(perMinute) × \(String(format: "%.3f", Double(milli) / 1000)) min = \(perMinute.scaled(by: milli, over: 1000))",
    ]
    if money.valuePerFailedRequest > .zero {
      arithmetic.append("failed requests = \(failed) × \(money.valuePerFailedRequest) = \(money.valuePerFailedRequest * failed)")
    }
    if let sla = money.slaAvailabilityPerMillion, Int64((availability * 1_000_000).rounded()) < sla {
      cost = cost + money.slaPenalty
      arithmetic.append(
        String(format: "SLA breached (%.4f%% < %.4f%%): penalty %@", availability * 100, Double(sla) / 10_000, money.slaPenalty.description)
      )
    }
    arithmetic.append("downtime cost = \(cost)")
    downtimeMinutesMilli = milli
    failedRequests = failed
    downtimeCost = cost
    revenuePerMinute = perMinute
    self.arithmetic = arithmetic
  }
}

/// The second region's return: its monthly cost against the downtime cost it prevents.
public struct ReturnOnInvestment: Sendable {
  public var secondRegionMonthly: Money
  public var downtimeWith: Money
  public var downtimeWithout: Money
  public var revenuePerMinute: Money

  public init(secondRegionMonthly: Money, downtimeWith: Money, downtimeWithout: Money, revenuePerMinute: Money) {
    self.secondRegionMonthly = secondRegionMonthly
    self.downtimeWith = downtimeWith
    self.downtimeWithout = downtimeWithout
    self.revenuePerMinute = revenuePerMinute
  }

  /// What one such outage costs less with the second region.
  public var prevented: Money { downtimeWithout - downtimeWith }
  /// Outage minutes per month the second region must prevent to pay for itself:
  /// its monthly cost / revenue per minute.
  public var breakevenMinutesPerMonth: Double {
    revenuePerMinute.paise > 0 ? Double(secondRegionMonthly.paise) / Double(revenuePerMinute.paise) : .infinity
  }
  /// Outages like this one per month to break even.
  public var breakevenOutagesPerMonth: Double {
    prevented.paise > 0 ? Double(secondRegionMonthly.paise) / Double(prevented.paise) : .infinity
  }
}
