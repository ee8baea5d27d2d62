import SimCore

/// The half of the topology where data lives and where failover is decided: the region
/// link, PostgreSQL nodes and replication, PgPool-II per region, the external monitors,
/// the failover automation and scheduled operator actions (mechanisms.md §2–4, §8–9).
public struct DataPathConfig: Sendable {
  public var link: RegionLinkConfig
  /// One PostgreSQL node per region, in region order.
  public var databases: [DatabaseConfig]
  public var replication: ReplicationConfig
  /// How each region's backends reach the data, in region order.
  public var access: [DataAccess]
  /// UptimeRobot-like monitors.
  public var monitors: [MonitorConfig]
  /// What a monitor's webhook starts; nil when nothing listens.
  public var automation: AutomationConfig?
  /// Operator procedures at scheduled times.
  public var actions: [OperatorAction]

  public init(
    link: RegionLinkConfig, databases: [DatabaseConfig], replication: ReplicationConfig, access: [DataAccess],
    monitors: [MonitorConfig] = [], automation: AutomationConfig? = nil, actions: [OperatorAction] = []
  ) {
    self.link = link
    self.databases = databases
    self.replication = replication
    self.access = access
    self.monitors = monitors
    self.automation = automation
    self.actions = actions
  }
}

/// The network between the two regions (Delhi–Chennai round trip ≈ 30–50 ms).
public struct RegionLinkConfig: Sendable {
  /// Round-trip time; each direction takes half of a draw.
  public var roundTrip: Distribution
  /// Bytes per second for the WAL stream and re-clones.
  public var bandwidth: Double
  /// A lost packet costs a retransmission: this long, with probability `loss` per message.
  public var retransmitTimeout: SimDuration
  /// Round trips of particular pairs of regions (a matrix); other pairs take `roundTrip`.
  public var pairRoundTrips: [RegionPair: Distribution] = [:]

  /// The round-trip distribution between regions `a` and `b`.
  public func roundTrip(_ a: Int, _ b: Int) -> Distribution {
    pairRoundTrips.isEmpty ? roundTrip : pairRoundTrips[RegionPair(a, b)] ?? roundTrip
  }

  /// The defaults, read by the scenario builder.
  public static let defaults = RegionLinkConfig()

  public init(
    roundTrip: Distribution = try! .uniform(min: 0.030, max: 0.050), bandwidth: Double = 125_000_000,
    retransmitTimeout: SimDuration = .milliseconds(200)
  ) {
    self.roundTrip = roundTrip
    self.bandwidth = bandwidth
    self.retransmitTimeout = retransmitTimeout
  }
}

/// Two regions, in either order.
public struct RegionPair: Hashable, Sendable {
  public let low: Int
  public let high: Int
  public init(_ a: Int, _ b: Int) { (low, high) = (min(a, b), max(a, b)) }
}

/// A PostgreSQL node.
public struct DatabaseConfig: Sendable {
  /// The role it starts in.
  public var role: DatabaseRole
  /// For a replica: the region whose node it streams from.
  public var upstream: Int?
  public var readTime: Distribution
  /// Statement time of a write, before the commit's own waits.
  public var writeTime: Distribution
  /// Local WAL flush at commit (skipped by `synchronous_commit = off`).
  public var localFlush: Distribution
  /// Queries it runs at once (CPU cores); the rest wait in order.
  public var concurrency: Int
  /// `max_connections`: sessions beyond it are refused.
  public var maxConnections: Int
  /// Standby side: time to write and to flush received WAL, and to replay one write.
  public var standbyWrite: Distribution
  public var standbyFlush: Distribution
  public var replayPerWrite: SimDuration
  /// Promotion: this long after the replay backlog is applied (`pg_promote`: seconds;
  /// a managed service's API: minutes).
  public var promotionTime: Distribution
  /// Size of the data directory, for re-clone time.
  public var dataBytes: Double
  /// `wal_log_hints` or checksums: pg_rewind is possible.
  public var rewindable: Bool

  /// The defaults, read by the scenario builder.
  public static let defaults = DatabaseConfig()

