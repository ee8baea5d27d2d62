import Foundation
import SimCore
import Testing

@testable import Reports
@testable import Topology

@Suite("Money and cost")
struct CostTests {
  @Test("money is whole paise: parsing, Indian grouping, exact proration with rounding")
  func money() {
    #expect(Money(parsing: "₹2,000") == .rupees(2_000))
    #expect(Money(parsing: "10 lakh") == .rupees(1_000_000))
    #expect(Money(parsing: "1.5 crore") == .rupees(15_000_000))
    #expect(Money(parsing: "23.15")?.paise == 2_315)
    #expect(Money(parsing: "0.001") == nil)  // not a whole paisa
    #expect(Money(parsing: "two thousand") == nil)
    #expect(Money.rupees(1_000_000).description == "₹10,00,000")
    #expect(Money.rupees(25_500).description == "₹25,500")
    #expect(Money(paise: 2_315).description == "₹23.15")
    #expect(Money(paise: 5).description == "₹0.05")
    // 2,000 × 1/3, rounded half away from zero; and a product that needs 128 bits.
    #expect(Money.rupees(2_000).scaled(by: 1, over: 3).paise == 66_667)
    #expect(Money.rupees(2_000).scaled(by: 9_000_000_000_000_000, over: 9_000_000_000_000_000) == .rupees(2_000))
  }

  @Test("the case study's table, to the rupee: ₹9,500 a region with one VM per tier, ₹25,500 with five, ₹19,000 for two")
  func caseStudyTable() {
    let prices = PriceTable()
    #expect(CostReport.caseStudyRegion(vmsPerTier: 1, prices: prices) == .rupees(9_500))
    #expect(CostReport.caseStudyRegion(vmsPerTier: 5, prices: prices) == .rupees(25_500))
    #expect(CostReport.caseStudyRegion(vmsPerTier: 1, prices: prices) * 2 == .rupees(19_000))
  }

  @Test("₹10 lakh a month is ₹23.15 a minute (not the case study's ₹231), and the breakeven moves accordingly")
  func tenLakh() {
    let money = MoneyConfig()
    #expect(money.revenuePerMinute == Money(paise: 2_315))  // 10,00,000 / 43,200 = 23.148…
    let roi = ReturnOnInvestment(
      secondRegionMonthly: .rupees(9_500), downtimeWith: .zero, downtimeWithout: .rupees(463), revenuePerMinute: money.revenuePerMinute)
    #expect(abs(roi.breakevenMinutesPerMonth - 950_000.0 / 2_315.0) < 1e-9)
    #expect(roi.breakevenMinutesPerMonth / 60 > 6.8)  // hours, not the published 1.5
  }

  @Test("an autoscaled instance costs what it ran: proration from exact instance-nanoseconds")
  func proration() {
    // Two single-worker instances, a fixed group, 73 hours: 2 × 73 / 730 of a month = ₹400.
    let config = QueueingConfig.fixed(servers: 2, duration: .hours(73), rate: 0.01)
    let result = TopologyModel.run(config)
    #expect(result.groups[0].instanceNanoseconds == 2 * SimDuration.hours(73).nanoseconds)
    let cost = CostReport(result: result, config: config, money: MoneyConfig(), downtimeSeconds: 0, availability: 1)
    let vms = cost.lines.first { $0.component.hasPrefix("backend VMs") }!
    #expect(vms.forRun == .rupees(400))
    #expect(vms.monthly == .rupees(4_000))  // two instances all month
    #expect(cost.downtimeCost == .zero)
  }

  @Test("downtime cost shows its arithmetic; an SLA breach adds the penalty")
  func downtime() {
    let config = QueueingConfig.fixed(servers: 1, duration: .hours(1))
    let result = TopologyModel.run(config)
    var money = MoneyConfig()
    money.slaAvailabilityPerMillion = 999_000
    money.slaPenalty = .rupees(5_000)
    let cost = CostReport(result: result, config: config, money: money, downtimeSeconds: 600, availability: 0.99)
    #expect(cost.downtimeCost == Money(paise: 2_315 * 10) + .rupees(5_000))
    #expect(cost.arithmetic.contains { $0.contains("SLA breached") })
    #expect(cost.arithmetic.first!.contains("₹23.15"))
  }

