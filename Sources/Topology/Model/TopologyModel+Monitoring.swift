import SimCore

/// UptimeRobot-like monitors and the failover automation their webhooks start
/// (mechanisms.md §2, modelling rules 6–7; seed-repository.md §3).
extension TopologyModel {
  // MARK: Monitors

  mutating func startMonitors(_ sim: inout Simulator<ModelEvent>) {
    for (m, monitor) in monitors.enumerated() {
      let phase = monitor.config.phase ?? SimDuration(seconds: monitor.config.interval.seconds * monitorRandom.nextUnit())
      sim.schedule(.monitorCheck(monitor: Int32(m)), at: .at(phase))
    }
  }

  /// What one monitor probe of a region's `/health/` sees, and when: a black-holed or hung
  /// endpoint fails at the monitor's timeout (30 s), a refusal or error after a round trip.
  mutating func monitorProbe(_ m: Int) -> (Bool, SimDuration) {
    let config = monitors[m].config
    let check = DNSHealthCheckConfig(connectTimeout: config.timeout, responseTimeout: config.timeout, roundTrip: config.roundTrip)
    var random = monitorRandom
    defer { monitorRandom = random }
    return probeRegion(Int32(config.region), check: check, random: &random)
  }

  mutating func monitorCheck(_ m: Int32, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(m)
    sim.schedule(.monitorCheck(monitor: m), after: monitors[i].config.interval)
    guard monitors[i].fault == nil else { return }
    let (passed, took) = monitorProbe(i)
    let confirmations: Int32
    if case .uptimeRobot = monitors[i].config.rule, !monitors[i].down {
      confirmations = Int32(monitors[i].config.confirmations)
    } else {
      confirmations = 0
    }
    sim.schedule(.monitorResult(monitor: m, passed: passed, confirmationsLeft: confirmations), after: took)
  }

  /// A failed check is confirmed by more nodes within the confirmation window before the
  /// monitor says DOWN; a passing check while DOWN says UP.
  mutating func monitorResult(_ m: Int32, passed: Bool, confirmationsLeft: Int32, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(m)
    let config = monitors[i].config
    let region = name(ofRegion: Int32(config.region))
    if passed {
      monitors[i].consecutiveFailures = 0
      if monitors[i].down {
        monitors[i].down = false
        monitors[i].alerted = false
        monitors[i].episode += 1
        recorder.timeline.record(sim.now, .monitor, .monitorUp, "\(config.name): \(region) is UP again")
      }
      return
    }
    switch config.rule {
    case .uptimeRobot(let threshold, _):
      guard !monitors[i].down else { return }
      if confirmationsLeft > 0 {
        // Another random node checks within the confirmation window.
        let delay = SimDuration(seconds: config.confirmWithin.seconds * monitorRandom.nextUnit() / Double(config.confirmations))
        let (ok, took) = monitorProbe(i)
        sim.schedule(.monitorResult(monitor: m, passed: ok, confirmationsLeft: confirmationsLeft - 1), after: delay + took)
        return
      }
      monitors[i].down = true
      recorder.timeline.record(
        sim.now, .monitor, .monitorDown, "\(config.name): \(region) is DOWN (\(config.confirmations + 1) nodes agree)")
      sim.schedule(.monitorAlert(monitor: m, episode: monitors[i].episode), after: threshold)
    case .consecutiveFailures(let n):
      monitors[i].consecutiveFailures += 1
      if monitors[i].consecutiveFailures >= n && !monitors[i].down {
        monitors[i].down = true
        recorder.timeline.record(sim.now, .monitor, .monitorDown, "\(config.name): \(region) failed \(n) checks in a row")
        sim.schedule(.monitorAlert(monitor: m, episode: monitors[i].episode), after: .zero)
      }
    }
  }

  /// The alert goes out `threshold` after DOWN, only if still down, and again every
  /// `recurrence` while it lasts.
  mutating func monitorAlert(_ m: Int32, episode: Int32, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(m)
    guard monitors[i].down, monitors[i].episode == episode else { return }
    let config = monitors[i].config
    let again = !monitors[i].alerted
    monitors[i].alerted = true
    recorder.timeline.record(
      sim.now, .monitor, again ? .monitorAlert : .monitorAlertRepeat,
      "\(config.name) alerts its contacts: \(name(ofRegion: Int32(config.region))) is DOWN")
    if case .uptimeRobot(_, let recurrence?) = config.rule, recurrence > .zero {
      sim.schedule(.monitorAlert(monitor: m, episode: episode), after: recurrence)
    }
    startAutomation(monitor: m, &sim)
  }

  // MARK: Automation

  mutating func startAutomation(monitor m: Int32, _ sim: inout Simulator<ModelEvent>) {
    guard let automation = config.dataPath?.automation else { return }
    automationRuns.append(AutomationRun(monitor: m))
    let run = Int32(automationRuns.count - 1)
    sim.schedule(.automationStep(run: run, step: -1), after: automation.notificationDelay.sampleDuration(&automationRandom))
  }

