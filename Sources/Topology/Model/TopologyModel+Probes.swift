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
    default: return (true, check.roundTrip)
    }
  }
}
