import SimCore

/// The PostgreSQL nodes (docs: mechanisms §4, modelling rules 12–15): roles, WAL positions,
/// sessions and cores, the queues of queries and of commits waiting for a synchronous
/// standby, the window of commits a standby has not replayed, which history is authoritative,
/// and split brain. Owns its state, its configuration and its random streams (per node and purpose).
/// Queries arriving and answers leaving, WAL crossing the link and promotions being asked
/// for are the model's (``TopologyModel`` in this folder's other files).
struct Databases {
  let regionNames: [String]
  var nodes = StateArray<DatabaseState>()
  var configs: [DatabaseConfig] = []
  /// Per node: queries waiting for a core.
  var queues = StateArray<RingBuffer<RequestRef>>()
  /// Per node: commits waiting for the synchronous standby, in LSN order.
  var syncWaiters = StateArray<RingBuffer<RequestRef>>()
  /// Per node: the writes its standby has not replayed yet (commit time, acknowledged);
  /// those above the standby's received position are the ones a failover would lose.
  var commitWindows = StateArray<RingBuffer<CommitRecord>>()
  var replication = ReplicationConfig()
  /// The primary whose history counts: the most recently promoted (or the first) primary.
  var authoritative: DatabaseID = .none
  var promotions = 0
  var splitBrainSince: SimTime?
  /// A planned switchover under way (failback): the old primary stopped taking writes.
  var pendingSwitchover: (from: DatabaseID, to: DatabaseID)?
  /// One stream per node and purpose, so a change to one draws nothing else anew: statement
  /// times (and a fault's errors), the standby's writes and flushes, promotion times.
  var queryRandom = StateArray<Xoshiro256StarStar>()
  var standbyRandom = StateArray<Xoshiro256StarStar>()
  var promotionRandom: [Xoshiro256StarStar] = []

  init(regionNames: [String]) {
    self.regionNames = regionNames
  }

