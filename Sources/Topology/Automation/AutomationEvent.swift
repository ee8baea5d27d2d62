/// The automation's steps and the operators' scheduled actions. Small payloads (typed IDs, a
/// request reference), so events stay inline in the kernel's queue.
public enum AutomationEvent: Sendable {
  /// The next step of an automation run.
  case automationStep(run: AutomationRunID, step: Int32)
  /// An operator action is due, or the next step of a multi-step procedure.
  case operatorAction(action: ActionID, step: Int32)
  /// The next stage of a runbook: paged, acknowledged, diagnosed, then each step's start and end.
  case runbookStage(runbook: RunbookID, stage: Int32)
  /// Alertmanager notifies the contacts of a firing alert rule (after its group wait).
  case alertNotification(rule: AlertRuleID)
}

/// The model's events of this mechanism, written as before: `.automationStep(…)` builds
/// ``ModelEvent/automation(_:)``.
extension ModelEvent {
  @inline(__always) static func automationStep(run: AutomationRunID, step: Int32) -> ModelEvent {
    .automation(.automationStep(run: run, step: step))
  }
  @inline(__always) static func operatorAction(action: ActionID, step: Int32) -> ModelEvent {
    .automation(.operatorAction(action: action, step: step))
  }
  @inline(__always) static func alertNotification(rule: AlertRuleID) -> ModelEvent {
    .automation(.alertNotification(rule: rule))
  }
  @inline(__always) static func runbookStage(runbook: RunbookID, stage: Int32) -> ModelEvent {
    .automation(.runbookStage(runbook: runbook, stage: stage))
  }
}
