/// What the monitors do: checks, results and confirmations, alerts. Small payloads (typed IDs, a
/// request reference), so events stay inline in the kernel's queue.
public enum MonitorEvent: Sendable {
  /// A monitor's check is due: its nodes probe (one now, the others within the confirmation window).
  case monitorCheck(monitor: MonitorID)
  /// Another checker node of check round `round` probes now.
  case monitorProbe(monitor: MonitorID, round: Int32)
  /// A node's answer for check round `round` arrives.
  case monitorResult(monitor: MonitorID, round: Int32, passed: Bool)
  /// The alert of DOWN episode `episode` is due (`threshold` after DOWN, then every `recurrence`).
  case monitorAlert(monitor: MonitorID, episode: Int32)
}

/// The model's events of this mechanism, written as before: `.monitorCheck(…)` builds
/// ``ModelEvent/monitors(_:)``.
extension ModelEvent {
  @inline(__always) static func monitorCheck(monitor: MonitorID) -> ModelEvent { .monitors(.monitorCheck(monitor: monitor)) }
  @inline(__always) static func monitorProbe(monitor: MonitorID, round: Int32) -> ModelEvent {
    .monitors(.monitorProbe(monitor: monitor, round: round))
  }
  @inline(__always) static func monitorResult(monitor: MonitorID, round: Int32, passed: Bool) -> ModelEvent {
    .monitors(.monitorResult(monitor: monitor, round: round, passed: passed))
  }
  @inline(__always) static func monitorAlert(monitor: MonitorID, episode: Int32) -> ModelEvent {
    .monitors(.monitorAlert(monitor: monitor, episode: episode))
  }
}
