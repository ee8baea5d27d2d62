import SimCore

/// Faults begin and end at scheduled times. A fault due at an instant takes effect after
/// everything else already due at that instant (it is applied in a second, zero-delay
/// step), so a probe and a crash at the same second read as "the probe passed, then the
/// crash" — the case study's reading of T+0:00.
extension TopologyModel {
  mutating func applyFault(_ index: Int, begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    let spec = config.faults[index]
    let mode: FaultMode? = begins ? spec.mode : nil
    if begins && firstFault == nil {
      firstFault = sim.now
      recorder.firstFault = sim.now
    }
    let what = describe(spec.target)
    if begins {
      recorder.timeline.record(sim.now, .fault, .faultBegan, "\(what): \(describe(spec.mode))")
    } else {
      recorder.timeline.record(sim.now, .fault, .faultEnded, "\(what) repaired")
    }
    var affected: [Int32] = []
    switch spec.target {
    case .region(let r):
      regionDown[r] = begins
      affected = groups.indices.filter { groups[$0].region == Int32(r) }.flatMap { groups[$0].members }
      if r < databases.count { begins ? databaseStopped(Int32(r), &sim) : resumeReplication(&sim) }
      if r < pools.count && begins { poolStopped(Int32(r), &sim) }
    case .loadBalancer(let r, let tier):
      let lb = regionLoadBalancer[r][tier == .frontend ? 0 : 1]
      if lb >= 0 { loadBalancers[Int(lb)].fault = mode }
    case .tier(let r, let tier):
      let lb = regionLoadBalancer[r][tier == .frontend ? 0 : 1]
      if lb >= 0 {
        let g = Int(loadBalancers[Int(lb)].group)
        groups[g].fault = mode
        affected = groups[g].members
      }
    case .instance(let r, let tier, let position):
      if begins {
        let lb = regionLoadBalancer[r][tier == .frontend ? 0 : 1]
        if lb >= 0 {
          let members = groups[Int(loadBalancers[Int(lb)].group)].members
          if position < members.count { faultInstances[index] = [members[position]] }
        }
      }
      affected = faultInstances[index]
      for id in affected { instances[Int(id)].fault = mode }
    case .database(let r):
      let wasDown = databaseCondition(Int32(r)) == .crash
      databases[r].fault = mode
      if begins && (mode == .crash || mode == .hang) && !wasDown { databaseStopped(Int32(r), &sim) }
      if !begins { resumeReplication(&sim) }
    case .pgpool(let r):
      pools[r].fault = mode
      if begins && (mode == .crash || mode == .hang) { poolStopped(Int32(r), &sim) }
      if !begins { pumpPool(Int32(r), &sim) }
    case .link(let from):
      linkFault = mode
      linkFaultFrom = from.map(Int32.init)
      if !begins { resumeReplication(&sim) }
    case .monitor(let index):
      monitors.setFault(MonitorID(index), mode)
    case .automation:
      automation?.fault = mode
    }
    updateSplitBrain(sim.now)  // an old primary coming back reopens it
    for id in affected where instances[Int(id)].phase != .terminated {
      let wasCrashed = condition(id) == .crash
      refreshCondition(id)
      if begins && condition(id) == .crash && !wasCrashed {
        // Connections to a crashed instance are lost: waiting work is refused now, work in
        // progress when its next step finds the epoch moved on.
        instances[Int(id)].epoch &+= 1
        failWaitingWork(id, &sim)
      } else if !begins {
        startWaitingWork(id, &sim)  // a repaired hang resumes its queue
      }
    }
    if !begins { for lb in loadBalancers.indices { pump(Int32(lb), &sim) } }
  }

  func describe(_ target: FaultTarget) -> String {
    switch target {
    case .region(let r): return "\(config.regions[r].name) region"
    case .loadBalancer(let r, let tier): return "\(config.regions[r].name) \(tier.rawValue) load balancer"
    case .tier(let r, let tier): return "\(config.regions[r].name) \(tier.rawValue) tier"
    case .instance(let r, let tier, let position): return "\(config.regions[r].name).\(tier.rawValue)#\(position)"
    case .database(let r): return "\(config.regions[r].name) database"
    case .pgpool(let r): return "\(config.regions[r].name) PgPool"
    case .link(let from?): return "link from \(config.regions[from].name)"
    case .link(nil): return "link between the regions"
    case .monitor(let index): return "monitor \(config.dataPath?.monitors[index].name ?? String(index))"
    case .automation: return "failover automation"
    }
  }

  func describe(_ mode: FaultMode) -> String {
    switch mode {
    case .crash: return "stops responding (crash)"
    case .hang: return "hangs (accepts, never answers)"
    case .slow(let factor): return "slows down ×\(factor)"
    case .errors(let rate): return "fails \(Int((rate * 100).rounded()))% of requests"
    case .latency(let extra): return "adds \(extra) of latency"
    }
  }
}

extension TopologyModel {
  /// A PgPool stops: every session is dropped and every waiting client refused.
  mutating func poolStopped(_ p: Int32, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    pools[q].epoch &+= 1
    pools[q].busyChildren = 0
    while let ref = poolQueues[q].popFirst() {
      guard isLive(ref), requests[Int(ref.index)].stage == .waitingPool, requests[Int(ref.index)].pool == p else { continue }
      pools[q].waiting -= 1
      refuseData(ref, &sim)
    }
  }
}
