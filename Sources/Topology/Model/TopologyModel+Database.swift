import Foundation
import SimCore

/// PostgreSQL nodes, streaming replication over the region link, commits by
/// `synchronous_commit`, promotion, and the accounting of lost and split-brain writes
/// (mechanisms.md §4, modelling rules 12–15).
extension TopologyModel {
  // MARK: The region link

  /// Whether a message from region `a` to region `b` gets through now.
  func linkUp(from a: Int32, to b: Int32) -> Bool { link.isUp(from: a, to: b, regionDown: regionDown) }

  /// One-way delay of a message from `a` to `b` (0 within a region).
  mutating func oneWay(from a: Int32, to b: Int32) -> SimDuration { link.oneWay(from: a, to: b) }

  // MARK: Data calls from backends

  /// A backend's call to the data tier: through its region's PgPool, or straight to a node.
  mutating func callData(_ ref: RequestRef, region: Int, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    requests[i].stage = .waitingData
    requests[i].dataFailed = false
    switch dataAccess[region] {
    case .direct(let target):
      requests[i].pool = -1
      sendQuery(ref, from: Int32(region), to: Int32(target), connectTimeout: .seconds(10), &sim)
    case .pgpool:
      requests[i].pool = Int32(region)
      enterPool(ref, Int32(region), &sim)
    }
  }

