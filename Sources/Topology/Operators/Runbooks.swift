import SimCore

/// The runbooks and the people who follow them: which have started, where each stands, and
/// the human delays and step outcomes, each drawn from its own stream (one per delay, and per
/// step one for its time and one for its failures), so that changing one delay or step draws
/// no other anew: variants compared on the same seed differ only where they were changed. What a step does to the system is the model's
/// (``TopologyModel`` in this folder's other file); this keeps the bookkeeping and the words.
struct Runbooks {
  let configs: [RunbookConfig]
  let regionNames: [String]
  var states: [RunbookState]
  /// Per runbook: the page, acknowledge and diagnose streams, then two per step (time, failure).
  var random: [[Xoshiro256StarStar]]

  init(configs: [RunbookConfig], regionNames: [String], streams: RandomStreams) {
    self.configs = configs
    self.regionNames = regionNames
    states = Array(repeating: RunbookState(), count: configs.count)
    random = configs.map { config in
      ["page", "acknowledge", "diagnose"].map { streams.stream(named: "runbook.\(config.name).\($0)") }
        + config.steps.indices.flatMap { k in
          ["time", "failure"].map { streams.stream(named: "runbook.\(config.name).step\(k).\($0)") }
        }
    }
  }

  /// The timeline kinds some runbook waits for.
  var watchedKinds: Set<TimelineKind> {
    Set(configs.compactMap { if case .timeline(let kind) = $0.trigger { return kind } else { return nil } })
  }

  /// The runbooks `trigger` starts now (each starts once per run).
  mutating func start(_ trigger: RunbookTrigger, why: String, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) {
    for r in configs.indices where configs[r].trigger == trigger && !states[r].started {
      states[r].started = true
      timeline.record(sim.now, .operator, .runbookTriggered, "\(why): the on-call operator is paged for runbook \(configs[r].name)")
      sim.schedule(.runbookStage(runbook: RunbookID(r), stage: Stage.paged), after: configs[r].page.sampleDuration(&random[r][0]))
    }
  }

  /// The stages of a run: the page reaches the person, they acknowledge it, they have
  /// diagnosed the incident, then each step's start and end (step k starts at
  /// `firstStep + 2k`, ends one later).
  enum Stage {
    static let paged: Int32 = 0
    static let acknowledged: Int32 = 1
    static let diagnosed: Int32 = 2
    static let firstStep: Int32 = 3
  }

  /// What a stage asks of the model.
  enum Next {
    /// Nothing: the runbook waits for its next stage (already scheduled) or is over.
    case wait
    /// Step `step` succeeded: do its action.
    case act(RunbookAction, step: Int)
  }

  /// Moves runbook `r` on at `stage`; returns the action to perform when a step succeeds.
  mutating func advance(_ r: RunbookID, stage: Int32, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) -> Next {
    let config = configs[r.index]
    let name = config.name
    switch stage {
    case Stage.paged:
      timeline.record(sim.now, .operator, .runbookPaged, "The page reaches the on-call operator (\(name))")
      sim.schedule(.runbookStage(runbook: r, stage: Stage.acknowledged), after: config.acknowledge.sampleDuration(&random[r.index][1]))
    case Stage.acknowledged:
      timeline.record(sim.now, .operator, .runbookAcknowledged, "Operator acknowledges the page (\(name))")
      sim.schedule(.runbookStage(runbook: r, stage: Stage.diagnosed), after: config.diagnose.sampleDuration(&random[r.index][2]))
    case Stage.diagnosed:
      timeline.record(
        sim.now, .operator, .runbookDiagnosed,
        config.steps.isEmpty
          ? "Operator has diagnosed the incident; \(name) has no steps" : "Operator has diagnosed the incident; starts \(name)")
      if !config.steps.isEmpty {
        sim.schedule(.runbookStage(runbook: r, stage: Stage.firstStep), after: .zero)
      }
    default:
      let k = Int(stage - Stage.firstStep) / 2
      let step = config.steps[k]
      let label = "\(name) step \(k + 1)/\(config.steps.count)"
      if (stage - Stage.firstStep) % 2 == 0 {  // the step starts
        states[r.index].attempt += 1
        let again = states[r.index].attempt > 1 ? " (attempt \(states[r.index].attempt))" : ""
        timeline.record(sim.now, .operator, .runbookStepStarted, "\(label): \(describe(step.action))\(again)")
        sim.schedule(.runbookStage(runbook: r, stage: stage + 1), after: step.takes.sampleDuration(&random[r.index][3 + 2 * k]))
        return .wait
      }
      // The step ends: it worked, or it failed and is tried again or given up.
      if step.failure > 0 && random[r.index][4 + 2 * k].nextUnit() < step.failure {
        if states[r.index].attempt < step.attempts {
          timeline.record(sim.now, .operator, .runbookStepFailed, "\(label) failed; the operator tries again")
          sim.schedule(.runbookStage(runbook: r, stage: stage - 1), after: .zero)
        } else {
          timeline.record(
            sim.now, .operator, .runbookAbandoned,
            "\(label) failed \(step.attempts) time\(step.attempts == 1 ? "" : "s"): the operator stops the runbook here")
        }
        return .wait
      }
      states[r.index].attempt = 0
      if k + 1 < config.steps.count {
        sim.schedule(.runbookStage(runbook: r, stage: stage + 1), after: .zero)
      }
      return .act(step.action, step: k)
    }
    return .wait
  }

  /// Whether step `k` is the runbook's last.
  func isLast(_ r: RunbookID, step k: Int) -> Bool { k + 1 == configs[r.index].steps.count }

  /// A step's action in the timeline's words.
  func describe(_ action: RunbookAction) -> String {
    switch action {
    case .operatorAction(.promote(let r)): return "promote the \(regionNames[r]) database"
    case .operatorAction(.setWeight(let r, let weight)): return "set \(regionNames[r])'s DNS weight to \(weight)"
    case .operatorAction(.fence(let r)): return "fence the \(regionNames[r]) database"
    case .operatorAction(.failback(let r, let method, _)):
      return "fail back to \(regionNames[r]) (\(method == .rewind ? "pg_rewind" : "re-clone"))"
    case .restart(let r, let tier, _, let database):
      return "restart the \(regionNames[r]) \(tier.rawValue)s"
        + (database.map { " with DATABASE_URL pointing at the \(regionNames[$0]) database" } ?? "")
    case .rebuild(let r): return "terraform apply: rebuild \(regionNames[r])"
    case .check(let what): return what
    }
  }
}

/// Where one runbook stands.
struct RunbookState {
  var started = false
  /// Attempts at the current step so far.
  var attempt = 0
}
