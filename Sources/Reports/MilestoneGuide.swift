import Topology

/// What sets each milestone's time, for learners: the mechanism in a sentence, and the
/// parameters that move it with an alternative worth trying. Paths use `<watch>` for the
/// region the automation watches and `<promote>` for the one it promotes.
public enum MilestoneGuide {
  /// A parameter to try: its path and an alternative value (JSON5 text).
  public struct Lever: Sendable {
    public var path: String
    public var alternative: String

    public init(path: String, alternative: String) {
      self.path = path
      self.alternative = alternative
    }
  }

  public struct Entry: Sendable {
    public var milestone: Milestone
    public var explanation: String
    public var levers: [Lever]
  }

  public static let entries: [Entry] = [
    Entry(
      milestone: .firstFailedRequest,
      explanation: "The first client that hits the fault: it begins the outage the user sees.", levers: []),
    Entry(
      milestone: .dnsUnhealthy,
      explanation:
        "Route 53's checkers each need failureThreshold consecutive failed probes, one every interval after the previous answer; "
        + "the record turns unhealthy once no more than 18% of them still pass, and answers change after the propagation delay.",
      levers: [
        Lever(path: "dns.healthCheck.interval", alternative: "\"10s\""), Lever(path: "dns.healthCheck.failureThreshold", alternative: "1"),
        Lever(path: "dns.propagationDelay", alternative: "\"0s\""),
      ]),
    Entry(
      milestone: .clientsLeftRegion,
      explanation:
        "After DNS stops answering the dead region, each resolver keeps its answer for the TTL and each browser for at least 60 s; "
        + "the last client leaves when the last of those caches expires.",
      levers: [Lever(path: "dns.ttl", alternative: "\"10s\""), Lever(path: "clients.dnsCache", alternative: "\"ttl\"")]),
    Entry(
      milestone: .monitorAlert,
      explanation: "UptimeRobot checks every interval from its own phase; a failed check is confirmed by two more nodes, "
        + "and the alert goes out `threshold` after DOWN.",
      levers: [
        Lever(path: "monitors.<watch>.interval", alternative: "\"1m\""), Lever(path: "monitors.<watch>.threshold", alternative: "\"3m\""),
      ]),
    Entry(
      milestone: .webhookSent, explanation: "The monitor dispatches its webhook.",
      levers: [Lever(path: "automation.notificationDelay", alternative: "\"0s\"")]),
    Entry(
      milestone: .automationReceived, explanation: "The webhook reaches the function (a cold start adds to it).",
      levers: [Lever(path: "automation.webhookDelay", alternative: "\"0s\"")]),
    Entry(
      milestone: .promoteCalled, explanation: "The function decides and calls the cloud API.",
      levers: [Lever(path: "automation.functionTime", alternative: "\"0s\"")]),
    Entry(
      milestone: .dbPromoted,
      explanation: "The standby replays the WAL it has, then becomes a primary on a new timeline; a managed service's API adds minutes.",
      levers: [
        Lever(path: "databases.<promote>.promotionTime", alternative: "\"5s\""), Lever(path: "automation.apiCall", alternative: "\"0s\""),
      ]),
    Entry(
      milestone: .pgpoolSwitched,
      explanation: "PgPool finds a primary only while it handles a failover (polling each second up to search_primary_node_timeout); "
        + "it never notices a primary promoted behind its back.",
      levers: [
        Lever(path: "pgpool.failoverCommand", alternative: "\"promote\""), Lever(path: "pgpool.healthCheckPeriod", alternative: "\"5s\""),
      ]),
    Entry(
      milestone: .writesRestored,
      explanation: "Writes succeed again once clients have left the dead region and the primary they reach accepts writes.",
      levers: [Lever(path: "dns.ttl", alternative: "\"10s\""), Lever(path: "pgpool.failoverCommand", alternative: "\"promote\"")]),
    Entry(
      milestone: .readsRestored,
      explanation: "Reads succeed again once clients have left the dead region (and a PgPool failover no longer blocks them).",
      levers: [Lever(path: "dns.ttl", alternative: "\"10s\""), Lever(path: "dns.healthCheck.interval", alternative: "\"10s\"")]),
    Entry(
      milestone: .failoverComplete,
      explanation: "The latest of DNS moving traffic, reads and writes restored and, after a promotion, PgPool using the new primary.",
      levers: []),
  ]
}
