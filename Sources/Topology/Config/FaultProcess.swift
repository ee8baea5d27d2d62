import SimCore

/// Which parts a fault process hits, by name: a region name (or every region, `nil`), a
/// tier role (or both tiers) and an instance number (or every instance a group keeps at its
/// minimum). It is resolved against a configuration when a study runs, so the same process
/// reads the same on the two-region deployment and on its one-region variant.
public enum FaultTargetPattern: Sendable, Hashable {
  case region(String?)
  case loadBalancer(region: String?, tier: TierRole?)
  case tier(region: String?, tier: TierRole?)
  case instance(region: String?, tier: TierRole?, index: Int?)
  case database(region: String?)
  case pgpool(region: String?)
  case link(from: String?)
  case monitor(region: String?)
  case automation

  /// The fault targets this pattern names in `config`, in configuration order. A part the
  /// configuration lacks (a PgPool where backends reach the database directly, the link of
  /// a one-region deployment) yields nothing: a pattern names what exists.
  public func targets(in config: TopologyConfig) -> [FaultTarget] {
    let names = config.regions.map(\.name)
    func regions(_ name: String?) -> [Int] { names.indices.filter { name == nil || names[$0] == name } }
    func tiers(_ r: Int, _ role: TierRole?) -> [(TierRole, TierConfig)] {
      TierRole.allCases.compactMap { t in
        guard role == nil || role == t, let tier = t == .frontend ? config.regions[r].frontend : config.regions[r].backend else {
          return nil
        }
        return (t, tier)
      }
    }
    let data = config.dataPath
    switch self {
    case .region(let name): return regions(name).map { .region($0) }
    case .loadBalancer(let name, let role):
      return regions(name).flatMap { r in tiers(r, role).map { FaultTarget.loadBalancer(region: r, tier: $0.0) } }
    case .tier(let name, let role):
      return regions(name).flatMap { r in tiers(r, role).map { FaultTarget.tier(region: r, tier: $0.0) } }
    case .instance(let name, let role, let index):
      return regions(name).flatMap { r in
        tiers(r, role).flatMap { (t, tier) -> [FaultTarget] in
          let slots = index.map { $0 < tier.group.max ? [$0] : [] } ?? Array(0..<max(1, tier.group.min))
          return slots.map { FaultTarget.instance(region: r, tier: t, index: $0) }
        }
      }
    case .database(let name):
      return regions(name).filter { $0 < (data?.databases.count ?? 0) }.map { .database(region: $0) }
    case .pgpool(let name):
      return regions(name).filter { r in
        guard let data, r < data.access.count, case .pgpool = data.access[r] else { return false }
        return true
      }.map { .pgpool(region: $0) }
    case .link(let from):
      guard names.count >= 2 else { return [] }
      guard let from else { return [.link(from: nil)] }
      return regions(from).map { .link(from: $0) }
    case .monitor(let name):
      return (data?.monitors ?? []).indices.filter { name == nil || names[data!.monitors[$0].region] == name }.map { .monitor(index: $0) }
    case .automation:
      return data?.automation == nil ? [] : [.automation]
    }
  }
}

/// A part's failures and repairs over time: an alternating renewal process. From the
/// start, and after each repair, the part works for a time drawn from `timeToFailure`, then
/// fails in `mode` for a time drawn from `repair`. Every part the pattern names has its own
/// process, unless `together`: then one process hits them all at once (a bad deploy of both
/// regions' backends, the monitoring service going down with every monitor on it).
public struct FaultProcess: Sendable {
  /// The process's name in the scenario (`region`, `linkPartition`…).
  public var name: String
  public var target: FaultTargetPattern
  public var together: Bool
  public var mode: FaultMode
  /// Time from the start, or from the last repair, to the next failure (mean: MTBF).
  public var timeToFailure: Distribution
  /// How long a failure lasts (mean: MTTR).
  public var repair: Distribution

  public init(
    name: String, target: FaultTargetPattern, together: Bool = false, mode: FaultMode, timeToFailure: Distribution, repair: Distribution
  ) {
    self.name = name
    self.target = target
    self.together = together
    self.mode = mode
    self.timeToFailure = timeToFailure
    self.repair = repair
  }
}

/// What `drill availability` and `drill rank` simulate beside the topology: the fault
/// processes, the on-call operator, and the windows the study runs at request level around
/// each incident.
public struct AvailabilityConfig: Sendable {
  public var processes: [FaultProcess]
  /// From an incident's first fault until the operator acts: while the primary is still
  /// down and requests fail, they fail over by hand; once the faults are repaired, they
  /// restore the configured state (fail back to the configured primary, re-attach PgPools,
  /// restore DNS weights). Nil: nobody does.
  public var operatorResponse: Distribution?
  /// Request-level time simulated before each incident's first fault.
  public var lead: SimDuration
  /// Request-level time simulated at least after an incident's last repair (and the
  /// operator's action) before the study accounts the quiet time that follows.
  public var settle: SimDuration
  /// How long nothing may change (no timeline entry, failure shares level) before the
  /// state counts as steady: a window closes, or a stretch inside it is skipped, only then;
  /// the outcomes of this last stretch stand for the time accounted after it.
  public var steady: SimDuration

  public init(
    processes: [FaultProcess] = [], operatorResponse: Distribution? = nil, lead: SimDuration = .minutes(1),
    settle: SimDuration = .minutes(10), steady: SimDuration = .minutes(5)
  ) {
    self.processes = processes
    self.operatorResponse = operatorResponse
    self.lead = lead
    self.settle = settle
    self.steady = steady
  }
}
