import SimCore

/// The model's side of the monitors: their probes of a region's `/health/` (through its
/// entry load balancer, drawing from the monitor's probe stream), and an alert starting the
/// automation.
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: MonitorEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .monitorCheck(let monitor): monitorCheck(monitor, &sim)
    case .monitorProbe(let monitor, let round): monitorProbe(monitor, round: round, &sim)
    case .monitorResult(let monitor, let round, let passed):
      monitors.result(monitor, round: round, passed: passed, &sim, &recorder.timeline)
    case .monitorAlert(let monitor, let episode): monitorAlert(monitor, episode: episode, &sim)
    }
  }

  /// What a monitor's probe of its region sees, drawing from the monitor's probe stream.
  mutating func monitorProbe(_ m: MonitorID) -> (Bool, SimDuration) {
    let (region, check) = monitors.probeTarget(of: m)
    var random = monitors.probeRandom[m.index]
    defer { monitors.probeRandom[m.index] = random }
    return probeRegion(region, check: check, random: &random)
  }

  mutating func monitorCheck(_ monitor: MonitorID, _ sim: inout Simulator<ModelEvent>) {
    guard monitors.checkDue(monitor, &sim) else { return }
    monitorProbe(monitor, round: monitors.monitors[monitor.index].round, &sim)
  }

  /// One checker node probes now; its answer arrives when the probe ends (at the timeout for
  /// an endpoint that never answers).
  mutating func monitorProbe(_ monitor: MonitorID, round: Int32, _ sim: inout Simulator<ModelEvent>) {
    guard monitors.openRound(monitor, round) else { return }
    let (passed, took) = monitorProbe(monitor)
    sim.schedule(.monitorResult(monitor: monitor, round: round, passed: passed), after: took)
  }

  mutating func monitorAlert(_ monitor: MonitorID, episode: Int32, _ sim: inout Simulator<ModelEvent>) {
    guard monitors.alert(monitor, episode: episode, &sim, &recorder.timeline) else { return }
    let config = monitors.monitors[monitor.index].config
    runbooks.start(.alert(monitor: monitor.index), why: "\(config.name)'s alert reaches its contacts", &sim, &recorder.timeline)
    guard automation != nil else { return }
    automation!.start(monitorName: config.name, watching: config.region, &sim)
  }
}