  public init(
    role: DatabaseRole = .primary, upstream: Int? = nil, readTime: Distribution = try! .lognormal(mean: 0.002, p99: 0.010),
    writeTime: Distribution = try! .lognormal(mean: 0.003, p99: 0.015), localFlush: Distribution = .constant(.milliseconds(1)),
    concurrency: Int = 4, maxConnections: Int = 100, standbyWrite: Distribution = .constant(.microseconds(100)),
    standbyFlush: Distribution = .constant(.milliseconds(1)), replayPerWrite: SimDuration = .microseconds(200),
    promotionTime: Distribution = try! .uniform(min: 120, max: 360), dataBytes: Double = 10e9, rewindable: Bool = true
  ) {
    self.role = role
    self.upstream = upstream
    self.readTime = readTime
    self.writeTime = writeTime
    self.localFlush = localFlush
    self.concurrency = concurrency
    self.maxConnections = maxConnections
    self.standbyWrite = standbyWrite
    self.standbyFlush = standbyFlush
    self.replayPerWrite = replayPerWrite
    self.promotionTime = promotionTime
    self.dataBytes = dataBytes
    self.rewindable = rewindable
  }
}

/// What a PostgreSQL node is.
public enum DatabaseRole: String, Sendable {
  /// Accepts writes.
  case primary
  /// Streams from an upstream and answers reads (hot standby).
  case replica
  /// A primary of its own, replicating nothing (the as-coded second database).
  case standalone
}

/// `synchronous_commit` (mechanisms.md §4.1): what a commit waits for before it is acknowledged.
public enum SynchronousCommit: String, Sendable, CaseIterable {
  /// Not even the local flush: up to 3 × wal_writer_delay of acknowledged commits die with the server.
  case off
  /// The local flush only.
  case local
  /// The standby has written the WAL (to its OS).
  case remoteWrite = "remote_write"
  /// The standby has flushed the WAL.
  case on
  /// The standby has replayed the WAL.
  case remoteApply = "remote_apply"
}

/// Replication settings.
public struct ReplicationConfig: Sendable {
  /// With an empty `synchronous_standby_names` (the seed), `on`, `remote_write` and
  /// `remote_apply` behave like `local`; set `synchronousStandby` to make them wait.
  public var synchronousCommit: SynchronousCommit
  public var synchronousStandby: Bool
  /// WAL bytes one write produces.
  public var walBytesPerWrite: Double
  /// `wal_writer_delay` (200 ms): with `off`, commits acknowledged within 3× of a crash are lost.
  public var walWriterDelay: SimDuration

  /// The defaults, read by the scenario builder.
  public static let defaults = ReplicationConfig()

  public init(
    synchronousCommit: SynchronousCommit = .on, synchronousStandby: Bool = false, walBytesPerWrite: Double = 2_000,
    walWriterDelay: SimDuration = .milliseconds(200)
  ) {
    self.synchronousCommit = synchronousCommit
    self.synchronousStandby = synchronousStandby
    self.walBytesPerWrite = walBytesPerWrite
    self.walWriterDelay = walWriterDelay
  }

  /// The commit wait that applies: without a synchronous standby the remote levels are `local`.
  public var effectiveLevel: SynchronousCommit {
    switch synchronousCommit {
    case .off, .local: return synchronousCommit
    default: return synchronousStandby ? synchronousCommit : .local
    }
  }
}

/// How a region's backends reach the database.
public enum DataAccess: Sendable {
  /// Through PgPool-II in the region.
  case pgpool(PgPoolConfig)
  /// Straight to one region's node (the as-coded `DATABASE_URL`).
  case direct(region: Int)
}

/// What PgPool's `failover_command` does.
public enum FailoverCommand: Sendable, Hashable {
  /// Logs, or calls an endpoint that does nothing useful (the seed's failover.sh).
  case noPromotion
  /// Promotes the surviving standby (`pg_ctl promote` over ssh).
  case promoteStandby
}

