/// The milestones of a failover, in the order one unfolds: the one place that says which
/// exist, what each is called in reports, JSON and scenario files (`published`), and which
/// timeline kind marks the ones that are single events. The others are derived from the
/// requests (first failure, restored reads and writes) or from other milestones.
public enum Milestone: String, CaseIterable, Hashable, Sendable {
  /// The first request attempt that failed after the first fault.
  case firstFailedRequest = "first_failed_request"
  /// DNS stops answering the failed region.
  case dnsUnhealthy = "dns_unhealthy"
  /// The last cached answer pointing at the failed region expired.
  case clientsLeftRegion = "clients_left_region"
  /// The monitor alerts its contacts.
  case monitorAlert = "monitor_alert"
  /// The monitor sends the automation's webhook.
  case webhookSent = "webhook_sent"
  /// The automation receives the webhook.
  case automationReceived = "automation_received"
  /// The automation calls the cloud API to promote.
  case promoteCalled = "promote_called"
  /// The standby is a primary.
  case dbPromoted = "db_promoted"
  /// PgPool sends writes to the new primary.
  case pgpoolSwitched = "pgpool_switched"
  /// Writes succeed steadily again.
  case writesRestored = "writes_restored"
  /// Reads succeed steadily again.
  case readsRestored = "reads_restored"
  /// The latest of DNS moving traffic, reads and writes restored and, after a promotion,
  /// PgPool using the new primary.
  case failoverComplete = "failover_complete"

  /// The timeline kind whose first entry after the first fault is this milestone, if it is one event.
  public var timelineKind: TimelineKind? {
    switch self {
    case .dnsUnhealthy: return .dnsUnhealthy
    case .clientsLeftRegion: return .dnsCachesDrained
    case .monitorAlert: return .monitorAlert
    case .webhookSent: return .webhookSent
    case .automationReceived: return .automationReceived
    case .promoteCalled: return .promoteCalled
    case .dbPromoted: return .dbPromoted
    case .pgpoolSwitched: return .pgpoolSwitched
    case .firstFailedRequest, .writesRestored, .readsRestored, .failoverComplete: return nil
    }
  }
}
