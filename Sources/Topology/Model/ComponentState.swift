import SimCore

/// A population's settings that the hot path reads, copied out of the configuration into
/// plain values (the configuration holds dictionaries, whose copies cost reference counting).
struct PopulationRuntime {
  var clients: Int
  var timeout: SimDuration?
  var connectTimeout: SimDuration
  var retry: RetryPolicy?
  var fixedRegion: Int32
  var maxArrivals: Int?
  var clientCache: ClientDNSCache
  /// The arrival rate never changes, so thinning never rejects.
  var constantRate: Bool

  init(_ config: PopulationConfig) {
    clients = max(1, config.clients)
    timeout = config.timeout
    connectTimeout = config.connectTimeout
    retry = config.retry
    fixedRegion = Int32(config.fixedRegion)
    maxArrivals = config.maxArrivals
    clientCache = config.clientCache
    if case .constant = config.arrivals { constantRate = true } else { constantRate = false }
  }
}

/// A PostgreSQL node: its role, its WAL positions, and the loss accounting of its history.
struct DatabaseState {
  var region: Int32
  var role: DatabaseRole
  /// The node it streams from, while a replica (-1 otherwise).
  var upstream: Int32 = -1
  var timeline: Int32 = 1
  /// Last write committed on this node's history (a count of writes since the start).
  var lsn: Int64 = 0
  /// As a standby: WAL received (written), flushed and replayed.
  var received: Int64 = 0
  var flushed: Int64 = 0
  var replayed: Int64 = 0
  /// As a primary: WAL handed to the link for its standby, and when the link is free again.
  var sent: Int64 = 0
  var senderBusyUntil: SimTime = .zero
  /// As a standby: when replay is free again.
  var replayBusyUntil: SimTime = .zero
  /// The standby's position at the sync level, as its primary last heard it.
  var syncConfirmed: Int64 = 0
  var fault: FaultMode?
  var fenced = false
  /// A promotion under way stops the WAL receiver: WAL arriving after it is ignored.
  var promoting = false
  var promotionRequested: SimTime = .zero
  var resyncing = false
  var epoch: UInt32 = 0
  var busy = 0
  var sessions = 0
  /// Acknowledged writes committed on this node while it was a primary.
  var ackedOwn = 0
  /// Acknowledged writes of its ancestors that its history kept (at its promotion).
  var inheritedAcked = 0
  /// A primary that is no longer the authoritative one: its new writes are split brain.
  var diverged = false
  /// Where this node's history left its parent's, when it was promoted (-1: never).
  var forkLSN: Int64 = -1
  /// The window of commit records holds every write above the standby's replayed
  /// position; `windowBase` is the LSN just before its first entry.
  var windowBase: Int64 = 0
  /// Commit time of the write at `windowBase` (the newest one every standby has replayed).
  var windowBaseTime: SimTime?

  init(region: Int32, role: DatabaseRole) {
    self.region = region
    self.role = role
  }

  var acceptsWrites: Bool { role != .replica && !fenced && !resyncing }
}

/// One entry of a primary's unreplicated window.
struct CommitRecord {
  var time: SimTime
  var acked: Bool
}

/// PgPool-II in one region.
struct PgPoolState {
  var region: Int32
  var config: PgPoolConfig
  var fault: FaultMode?
  var busyChildren = 0
  /// Clients waiting for a child (in the listen backlog) or for a failover to finish.
  var waiting = 0
  var epoch: UInt32 = 0
  /// Per node: attached (pgpool's status "up"), and lagging past delay_threshold.
  var attached: [Bool]
  var lagging: [Bool]
  /// Whom pgpool believes is the primary (-1: none).
  var primary: Int32
  var failingOver = false
  var searchDeadline: SimTime = .zero
  /// The failover in progress detached the primary.
  var failoverLostPrimary = false

  init(region: Int32, config: PgPoolConfig, nodes: Int, primary: Int32) {
    self.region = region
    self.config = config
    attached = Array(repeating: true, count: nodes)
    lagging = Array(repeating: false, count: nodes)
    self.primary = primary
  }
}