  /// Sends a query from a region to a node: across the link when the node is remote.
  mutating func sendQuery(
    _ ref: RequestRef, from region: Int32, to node: Int32, connectTimeout: SimDuration, _ sim: inout Simulator<ModelEvent>
  ) {
    let i = Int(ref.index)
    let target = databases[Int(node)].region
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
      sim.schedule(.dbArrive(ref), after: oneWay(from: region, to: target))
    }
  }

  /// The query reaches its node: refused, hung, over max_connections, or queued for a core.
  mutating func dbArrive(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingData else { return }
    let node = requests[Int(ref.index)].dbNode
    let n = Int(node)
    switch databaseCondition(node) {
    case .crash:
      replyData(ref, failed: true, &sim)
      backendError(ref, node: node, &sim)
      return
    case .hang:
      return  // accepts and never answers: the caller's timeouts end it
    default: break
    }
    guard databases[n].sessions < databaseConfigs[n].maxConnections else {
      replyData(ref, failed: true, &sim)  // FATAL: sorry, too many clients already
      return
    }
    databases[n].sessions += 1
    requests[Int(ref.index)].holdsSession = true
    requests[Int(ref.index)].dbEpoch = databases[n].epoch
    if databases[n].busy < databaseConfigs[n].concurrency {
      startQuery(ref, node, &sim)
    } else {
      dbQueues[n].append(ref)
    }
  }

  mutating func startQuery(_ ref: RequestRef, _ node: Int32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    databases[n].busy += 1
    let config = databaseConfigs[n]
    var time: Double
    if requests[Int(ref.index)].kind.writes {
      time = config.writeTime.sample(&databaseRandom)
      if replication.effectiveLevel != .off { time += config.localFlush.sample(&databaseRandom) }
    } else {
      time = config.readTime.sample(&databaseRandom)
    }
    if case .slow(let factor) = databaseCondition(node) { time *= factor }
    if case .latency(let extra) = databaseCondition(node) { time += extra.seconds }
    sim.schedule(.dbDone(ref, node: NodeEpoch(node: node, epoch: databases[n].epoch)), after: SimDuration(seconds: time))
  }

  /// A statement finishes: a read answers; a write commits (gets its LSN, ships its WAL)
  /// and is acknowledged now or when the synchronous standby confirms it.
  mutating func dbDone(_ ref: RequestRef, _ node: Int32, epoch: UInt32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    // The core is free again, unless the node stopped since (which reset its counts).
    if epoch == databases[n].epoch & 0xFFFF {
      databases[n].busy -= 1
      startWaitingQueries(node, &sim)
    }
    // A caller that left released its session when it finished.
    guard requests.isLive(ref), requests[Int(ref.index)].dbNode == node, requests[Int(ref.index)].stage == .waitingData else { return }
    guard epoch == databases[n].epoch & 0xFFFF else {
      replyData(ref, failed: true, &sim)  // the node went down under the query: connection lost
      return
    }
    if case .errors(let rate) = databaseCondition(node), databaseRandom.nextUnit() < rate {
      replyData(ref, failed: true, &sim)
      return
    }
    guard requests[Int(ref.index)].kind.writes else {
      replyData(ref, failed: false, &sim)
      return
    }
    guard databases[n].acceptsWrites else {
      replyData(ref, failed: true, &sim)  // ERROR: cannot execute INSERT in a read-only transaction
      return
    }
    let lsn = commit(node, at: sim.now, &sim)
    requests[Int(ref.index)].commitLSN = lsn
    if waitsForStandby(node) {
      syncWaiters[n].append(ref)  // acknowledged when the standby's feedback covers it
    } else {
      acknowledge(node, lsn: lsn, at: sim.now)
      replyData(ref, failed: false, &sim)
    }
  }

  /// Whether commits on this node wait for a synchronous standby.
  func waitsForStandby(_ node: Int32) -> Bool {
    switch replication.effectiveLevel {
    case .off, .local: return false
    default: return databases[Int(node)].role == .primary && standby(of: node) != nil
    }
  }

  /// The replica streaming from `node`, if any.
  func standby(of node: Int32) -> Int32? {
    for (s, database) in databases.enumerated() where database.role == .replica && database.upstream == node {
      return Int32(s)
    }
    return nil
  }

  mutating func startWaitingQueries(_ node: Int32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    while databases[n].busy < databaseConfigs[n].concurrency, let next = dbQueues[n].popFirst() {
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
    let caller = requests[i].pool >= 0 ? pools[Int(requests[i].pool)].region : requests[i].region
    guard node >= 0, requests[i].remote else {
      dataReply(ref, &sim)
      return
    }
    let from = databases[Int(node)].region
    if linkUp(from: from, to: caller) {
      sim.schedule(.dataReply(ref), after: oneWay(from: from, to: caller))
    }
    // A reply lost on a partitioned link never arrives: the caller's timeouts end it.
  }

  mutating func releaseSession(_ ref: RequestRef) {
    let i = Int(ref.index)
    guard requests[i].holdsSession, requests[i].dbNode >= 0 else { return }
    let n = Int(requests[i].dbNode)
    if requests[i].dbEpoch == databases[n].epoch && databases[n].sessions > 0 { databases[n].sessions -= 1 }
    requests[i].holdsSession = false
  }

  /// The answer is back at the backend (through its PgPool, if any).
  mutating func dataReply(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingData else { return }
    let i = Int(ref.index)
    var failed = requests[i].dataFailed
    if requests[i].pool >= 0 {
      let p = Int(requests[i].pool)
      if requests[i].poolEpoch != pools[p].epoch { failed = true }  // pgpool killed the session
      releaseChild(ref, &sim)
    }
    finish(ref, failed ? .dataTierError : .success, &sim)
  }

  // MARK: Commits and WAL

  /// Commits one write on a primary: the next LSN, recorded in the window, shipped.
  mutating func commit(_ node: Int32, at now: SimTime, _ sim: inout Simulator<ModelEvent>) -> Int64 {
    let n = Int(node)
    databases[n].lsn += 1
    let lsn = databases[n].lsn
    if standby(of: node) != nil {
      commitWindows[n].append(CommitRecord(time: now, acked: false))
    } else {
      databases[n].windowBase = lsn
    }
    shipWAL(from: node, &sim)
    return lsn
  }

  /// Marks a write acknowledged to its client and counts it where it belongs.
  mutating func acknowledge(_ node: Int32, lsn: Int64, at now: SimTime) {
    let n = Int(node)
    databases[n].ackedOwn += 1
    let offset = Int(lsn - databases[n].windowBase) - 1
    if offset >= 0 && offset < commitWindows[n].count { commitWindows[n][offset].acked = true }
    recorder.acknowledgedWrite(losingSide: !isAuthoritative(node), duringSplitBrain: splitBrainSince != nil)
  }

  func isAuthoritative(_ node: Int32) -> Bool { node == authoritative }

  /// Ships the primary's unsent WAL to its standby: serialised on the link's bandwidth,
  /// then the one-way delay. Nothing leaves while the link or the standby is down; the
  /// backlog goes when they are back.
  mutating func shipWAL(from node: Int32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    guard let s = standby(of: node), databases[n].sent < databases[n].lsn, databaseCondition(node) != .crash else { return }
    let from = databases[n].region
    let to = databases[Int(s)].region
    guard linkUp(from: from, to: to), databaseCondition(s) != .crash else { return }
    let bytes = Double(databases[n].lsn - databases[n].sent) * replication.walBytesPerWrite
    let start = max(sim.now, databases[n].senderBusyUntil)
    let done = start + link.transmission(bytes, from: from, to: to)
    databases[n].senderBusyUntil = done
    databases[n].sent = databases[n].lsn
    sim.schedule(.walArrive(node: s, lsn: WALPosition(databases[n].lsn)), at: done + oneWay(from: from, to: to))
  }

  /// WAL reaches the standby: written, then flushed; replay follows at its apply rate.
  mutating func walArrive(_ s: Int32, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(s)
    guard databases[i].role == .replica, !databases[i].promoting, !databases[i].resyncing, databaseCondition(s) != .crash,
      lsn > databases[i].received
    else { return }
    // WAL still on the wire when its region went dark or the link broke is lost with it.
    let upstream = databases[i].upstream
    if upstream >= 0 && !linkUp(from: databases[Int(upstream)].region, to: databases[i].region) {
      databases[Int(upstream)].sent = databases[i].received
      return
    }
    let previous = databases[i].received
    databases[i].received = lsn
    let config = databaseConfigs[i]
    let written = sim.now + config.standbyWrite.sampleDuration(&databaseRandom)
    let flushed = written + config.standbyFlush.sampleDuration(&databaseRandom)
    sim.schedule(.walFlushed(node: s, lsn: WALPosition(lsn)), at: flushed)
    let replayStart = max(flushed, databases[i].replayBusyUntil)
    let replayed = replayStart + config.replayPerWrite * (lsn - previous)
    databases[i].replayBusyUntil = replayed
    sim.schedule(.walReplayed(node: s, lsn: WALPosition(lsn)), at: replayed)
    if replication.effectiveLevel == .remoteWrite { sendFeedback(from: s, lsn: lsn, at: written, &sim) }
  }

  mutating func walFlushed(_ s: Int32, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(s)
    guard databases[i].role == .replica, lsn > databases[i].flushed else { return }
    databases[i].flushed = lsn
    if replication.effectiveLevel == .on { sendFeedback(from: s, lsn: lsn, at: sim.now, &sim) }
  }

  mutating func walReplayed(_ s: Int32, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(s)
    guard lsn > databases[i].replayed else { return }
    databases[i].replayed = min(lsn, databases[i].received)
    if databases[i].role == .replica, databases[i].upstream >= 0 { trimWindow(databases[i].upstream, upTo: databases[i].replayed) }
    if databases[i].role == .replica, replication.effectiveLevel == .remoteApply { sendFeedback(from: s, lsn: lsn, at: sim.now, &sim) }
  }

  /// The standby tells its primary how far it got (for synchronous commits).
  mutating func sendFeedback(from s: Int32, lsn: Int64, at time: SimTime, _ sim: inout Simulator<ModelEvent>) {
    let primary = databases[Int(s)].upstream
    guard primary >= 0 else { return }
    let from = databases[Int(s)].region
    let to = databases[Int(primary)].region
    guard linkUp(from: from, to: to) else { return }
    sim.schedule(.standbyFeedback(primary: primary, lsn: WALPosition(lsn)), at: max(time, sim.now) + oneWay(from: from, to: to))
  }

  /// Synchronous commits covered by the standby's report are acknowledged.
  mutating func standbyFeedback(_ primary: Int32, _ lsn: Int64, _ sim: inout Simulator<ModelEvent>) {
    let p = Int(primary)
    guard databases[p].role == .primary, lsn > databases[p].syncConfirmed else { return }
    databases[p].syncConfirmed = lsn
    while let ref = syncWaiters[p].first {
      guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingData, requests[Int(ref.index)].dbNode == primary else {
        _ = syncWaiters[p].popFirst()
        continue
      }
      let commitLSN = requests[Int(ref.index)].commitLSN
      guard commitLSN <= lsn else { break }
      _ = syncWaiters[p].popFirst()
      acknowledge(primary, lsn: commitLSN, at: sim.now)
      replyData(ref, failed: false, &sim)
    }
  }

  /// Drops window entries the standby has replayed (they survive a failover and no longer
  /// count toward its lag).
  mutating func trimWindow(_ primary: Int32, upTo lsn: Int64) {
    let p = Int(primary)
    while databases[p].windowBase < lsn, let record = commitWindows[p].popFirst() {
      databases[p].windowBase += 1
      databases[p].windowBaseTime = record.time
    }
  }

  /// Replication lag of a standby in seconds: how old the oldest write it has not replayed is.
  func replicationLag(of s: Int32, at now: SimTime) -> Double {
    let i = Int(s)
    let primary = databases[i].upstream
    guard databases[i].role == .replica, primary >= 0 else { return 0 }
    let p = Int(primary)
    guard databases[p].lsn > databases[i].replayed else { return 0 }
    let offset = Int(databases[i].replayed - databases[p].windowBase)
    guard offset >= 0 && offset < commitWindows[p].count else { return 0 }
    return (now - commitWindows[p][offset].time).seconds
  }

  /// The node's condition: region down or fenced counts as a crash.
  func databaseCondition(_ node: Int32) -> FaultMode? {
    let n = Int(node)
    if regionDown[Int(databases[n].region)] || databases[n].fenced { return .crash }
    return databases[n].fault
  }

  /// A fault on a database node begins or ends.
  mutating func setDatabaseFault(_ node: Int32, _ mode: FaultMode?, begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    let wasDown = databaseCondition(node) == .crash
    databases[Int(node)].fault = mode
    if begins && (mode == .crash || mode == .hang) && !wasDown { databaseStopped(node, &sim) }
    if !begins { resumeReplication(&sim) }
  }

  /// A fault on the region link (one direction, or both) begins or ends.
  mutating func setLinkFault(from: Int?, _ mode: FaultMode?, begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    link.setFault(mode, from: from)
    if !begins { resumeReplication(&sim) }
  }

  /// A node stops: its queued queries are refused; in-flight ones find the epoch moved.
  mutating func databaseStopped(_ node: Int32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    databases[n].epoch &+= 1
    databases[n].busy = 0
    databases[n].sessions = 0
    while let ref = dbQueues[n].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].dbNode == node, requests[Int(ref.index)].stage == .waitingData else { continue }
      requests[Int(ref.index)].holdsSession = false
      replyData(ref, failed: true, &sim)
    }
    // Commits waiting for their standby die with the connection.
    while let ref = syncWaiters[n].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].dbNode == node, requests[Int(ref.index)].stage == .waitingData else { continue }
      requests[Int(ref.index)].holdsSession = false
      replyData(ref, failed: true, &sim)
    }
  }

  /// A node or the link came back: streaming resumes with the backlog.
  mutating func resumeReplication(_ sim: inout Simulator<ModelEvent>) {
    for n in databases.indices where databases[n].role != .replica {
      shipWAL(from: Int32(n), &sim)
    }
  }

  // MARK: Promotion

  /// Starts promoting a standby: it stops receiving WAL, replays what it has, then
  /// becomes a primary on a new timeline (mechanisms.md §4.3).
  mutating func promote(_ node: Int32, by who: String, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    let name = databaseName(node)
    guard databaseCondition(node) != .crash else {
      recorder.timeline.record(sim.now, .database, .promotionFailed, "\(who) cannot promote \(name): it is down")
      return
    }
    guard databases[n].role == .replica, !databases[n].promoting else {
      if databases[n].role != .replica {
        recorder.timeline.record(sim.now, .database, .promotionNoop, "\(who) asks to promote \(name), already a primary: nothing to do")
      }
      return
    }
    databases[n].promoting = true
    databases[n].promotionRequested = sim.now
    let backlog = databases[n].received - databases[n].replayed
    let replay = max(.zero, databases[n].replayBusyUntil - sim.now)
    let duration = replay + databaseConfigs[n].promotionTime.sampleDuration(&databaseRandom)
    promotions += 1
    recorder.timeline.record(
      sim.now, .database, .promotionStarted,
      "\(who) promotes \(name): replays \(backlog) writes of backlog, then ≈ \(duration.rounded(significantDigits: 3)) to primary")
    sim.schedule(.promotionDone(node: node, promotion: Int32(promotions)), after: duration)
  }

  /// The standby is a primary: the fork point decides which acknowledged writes are lost.
  mutating func promotionDone(_ node: Int32, _ sim: inout Simulator<ModelEvent>) {
    let n = Int(node)
    guard databases[n].promoting else { return }
    databases[n].promoting = false
    if databaseCondition(node) == .crash {
      recorder.timeline.record(sim.now, .database, .promotionFailed, "\(databaseName(node)) went down before its promotion finished")
      return
    }
    let old = databases[n].upstream
    let fork = databases[n].received
    var lost = 0
    var diverged = 0
    var lostSeconds = 0.0
    if old >= 0, let switchover = pendingSwitchover, switchover.from == old, switchover.to == node {
      // A planned switchover: the old primary stopped taking writes and the standby caught
      // up, so nothing diverged; the old primary follows the new one.
      pendingSwitchover = nil
      let o = Int(old)
      databases[n].inheritedAcked = databases[o].inheritedAcked + databases[o].ackedOwn
      databases[o].role = .replica
      databases[o].upstream = node
      databases[o].received = fork
      databases[o].flushed = fork
      databases[o].replayed = fork
      commitWindows[o].removeAll()
      databases[o].windowBase = databases[o].lsn
      databases[o].ackedOwn = 0
      databases[o].inheritedAcked = 0
      databases[n].role = .primary
      databases[n].upstream = -1
      databases[n].timeline = databases[o].timeline + 1
      databases[n].forkLSN = fork
      databases[n].lsn = fork
      databases[n].windowBase = fork
      databases[n].sent = fork
      authoritative = node
      recorder.timeline.record(
        sim.now, .database, .dbPromoted,
        "\(databaseName(node)) is primary (timeline \(databases[n].timeline)); \(databaseName(old)) follows it as standby")
      return
    }
    if old >= 0 {
      let o = Int(old)
      // Acknowledged writes above the fork point never reached the new primary. Those
      // acknowledged before the promotion was asked for are the failover's loss (RPO);
      // those the old primary took while the standby was being promoted went to a
      // history that is already being abandoned: split brain's losing side.
      var lastKept: SimTime? = databases[o].windowBase == fork ? databases[o].windowBaseTime : nil
      var firstLost: SimTime?
      var lastLost: SimTime?
      for k in 0..<commitWindows[o].count {
        let lsn = databases[o].windowBase + Int64(k) + 1
        let record = commitWindows[o][k]
        if lsn == fork { lastKept = record.time }
        guard lsn > fork, record.acked else { continue }
        if record.time <= databases[n].promotionRequested {
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
      databases[n].inheritedAcked = databases[o].inheritedAcked + databases[o].ackedOwn - lost - diverged
      databases[o].diverged = true
      commitWindows[o].removeAll()
      databases[o].windowBase = databases[o].lsn
      databases[o].sent = databases[o].lsn
    }
    databases[n].role = .primary
    databases[n].upstream = -1
    databases[n].timeline = (old >= 0 ? databases[Int(old)].timeline : databases[n].timeline) + 1
    databases[n].lsn = fork
    databases[n].forkLSN = fork
    databases[n].windowBase = fork
    databases[n].sent = fork
    databases[n].replayed = fork
    authoritative = node
    recorder.promoted(lostWrites: lost, lostSeconds: lostSeconds, divergedWrites: diverged)
    var text = "\(databaseName(node)) is primary (timeline \(databases[n].timeline))"
    text +=
      lost > 0
      ? "; \(lost) acknowledged writes (\(String(format: "%.3f", lostSeconds)) s of history) never reached it: lost"
      : "; no acknowledged write lost"
    if diverged > 0 { text += "; \(diverged) writes \(databaseName(old)) took during the promotion are on the losing side" }
    recorder.timeline.record(sim.now, .database, .dbPromoted, text)
    updateSplitBrain(sim.now)
    // Commits waiting on the old primary for this standby can never be confirmed.
    if old >= 0 {
      let waiting = syncWaiters[Int(old)].count
      if waiting > 0 {
        recorder.timeline.record(
          sim.now, .database, .syncCommitsStranded, "\(waiting) commits on \(databaseName(old)) wait for a standby that left")
      }
    }
  }

  /// Split brain is two nodes accepting writes at once: recorded when it begins (a
  /// promotion with the old primary alive, or an old primary coming back) and when it ends.
  mutating func updateSplitBrain(_ now: SimTime) {
    let writable = databases.indices.filter { databases[$0].acceptsWrites && databaseCondition(Int32($0)) != .crash }
    if writable.count > 1 && splitBrainSince == nil {
      splitBrainSince = now
      let losers = writable.filter { Int32($0) != authoritative }.map { databaseName(Int32($0)) }
      recorder.timeline.record(
        now, .database, .splitBrainBegan,
        "Split brain: \(writable.map { databaseName(Int32($0)) }.joined(separator: " and ")) all accept writes; writes on "
          + "\(losers.joined(separator: ", ")) will be lost (nothing fences it)")
    } else if writable.count <= 1 && splitBrainSince != nil {
      splitBrainSince = nil
      recorder.timeline.record(
        now, .database, .splitBrainEnded,
        "Split brain ended: one writable primary left (\(recorder.splitBrainWrites) writes landed on the losing side)")
    }
  }

  func databaseName(_ node: Int32) -> String { "\(name(ofRegion: databases[Int(node)].region)) db" }
}
