import SimCore

/// The model's side of the automation and of operator procedures: the automation's steps
/// with what it needs to know of the data tier (``automationFacts()``), and the operators'
/// promote, fence, DNS weight and failback (re-sync, catch up, switch roles, re-attach
/// PgPools, restore weights), acting through the databases, PgPools and DNS.
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: AutomationEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .automationStep(let run, let step): automationStep(run, step: step, &sim)
    case .operatorAction(let index, let step): operatorAction(index, step: step, &sim)
    case .runbookStage(let runbook, let stage): runbookStage(runbook, stage: stage, &sim)
    case .alertNotification(let rule): alertNotification(rule, &sim)
    }
  }

  mutating func automationStep(_ run: AutomationRunID, step: Int32, _ sim: inout Simulator<ModelEvent>) {
    let facts = automationFacts()
    let names = config.regions.map(\.name)
    if case .promote(let node)? = automation!.step(run, step: step, facts: facts, regionNames: names, &sim, &recorder.timeline) {
      promote(node, by: "Automation", &sim)
    }
  }

  /// The data tier as the automation's decision rule sees it.
  mutating func automationFacts() -> Automation.Facts {
    let config = automation!.config
    let primary = cluster.authoritative
    var healthy: String?
    if primary.exists, cluster.nodes[Int(primary)].region == RegionID(config.watchRegion),
      cluster.condition(primary, regionDown: regionDown) == nil
    {
      healthy = cluster.name(primary)
    }
    let old = cluster.nodes.indices.first(where: { cluster.nodes[$0].region == RegionID(config.watchRegion) }).map {
      (node: DatabaseID($0), name: cluster.name(DatabaseID($0)))
    }
    return Automation.Facts(healthyPrimaryInWatchedRegion: healthy, nodeInWatchedRegion: old, targetName: cluster.name(automation!.target))
  }

  // MARK: Operator procedures

  /// Runs operator action `index`, step by step for the failback procedure.
  mutating func operatorAction(_ index: ActionID, step: Int32, _ sim: inout Simulator<ModelEvent>) {
    let action = config.dataPath!.actions[index]
    switch action.kind {
    case .promote(let region):
      let node = DatabaseID(region)
      if cluster.nodes[Int(node)].role == .replica {
        recorder.timeline.record(
          sim.now, .operator, .operatorPromote, "Operator promotes \(cluster.name(node)) and will point every PgPool at it")
        promote(node, by: "Operator", &sim)
        operatorPromotions.append(node)
      } else {
        // Already a primary (the automation promoted it): tell the PgPools (pcp_promote_node).
        pgpool.pointAll(at: node)
        for p in pgpool.pools.indices { pumpPool(PoolID(p), &sim) }
        recorder.timeline.record(
          sim.now, .operator, .pgpoolSwitched, "Operator points every PgPool at \(cluster.name(node)) (pcp_promote_node)")
      }
    case .setWeight(let region, let weight):
      dns?.setWeight(RegionID(region), weight, at: sim.now, &recorder.timeline)
    case .fence(let region):
      recorder.timeline.record(sim.now, .operator, .operatorFence, "Operator fences \(cluster.name(DatabaseID(region)))")
      fenceDone(DatabaseID(region), &sim)
    case .failback(let region, let method, let weights):
      failbackStep(index, step: step, region: DatabaseID(region), method: method, weights: weights, &sim)
    }
  }

  /// Failback: (0) re-sync the old primary from the current one (pg_rewind or a re-clone),
  /// (1) wait until it has caught up, (2) switch roles, (3) re-attach PgPools, restore weights.
  mutating func failbackStep(
    _ index: ActionID, step: Int32, region: DatabaseID, method: ResyncMethod, weights: [Int], _ sim: inout Simulator<ModelEvent>
  ) {
    let node = region
    let n = Int(node)
    let current = cluster.authoritative
    switch step {
    case 0:
      guard current.exists, current != node else {
        // Nothing to switch; what the procedure's last step restores may still be off
        // (a PgPool left a node detached after it came back, weights changed by hand).
        let detached = pgpool.pools.contains { $0.failingOver || $0.primary != node || $0.attached.contains(false) }
        let weightsOff = dns.map { $0.records.map(\.weight) != weights } ?? false
        if current.exists && (detached || weightsOff) {
          pgpool.reattachAll(primary: node)
          for p in pgpool.pools.indices { pumpPool(PoolID(p), &sim) }
          dns?.restoreWeights(weights)
          recorder.timeline.record(
            sim.now, .operator, .failbackComplete,
            "Failback: \(cluster.name(node)) is already the primary; PgPools re-attached, DNS weights "
              + weights.map(String.init).joined(separator: "/"))
          return
        }
        recorder.timeline.record(sim.now, .operator, .failbackSkipped, "Failback: \(cluster.name(node)) is already the primary")
        return
      }
      guard cluster.condition(node, regionDown: regionDown) != .crash || cluster.nodes[n].fenced, !regionDown[n] else {
        recorder.timeline.record(sim.now, .operator, .failbackWaiting, "Failback waits: \(cluster.name(node)) is down")
        sim.schedule(.operatorAction(action: index, step: 0), after: .seconds(30))
        return
      }
      let (useRewind, bytes, duration) = cluster.startResync(
        node, from: current, method: method, bandwidth: config.dataPath!.link.bandwidth)
      databaseStopped(node, &sim)
      updateSplitBrain(sim.now)
      recorder.timeline.record(
        sim.now, .operator, .failbackResyncStarted,
        "Failback: \(useRewind ? "pg_rewind" : "re-clone") of \(cluster.name(node)) from \(cluster.name(current)) "
          + "(\(Int(bytes / 1e6)) MB over the link, ≈ \(duration.rounded(significantDigits: 3)))"
          + (method == .rewind && !useRewind ? "; pg_rewind is impossible without wal_log_hints, so a full re-clone" : ""))
      sim.schedule(.operatorAction(action: index, step: 1), after: duration)
    case 1:
      if cluster.nodes[n].resyncing {
        cluster.finishResync(node, following: current, at: sim.now)
        recorder.timeline.record(
          sim.now, .operator, .failbackResynced, "Failback: \(cluster.name(node)) streams from \(cluster.name(current)) as its standby")
      }
      let lag = cluster.replicationLag(of: node, at: sim.now)
      if lag > 1 {
        sim.schedule(.operatorAction(action: index, step: 1), after: .seconds(5))
        return
      }
      sim.schedule(.operatorAction(action: index, step: 2), after: .zero)
    case 2:
      // Switch roles: the current primary stops taking writes, the standby catches up and
      // is promoted; the old current primary follows it.
      cluster.beginSwitchover(from: current, to: node)
      recorder.timeline.record(
        sim.now, .operator, .failbackSwitchover,
        "Failback: \(cluster.name(current)) stops taking writes; \(cluster.name(node)) is promoted")
      promote(node, by: "Operator (failback)", &sim)
      sim.schedule(.operatorAction(action: index, step: 3), after: .seconds(1))
    default:
      guard cluster.nodes[n].role == .primary else {
        sim.schedule(.operatorAction(action: index, step: 3), after: .seconds(1))
        return
      }
      pgpool.reattachAll(primary: node)
      for p in pgpool.pools.indices { pumpPool(PoolID(p), &sim) }
      dns?.restoreWeights(weights)
      recorder.timeline.record(
        sim.now, .operator, .failbackComplete,
        "Failback complete: \(cluster.name(node)) is primary, PgPools re-attached, DNS weights \(weights.map(String.init).joined(separator: "/"))"
      )
    }
  }
}