  @Test("backups: a week of dumps at 30% of every writable database, ₹625 up to 250 GB in EOS, then ₹2.5 a GB of the peak")
  func backups() {
    func backupLine(dataGB: [Double], roles: [DatabaseRole], backups: BackupJobs?) -> Money? {
      var config = QueueingConfig.fixed(servers: 1, duration: .minutes(1), regions: roles.count)
      config.dataPath = DataPathConfig(
        link: RegionLinkConfig(),
        databases: zip(dataGB, roles).map { gb, role in
          var database = DatabaseConfig(role: role, upstream: role == .replica ? 0 : nil)
          database.dataBytes = gb * 1e9
          return database
        }, replication: ReplicationConfig(), access: roles.indices.map { _ in .direct(region: 0) })
      var money = MoneyConfig()
      money.backups = backups
      let parts = CostReport.billedParts(of: config, money: money)
      guard let part = parts.first(where: { $0.component.hasPrefix("Backups") }), case .fixed(let price) = part.price else { return nil }
      return price
    }
    #expect(backupLine(dataGB: [10, 10], roles: [.primary, .replica], backups: nil) == nil)
    // 10 GB × 0.3 × 7 = 21 GB: the flat slab. The replica is not dumped.
    #expect(backupLine(dataGB: [10, 10], roles: [.primary, .replica], backups: BackupJobs()) == .rupees(625))
    // 200 GB × 0.3 × 7 = 420 GB: ₹2.5 × 420 = ₹1,050; a standalone second database doubles it.
    #expect(backupLine(dataGB: [200], roles: [.primary], backups: BackupJobs()) == .rupees(1_050))
    #expect(backupLine(dataGB: [200, 200], roles: [.primary, .standalone], backups: BackupJobs()) == .rupees(2_100))
    #expect(backupLine(dataGB: [100], roles: [.primary], backups: BackupJobs(copies: 30, compressedShare: 0.5)) == .rupees(3_750))
  }

  @Test("with and without the second region, the same seed gives the kept region the same random inputs")
  func commonRandomNumbers() {
    // Every request goes to region 0; region 1 idles. Random streams are named after their
    // component, so dropping region 1 must leave region 0's arrivals and service times
    // exactly as they were: the with/without difference is the region, not noise.
    let two = QueueingConfig.fixed(servers: 2, duration: .minutes(5), regions: 2)
    let a = TopologyModel.run(two)
    let b = TopologyModel.run(two.keepingOnly(region: 0))
    #expect(a.arrivals == b.arrivals && a.arrivals > 1000)
    #expect(a.latency == b.latency)
    // A different seed does change them (the check can fail).
    var other = two.keepingOnly(region: 0)
    other.seed = 5
    #expect(TopologyModel.run(other).latency != b.latency)
  }
}

/// Small fixed topologies for cost tests.
enum QueueingConfig {
  static func fixed(servers: Int, duration: SimDuration, regions: Int = 1, rate: Double = 5) -> TopologyConfig {
    let tier = TierConfig(
      loadBalancer: LoadBalancerConfig(concurrencyPerTarget: 1, queueLimit: nil, queueTimeout: nil, targetTimeout: nil, healthCheck: nil),
      group: GroupConfig(initial: servers, min: servers, max: servers, workers: 1, bootTime: .constant(.seconds(30))),
      cpuTime: [.apiRead: try! .exponential(mean: 0.05)])
    return TopologyConfig(
      regions: (0..<regions).map { RegionConfig(name: "region\($0)", frontend: nil, backend: tier) }, dns: nil,
      populations: [
        PopulationConfig(name: "u", arrivals: .constant(rate: rate), mix: [.apiRead: 1], clients: 1, clientCache: .none, timeout: nil)
      ],
      duration: duration, bucket: .minutes(1), seed: 4)
  }
}
