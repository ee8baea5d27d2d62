import Reports
import SimCore
import Topology

/// The numbers one run contributes to an experiment: the report's metrics, milestones and cost.
public enum Metrics {
  /// Milestone metrics are named `milestones.<name>`, as the run's JSON nests them.
  public static let milestonePrefix = "milestones."

  public static func row(result: RunResult, config: TopologyConfig, context: ScenarioInfo) -> MetricRow {
    let report = RunReport(result: result, context: context)
    let downtime = report.downtimeSeconds(RequestKind.allCases)
    let cost = CostReport(
      result: result, config: config, money: context.money, downtimeSeconds: downtime, availability: report.availability)
    var row: MetricRow = [
      "availability": report.availability,
      "failed_requests": Double(report.failed),
      "rto_seconds": report.rtoSeconds,
      "read_downtime_seconds": report.downtimeSeconds([.pageLoad, .apiRead]),
      "write_downtime_seconds": report.downtimeSeconds([.apiWrite]),
      "rpo_lost_writes": Double(result.data?.lostWrites ?? 0),
      "rpo_seconds": result.data?.rpoSeconds ?? 0,
      "split_brain_writes": Double(result.data?.splitBrainWrites ?? 0),
      "latency_p99_seconds": report.latency(0.99),
      "monthly_infrastructure": Double(cost.monthlyTotal.paise) / 100,
      "downtime_cost": Double(cost.downtimeCost.paise) / 100,
    ]
    // Every milestone, nil when it did not happen, so tables can say in how many runs it did.
    let milestones = report.milestoneSeconds
    for milestone in Milestone.allCases { row[Self.milestonePrefix + milestone.rawValue] = milestones[milestone] }
    return row
  }
}