  /// webhook delivered → function runs (cold start or warm) → decision → (fence) → API
  /// call → promotion. Each step can fail.
  mutating func automationStep(_ run: Int32, step: Int32, _ sim: inout Simulator<ModelEvent>) {
    guard let automation = config.dataPath?.automation else { return }
    let m = Int(automationRuns[Int(run)].monitor)
    let watchedRegion = monitors[m].config.region
    let target = Int32(automation.promoteRegion)
    switch step {
    case -1:  // the monitor sends the webhook
      recorder.timeline.record(sim.now, .automation, .webhookSent, "Webhook sent for \(monitors[m].config.name)")
      var delivery = automation.webhookDelay.sampleDuration(&automationRandom)
      if automationRandom.nextUnit() < automation.coldStartProbability {
        delivery += automation.coldStart.sampleDuration(&automationRandom)
      }
      sim.schedule(.automationStep(run: run, step: 0), after: delivery)
    case 0:  // the function receives it
      if automationFault != nil || automationRandom.nextUnit() < automation.webhookFailure {
        recorder.timeline.record(sim.now, .automation, .webhookLost, "The webhook got no answer: no automation ran")
        return
      }
      recorder.timeline.record(sim.now, .automation, .automationReceived, "Automation receives the alert for \(monitors[m].config.name)")
      sim.schedule(.automationStep(run: run, step: 1), after: automation.functionStart.sampleDuration(&automationRandom))
    case 1:  // the function runs its decision rule
      if automationRandom.nextUnit() < automation.functionFailure {
        recorder.timeline.record(sim.now, .automation, .automationFailed, "The automation function failed: nothing promoted")
        return
      }
      guard watchedRegion == automation.watchRegion else {
        recorder.timeline.record(
          sim.now, .automation, .automationIgnored, "Automation ignores an alert from \(name(ofRegion: Int32(watchedRegion))): no action")
        return
      }
      if automation.rule == .checkDatabaseFirst {
        let primary = authoritative
        if primary >= 0, databases[Int(primary)].region == Int32(automation.watchRegion), databaseCondition(primary) == nil {
          recorder.timeline.record(
            sim.now, .automation, .automationDeclined,
            "Automation checks \(databaseName(primary)) first: it is up and writable, so it does not promote")
          return
        }
      }
      if automation.fence, let old = databases.indices.first(where: { databases[$0].region == Int32(automation.watchRegion) }) {
        recorder.timeline.record(sim.now, .automation, .fenceCalled, "Automation fences \(databaseName(Int32(old))) (powers it off)")
        let fencing = automation.fenceTime.sampleDuration(&automationRandom)
        sim.schedule(.fenceDone(node: Int32(old)), after: fencing)
        sim.schedule(.automationStep(run: run, step: 2), after: fencing)  // after the fence: FIFO at equal times
        return
      }
      automationStep(run, step: 2, &sim)
    case 2:  // the cloud API promote call
      recorder.timeline.record(sim.now, .automation, .promoteCalled, "Automation calls the cloud API to promote \(databaseName(target))")
      sim.schedule(.automationStep(run: run, step: 3), after: automation.apiCall.sampleDuration(&automationRandom))
    default:  // the API answers and promotion starts
      if automationRandom.nextUnit() < automation.apiFailure {
        recorder.timeline.record(sim.now, .automation, .promoteApiFailed, "The promote API call failed; nobody retries")
        return
      }
      promote(target, by: "Automation", &sim)
    }
  }

  mutating func fenceDone(_ node: Int32, _ sim: inout Simulator<ModelEvent>) {
    databases[Int(node)].fenced = true
    databaseStopped(node, &sim)
    recorder.timeline.record(sim.now, .automation, .fenced, "\(databaseName(node)) is fenced: it accepts nothing until failback")
    updateSplitBrain(sim.now)
  }

  // MARK: Operator procedures

  /// Runs operator action `index`, step by step for the failback procedure.
  mutating func operatorAction(_ index: Int32, step: Int32, _ sim: inout Simulator<ModelEvent>) {
    let action = config.dataPath!.actions[Int(index)]
    switch action.kind {
    case .promote(let region):
      let node = Int32(region)
      if databases[Int(node)].role == .replica {
        recorder.timeline.record(
          sim.now, .operator, .operatorPromote, "Operator promotes \(databaseName(node)) and will point every PgPool at it")
        promote(node, by: "Operator", &sim)
        operatorPromotions.append(node)
      } else {
        // Already a primary (the automation promoted it): tell the PgPools (pcp_promote_node).
        for p in pools.indices {
          pools[p].attached[Int(node)] = true
          pools[p].primary = node
          pools[p].failingOver = false
          pumpPool(Int32(p), &sim)
        }
        recorder.timeline.record(
          sim.now, .operator, .pgpoolSwitched, "Operator points every PgPool at \(databaseName(node)) (pcp_promote_node)")
      }
    case .setWeight(let region, let weight):
      dns?.setWeight(RegionID(region), weight, at: sim.now, &recorder.timeline)
    case .fence(let region):
      recorder.timeline.record(sim.now, .operator, .operatorFence, "Operator fences \(databaseName(Int32(region)))")
      fenceDone(Int32(region), &sim)
    case .failback(let region, let method, let weights):
      failbackStep(index, step: step, region: Int32(region), method: method, weights: weights, &sim)
    }
  }