/// PgPool-II, one per region (mechanisms.md §3, modelling rules 8–11).
public struct PgPoolConfig: Sendable {
  /// `num_init_children`: concurrent client sessions.
  public var numInitChildren: Int
  /// `listen_backlog_multiplier` × children may wait for a child.
  public var listenBacklogMultiplier: Int
  /// `reserved_connections` > 0 refuses instead of blocking.
  public var reservedConnections: Int
  public var healthCheckPeriod: SimDuration
  /// When the first round starts; nil: uniform on [0, period).
  public var healthCheckPhase: SimDuration?
  public var healthCheckTimeout: SimDuration
  public var connectTimeout: SimDuration
  public var healthCheckMaxRetries: Int
  public var healthCheckRetryDelay: SimDuration
  public var failoverOnBackendError: Bool
  public var failoverCommand: FailoverCommand
  /// How long `failover_command` runs (synchronously).
  public var failoverCommandTime: Distribution
  public var searchPrimaryNodeTimeout: SimDuration
  /// Reads leave a standby lagging by more than this (`delay_threshold_by_time`); nil: off.
  public var delayThreshold: SimDuration?
  public var srCheckPeriod: SimDuration
  /// Reads go to the local node (`load_balance_mode` with the local backend weighted).
  public var loadBalanceMode: Bool
  /// The case study's belief, not pgpool's behaviour: finds its own region's node promoted
  /// behind its back at its next health check. Real pgpool never does (mechanisms.md §3.3).
  public var followsExternalPromotion: Bool

  /// The defaults, read by the scenario builder.
  public static let defaults = PgPoolConfig()

  public init(
    numInitChildren: Int = 32, listenBacklogMultiplier: Int = 2, reservedConnections: Int = 0,
    healthCheckPeriod: SimDuration = .seconds(10), healthCheckPhase: SimDuration? = nil, healthCheckTimeout: SimDuration = .seconds(20),
    connectTimeout: SimDuration = .seconds(10),
    healthCheckMaxRetries: Int = 3, healthCheckRetryDelay: SimDuration = .seconds(1), failoverOnBackendError: Bool = true,
    failoverCommand: FailoverCommand = .noPromotion, failoverCommandTime: Distribution = .constant(.seconds(1)),
    searchPrimaryNodeTimeout: SimDuration = .seconds(300), delayThreshold: SimDuration? = nil, srCheckPeriod: SimDuration = .seconds(10),
    loadBalanceMode: Bool = true, followsExternalPromotion: Bool = false
  ) {
    self.numInitChildren = numInitChildren
    self.listenBacklogMultiplier = listenBacklogMultiplier
    self.reservedConnections = reservedConnections
    self.healthCheckPeriod = healthCheckPeriod
    self.healthCheckPhase = healthCheckPhase
    self.healthCheckTimeout = healthCheckTimeout
    self.connectTimeout = connectTimeout
    self.healthCheckMaxRetries = healthCheckMaxRetries
    self.healthCheckRetryDelay = healthCheckRetryDelay
    self.failoverOnBackendError = failoverOnBackendError
    self.failoverCommand = failoverCommand
    self.failoverCommandTime = failoverCommandTime
    self.searchPrimaryNodeTimeout = searchPrimaryNodeTimeout
    self.delayThreshold = delayThreshold
    self.srCheckPeriod = srCheckPeriod
    self.loadBalanceMode = loadBalanceMode
    self.followsExternalPromotion = followsExternalPromotion
  }
}

/// How a monitor decides to alert.
public enum MonitorRule: Sendable, Hashable {
  /// UptimeRobot: a check fails and two more random nodes confirm it within `confirmWithin`;
  /// then DOWN, and the alert goes `threshold` after DOWN (mechanisms.md §2).
  case uptimeRobot(threshold: SimDuration, recurrence: SimDuration?)
  /// The case study's reading: alert after N consecutive failed checks (not an UptimeRobot feature).
  case consecutiveFailures(Int)
}

/// An UptimeRobot-like HTTP monitor on a region's frontend `/health/`.
public struct MonitorConfig: Sendable {
  public var name: String
  public var region: Int
  /// A deep check: the region passes only if its database path answers too.
  public var deep = false
  public var interval: SimDuration
  /// First check at this offset; nil: uniform on [0, interval).
  public var phase: SimDuration?
  public var timeout: SimDuration
  /// Extra nodes that must confirm a failure (UptimeRobot: 3 nodes in all, so 2 more).
  public var confirmations: Int
  /// The confirming probes come within this long (≈ 30 s); 0 for at once.
  public var confirmWithin: SimDuration
  public var rule: MonitorRule
  /// Time for a probe to a live endpoint.
  public var roundTrip: SimDuration

  /// The defaults, read by the scenario builder.
  public static let defaults = MonitorConfig()

