import SimCore

/// A procedure people follow when something tells them to: an operator is paged by a
/// trigger, acknowledges, diagnoses, then works through the steps one at a time. Every delay
/// is a distribution (human time varies more than machine time), and each step can fail and
/// be tried again. A runbook runs at most once per run: the first trigger starts it.
public struct RunbookConfig: Sendable {
  /// The name the timeline uses ("manual-failover").
  public var name: String
  /// What pages the operator.
  public var trigger: RunbookTrigger
  /// From the trigger to the page reaching the on-call person (the paging service's own
  /// delivery, plus any escalation wait).
  public var page: Distribution
  /// From the page to the person acknowledging it and starting to look.
  public var acknowledge: Distribution
  /// From acknowledging to knowing what to do (dashboards, logs, confirming the failure).
  public var diagnose: Distribution
  /// The steps, in order.
  public var steps: [RunbookStep]

  public init(
    name: String, trigger: RunbookTrigger, page: Distribution = .constant(.zero), acknowledge: Distribution = .constant(.zero),
    diagnose: Distribution = .constant(.zero), steps: [RunbookStep]
  ) {
    self.name = name
    self.trigger = trigger
    self.page = page
    self.acknowledge = acknowledge
    self.diagnose = diagnose
    self.steps = steps
  }
}

/// What starts a runbook.
public enum RunbookTrigger: Sendable, Hashable {
  /// A monitor's first alert to its contacts (by its position in ``DataPathConfig/monitors``).
  case alert(monitor: Int)
  /// The first timeline entry of a kind after the run starts ("dns_unhealthy",
  /// "promote_api_failed", "pgpool_no_primary", …).
  case timeline(TimelineKind)
  /// An alert rule on the recorded metrics starts firing (by its position in the rules).
  case rule(Int)
}

/// One step of a runbook: what the person does, how long it takes them, and how likely it
/// is to go wrong (a typo, a console error, a script that fails).
public struct RunbookStep: Sendable {
  public var action: RunbookAction
  /// From starting the step to its effect (the console click, the command returning).
  public var takes: Distribution
  /// Probability that an attempt fails: the effect does not happen.
  public var failure: Double
  /// Attempts before the person gives up (and the runbook stops there).
  public var attempts: Int

  public init(action: RunbookAction, takes: Distribution, failure: Double = 0, attempts: Int = 2) {
    self.action = action
    self.takes = takes
    self.failure = failure
    self.attempts = attempts
  }
}

/// What a runbook step does when it succeeds.
public enum RunbookAction: Sendable, Hashable {
  /// One of the scheduled operator actions (promote, set a DNS weight, fence, fail back),
  /// done the same way.
  case operatorAction(OperatorActionKind)
  /// `systemctl restart` on every instance of a tier: each refuses connections for
  /// `downFor`, then serves again; with `database`, the tier's backends connect straight to
  /// that region's node afterwards (the seed's runbook edits `DATABASE_URL` and restarts).
  case restart(region: Int, tier: TierRole, downFor: SimDuration, database: Int?)
  /// `terraform apply` of a region: when the step ends, every fault on the region and its
  /// parts is over (rebuilt machines). The database comes back as the node it was.
  case rebuild(region: Int)
  /// Confirm, verify, wait for a TTL: time passes, nothing changes.
  case check(String)
}
