import SimCore

/// Faults reach their targets: the schedule records each one (``FaultSchedule``); the
/// target's mechanism takes it by a named call, in that mechanism's file.
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: FaultEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .faultDue(let fault, let begins): sim.schedule(.faultApply(fault: fault, begins: begins), after: .zero)
    case .faultApply(let fault, let begins): applyFault(fault, begins: begins, &sim)
    }
  }

  mutating func applyFault(_ fault: FaultID, begins began: Bool, _ sim: inout Simulator<ModelEvent>) {
    let (target, change) = faults.apply(fault, begins: began, at: sim.now, &recorder.timeline)
    recorder.firstFault = faults.firstFault
    // What the target sees: a mode taking hold (a fault began, or one ended and another's
    // mode is in force), a repair, or nothing.
    let begins: Bool
    let mode: FaultMode?
    switch change {
    case .hold(let m): (begins, mode) = (true, m)
    case .repair: (begins, mode) = (false, nil)
    case .none: return
    }
    var affected: [InstanceID] = []
    switch target {
    case .region(let r): affected = regionChanged(r, down: begins, &sim)
    case .loadBalancer(let r, let tier): balancers.setFault(region: r, tier: tier, mode)
    case .tier(let r, let tier): affected = setTierFault(region: r, tier: tier, mode)
    case .instance(let r, let tier, let position):
      affected = setInstanceFault(fault, region: r, tier: tier, position: position, begins: begins, mode)
    case .database(let r): setDatabaseFault(DatabaseID(r), mode, begins: begins, &sim)
    case .pgpool(let r): setPoolFault(PoolID(r), mode, begins: begins, &sim)
    case .link(let from): setLinkFault(from: from, mode, begins: begins, &sim)
    case .monitor(let index): monitors.setFault(MonitorID(index), mode)
    case .automation: automation?.fault = mode
    }
    updateSplitBrain(sim.now)  // an old primary coming back reopens it
    instancesConditionChanged(affected, begins: begins, &sim)
    if !begins { for lb in balancers.states.indices { pump(LoadBalancerID(lb), &sim) } }
  }

  /// A region goes dark or comes back: its instances, its database and its PgPool with it.
  /// Returns the instances whose condition changed.
  mutating func regionChanged(_ r: Int, down: Bool, _ sim: inout Simulator<ModelEvent>) -> [InstanceID] {
    regionDown[r] = down
    let affected = fleet.groups.indices.filter { fleet.groups[$0].region == RegionID(r) }.flatMap { fleet.groups[$0].members }
    if r < cluster.nodes.count { down ? databaseStopped(DatabaseID(r), &sim) : resumeReplication(&sim) }
    if r < pgpool.pools.count && down { poolStopped(PoolID(r), &sim) }
    return affected
  }
}