  /// Gives the state arrays storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() {
    nodes.makeUnique()
    queues.makeUnique()
    syncWaiters.makeUnique()
    commitWindows.makeUnique()
    queryRandom.makeUnique()
    standbyRandom.makeUnique()
  }

  /// The data path's nodes, one per region, in their starting roles.
  init(_ dataPath: DataPathConfig, regionNames: [String], streams: RandomStreams) {
    self.init(regionNames: regionNames)
    replication = dataPath.replication
    configs = dataPath.databases
    for (r, database) in dataPath.databases.enumerated() {
      var state = DatabaseState(region: RegionID(r), role: database.role)
      if database.role == .replica { state.upstream = DatabaseID(database.upstream ?? 0) }
      if database.role == .primary && !authoritative.exists { authoritative = DatabaseID(r) }
      nodes.append(state)
      queryRandom.append(streams.stream(named: "db.\(regionNames[r]).queries"))
      standbyRandom.append(streams.stream(named: "db.\(regionNames[r]).standby"))
      promotionRandom.append(streams.stream(named: "db.\(regionNames[r]).promotion"))
      queues.append(RingBuffer())
      syncWaiters.append(RingBuffer())
      commitWindows.append(RingBuffer())
    }
    if !authoritative.exists, let first = nodes.indices.first(where: { nodes[$0].role != .replica }) { authoritative = DatabaseID(first) }
  }

  func name(_ node: DatabaseID) -> String { "\(regionNames[Int(nodes[Int(node)].region)]) db" }

  /// Whether commits on this node wait for a synchronous standby.
  @inline(__always) func waitsForStandby(_ node: DatabaseID) -> Bool {
    switch replication.effectiveLevel {
    case .off, .local: return false
    default: return nodes[Int(node)].role == .primary && standby(of: node) != nil
    }
  }

  /// The replica streaming from `node`, if any.
  @inline(__always) func standby(of node: DatabaseID) -> DatabaseID? {
    for (s, database) in nodes.enumerated() where database.role == .replica && database.upstream == node {
      return DatabaseID(s)
    }
    return nil
  }

  @inline(__always) func isAuthoritative(_ node: DatabaseID) -> Bool { node == authoritative }

  /// Drops window entries the standby has replayed (they survive a failover and no longer
  /// count toward its lag).
  mutating func trimWindow(_ primary: DatabaseID, upTo lsn: Int64) {
    let p = Int(primary)
    while nodes[p].windowBase < lsn, let record = commitWindows[p].popFirst() {
      nodes[p].windowBase += 1
      nodes[p].windowBaseTime = record.time
    }
  }

  /// Replication lag of a standby in seconds: how old the oldest write it has not replayed is.
  func replicationLag(of s: DatabaseID, at now: SimTime) -> Double {
    let i = Int(s)
    let primary = nodes[i].upstream
    guard nodes[i].role == .replica, primary.exists else { return 0 }
    let p = Int(primary)
    guard nodes[p].lsn > nodes[i].replayed else { return 0 }
    let offset = Int(nodes[i].replayed - nodes[p].windowBase)
    guard offset >= 0 && offset < commitWindows[p].count else { return 0 }
    return (now - commitWindows[p][offset].time).seconds
  }

  /// The node's condition: region down or fenced counts as a crash.
  @inline(__always) func condition(_ node: DatabaseID, regionDown: [Bool]) -> FaultMode? {
    let n = Int(node)
    if regionDown[Int(nodes[n].region)] || nodes[n].fenced { return .crash }
    return nodes[n].fault
  }

  // MARK: Failback

  /// Starts re-syncing an old primary from the current one: pg_rewind (what it wrote after
  /// the fork, plus a fixed part) when asked for and possible, else a full re-clone. The node
  /// takes nothing until it streams again. Returns the method used, the bytes copied and how
  /// long the copy takes over the link.
  mutating func startResync(
    _ node: DatabaseID, from current: DatabaseID, method: ResyncMethod, bandwidth: Double
  ) -> (rewind: Bool, bytes: Double, duration: SimDuration) {
    let n = Int(node)
    let useRewind = method == .rewind && configs[n].rewindable
    // pg_rewind copies what the old primary wrote after the fork.
    let fork = nodes[Int(current)].forkLSN >= 0 ? nodes[Int(current)].forkLSN : nodes[n].lsn
    let diverged = Double(max(0, nodes[n].lsn - fork)) * replication.walBytesPerWrite
    let bytes = useRewind ? diverged + 16e6 : configs[n].dataBytes
    let duration = SimDuration(seconds: bytes / bandwidth) + .seconds(useRewind ? 10 : 60)
    nodes[n].resyncing = true
    nodes[n].fenced = false
    return (useRewind, bytes, duration)
  }

  /// The copy is done: the old primary is now a standby of the current primary, and its
  /// own history is the current primary's (what it wrote after the fork was counted as split
  /// brain and is gone).
  mutating func finishResync(_ node: DatabaseID, following current: DatabaseID, at now: SimTime) {
    let (n, c) = (Int(node), Int(current))
    nodes[n].resyncing = false
    nodes[n].diverged = false
    nodes[n].role = .replica
    nodes[n].upstream = current
    nodes[n].timeline = nodes[c].timeline
    nodes[n].lsn = nodes[c].lsn
    nodes[n].received = nodes[c].lsn
    nodes[n].flushed = nodes[c].lsn
    nodes[n].replayed = nodes[c].lsn
    nodes[n].replayBusyUntil = now
    nodes[c].sent = nodes[c].lsn
    nodes[c].windowBase = nodes[c].lsn
    commitWindows[c].removeAll()
    nodes[n].ackedOwn = 0
    nodes[n].inheritedAcked = 0
  }

  /// A planned switchover: the current primary stops taking writes; the promotion of `node`
  /// that follows keeps every write (``pendingSwitchover``).
  mutating func beginSwitchover(from current: DatabaseID, to node: DatabaseID) {
    nodes[Int(current)].role = .replica
    nodes[Int(current)].upstream = .none
    pendingSwitchover = (from: current, to: node)
  }
}

/// A PostgreSQL node: its role, its WAL positions, and the loss accounting of its history.
struct DatabaseState {
  var region: RegionID
  var role: DatabaseRole
  /// The node it streams from, while a replica (-1 otherwise).
  var upstream: DatabaseID = .none
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

  init(region: RegionID, role: DatabaseRole) {
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
