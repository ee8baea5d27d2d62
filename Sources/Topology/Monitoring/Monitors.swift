import SimCore

/// UptimeRobot-like monitors (docs: mechanisms §2, modelling rules 6–7): each checks a
/// region's `/health/` on its interval, confirms a failure from more nodes, says DOWN and UP,
/// and alerts its contacts. Owns its monitors and their random streams (per monitor and purpose). What a probe
/// sees is the model's answer; an alert is handed back to the model, which starts the
/// automation.
struct Monitors {
  let regionNames: [String]
  var monitors: [MonitorState]
  /// Per monitor, one stream per purpose: its phase, its confirming nodes' start times, and
  /// what its probes see.
  var phaseRandom: [Xoshiro256StarStar]
  var confirmationRandom: [Xoshiro256StarStar]
  var probeRandom: [Xoshiro256StarStar]

  init(configs: [MonitorConfig], regionNames: [String], streams: RandomStreams) {
    monitors = configs.map { MonitorState(config: $0) }
    self.regionNames = regionNames
    phaseRandom = configs.map { streams.stream(named: "monitor.\($0.name).phase") }
    confirmationRandom = configs.map { streams.stream(named: "monitor.\($0.name).confirmations") }
    probeRandom = configs.map { streams.stream(named: "monitor.\($0.name).probes") }
  }

  /// What a monitor probe is: the region it checks and the timeouts it uses.
  func probeTarget(of m: MonitorID) -> (region: RegionID, check: DNSHealthCheckConfig) {
    let config = monitors[m.index].config
    var check = DNSHealthCheckConfig(connectTimeout: config.timeout, responseTimeout: config.timeout, roundTrip: config.roundTrip)
    check.deep = config.deep
    return (RegionID(config.region), check)
  }

  /// The first check of each monitor, at its phase.
  mutating func start(_ sim: inout Simulator<ModelEvent>) {
    for (m, monitor) in monitors.enumerated() {
      let phase = monitor.config.phase ?? SimDuration(seconds: monitor.config.interval.seconds * phaseRandom[m].nextUnit())
      sim.schedule(.monitorCheck(monitor: MonitorID(m)), at: .at(phase))
    }
  }

  /// A check is due: the next one is scheduled and a round of probes begins. UptimeRobot
  /// probes from several randomly chosen nodes at once ("for every monitoring check, we
  /// randomly select three different checker nodes; if all three checks fail, an incident is
  /// reported"): the first node probes now (the model runs it and returns its answer here),
  /// the others each at a uniform moment within `confirmWithin`, and the round is decided when
  /// the answers are in. While DOWN, or under the consecutive-failures rule, one node probes.
  /// Returns false when the monitor is out of order and checks nothing.
  mutating func checkDue(_ m: MonitorID, _ sim: inout Simulator<ModelEvent>) -> Bool {
    let i = m.index
    let config = monitors[i].config
    sim.schedule(.monitorCheck(monitor: m), after: config.interval)
    guard monitors[i].fault == nil else { return false }
    monitors[i].round &+= 1
    monitors[i].roundFailures = 0
    monitors[i].roundDecided = false
    monitors[i].roundNodes = 1
    if case .uptimeRobot = config.rule, !monitors[i].down { monitors[i].roundNodes += config.confirmations }
    for _ in 1..<monitors[i].roundNodes {
      let delay = SimDuration(seconds: config.confirmWithin.seconds * confirmationRandom[i].nextUnit())
      sim.schedule(.monitorProbe(monitor: m, round: monitors[i].round), after: delay)
    }
    return true
  }

  /// The round a probe belongs to, if it is still undecided.
  func openRound(_ m: MonitorID, _ round: Int32) -> Bool {
    monitors[m.index].round == round && !monitors[m.index].roundDecided
  }

  /// A node's answer: one passing answer passes the round (and ends a DOWN episode); the
  /// round fails when every node's answer is a failure, and then the monitor says DOWN.
  mutating func result(_ m: MonitorID, round: Int32, passed: Bool, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) {
    let i = m.index
    guard openRound(m, round) else { return }
    let config = monitors[i].config
    let region = regionNames[config.region]
    if passed {
      monitors[i].roundDecided = true
      monitors[i].consecutiveFailures = 0
      if monitors[i].down {
        monitors[i].down = false
        monitors[i].alerted = false
        monitors[i].episode += 1
        timeline.record(sim.now, .monitor, .monitorUp, "\(config.name): \(region) is UP again")
      }
      return
    }
    monitors[i].roundFailures += 1
    guard monitors[i].roundFailures >= monitors[i].roundNodes else { return }
    monitors[i].roundDecided = true
    switch config.rule {
    case .uptimeRobot(let threshold, _):
      guard !monitors[i].down else { return }
      monitors[i].down = true
      timeline.record(sim.now, .monitor, .monitorDown, "\(config.name): \(region) is DOWN (\(monitors[i].roundNodes) nodes agree)")
      sim.schedule(.monitorAlert(monitor: m, episode: monitors[i].episode), after: threshold)
    case .consecutiveFailures(let n):
      monitors[i].consecutiveFailures += 1
      if monitors[i].consecutiveFailures >= n && !monitors[i].down {
        monitors[i].down = true
        timeline.record(sim.now, .monitor, .monitorDown, "\(config.name): \(region) failed \(n) checks in a row")
        sim.schedule(.monitorAlert(monitor: m, episode: monitors[i].episode), after: .zero)
      }
    }
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
  /// The check round in progress: its number, how many nodes probe in it, how many failed,
  /// and whether it is decided (a late answer of a decided round changes nothing).
  var round: Int32 = 0
  var roundNodes = 1
  var roundFailures = 0
  var roundDecided = true
}
