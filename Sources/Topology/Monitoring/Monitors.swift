import SimCore

/// UptimeRobot-like monitors (docs: mechanisms §2, modelling rules 6–7): each checks a
/// region's `/health/` on its interval, confirms a failure from more nodes, says DOWN and UP,
/// and alerts its contacts. Owns its monitors and the "monitors" random stream. What a probe
/// sees is the model's answer; an alert is handed back to the model, which starts the
/// automation.
struct Monitors {
  let regionNames: [String]
  var monitors: [MonitorState]
  /// Phases, confirmation delays and what probes draw.
  var random: Xoshiro256StarStar

  init(configs: [MonitorConfig], regionNames: [String], random: Xoshiro256StarStar) {
    monitors = configs.map { MonitorState(config: $0) }
    self.regionNames = regionNames
    self.random = random
  }

  /// What a monitor probe is: the region it checks and the timeouts it uses.
  func probeTarget(of m: MonitorID) -> (region: RegionID, check: DNSHealthCheckConfig) {
    let config = monitors[m.index].config
    return (
      RegionID(config.region),
      DNSHealthCheckConfig(connectTimeout: config.timeout, responseTimeout: config.timeout, roundTrip: config.roundTrip)
    )
  }

  /// The first check of each monitor, at its phase.
  mutating func start(_ sim: inout Simulator<ModelEvent>) {
    for (m, monitor) in monitors.enumerated() {
      let phase = monitor.config.phase ?? SimDuration(seconds: monitor.config.interval.seconds * random.nextUnit())
      sim.schedule(.monitorCheck(monitor: MonitorID(m)), at: .at(phase))
    }
  }

  /// A check is due: the next one is scheduled; returns the confirmations a failure would
  /// need, or nil when the monitor is out of order and checks nothing.
  func checkDue(_ m: MonitorID, _ sim: inout Simulator<ModelEvent>) -> Int32? {
    let monitor = monitors[m.index]
    sim.schedule(.monitorCheck(monitor: m), after: monitor.config.interval)
    guard monitor.fault == nil else { return nil }
    if case .uptimeRobot = monitor.config.rule, !monitor.down { return Int32(monitor.config.confirmations) }
    return 0
  }

  /// What follows a check's result: nothing, or another node's confirming probe that the
  /// model runs now and whose result arrives after `delay` plus the probe's own time.
  enum Next {
    case done
    case confirm(delay: SimDuration, confirmationsLeft: Int32)
  }

  /// A failed check is confirmed by more nodes within the confirmation window before the
  /// monitor says DOWN; a passing check while DOWN says UP.
  mutating func result(
    _ m: MonitorID, passed: Bool, confirmationsLeft: Int32, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline
  ) -> Next {
    let i = m.index
    let config = monitors[i].config
    let region = regionNames[config.region]
    if passed {
      monitors[i].consecutiveFailures = 0
      if monitors[i].down {
        monitors[i].down = false
        monitors[i].alerted = false
        monitors[i].episode += 1
        timeline.record(sim.now, .monitor, .monitorUp, "\(config.name): \(region) is UP again")
      }
      return .done
    }
    switch config.rule {
    case .uptimeRobot(let threshold, _):
      guard !monitors[i].down else { return .done }
      if confirmationsLeft > 0 {
        // Another random node checks within the confirmation window.
        let delay = SimDuration(seconds: config.confirmWithin.seconds * random.nextUnit() / Double(config.confirmations))
        return .confirm(delay: delay, confirmationsLeft: confirmationsLeft - 1)
      }
      monitors[i].down = true
      timeline.record(sim.now, .monitor, .monitorDown, "\(config.name): \(region) is DOWN (\(config.confirmations + 1) nodes agree)")
      sim.schedule(.monitorAlert(monitor: m, episode: monitors[i].episode), after: threshold)
    case .consecutiveFailures(let n):
      monitors[i].consecutiveFailures += 1
      if monitors[i].consecutiveFailures >= n && !monitors[i].down {
        monitors[i].down = true
        timeline.record(sim.now, .monitor, .monitorDown, "\(config.name): \(region) failed \(n) checks in a row")
        sim.schedule(.monitorAlert(monitor: m, episode: monitors[i].episode), after: .zero)
      }
    }
    return .done
  }

  /// The alert goes out `threshold` after DOWN, only if still down, and again every
  /// `recurrence` while it lasts. Returns whether an alert went out (the automation's cue).
  mutating func alert(_ m: MonitorID, episode: Int32, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) -> Bool {
    let i = m.index
    guard monitors[i].down, monitors[i].episode == episode else { return false }
    let config = monitors[i].config
    let first = !monitors[i].alerted
    monitors[i].alerted = true
    timeline.record(
      sim.now, .monitor, first ? .monitorAlert : .monitorAlertRepeat,
      "\(config.name) alerts its contacts: \(regionNames[config.region]) is DOWN")
    if case .uptimeRobot(_, let recurrence?) = config.rule, recurrence > .zero {
      sim.schedule(.monitorAlert(monitor: m, episode: episode), after: recurrence)
    }
    return true
  }

  /// A fault on the monitor itself (it checks nothing while it lasts).
  mutating func setFault(_ m: MonitorID, _ mode: FaultMode?) { monitors[m.index].fault = mode }
}

/// An UptimeRobot-like monitor.
struct MonitorState {
  var config: MonitorConfig
  var down = false
  var episode: Int32 = 0
  var consecutiveFailures = 0
  var alerted = false
  var fault: FaultMode?
}
