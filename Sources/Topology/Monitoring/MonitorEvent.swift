/// What the monitors do: checks, results and confirmations, alerts. Small payloads (typed IDs, a
/// request reference), so events stay inline in the kernel's queue.
public enum MonitorEvent: Sendable {
  /// A monitor check, its result, a confirming probe's result, and a delayed alert.
  case monitorCheck(monitor: MonitorID)
  case monitorResult(monitor: MonitorID, passed: Bool, confirmationsLeft: Int32)
  case monitorAlert(monitor: MonitorID, episode: Int32)
}

/// The model's events of this mechanism, written as before: `.monitorCheck(…)` builds
/// ``ModelEvent/monitors(_:)``.
extension ModelEvent {
  @inline(__always) static func monitorCheck(monitor: MonitorID) -> ModelEvent { .monitors(.monitorCheck(monitor: monitor)) }
  @inline(__always) static func monitorResult(monitor: MonitorID, passed: Bool, confirmationsLeft: Int32) -> ModelEvent {
    .monitors(.monitorResult(monitor: monitor, passed: passed, confirmationsLeft: confirmationsLeft))
  }
  @inline(__always) static func monitorAlert(monitor: MonitorID, episode: Int32) -> ModelEvent {
    .monitors(.monitorAlert(monitor: monitor, episode: episode))
  }
}