  /// Failback: (0) re-sync the old primary from the current one (pg_rewind or a re-clone),
  /// (1) wait until it has caught up, (2) switch roles, (3) re-attach PgPools, restore weights.
  mutating func failbackStep(
    _ index: Int32, step: Int32, region: Int32, method: ResyncMethod, weights: [Int], _ sim: inout Simulator<ModelEvent>
  ) {
    let node = region
    let n = Int(node)
    let current = authoritative
    switch step {
    case 0:
      guard current >= 0, current != node else {
        recorder.timeline.record(sim.now, .operator, .failbackSkipped, "Failback: \(databaseName(node)) is already the primary")
        return
      }
      guard databaseCondition(node) != .crash || databases[n].fenced, !regionDown[n] else {
        recorder.timeline.record(sim.now, .operator, .failbackWaiting, "Failback waits: \(databaseName(node)) is down")
        sim.schedule(.operatorAction(index: index, step: 0), after: .seconds(30))
        return
      }
      let bandwidth = config.dataPath!.link.bandwidth
      let useRewind = method == .rewind && databaseConfigs[n].rewindable
      // pg_rewind copies what the old primary wrote after the fork.
      let fork = databases[Int(current)].forkLSN >= 0 ? databases[Int(current)].forkLSN : databases[n].lsn
      let diverged = Double(max(0, databases[n].lsn - fork)) * replication.walBytesPerWrite
      let bytes = useRewind ? diverged + 16e6 : databaseConfigs[n].dataBytes
      let duration = SimDuration(seconds: bytes / bandwidth) + .seconds(useRewind ? 10 : 60)
      databases[n].resyncing = true
      databases[n].fenced = false
      databaseStopped(node, &sim)
      updateSplitBrain(sim.now)
      recorder.timeline.record(
        sim.now, .operator, .failbackResyncStarted,
        "Failback: \(useRewind ? "pg_rewind" : "re-clone") of \(databaseName(node)) from \(databaseName(current)) "
          + "(\(Int(bytes / 1e6)) MB over the link, ≈ \(duration.rounded(significantDigits: 3)))"
          + (method == .rewind && !useRewind ? "; pg_rewind is impossible without wal_log_hints, so a full re-clone" : ""))
      sim.schedule(.operatorAction(index: index, step: 1), after: duration)
    case 1:
      if databases[n].resyncing {
        // The copy is done: the old primary is now a standby of the current primary.
        let c = Int(current)
        databases[n].resyncing = false
        databases[n].diverged = false
        databases[n].role = .replica
        databases[n].upstream = current
        databases[n].timeline = databases[c].timeline
        databases[n].lsn = databases[c].lsn
        databases[n].received = databases[c].lsn
        databases[n].flushed = databases[c].lsn
        databases[n].replayed = databases[c].lsn
        databases[n].replayBusyUntil = sim.now
        databases[c].sent = databases[c].lsn
        databases[c].windowBase = databases[c].lsn
        commitWindows[c].removeAll()
        // Its own history now is the current primary's: what it wrote after the fork was
        // counted as split brain and is gone.
        databases[n].ackedOwn = 0
        databases[n].inheritedAcked = 0
        recorder.timeline.record(
          sim.now, .operator, .failbackResynced, "Failback: \(databaseName(node)) streams from \(databaseName(current)) as its standby")
      }
      let lag = replicationLag(of: node, at: sim.now)
      if lag > 1 {
        sim.schedule(.operatorAction(index: index, step: 1), after: .seconds(5))
        return
      }
      sim.schedule(.operatorAction(index: index, step: 2), after: .zero)
    case 2:
      // Switch roles: the current primary stops taking writes, the standby catches up and
      // is promoted; the old current primary follows it.
      let c = Int(current)
      databases[c].role = .replica
      databases[c].upstream = -1
      recorder.timeline.record(
        sim.now, .operator, .failbackSwitchover,
        "Failback: \(databaseName(current)) stops taking writes; \(databaseName(node)) is promoted")
      pendingSwitchover = (from: current, to: node)
      promote(node, by: "Operator (failback)", &sim)
      sim.schedule(.operatorAction(index: index, step: 3), after: .seconds(1))
    default:
      guard databases[n].role == .primary else {
        sim.schedule(.operatorAction(index: index, step: 3), after: .seconds(1))
        return
      }
      for p in pools.indices {
        for k in pools[p].attached.indices { pools[p].attached[k] = true }
        pools[p].primary = node
        pools[p].failingOver = false
        pumpPool(Int32(p), &sim)
      }
      dns?.restoreWeights(weights)
      recorder.timeline.record(
        sim.now, .operator, .failbackComplete,
        "Failback complete: \(databaseName(node)) is primary, PgPools re-attached, DNS weights \(weights.map(String.init).joined(separator: "/"))"
      )
    }
  }
}
