import SimCore

/// The failover automation a monitor's webhook starts (seed-repository §3): webhook
/// delivered, function runs (cold or warm), decision rule, optional fencing, the cloud API's
/// promote call. Each step can fail. Owns its runs, its own fault and one random stream per
/// step; what it decides to do to the databases goes back to the model as an ``Action``.
struct Automation {
  let config: AutomationConfig
  var runs: [AutomationRun] = []
  var fault: FaultMode?
  /// One stream per step, so removing one step's delay draws no other step anew.
  var notificationRandom: Xoshiro256StarStar
  var deliveryRandom: Xoshiro256StarStar
  var functionRandom: Xoshiro256StarStar
  var fenceRandom: Xoshiro256StarStar
  var apiRandom: Xoshiro256StarStar
  /// Whether a step fails, one stream for each kind of failure.
  var failureRandom: Xoshiro256StarStar

  init(config: AutomationConfig, streams: RandomStreams) {
    self.config = config
    notificationRandom = streams.stream(named: "automation.notification")
    deliveryRandom = streams.stream(named: "automation.webhook")
    functionRandom = streams.stream(named: "automation.function")
    fenceRandom = streams.stream(named: "automation.fence")
    apiRandom = streams.stream(named: "automation.api")
    failureRandom = streams.stream(named: "automation.failures")
  }

  /// What the automation needs to know of the data tier at a step, from the model.
  struct Facts {
    /// The authoritative primary, if it sits in the watched region and is up and writable: its name.
    var healthyPrimaryInWatchedRegion: String?
    /// The database node in the watched region (the one fencing powers off), and its name.
    var nodeInWatchedRegion: (node: DatabaseID, name: String)?
    /// The name of the node it promotes.
    var targetName: String
  }

  /// What a step asks of the databases.
  enum Action {
    case promote(node: DatabaseID)
  }

  /// An alert from `monitor` (its name and the region it watches) starts a run.
  mutating func start(monitorName: String, watching region: Int, _ sim: inout Simulator<ModelEvent>) {
    runs.append(AutomationRun(monitorName: monitorName, watchedRegion: region))
    let run = AutomationRunID(runs.count - 1)
    sim.schedule(.automationStep(run: run, step: -1), after: config.notificationDelay.sampleDuration(&notificationRandom))
  }

  /// The node a run promotes (the node in the promote region).
  var target: DatabaseID { DatabaseID(config.promoteRegion) }

  /// webhook delivered → function runs (cold start or warm) → decision → (fence) → API
  /// call → promotion.
  mutating func step(
    _ run: AutomationRunID, step: Int32, facts: Facts, regionNames: [String], _ sim: inout Simulator<ModelEvent>,
    _ timeline: inout Timeline
  ) -> Action? {
    let current = runs[run.index]
    switch step {
    case -1:  // the monitor sends the webhook
      timeline.record(sim.now, .automation, .webhookSent, "Webhook sent for \(current.monitorName)")
      var delivery = config.webhookDelay.sampleDuration(&deliveryRandom)
      if functionRandom.nextUnit() < config.coldStartProbability {
        delivery += config.coldStart.sampleDuration(&functionRandom)
      }
      sim.schedule(.automationStep(run: run, step: 0), after: delivery)
    case 0:  // the function receives it
      if fault != nil || failureRandom.nextUnit() < config.webhookFailure {
        timeline.record(sim.now, .automation, .webhookLost, "The webhook got no answer: no automation ran")
        return nil
      }
      timeline.record(sim.now, .automation, .automationReceived, "Automation receives the alert for \(current.monitorName)")
      sim.schedule(.automationStep(run: run, step: 1), after: config.functionStart.sampleDuration(&functionRandom))
    case 1:  // the function runs its decision rule
      if failureRandom.nextUnit() < config.functionFailure {
        timeline.record(sim.now, .automation, .automationFailed, "The automation function failed: nothing promoted")
        return nil
      }
      guard current.watchedRegion == config.watchRegion else {
        timeline.record(
          sim.now, .automation, .automationIgnored, "Automation ignores an alert from \(regionNames[current.watchedRegion]): no action")
        return nil
      }
      if config.rule == .checkDatabaseFirst, let primary = facts.healthyPrimaryInWatchedRegion {
        timeline.record(
          sim.now, .automation, .automationDeclined, "Automation checks \(primary) first: it is up and writable, so it does not promote")
        return nil
      }
      if config.fence, let old = facts.nodeInWatchedRegion {
        timeline.record(sim.now, .automation, .fenceCalled, "Automation fences \(old.name) (powers it off)")
        let fencing = config.fenceTime.sampleDuration(&fenceRandom)
        sim.schedule(.fenceDone(node: old.node), after: fencing)
        sim.schedule(.automationStep(run: run, step: 2), after: fencing)  // after the fence: FIFO at equal times
        return nil
      }
      return self.step(run, step: 2, facts: facts, regionNames: regionNames, &sim, &timeline)
    case 2:  // the cloud API promote call
      timeline.record(sim.now, .automation, .promoteCalled, "Automation calls the cloud API to promote \(facts.targetName)")
      sim.schedule(.automationStep(run: run, step: 3), after: config.apiCall.sampleDuration(&apiRandom))
    default:  // the API answers and promotion starts
      if failureRandom.nextUnit() < config.apiFailure {
        timeline.record(sim.now, .automation, .promoteApiFailed, "The promote API call failed; nobody retries")
        return nil
      }
      return .promote(node: target)
    }
    return nil
  }
}

/// One run of the automation, from webhook to promotion: which monitor's alert started it.
struct AutomationRun {
  var monitorName: String
  var watchedRegion: Int
}
