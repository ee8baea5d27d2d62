import SimCore

/// The model's side of PgPool-II: sessions entering and leaving, health checks of the
/// backends exactly as pgpool runs them, and its serial, blocking failover (mechanisms §3,
/// modelling rules 8–11).
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: PgPoolEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .pgpoolCheck(let pool, let node, let attempt): pgpoolCheck(pool, node, attempt: attempt, &sim)
    case .pgpoolCheckResult(let pool, let node, let attempt, let passed):
      pgpoolCheckResult(pool, node, attempt: attempt, passed: passed, &sim)
    case .pgpoolFailoverCommandDone(let pool, let node): pgpoolFailoverCommandDone(pool, node, &sim)
    case .pgpoolSearch(let pool): pgpoolSearch(pool, &sim)
    case .pgpoolSRCheck(let pool): pgpoolSRCheck(pool, &sim)
    }
  }

  // MARK: Sessions

  /// A backend connects to its region's PgPool: a child now, a place in the backlog, or a refusal.
  mutating func enterPool(_ ref: RequestRef, _ p: PoolID, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    let q = Int(p)  // the pool's fields are read in place: a copy would copy its configuration
    let fault = pgpool.pools[q].fault
    if regionDown[Int(pgpool.pools[q].region)] || fault == .crash {
      refuseData(ref, &sim)
      return
    }
    if fault == .hang {
      requests[i].stage = .waitingPool  // accepts, never answers
      return
    }
    if case .errors(let rate) = fault, pgpool.checkRandom[p.index].nextUnit() < rate {
      refuseData(ref, &sim)
      return
    }
    let children = pgpool.pools[q].config.numInitChildren
    let failingOver = pgpool.pools[q].failingOver
    if !failingOver && pgpool.pools[q].busyChildren < children {
      takeChild(ref, p, &sim)
    } else if pgpool.pools[q].config.reservedConnections > 0 && !failingOver {
      refuseData(ref, &sim)  // "Sorry, too many clients already"
    } else if pgpool.pools[q].waiting < pgpool.pools[q].config.listenBacklogMultiplier * children {
      pgpool.pools[Int(p)].waiting += 1
      requests[i].stage = .waitingPool
      pgpool.queues[Int(p)].append(ref)
    } else {
      refuseData(ref, &sim)  // the listen backlog overflowed: the connect fails
    }
  }

  /// The data call fails at once (connection refused).
  mutating func refuseData(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    requests[Int(ref.index)].stage = .waitingData
    requests[Int(ref.index)].dataFailed = true
    requests[Int(ref.index)].dbNode = .none
    sim.schedule(.dataReply(ref), after: .milliseconds(1))
  }

  mutating func takeChild(_ ref: RequestRef, _ p: PoolID, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    pgpool.pools[Int(p)].busyChildren += 1
    requests[i].holdsChild = true
    requests[i].poolEpoch = pgpool.pools[Int(p)].epoch
    requests[i].stage = .waitingData
    let node = requests[i].kind.writes ? pgpool.pools[Int(p)].primary : pgpool.readNode(p, nodeCount: cluster.nodes.count)
    guard node.exists else {
      refuseData(ref, &sim)  // no primary known: writes fail
      return
    }
    sendQuery(ref, from: pgpool.pools[Int(p)].region, to: node, connectTimeout: pgpool.pools[Int(p)].config.connectTimeout, &sim)
  }

  mutating func releaseChild(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    guard requests[i].holdsChild, requests[i].pool.exists else { return }
    let p = Int(requests[i].pool)
    requests[i].holdsChild = false
    if requests[i].poolEpoch == pgpool.pools[p].epoch && pgpool.pools[p].busyChildren > 0 { pgpool.pools[p].busyChildren -= 1 }
    if pgpool.pools[p].waiting > 0 { pumpPool(PoolID(p), &sim) }
  }

  /// Hands free children to waiting clients, unless a failover holds everything.
  mutating func pumpPool(_ p: PoolID, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    while !pgpool.pools[q].failingOver, pgpool.pools[q].fault != .hang,
      pgpool.pools[q].busyChildren < pgpool.pools[q].config.numInitChildren, pgpool.pools[q].waiting > 0
    {
      guard let next = pgpool.queues[q].popFirst() else {
        pgpool.pools[q].waiting = 0
        break
      }
      guard requests.isLive(next), requests[Int(next.index)].stage == .waitingPool, requests[Int(next.index)].pool == p else { continue }
      pgpool.pools[q].waiting -= 1
      takeChild(next, p, &sim)
    }
  }

  /// A session hit a socket error on a backend: with failover_on_backend_error, fail it over now.
  mutating func backendError(_ ref: RequestRef, node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let p = requests[Int(ref.index)].pool
    guard p.exists, pgpool.pools[Int(p)].config.failoverOnBackendError, pgpool.pools[Int(p)].attached[Int(node)] else { return }
    failover(p, node, reason: "a session hit a socket error (failover_on_backend_error)", &sim)
  }

  // MARK: Health checks

  /// One attempt of a health-check round on a backend (rule 8): a black-holed connect
  /// gives up at min(connect_timeout, health_check_timeout), a hung server at
  /// health_check_timeout, a refusal after a round trip.
  mutating func pgpoolCheck(_ p: PoolID, _ node: DatabaseID, attempt: Int32, _ sim: inout Simulator<ModelEvent>) {
    let pool = pgpool.pools[Int(p)]
    let config = pool.config
    guard !regionDown[Int(pool.region)], pool.fault != .crash, pool.fault != .hang, pool.attached[Int(node)] else {
      sim.schedule(.pgpoolCheck(pool: p, node: node, attempt: 0), after: config.healthCheckPeriod)
      return
    }
    let from = pool.region
    let to = cluster.nodes[Int(node)].region
    let blackHole = min(config.connectTimeout, config.healthCheckTimeout)
    let passed: Bool
    let took: SimDuration
    if !linkUp(from: from, to: to) || regionDown[Int(to)] || cluster.nodes[Int(node)].fenced {
      (passed, took) = (false, blackHole)
    } else {
      let roundTrip = oneWay(from: from, to: to, carrying: .checks) + oneWay(from: to, to: from, carrying: .checks)
      switch cluster.nodes[Int(node)].fault {
      case .crash: (passed, took) = (false, roundTrip)
      case .hang: (passed, took) = (false, config.healthCheckTimeout)
      case .errors(let rate): (passed, took) = (pgpool.checkRandom[p.index].nextUnit() >= rate, roundTrip)
      default: (passed, took) = (true, roundTrip)
      }
    }
    sim.schedule(.pgpoolCheckResult(pool: p, node: node, attempt: attempt, passed: passed), after: took)
  }

  /// A passing attempt ends the round; a failing one retries after retry_delay; the last
  /// failing attempt fails the round, and one failed round triggers failover.
  mutating func pgpoolCheckResult(_ p: PoolID, _ node: DatabaseID, attempt: Int32, passed: Bool, _ sim: inout Simulator<ModelEvent>) {
    let config = pgpool.pools[Int(p)].config
    if passed {
      if config.followsExternalPromotion { noticeExternalPrimary(p, node, &sim) }
      sim.schedule(.pgpoolCheck(pool: p, node: node, attempt: 0), after: config.healthCheckPeriod)  // sleep(period) after the check
      return
    }
    if Int(attempt) < config.healthCheckMaxRetries {
      sim.schedule(.pgpoolCheck(pool: p, node: node, attempt: attempt + 1), after: config.healthCheckRetryDelay)
      return
    }
    if pgpool.pools[Int(p)].attached[Int(node)] {
      failover(p, node, reason: "its health check failed \(attempt + 1) attempts in a row", &sim)
    }
    sim.schedule(.pgpoolCheck(pool: p, node: node, attempt: 0), after: config.healthCheckPeriod)
  }

  /// The case study's assumption ("PgPool detects new primary"): a pgpool learns at its
  /// next health check that its own region's node was promoted behind its back.
  mutating func noticeExternalPrimary(_ p: PoolID, _ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    guard node == cluster.authoritative, cluster.nodes[Int(node)].region == pgpool.pools[q].region, pgpool.pools[q].primary != node,
      cluster.nodes[Int(node)].role == .primary, pgpool.pools[q].attached[Int(node)]
    else { return }
    pgpool.pools[q].primary = node
    recorder.timeline.record(
      sim.now, .pgpool, .pgpoolSwitched,
      "PgPool (\(name(ofRegion: pgpool.pools[q].region))) detects \(cluster.name(node)) as the new primary at its health check "
        + "(the case study's assumption: real pgpool never notices a primary promoted behind its back)")
  }

  // MARK: Failover

  /// pgpool's failover(): detach the node; if it was the primary, kill every session;
  /// run failover_command (synchronously); then search for a primary.
  mutating func failover(_ p: PoolID, _ node: DatabaseID, reason: String, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    guard pgpool.pools[q].attached[Int(node)] else { return }
    pgpool.pools[q].attached[Int(node)] = false
    let region = name(ofRegion: pgpool.pools[q].region)
    recorder.timeline.record(sim.now, .pgpool, .pgpoolDetached, "PgPool (\(region)) detaches \(cluster.name(node)): \(reason)")
    let lostPrimary = node == pgpool.pools[q].primary
    if lostPrimary {
      pgpool.pools[q].epoch &+= 1
      pgpool.pools[q].busyChildren = 0
      recorder.timeline.record(
        sim.now, .pgpool, .pgpoolSessionsKilled, "PgPool (\(region)) disconnects every session: the primary went down")
      databasePathBroke(node: nil, pool: p, &sim)
    }
    if pgpool.pools[q].failingOver {
      pgpool.pools[q].failoverLostPrimary = pgpool.pools[q].failoverLostPrimary || lostPrimary
      return
    }
    pgpool.pools[q].failingOver = true
    pgpool.pools[q].failoverLostPrimary = lostPrimary
    let duration = pgpool.pools[q].config.failoverCommandTime.sampleDuration(&pgpool.failoverRandom[q])
    sim.schedule(.pgpoolFailoverCommandDone(pool: p, node: node), after: duration)
  }

  mutating func pgpoolFailoverCommandDone(_ p: PoolID, _ node: DatabaseID, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    let region = name(ofRegion: pgpool.pools[q].region)
    if pgpool.pools[q].config.failoverCommand == .promoteStandby {
      let candidates = cluster.nodes.indices.filter { pgpool.pools[q].attached[$0] && cluster.nodes[$0].role == .replica }
      if let standby = candidates.first {
        promote(DatabaseID(standby), by: "PgPool (\(region)) failover_command", &sim)
      } else {
        recorder.timeline.record(
          sim.now, .pgpool, .pgpoolFailoverCommand, "PgPool (\(region)) failover_command finds no standby to promote")
      }
    } else {
      recorder.timeline.record(sim.now, .pgpool, .pgpoolFailoverCommand, "PgPool (\(region)) failover_command ran; it promotes nothing")
    }
    guard pgpool.pools[q].failoverLostPrimary else {
      pgpool.pools[q].failingOver = false
      pumpPool(p, &sim)
      return
    }
    pgpool.pools[q].primary = .none
    let timeout = pgpool.pools[q].config.searchPrimaryNodeTimeout
    pgpool.pools[q].searchDeadline = timeout == .zero ? .distantFuture : sim.now + timeout
    pgpoolSearch(p, &sim)
  }

  /// find_primary_node_repeatedly(): poll attached nodes every second for one that is
  /// out of recovery, until search_primary_node_timeout.
  mutating func pgpoolSearch(_ p: PoolID, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    guard pgpool.pools[q].failingOver else { return }
    let region = name(ofRegion: pgpool.pools[q].region)
    let found = cluster.nodes.indices.first { n in
      pgpool.pools[q].attached[n] && cluster.nodes[n].role != .replica && !cluster.nodes[n].promoting
        && linkUp(from: pgpool.pools[q].region, to: cluster.nodes[n].region)
        && cluster.condition(DatabaseID(n), regionDown: regionDown) == nil
    }
    if let found {
      pgpool.pools[q].primary = DatabaseID(found)
      pgpool.pools[q].failingOver = false
      recorder.timeline.record(
        sim.now, .pgpool, .pgpoolSwitched, "PgPool (\(region)) finds \(cluster.name(DatabaseID(found))) as primary and serves again")
      pumpPool(p, &sim)
    } else if sim.now >= pgpool.pools[q].searchDeadline {
      pgpool.pools[q].failingOver = false
      recorder.timeline.record(
        sim.now, .pgpool, .pgpoolNoPrimary,
        "PgPool (\(region)) gives up its search for a primary (search_primary_node_timeout): writes fail until an operator acts")
      pumpPool(p, &sim)
    } else {
      sim.schedule(.pgpoolSearch(pool: p), after: .seconds(1))
    }
  }

  /// sr_check: a standby lagging past delay_threshold stops taking reads until it catches up.
  mutating func pgpoolSRCheck(_ p: PoolID, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    guard let threshold = pgpool.pools[q].config.delayThreshold else { return }
    sim.schedule(.pgpoolSRCheck(pool: p), after: pgpool.pools[q].config.srCheckPeriod)
    let local = Int(pgpool.pools[q].region)
    guard local < cluster.nodes.count else { return }
    let lagging = cluster.replicationLag(of: DatabaseID(local), at: sim.now) > threshold.seconds
    if lagging != pgpool.pools[q].lagging[local] {
      pgpool.pools[q].lagging[local] = lagging
      recorder.timeline.record(
        sim.now, .pgpool, lagging ? .pgpoolStandbyLagging : .pgpoolStandbyCaughtUp,
        lagging
          ? "PgPool (\(name(ofRegion: pgpool.pools[q].region))) sends reads to the primary: \(cluster.name(DatabaseID(local))) lags past \(threshold)"
          : "PgPool (\(name(ofRegion: pgpool.pools[q].region))) reads from \(cluster.name(DatabaseID(local))) again")
    }
  }
}

extension TopologyModel {
  /// A fault on a region's PgPool begins or ends.
  mutating func setPoolFault(_ p: PoolID, _ mode: FaultMode?, begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    pgpool.pools[Int(p)].fault = mode
    if begins && (mode == .crash || mode == .hang) { poolStopped(p, &sim) }
    if begins && mode == .crash { databasePathBroke(node: nil, pool: p, &sim) }
    if !begins { pumpPool(p, &sim) }
  }

  /// A PgPool stops: every session is dropped and every waiting client refused.
  mutating func poolStopped(_ p: PoolID, _ sim: inout Simulator<ModelEvent>) {
    let q = Int(p)
    pgpool.pools[q].epoch &+= 1
    pgpool.pools[q].busyChildren = 0
    while let ref = pgpool.queues[q].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingPool, requests[Int(ref.index)].pool == p else { continue }
      pgpool.pools[q].waiting -= 1
      refuseData(ref, &sim)
    }
  }
}
