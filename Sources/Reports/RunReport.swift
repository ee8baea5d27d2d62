import SimCore
import Topology

/// Milestones and metrics of a run, derived from its result alone.
public struct RunReport: Sendable {
  public let result: RunResult
  public let context: ScenarioInfo

  /// A kind's failures are "restored" once its failure share stays at or under this for `steadyWindow`.
  public static let restoredShare = 0.01
  public static let steadyWindow = SimDuration.seconds(60)

  public init(result: RunResult, context: ScenarioInfo) {
    self.result = result
    self.context = context
  }

  /// The origin of `T+m:ss`: the first fault, or the start of the run.
  public var origin: SimTime { result.firstFault ?? .zero }

  /// Milestones in seconds from the origin, in ``Milestone`` order; absent when they never happened.
  public var milestones: [(Milestone, Double)] {
    let values = milestoneSeconds
    return Milestone.allCases.compactMap { m in values[m].map { (m, $0) } }
  }

  /// Each milestone that happened, in seconds from the origin.
  public var milestoneSeconds: [Milestone: Double] {
    var values: [Milestone: Double] = [:]
    let failures = result.firstFailure.values.filter { $0 >= origin }
    if let first = failures.min() { values[.firstFailedRequest] = (first - origin).seconds }
    for milestone in Milestone.allCases {
      guard let kind = milestone.timelineKind else { continue }
      if let entry = result.timeline.entries.first(where: { $0.kind == kind && $0.time >= origin }) {
        values[milestone] = (entry.time - origin).seconds
      }
    }
    if let t = restored([.apiWrite]) { values[.writesRestored] = (t - origin).seconds }
    if let t = restored([.pageLoad, .apiRead]) { values[.readsRestored] = (t - origin).seconds }
    if result.firstFault != nil {
      // The latest of its parts; a part that applies and never happened (writes failed and
      // were never restored, a promotion PgPool never followed) means no failover_complete.
      var parts = [values[.dnsUnhealthy]].compactMap { $0 }
      func failed(_ kinds: [RequestKind]) -> Bool {
        kinds.contains { (result.firstFailure[$0] ?? .distantFuture) >= origin && result.firstFailure[$0] != nil }
      }
      if failed([.apiWrite]) { parts.append(values[.writesRestored] ?? .infinity) }
      if failed([.pageLoad, .apiRead]) { parts.append(values[.readsRestored] ?? .infinity) }
      if values[.dbPromoted] != nil { parts.append(values[.pgpoolSwitched] ?? .infinity) }
      if let complete = parts.max(), complete.isFinite { values[.failoverComplete] = complete }
    }
    return values
  }

  /// The first bucket after the kinds' first failure from which their failure share stays
  /// at or under 1% for a minute (with traffic in it).
  public func restored(_ kinds: [RequestKind]) -> SimTime? {
    guard let firstFailure = kinds.compactMap({ result.firstFailure[$0] }).filter({ $0 >= origin }).min() else { return nil }
    let rows = result.series
    func share(_ row: SeriesRow) -> Double? {
      let ended = kinds.reduce(0) { $0 + row.outcomes.ended($1) }
      guard ended > 0 else { return nil }
      let failed = kinds.reduce(0) { $0 + row.outcomes.ended($1) - row.outcomes[$1, .success] }
      return Double(failed) / Double(ended)
    }
    for (i, row) in rows.enumerated() where row.start >= firstFailure - (rows.count > 1 ? rows[1].start - rows[0].start : .zero) {
      guard let s = share(row), s <= Self.restoredShare else { continue }
      let window = rows[i...].prefix { $0.start < row.start + Self.steadyWindow }
      if window.allSatisfy({ (share($0) ?? 0) <= Self.restoredShare }) && row.start > firstFailure { return row.start }
    }
    return nil
  }

  // MARK: Metrics

  public var attempts: Int { result.totals.ended }
  public var failed: Int { result.totals.failed }
  public var availability: Double { attempts > 0 ? Double(attempts - failed) / Double(attempts) : 1 }

  /// Full-outage-equivalent seconds for some kinds: Σ bucket width × failed share.
  public func downtimeSeconds(_ kinds: [RequestKind]) -> Double {
    var total = 0.0
    for (i, row) in result.series.enumerated() {
      let end = i + 1 < result.series.count ? result.series[i + 1].start : SimTime.at(result.duration)
      let ended = kinds.reduce(0) { $0 + row.outcomes.ended($1) }
      guard ended > 0 else { continue }
      let failed = kinds.reduce(0) { $0 + row.outcomes.ended($1) - row.outcomes[$1, .success] }
      total += (end - row.start).seconds * Double(failed) / Double(ended)
    }
    return total
  }

  /// First failed request to steady success of every kind; nil when nothing failed or it never recovered.
  public var rtoSeconds: Double? {
    guard let first = result.firstFailure.values.filter({ $0 >= origin }).min(), let back = restored(RequestKind.allCases) else {
      return nil
    }
    return (back - first).seconds
  }

  /// The share of the error budget this run used: failures / (attempts × (1 − objective)).
  public var errorBudgetBurn: Double {
    let allowed = Double(attempts) * (1 - context.availabilityObjective)
    return allowed > 0 ? Double(failed) / allowed : 0
  }

  public func latency(_ q: Double) -> Double? { result.latency.quantile(q) }

  /// Failures by where the requests were (region and tier, or the data tier), in region
  /// then place order, each with its causes; places without a failure are left out.
  public var failurePlaces: [(where: String, causes: [(name: String, count: Int)])] {
    var places: [(where: String, causes: [(name: String, count: Int)])] = []
    for entry in result.outcomesByPlace {
      var causes: [(name: String, count: Int)] = []
      for outcome in Outcome.allCases where outcome != .success && entry.counts.total(outcome) > 0 {
        causes.append((outcome.name, entry.counts.total(outcome)))
      }
      if !causes.isEmpty { places.append(("\(entry.region) \(entry.place.rawValue)", causes)) }
    }
    return places
  }
}
