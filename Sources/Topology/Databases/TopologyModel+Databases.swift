import Foundation
import SimCore

/// PostgreSQL nodes, streaming replication over the region link, commits by
/// `synchronous_commit`, promotion, and the accounting of lost and split-brain writes
/// (mechanisms.md §4, modelling rules 12–15).
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: DatabaseEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .dataReply(let ref): dataReply(ref, &sim)
    case .dbArrive(let ref): dbArrive(ref, &sim)
    case .dbDone(let ref, let node): dbDone(ref, node.node, epoch: node.epoch, &sim)
    case .walArrive(let node, let lsn): walArrive(node, lsn.value, &sim)
    case .walFlushed(let node, let lsn): walFlushed(node, lsn.value, &sim)
    case .walReplayed(let node, let lsn): walReplayed(node, lsn.value, &sim)
    case .standbyFeedback(let primary, let lsn): standbyFeedback(primary, lsn.value, &sim)
    case .promotionDone(let node, _): promotionDone(node, &sim)
    case .fenceDone(let node): fenceDone(node, &sim)
    }
  }

  // MARK: The region link

  /// Whether a message from region `a` to region `b` gets through now.
  mutating func linkUp(from a: RegionID, to b: RegionID) -> Bool { link.isUp(from: a, to: b, regionDown: regionDown) }

  /// One-way delay of a message from `a` to `b` (0 within a region).
  mutating func oneWay(from a: RegionID, to b: RegionID, carrying traffic: RegionLink.Traffic) -> SimDuration {
    link.oneWay(from: a, to: b, carrying: traffic)
  }

  // MARK: Data calls from backends

  /// A backend's call to the data tier: through its region's PgPool, or straight to a node.
  mutating func callData(_ ref: RequestRef, region: Int, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    requests[i].stage = .waitingData
    requests[i].dataFailed = false
    switch dataAccess[region] {
    case .direct(let target):
      requests[i].pool = .none
      sendQuery(ref, from: RegionID(region), to: DatabaseID(target), connectTimeout: .seconds(10), &sim)
    case .pgpool:
      requests[i].pool = PoolID(region)
      enterPool(ref, PoolID(region), &sim)
    }
  }

  /// Sends a query from a region to a node: across the link when the node is remote.
  mutating func sendQuery(
    _ ref: RequestRef, from region: RegionID, to node: DatabaseID, connectTimeout: SimDuration, _ sim: inout Simulator<ModelEvent>
  ) {
    let i = Int(ref.index)
    let target = cluster.nodes[Int(node)].region
    requests[i].dbNode = node
    requests[i].remote = target != region
    guard linkUp(from: region, to: target) else {
      // A black-holed connect: the client gives up after its connect timeout.
      requests[i].dataFailed = true
      sim.schedule(.dataReply(ref), after: connectTimeout)
      return
    }
    if target == region {
      dbArrive(ref, &sim)
    } else {
      sim.schedule(.dbArrive(ref), after: oneWay(from: region, to: target, carrying: .queries))
    }
  }

  /// The query reaches its node: refused, hung, over max_connections, or queued for a core.
  mutating func dbArrive(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingData else { return }
    let node = requests[Int(ref.index)].dbNode
    let n = Int(node)
    // A host in a dark region, or powered off by fencing, answers nothing, not even a
    // refusal: the caller's own timeouts end the query, and no socket error reaches PgPool.
    if regionDown[cluster.nodes[n].region] || cluster.nodes[n].fenced { return }
    switch cluster.condition(node, regionDown: regionDown) {
    case .crash:
      // The PostgreSQL process is gone on a live host: the connection is refused at once.
      replyData(ref, failed: true, &sim)
      backendError(ref, node: node, &sim)
      return
    case .hang:
      return  // accepts and never answers: the caller's timeouts end it
    default: break
    }
    guard cluster.nodes[n].sessions < cluster.configs[n].maxConnections else {
      replyData(ref, failed: true, &sim)  // FATAL: sorry, too many clients already
      return
    }
    cluster.nodes[n].sessions += 1
    requests[Int(ref.index)].holdsSession = true
    requests[Int(ref.index)].dbEpoch = cluster.nodes[n].epoch
    if cluster.nodes[n].busy < cluster.configs[n].concurrency {
      startQuery(ref, node, &sim)
    } else {
      cluster.queues[n].append(ref)
    }
  }

  mutating func startQuery(_ ref: RequestRef, _ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    cluster.nodes[n].busy += 1
    // The configuration is read in place: a copy of it costs reference counting per query.
    var time: Double
    if requests[Int(ref.index)].kind.writes {
      time = cluster.configs[n].writeTime.sample(&cluster.queryRandom[n])
      if cluster.replication.effectiveLevel != .off { time += cluster.configs[n].localFlush.sample(&cluster.queryRandom[n]) }
    } else {
      time = cluster.configs[n].readTime.sample(&cluster.queryRandom[n])
    }
    if case .slow(let factor) = cluster.condition(node, regionDown: regionDown) { time *= factor }
    if case .latency(let extra) = cluster.condition(node, regionDown: regionDown) { time += extra.seconds }
    sim.schedule(.dbDone(ref, node: NodeEpoch(node: node, epoch: cluster.nodes[n].epoch)), after: SimDuration(seconds: time))
  }

  /// A statement finishes: a read answers; a write commits (gets its LSN, ships its WAL)
  /// and is acknowledged now or when the synchronous standby confirms it.
  mutating func dbDone(_ ref: RequestRef, _ node: DatabaseID, epoch: UInt32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    // The core is free again, unless the node stopped since (which reset its counts).
    if epoch == cluster.nodes[n].epoch & 0xFFFF {
      cluster.nodes[n].busy -= 1
      if !cluster.queues[n].isEmpty { startWaitingQueries(node, &sim) }
    }
    // A caller that left released its session when it finished.
    guard requests.isLive(ref), requests[Int(ref.index)].dbNode == node, requests[Int(ref.index)].stage == .waitingData else { return }
    guard epoch == cluster.nodes[n].epoch & 0xFFFF else {
      replyData(ref, failed: true, &sim)  // the node went down under the query: connection lost
      return
    }
    if case .errors(let rate) = cluster.condition(node, regionDown: regionDown), cluster.queryRandom[n].nextUnit() < rate {
      replyData(ref, failed: true, &sim)
      return
    }
    guard requests[Int(ref.index)].kind.writes else {
      replyData(ref, failed: false, &sim)
      return
    }
    guard cluster.nodes[n].acceptsWrites else {
      replyData(ref, failed: true, &sim)  // ERROR: cannot execute INSERT in a read-only transaction
      return
    }
    let lsn = commit(node, at: sim.now, &sim)
    requests[Int(ref.index)].commitLSN = lsn
    if cluster.waitsForStandby(node) {
      cluster.syncWaiters[n].append(ref)  // acknowledged when the standby's feedback covers it
    } else {
      acknowledge(node, lsn: lsn, at: sim.now)
      replyData(ref, failed: false, &sim)
    }
  }

  mutating func startWaitingQueries(_ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    while cluster.nodes[n].busy < cluster.configs[n].concurrency, let next = cluster.queues[n].popFirst() {
      guard requests.isLive(next), requests[Int(next.index)].dbNode == node, requests[Int(next.index)].stage == .waitingData else {
        continue
      }
      startQuery(next, node, &sim)
    }
  }

  /// The node answers the caller: the reply crosses the link back when the call did.
  mutating func replyData(_ ref: RequestRef, failed: Bool, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    releaseSession(ref)
    requests[i].dataFailed = failed
    let node = requests[i].dbNode
    let caller = requests[i].pool.exists ? pgpool.pools[Int(requests[i].pool)].region : requests[i].region
    guard node.exists, requests[i].remote else {
      dataReply(ref, &sim)
      return
    }
    let from = cluster.nodes[Int(node)].region
    if linkUp(from: from, to: caller) {
      sim.schedule(.dataReply(ref), after: oneWay(from: from, to: caller, carrying: .replies))
    }
    // A reply lost on a partitioned link never arrives: the caller's timeouts end it.
  }

  mutating func releaseSession(_ ref: RequestRef) {
    let i = Int(ref.index)
    guard requests[i].holdsSession, requests[i].dbNode.exists else { return }
    let n = Int(requests[i].dbNode)
    if requests[i].dbEpoch == cluster.nodes[n].epoch && cluster.nodes[n].sessions > 0 { cluster.nodes[n].sessions -= 1 }
    requests[i].holdsSession = false
  }

  /// The answer is back at the backend (through its PgPool, if any).
  mutating func dataReply(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingData else { return }
    let i = Int(ref.index)
    var failed = requests[i].dataFailed
    if requests[i].pool.exists {
      let p = Int(requests[i].pool)
      if requests[i].poolEpoch != pgpool.pools[p].epoch { failed = true }  // pgpool killed the session
      releaseChild(ref, &sim)
    }
    finish(ref, failed ? .dataTierError : .success, &sim)
  }

  // MARK: Commits and WAL

  /// Commits one write on a primary: the next LSN, recorded in the window, shipped.
  mutating func commit(_ node: DatabaseID, at now: SimTime, _ sim: inout Simulator<ModelEvent>) -> Int64 {
    let n = Int(node)
    cluster.nodes[n].lsn += 1
    let lsn = cluster.nodes[n].lsn
    if cluster.standby(of: node) != nil {
      cluster.commitWindows[n].append(CommitRecord(time: now, acked: false))
    } else {
      cluster.nodes[n].windowBase = lsn
    }
    shipWAL(from: node, &sim)
    return lsn
  }

  /// Marks a write acknowledged to its client and counts it where it belongs.
  mutating func acknowledge(_ node: DatabaseID, lsn: Int64, at now: SimTime) {
    let n = Int(node)
    cluster.nodes[n].ackedOwn += 1
    let offset = Int(lsn - cluster.nodes[n].windowBase) - 1
    if offset >= 0 && offset < cluster.commitWindows[n].count { cluster.commitWindows[n][offset].acked = true }
    recorder.acknowledgedWrite(losingSide: !cluster.isAuthoritative(node), duringSplitBrain: cluster.splitBrainSince != nil)
  }

  /// Ships the primary's unsent WAL to its standby: serialised on the link's bandwidth,
  /// then the one-way delay. Nothing leaves while the link or the standby is down; the
  /// backlog goes when they are back.
  mutating func shipWAL(from node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    guard let s = cluster.standby(of: node), cluster.nodes[n].sent < cluster.nodes[n].lsn,
      cluster.condition(node, regionDown: regionDown) != .crash
    else { return }
    let from = cluster.nodes[n].region
    let to = cluster.nodes[Int(s)].region
    guard linkUp(from: from, to: to), cluster.condition(s, regionDown: regionDown) != .crash else { return }
    let bytes = Double(cluster.nodes[n].lsn - cluster.nodes[n].sent) * cluster.replication.walBytesPerWrite
    let start = max(sim.now, cluster.nodes[n].senderBusyUntil)
    let done = start + link.transmission(bytes, from: from, to: to)
    cluster.nodes[n].senderBusyUntil = done
    cluster.nodes[n].sent = cluster.nodes[n].lsn
    sim.schedule(.walArrive(node: s, lsn: WALPosition(cluster.nodes[n].lsn)), at: done + oneWay(from: from, to: to, carrying: .wal))
  }

  /// WAL reaches the standby: written, then flushed; replay follows at its apply rate.
  mutating func walArrive(_ s: DatabaseID, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(s)
    guard cluster.nodes[i].role == .replica, !cluster.nodes[i].promoting, !cluster.nodes[i].resyncing,
      cluster.condition(s, regionDown: regionDown) != .crash,
      lsn > cluster.nodes[i].received
    else { return }
    // WAL still on the wire when its region went dark or the link broke is lost with it.
    let upstream = cluster.nodes[i].upstream
    if upstream.exists && !linkUp(from: cluster.nodes[Int(upstream)].region, to: cluster.nodes[i].region) {
      cluster.nodes[Int(upstream)].sent = cluster.nodes[i].received
      return
    }
    let previous = cluster.nodes[i].received
    cluster.nodes[i].received = lsn
    let config = cluster.configs[i]
    let written = sim.now + config.standbyWrite.sampleDuration(&cluster.standbyRandom[i])
    let flushed = written + config.standbyFlush.sampleDuration(&cluster.standbyRandom[i])
    sim.schedule(.walFlushed(node: s, lsn: WALPosition(lsn)), at: flushed)
    let replayStart = max(flushed, cluster.nodes[i].replayBusyUntil)
    let replayed = replayStart + config.replayPerWrite * (lsn - previous)
    cluster.nodes[i].replayBusyUntil = replayed
    sim.schedule(.walReplayed(node: s, lsn: WALPosition(lsn)), at: replayed)
    if cluster.replication.effectiveLevel == .remoteWrite { sendFeedback(from: s, lsn: lsn, at: written, &sim) }
  }

  mutating func walFlushed(_ s: DatabaseID, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(s)
    guard cluster.nodes[i].role == .replica, lsn > cluster.nodes[i].flushed else { return }
    cluster.nodes[i].flushed = lsn
    if cluster.replication.effectiveLevel == .on { sendFeedback(from: s, lsn: lsn, at: sim.now, &sim) }
  }

  mutating func walReplayed(_ s: DatabaseID, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(s)
    guard lsn > cluster.nodes[i].replayed else { return }
    cluster.nodes[i].replayed = min(lsn, cluster.nodes[i].received)
    if cluster.nodes[i].role == .replica, cluster.nodes[i].upstream.exists {
      cluster.trimWindow(cluster.nodes[i].upstream, upTo: cluster.nodes[i].replayed)
    }
    if cluster.nodes[i].role == .replica, cluster.replication.effectiveLevel == .remoteApply {
      sendFeedback(from: s, lsn: lsn, at: sim.now, &sim)
    }
  }

  /// The standby tells its primary how far it got (for synchronous commits).
  mutating func sendFeedback(from s: DatabaseID, lsn: Int64, at time: SimTime, _ sim: inout Simulator<ModelEvent>) {
    let primary = cluster.nodes[Int(s)].upstream
    guard primary.exists else { return }
    let from = cluster.nodes[Int(s)].region
    let to = cluster.nodes[Int(primary)].region
    guard linkUp(from: from, to: to) else { return }
    sim.schedule(
      .standbyFeedback(primary: primary, lsn: WALPosition(lsn)), at: max(time, sim.now) + oneWay(from: from, to: to, carrying: .feedback))
  }

  /// Synchronous commits covered by the standby's report are acknowledged.
  mutating func standbyFeedback(_ primary: DatabaseID, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let p = Int(primary)
    guard cluster.nodes[p].role == .primary, lsn > cluster.nodes[p].syncConfirmed else { return }
    cluster.nodes[p].syncConfirmed = lsn
    while let ref = cluster.syncWaiters[p].first {
      guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingData, requests[Int(ref.index)].dbNode == primary else {
        _ = cluster.syncWaiters[p].popFirst()
        continue
      }
      let commitLSN = requests[Int(ref.index)].commitLSN
      guard commitLSN <= lsn else { break }
      _ = cluster.syncWaiters[p].popFirst()
      acknowledge(primary, lsn: commitLSN, at: sim.now)
      replyData(ref, failed: false, &sim)
    }
  }

  /// A fault on a database node begins or ends.
  mutating func setDatabaseFault(_ node: DatabaseID, _ mode: FaultMode?, begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    let wasDown = cluster.condition(node, regionDown: regionDown) == .crash
    cluster.nodes[Int(node)].fault = mode
    if begins && (mode == .crash || mode == .hang) && !wasDown { databaseStopped(node, &sim) }
    // A crashed process on a live host resets its connections: idle ones break in the
    // backends' own pools (a hung one keeps them open).
    if begins && mode == .crash && !wasDown { databasePathBroke(node: node, pool: nil, &sim) }
    if !begins { resumeReplication(&sim) }
  }

  /// A fault on the region link (one direction, or both) begins or ends.
  mutating func setLinkFault(from: Int?, _ mode: FaultMode?, begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    link.setFault(mode, from: from)
    if !begins { resumeReplication(&sim) }
  }

  /// Fencing powers a node off: it accepts nothing until failback.
  mutating func fenceDone(_ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    cluster.nodes[Int(node)].fenced = true
    databaseStopped(node, &sim)
    recorder.timeline.record(sim.now, .automation, .fenced, "\(cluster.name(node)) is fenced: it accepts nothing until failback")
    updateSplitBrain(sim.now)
  }

  /// A node stops: its queued queries are refused; in-flight ones find the epoch moved.
  mutating func databaseStopped(_ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    cluster.nodes[n].epoch &+= 1
    cluster.nodes[n].busy = 0
    cluster.nodes[n].sessions = 0
    while let ref = cluster.queues[n].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].dbNode == node, requests[Int(ref.index)].stage == .waitingData else { continue }
      requests[Int(ref.index)].holdsSession = false
      replyData(ref, failed: true, &sim)
    }
    // Commits waiting for their standby die with the connection.
    while let ref = cluster.syncWaiters[n].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].dbNode == node, requests[Int(ref.index)].stage == .waitingData else { continue }
      requests[Int(ref.index)].holdsSession = false
      replyData(ref, failed: true, &sim)
    }
  }

  /// A node or the link came back: streaming resumes with the backlog.
  mutating func resumeReplication(_ sim: inout Simulator<ModelEvent>) {
    for n in cluster.nodes.indices where cluster.nodes[n].role != .replica {
      shipWAL(from: DatabaseID(n), &sim)
    }
  }

  // MARK: Promotion

  /// Starts promoting a standby: it stops receiving WAL, replays what it has, then
  /// becomes a primary on a new timeline (mechanisms.md §4.3).
  mutating func promote(_ node: DatabaseID, by who: String, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    let name = cluster.name(node)
    guard cluster.condition(node, regionDown: regionDown) != .crash else {
      recorder.timeline.record(sim.now, .database, .promotionFailed, "\(who) cannot promote \(name): it is down")
      return
    }
    guard cluster.nodes[n].role == .replica, !cluster.nodes[n].promoting else {
      if cluster.nodes[n].role != .replica {
        recorder.timeline.record(sim.now, .database, .promotionNoop, "\(who) asks to promote \(name), already a primary: nothing to do")
      }
      return
    }
    cluster.nodes[n].promoting = true
    cluster.nodes[n].promotionRequested = sim.now
    let backlog = cluster.nodes[n].received - cluster.nodes[n].replayed
    let replay = max(.zero, cluster.nodes[n].replayBusyUntil - sim.now)
    let duration = replay + cluster.configs[n].promotionTime.sampleDuration(&cluster.promotionRandom[n])
    cluster.promotions += 1
    recorder.timeline.record(
      sim.now, .database, .promotionStarted,
      "\(who) promotes \(name): replays \(counted(Int(backlog), "write")) of backlog, then ≈ \(duration.rounded(significantDigits: 3)) to primary"
    )
    sim.schedule(.promotionDone(node: node, promotion: Int32(cluster.promotions)), after: duration)
  }

  /// A promotion finished; the PgPools follow an operator's promotion (pcp_promote_node).
  mutating func promotionDone(_ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    completePromotion(node, &sim)
    if operatorPromotions.contains(node) {
      let adopted = pgpool.adopt(primary: node)
      for p in adopted { pumpPool(p, &sim) }
      operatorPromotions.removeAll { $0 == node }
      if !adopted.isEmpty && cluster.nodes[Int(node)].role == .primary {
        recorder.timeline.record(
          sim.now, .operator, .pgpoolSwitched, "Operator points every PgPool at \(cluster.name(node)) (pcp_promote_node)")
      }
    }
  }

  /// The standby is a primary: the fork point decides which acknowledged writes are lost.
  mutating func completePromotion(_ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    guard cluster.nodes[n].promoting else { return }
    cluster.nodes[n].promoting = false
    if cluster.condition(node, regionDown: regionDown) == .crash {
      recorder.timeline.record(sim.now, .database, .promotionFailed, "\(cluster.name(node)) went down before its promotion finished")
      return
    }
    let old = cluster.nodes[n].upstream
    let fork = cluster.nodes[n].received
    var lost = 0
    var diverged = 0
    var lostSeconds = 0.0
    if old.exists, let switchover = cluster.pendingSwitchover, switchover.from == old, switchover.to == node {
      // A planned switchover: the old primary stopped taking writes and the standby caught
      // up, so nothing diverged; the old primary follows the new one.
      cluster.pendingSwitchover = nil
      let o = Int(old)
      cluster.nodes[n].inheritedAcked = cluster.nodes[o].inheritedAcked + cluster.nodes[o].ackedOwn
      cluster.nodes[o].role = .replica
      cluster.nodes[o].upstream = node
      cluster.nodes[o].received = fork
      cluster.nodes[o].flushed = fork
      cluster.nodes[o].replayed = fork
      cluster.commitWindows[o].removeAll()
      cluster.nodes[o].windowBase = cluster.nodes[o].lsn
      cluster.nodes[o].ackedOwn = 0
      cluster.nodes[o].inheritedAcked = 0
      cluster.nodes[n].role = .primary
      cluster.nodes[n].upstream = .none
      cluster.nodes[n].timeline = cluster.nodes[o].timeline + 1
      cluster.nodes[n].forkLSN = fork
      cluster.nodes[n].lsn = fork
      cluster.nodes[n].windowBase = fork
      cluster.nodes[n].sent = fork
      cluster.authoritative = node
      recorder.timeline.record(
        sim.now, .database, .dbPromoted,
        "\(cluster.name(node)) is primary (timeline \(cluster.nodes[n].timeline)); \(cluster.name(old)) follows it as standby")
      return
    }
    if old.exists {
      let o = Int(old)
      // Acknowledged writes above the fork point never reached the new primary. Those
      // acknowledged before the promotion was asked for are the failover's loss (RPO);
      // those the old primary took while the standby was being promoted went to a
      // history that is already being abandoned: split brain's losing side.
      var lastKept: SimTime? = cluster.nodes[o].windowBase == fork ? cluster.nodes[o].windowBaseTime : nil
      var firstLost: SimTime?
      var lastLost: SimTime?
      for k in 0..<cluster.commitWindows[o].count {
        let lsn = cluster.nodes[o].windowBase + Int64(k) + 1
        let record = cluster.commitWindows[o][k]
        if lsn == fork { lastKept = record.time }
        guard lsn > fork, record.acked else { continue }
        if record.time <= cluster.nodes[n].promotionRequested {
          lost += 1
          if firstLost == nil { firstLost = record.time }
          lastLost = record.time
        } else {
          diverged += 1
        }
      }
      // RPO in seconds: the history the new primary misses, from its last write to the
      // last acknowledged write it lost.
      if let lastLost { lostSeconds = (lastLost - (lastKept ?? firstLost!)).seconds }
      // Keep the inherited count honest: the new primary holds the old one's acknowledged
      // writes up to the fork.
      cluster.nodes[n].inheritedAcked = cluster.nodes[o].inheritedAcked + cluster.nodes[o].ackedOwn - lost - diverged
      cluster.nodes[o].diverged = true
      cluster.commitWindows[o].removeAll()
      cluster.nodes[o].windowBase = cluster.nodes[o].lsn
      cluster.nodes[o].sent = cluster.nodes[o].lsn
    }
    cluster.nodes[n].role = .primary
    cluster.nodes[n].upstream = .none
    cluster.nodes[n].timeline = (old.exists ? cluster.nodes[Int(old)].timeline : cluster.nodes[n].timeline) + 1
    cluster.nodes[n].lsn = fork
    cluster.nodes[n].forkLSN = fork
    cluster.nodes[n].windowBase = fork
    cluster.nodes[n].sent = fork
    cluster.nodes[n].replayed = fork
    cluster.authoritative = node
    recorder.promoted(lostWrites: lost, lostSeconds: lostSeconds, divergedWrites: diverged)
    var text = "\(cluster.name(node)) is primary (timeline \(cluster.nodes[n].timeline))"
    text +=
      lost > 0
      ? "; \(counted(lost, "acknowledged write")) (\(String(format: "%.3f", lostSeconds)) s of history) never reached it: lost"
      : "; no acknowledged write lost"
    if diverged > 0 {
      text +=
        "; \(counted(diverged, "write")) \(cluster.name(old)) took during the promotion \(diverged == 1 ? "is" : "are") on the losing side"
    }
    recorder.timeline.record(sim.now, .database, .dbPromoted, text)
    updateSplitBrain(sim.now)
    // Commits waiting on the old primary for this standby can never be confirmed.
    if old.exists {
      let waiting = cluster.syncWaiters[Int(old)].count
      if waiting > 0 {
        recorder.timeline.record(
          sim.now, .database, .syncCommitsStranded, "\(waiting) commits on \(cluster.name(old)) wait for a standby that left")
      }
    }
  }

  /// Split brain is two nodes accepting writes at once: recorded when it begins (a
  /// promotion with the old primary alive, or an old primary coming back) and when it ends.
  mutating func updateSplitBrain(_ now: SimTime) {
    let writable = cluster.nodes.indices.filter {
      cluster.nodes[$0].acceptsWrites && cluster.condition(DatabaseID($0), regionDown: regionDown) != .crash
    }
    if writable.count > 1 && cluster.splitBrainSince == nil {
      cluster.splitBrainSince = now
      let losers = writable.filter { DatabaseID($0) != cluster.authoritative }.map { cluster.name(DatabaseID($0)) }
      recorder.timeline.record(
        now, .database, .splitBrainBegan,
        "Split brain: \(writable.map { cluster.name(DatabaseID($0)) }.joined(separator: " and ")) all accept writes; writes on "
          + "\(losers.joined(separator: ", ")) will be lost (nothing fences it)")
    } else if writable.count <= 1 && cluster.splitBrainSince != nil {
      cluster.splitBrainSince = nil
      recorder.timeline.record(
        now, .database, .splitBrainEnded,
        "Split brain ended: one writable primary left (\(counted(recorder.splitBrainWrites, "write")) landed on the losing side)")
    }
  }
}
