import SimCore

/// The model's side of the runbooks: what pages the operator (a monitor's alert, a timeline
/// event, an alert rule firing) and what a finished step does to the system (the operator
/// actions, restarting a tier, rebuilding a region).
extension TopologyModel {
  /// Runbooks waiting for timeline kinds recorded by the event just handled start now.
  mutating func runTimelineTriggers(_ sim: inout Simulator<ModelEvent>) {
    let kinds = recorder.timeline.triggered
    recorder.timeline.triggered.removeAll(keepingCapacity: true)
    for kind in kinds {
      runbooks.start(.timeline(kind), why: "\(kind.rawValue) happened", &sim, &recorder.timeline)
    }
  }

  mutating func runbookStage(_ r: RunbookID, stage: Int32, _ sim: inout Simulator<ModelEvent>) {
    guard case .act(let action, let k) = runbooks.advance(r, stage: stage, &sim, &recorder.timeline) else { return }
    perform(action, &sim)
    if runbooks.isLast(r, step: k) {
      recorder.timeline.record(sim.now, .operator, .runbookCompleted, "Runbook \(runbooks.configs[r.index].name) is done")
    }
  }

  /// What a successful step does.
  mutating func perform(_ action: RunbookAction, _ sim: inout Simulator<ModelEvent>) {
    switch action {
    case .operatorAction(.setWeight(let region, let weight)) where config.dataPath == nil:
      dns?.setWeight(RegionID(region), weight, at: sim.now, &recorder.timeline)
    case .operatorAction(let kind):
      // Done as a scheduled action would be (failback goes on through its own stages).
      config.dataPath!.actions.append(OperatorAction(at: sim.now.sinceStart, kind: kind))
      operatorAction(ActionID(config.dataPath!.actions.count - 1), step: 0, &sim)
    case .restart(let region, let tier, let downFor, let database):
      if let database, region < dataAccess.count { dataAccess[region] = .direct(node: database) }
      var restart = FaultSpec(target: .tier(region: region, tier: tier), mode: .crash, at: sim.now.sinceStart, duration: downFor)
      restart.isRestart = true
      faults.add(restart, &sim)
    case .rebuild(let region):
      for fault in faults.activeFaults(inRegion: region) {
        sim.schedule(.faultDue(fault: fault, begins: false), after: .zero)
      }
      recorder.timeline.record(
        sim.now, .operator, .regionRebuilt, "terraform apply has rebuilt \(config.regions[region].name): every fault on it is over")
    case .check: break
    }
  }
}

extension TopologyModel {
  /// Alertmanager notifies the contacts of a rule still firing after its group wait: runbooks
  /// waiting for the rule page their operator, and the automation may start.
  mutating func alertNotification(_ rule: AlertRuleID, _ sim: inout Simulator<ModelEvent>) {
    guard alertRules.states[rule.index].phase == .firing else { return }
    let config = alertRules.configs[rule.index]
    recorder.timeline.record(sim.now, .alerting, .alertRuleNotified, "Alertmanager notifies the contacts of \(config.name)")
    runbooks.start(.rule(rule.index), why: "Alert rule \(config.name) fires", &sim, &recorder.timeline)
    if let region = config.startsAutomationFor, automation != nil {
      automation!.start(monitorName: "alert rule \(config.name)", watching: region, &sim)
    }
  }
}
