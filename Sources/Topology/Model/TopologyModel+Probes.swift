import SimCore

/// Probes that cross mechanisms: a health check of a region's `/health/` path goes through
/// its entry load balancer to an instance, so DNS checkers and monitors ask the model.
extension TopologyModel {
  /// What one probe of a region sees, and how long it takes to see it (mechanisms.md §1.2, τ):
  /// a black-holed address fails after the 4 s connect budget, a hung endpoint after the
  /// 2 s response budget, a refusal or an error status after a round trip.
  mutating func probeRegion(_ region: RegionID, check: DNSHealthCheckConfig, random: inout Xoshiro256StarStar) -> (Bool, SimDuration) {
    let r = Int(region)
    let tier = balancers.byRegion[r][0].exists ? 0 : 1
    let lb = balancers.byRegion[r][tier]
    guard lb.exists else { return (false, check.roundTrip) }
    if regionDown[r] || balancers.states[Int(lb)].fault == .crash { return (false, check.connectTimeout) }
    switch balancers.states[Int(lb)].fault {
    case .hang: return (false, check.responseTimeout)
    case .errors(let rate) where random.nextUnit() < rate: return (false, check.roundTrip)
    default: break
    }
    // The probe goes through the load balancer like a request, without waiting for a slot.
    let balancer = balancers.states[Int(lb)]
    let serving = balancer.targets.filter { fleet.instances[Int($0)].phase == .inService }
    let healthy = serving.filter { fleet.instances[Int($0)].healthy }
    let candidates = healthy.isEmpty ? serving : healthy
    guard !candidates.isEmpty else { return (false, check.roundTrip) }  // 503
    let target = candidates[Int(random.next() % UInt64(candidates.count))]
    switch fleet.condition(target) {
    case .crash: return (false, check.roundTrip)  // 502
    case .hang: return (false, check.responseTimeout)
    case .errors(let rate) where random.nextUnit() < rate: return (false, check.roundTrip)
    default: break
    }
    guard check.deep else { return (true, check.roundTrip) }
    switch databasePathAnswers(from: r, random: &random) {
    case .answers: return (true, check.roundTrip)
    case .refuses: return (false, check.roundTrip)  // 503 "database: disconnected"
    case .silent: return (false, check.responseTimeout)  // the backend waits on the database; the check gives up
    }
  }

  /// What a deep health check's database query meets on region `r`'s path to its primary
  /// (the path writes take): through PgPool (down, failing over or without a primary: a quick
  /// error) or straight to the node; the node crashed (refused) or hung; the link cut when
  /// the node is in another region (the query waits).
  enum DatabasePath { case answers, refuses, silent }

  /// `writing`: the query writes (a standby refuses it).
  mutating func databasePathAnswers(from r: Int, random: inout Xoshiro256StarStar, writing: Bool = false) -> DatabasePath {
    guard r < dataAccess.count, !cluster.nodes.isEmpty else { return .answers }
    let node: DatabaseID
    switch dataAccess[r] {
    case .direct(let target): node = DatabaseID(target)
    case .pgpool:
      let pool = pgpool.pools[r]
      switch pool.fault {
      case .crash?: return .refuses
      case .hang?: return .silent
      case .errors(let rate)? where random.nextUnit() < rate: return .refuses
      default: break
      }
      guard !pool.failingOver, pool.primary.exists, pool.attached[Int(pool.primary)] else { return .refuses }
      node = pool.primary
    }
    let region = cluster.nodes[Int(node)].region
    if Int(region) != r && !linkUp(from: RegionID(r), to: region) { return .silent }
    switch cluster.condition(node, regionDown: regionDown) {
    case .crash?: return Int(region) != r && regionDown[Int(region)] ? .silent : .refuses
    case .hang?: return .silent
    case .errors(let rate)? where random.nextUnit() < rate: return .refuses
    default: return writing && cluster.nodes[Int(node)].role == .replica ? .refuses : .answers
    }
  }
}