  public init(
    name: String = "UptimeRobot", region: Int = 0, interval: SimDuration = .minutes(5), phase: SimDuration? = nil,
    timeout: SimDuration = .seconds(30),
    confirmations: Int = 2, confirmWithin: SimDuration = .seconds(30), rule: MonitorRule = .uptimeRobot(threshold: .zero, recurrence: nil),
    roundTrip: SimDuration = .milliseconds(100)
  ) {
    self.name = name
    self.region = region
    self.interval = interval
    self.phase = phase
    self.timeout = timeout
    self.confirmations = confirmations
    self.confirmWithin = confirmWithin
    self.rule = rule
    self.roundTrip = roundTrip
  }
}

/// What the automation does with an alert.
public enum AutomationRule: Sendable, Hashable {
  /// The case study's handler: promote the standby when the watched region's monitor says
  /// Down; ignore every other alert; no fencing.
  case promoteOnAlert
  /// Check the watched region's database first; promote only if it is really gone.
  case checkDatabaseFirst
}

/// The failover automation: webhook → function → cloud API → promotion.
public struct AutomationConfig: Sendable {
  /// Alerts from this region's monitor start a failover.
  public var watchRegion: Int
  /// The region whose node gets promoted.
  public var promoteRegion: Int
  public var rule: AutomationRule
  /// Fence (power off) the old primary before promoting.
  public var fence: Bool
  public var fenceTime: Distribution
  /// From the alert to the webhook leaving the monitor (UptimeRobot's own dispatch).
  public var notificationDelay: Distribution
  /// Delivery of the webhook to the function.
  public var webhookDelay: Distribution
  /// From the function receiving the alert to its cloud API call.
  public var functionStart: Distribution
  public var coldStartProbability: Double
  public var coldStart: Distribution
  /// From the API call to the promotion starting.
  public var apiCall: Distribution
  /// Probability that each step fails (webhook lost, function error, API error).
  public var webhookFailure: Double
  public var functionFailure: Double
  public var apiFailure: Double

  /// The defaults, read by the scenario builder.
  public static let defaults = AutomationConfig()

  public init(
    watchRegion: Int = 0, promoteRegion: Int = 1, rule: AutomationRule = .promoteOnAlert, fence: Bool = false,
    fenceTime: Distribution = .constant(.seconds(20)), notificationDelay: Distribution = try! .uniform(min: 0, max: 5),
    webhookDelay: Distribution = try! .uniform(min: 0.1, max: 2), functionStart: Distribution = try! .uniform(min: 0.1, max: 1),
    coldStartProbability: Double = 0.05, coldStart: Distribution = .constant(.milliseconds(800)),
    apiCall: Distribution = try! .uniform(min: 1, max: 3),
    webhookFailure: Double = 0, functionFailure: Double = 0, apiFailure: Double = 0
  ) {
    self.watchRegion = watchRegion
    self.promoteRegion = promoteRegion
    self.rule = rule
    self.fence = fence
    self.fenceTime = fenceTime
    self.notificationDelay = notificationDelay
    self.webhookDelay = webhookDelay
    self.functionStart = functionStart
    self.coldStartProbability = coldStartProbability
    self.coldStart = coldStart
    self.apiCall = apiCall
    self.webhookFailure = webhookFailure
    self.functionFailure = functionFailure
    self.apiFailure = apiFailure
  }
}

/// How an old primary is brought back as a standby.
public enum ResyncMethod: String, Sendable {
  /// pg_rewind: copies only what diverged (needs wal_log_hints or checksums).
  case rewind
  /// A new base backup: the whole data directory over the link.
  case reclone
}

/// An operator procedure, scheduled in the scenario.
public enum OperatorActionKind: Sendable, Hashable {
  /// Promote a region's standby by hand (and tell that region's PgPool, as `pcp_promote_node` would).
  case promote(region: Int)
  /// Change a region's DNS weight.
  case setWeight(region: Int, weight: Int)
  /// Power off a region's database node (STONITH).
  case fence(region: Int)
  /// The failback procedure: re-sync `region`'s old primary from the current primary,
  /// wait for it to catch up, switch roles back, re-attach PgPools, restore weights.
  case failback(region: Int, method: ResyncMethod, weights: [Int])
}

/// An operator action at a time.
public struct OperatorAction: Sendable {
  public var at: SimDuration
  public var kind: OperatorActionKind

  public init(at: SimDuration, kind: OperatorActionKind) {
    self.at = at
    self.kind = kind
  }
}
