import SimCore
import Topology

/// Prices, built in from the case study's "Cost Analysis" (E2E Networks, per month), with
/// USD services converted at `rupeesPerDollar`. Overridable in a scenario's `money.prices`.
public struct PriceTable: Sendable {
  /// C3.8GB (4 vCPU, 8 GB): frontend and backend VMs.
  public var vm = Money.rupees(2_000)
  /// C2.4GB: the PgPool VM.
  public var pgpoolVM = Money.rupees(1_500)
  /// Load balancer, Starter plan, each.
  public var loadBalancer = Money.rupees(500)
  /// PostgreSQL DBaaS, DBS.8GB.
  public var database = Money.rupees(3_000)
  /// Route 53 ("~$1-2/month"): the midpoint, in US cents.
  public var route53Cents: Int64 = 150
  /// UptimeRobot: free tier $0; Pro $7/month for 1-minute checks (in US cents).
  public var uptimeRobotCents: Int64 = 0
  /// Exchange rate, paise per US dollar (₹83.00).
  public var paisePerDollar: Int64 = 8_300
  /// Hours in a billing month (the cloud convention: 730).
  public var hoursPerMonth: Int64 = 730

  public init() {}

  /// A USD amount in cents, in rupees.
  public func dollars(cents: Int64) -> Money { Money(paise: cents * paisePerDollar).scaled(by: 1, over: 100) }
}

/// What downtime costs (mechanisms.md §7): lost revenue, optionally a value per failed
/// request and an SLA penalty.
public struct MoneyConfig: Sendable {
  public var prices = PriceTable()
  /// Revenue per month (the case study's example: ₹10 lakh).
  public var revenuePerMonth = Money.rupees(1_000_000)
  /// Share of revenue that depends on the service, in percent (0–100).
  public var revenueSharePercent: Int64 = 100
  /// Optional value of one failed request (on top of lost revenue).
  public var valuePerFailedRequest = Money.zero
  /// SLA: below this availability (per million), this penalty is owed for the month.
  public var slaAvailabilityPerMillion: Int64? = nil
  public var slaPenalty = Money.zero
  /// Days in a month for revenue per minute (30).
  public var daysPerMonth: Int64 = 30

  public init() {}

  /// Revenue per minute: revenue / (days × 24 × 60), times the dependent share.
  public var revenuePerMinute: Money {
    revenuePerMonth.scaled(by: revenueSharePercent, over: daysPerMonth * 24 * 60 * 100)
  }
}

/// One line of an infrastructure bill.
public struct CostLine: Sendable {
  public var region: String
  public var component: String
  public var quantity: String
  public var monthly: Money
  public var forRun: Money
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

  /// Builds the report for a run of `config`.
  public init(result: RunResult, config: TopologyConfig, money: MoneyConfig, downtimeSeconds: Double, availability: Double) {
    let prices = money.prices
    let monthNs = prices.hoursPerMonth * 3_600 * 1_000_000_000
    let runNs = max(1, result.duration.nanoseconds)
    var lines: [CostLine] = []
    var groupIndex = 0
    for (r, region) in config.regions.enumerated() {
      for (tierName, tier) in [("frontend", region.frontend), ("backend", region.backend)] {
        guard tier != nil else { continue }
        let group = result.groups[groupIndex]
        groupIndex += 1
        // Instance time is integrated exactly in nanoseconds; a month of it costs `vm`.
        let forRun = prices.vm.scaled(by: group.instanceNanoseconds, over: monthNs)
        let monthly = prices.vm.scaled(by: group.instanceNanoseconds, over: runNs)
        let average = Double(group.instanceNanoseconds) / Double(runNs)
        lines.append(
          CostLine(
            region: region.name, component: "\(tierName) VMs (C3.8GB)", quantity: String(format: "%.2f avg", average), monthly: monthly,
            forRun: forRun))
        lines.append(
          CostLine(
            region: region.name, component: "\(tierName) load balancer", quantity: "1",
            monthly: prices.loadBalancer, forRun: prices.loadBalancer.scaled(by: runNs, over: monthNs)))
      }
      if let dataPath = config.dataPath {
        if case .pgpool = dataPath.access[r] {
          lines.append(
            CostLine(
              region: region.name, component: "PgPool VM (C2.4GB)", quantity: "1",
              monthly: prices.pgpoolVM, forRun: prices.pgpoolVM.scaled(by: runNs, over: monthNs)))
        }
        if r < dataPath.databases.count {
          lines.append(
            CostLine(
              region: region.name, component: "PostgreSQL (DBS.8GB)", quantity: "1",
              monthly: prices.database, forRun: prices.database.scaled(by: runNs, over: monthNs)))
        }
      }
    }
    var shared: [CostLine] = []
    if config.dns != nil {
      let route53 = prices.dollars(cents: prices.route53Cents)
      shared.append(
        CostLine(region: "global", component: "Route 53", quantity: "1", monthly: route53, forRun: route53.scaled(by: runNs, over: monthNs))
      )
    }
    if config.dataPath?.monitors.isEmpty == false {
      let robot = prices.dollars(cents: prices.uptimeRobotCents)
      shared.append(
        CostLine(region: "global", component: "UptimeRobot", quantity: "1", monthly: robot, forRun: robot.scaled(by: runNs, over: monthNs)))
    }
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
