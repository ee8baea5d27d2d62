import SimCore

/// The seed backend's own database pool and its crash loop (seed-repository §5.1): a
/// request takes one of the process's connections before its query (waiting in order, for
/// ever, when all are busy); when the database path breaks under idle connections the
/// process exits (`pool.on('error')` → `process.exit(-1)`); systemd starts it again 10 s
/// later, and the start runs `CREATE TABLE` before listening, exiting again while the
/// database refuses: a crash loop that lasts as long as the database is gone.
///
/// One simplification: a connection goes back to the pool when its request ends, also
/// when a timeout ended the request first (node-postgres keeps it until the query returns).
extension TopologyModel {
  /// A backend request needs the data tier: through its process's own pool when it has one.
  mutating func callDataThroughAppPool(_ ref: RequestRef, region: Int, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    let id = requests[i].instance(1)
    guard id.exists, let pool = fleet.groups[Int(fleet.instances[Int(id)].group)].appPool else {
      callData(ref, region: region, &sim)
      return
    }
    fleet.instances[Int(id)].lastDataCall = sim.now
    if fleet.instances[Int(id)].appConnections < pool.maxConnections {
      fleet.instances[Int(id)].appConnections += 1
      requests[i].holdsAppConnection = true
      callData(ref, region: region, &sim)
    } else {
      requests[i].stage = .waitingAppConnection
      fleet.appPoolQueues[Int(id)].append(ref)
    }
  }

  /// A request that held a connection ends: the connection goes to the next live waiter.
  mutating func releaseAppConnection(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    requests[i].holdsAppConnection = false
    let id = requests[i].instance(1)
    // A process that exited since lost every connection with it.
    guard id.exists, requests[i].epoch(1) == fleet.instances[Int(id)].epoch else { return }
    while !fleet.appPoolQueues[Int(id)].isEmpty, let next = fleet.appPoolQueues[Int(id)].popFirst() {
      guard requests.isLive(next), requests[Int(next.index)].stage == .waitingAppConnection else { continue }
      // The connection passes straight to the waiter (the count stays).
      requests[Int(next.index)].holdsAppConnection = true
      requests[Int(next.index)].stage = .waitingData
      sim.schedule(.appConnectionGranted(next), after: .zero)
      return
    }
    fleet.instances[Int(id)].appConnections -= 1
  }

  mutating func appConnectionGranted(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].holdsAppConnection else { return }
    callData(ref, region: Int(requests[Int(ref.index)].region), &sim)
  }

  // MARK: The crash loop

  /// The database path of the regions reaching `node` (straight, or through `pool`) broke
  /// with connection errors: processes that hold idle connections exit.
  mutating func databasePathBroke(node: DatabaseID?, pool: PoolID?, _ sim: inout Simulator<ModelEvent>) {
    for g in fleet.groups.indices {
      guard let config = fleet.groups[g].appPool, config.exitOnConnectionError else { continue }
      let r = Int(fleet.groups[g].region)
      guard r < dataAccess.count else { continue }
      switch dataAccess[r] {
      case .direct(let target): guard let node, DatabaseID(target) == node else { continue }
      case .pgpool: guard let pool, pool == PoolID(r) else { continue }
      }
      for id in fleet.groups[g].members {
        let instance = fleet.instances[Int(id)]
        guard instance.phase == .inService, !instance.exited, fleet.condition(id) == nil,
          instance.lastDataCall > .zero, (sim.now - instance.lastDataCall) < config.idleTimeout
        else { continue }
        exitProcess(id, config, &sim)
      }
    }
  }

  /// The process exits: it refuses connections (the load balancer answers 502), its pool
  /// and its waiters are gone, and systemd starts it again `restartDelay` later.
  mutating func exitProcess(_ id: InstanceID, _ config: AppPoolConfig, _ sim: inout Simulator<ModelEvent>) {
    fleet.instances[Int(id)].exited = true
    fleet.instances[Int(id)].failedStarts = 0
    recorder.timeline.record(
      sim.now, .instance, .processExited,
      "\(fleet.name(ofInstance: id)) exits: its idle database connections broke (pool.on('error') → process.exit); "
        + "systemd starts it again in \(config.restartDelay)")
    instancesConditionChanged([id], begins: true, &sim)
    failAppPoolWaiters(id, &sim)
    sim.schedule(.processStart(instance: id), after: config.restartDelay)
  }

  /// Requests waiting for a connection of a process that died: their connection is reset.
  mutating func failAppPoolWaiters(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    fleet.instances[Int(id)].appConnections = 0
    while let ref = fleet.appPoolQueues[Int(id)].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].stage == .waitingAppConnection else { continue }
      sim.schedule(.refused(ref), after: .milliseconds(1))
    }
  }

  /// systemd starts the process: `initDatabase()` creates its table before listening. A
  /// refusal (or a standby that cannot write) ends the start at once, and it exits again; a
  /// database that never answers holds the start until the kernel gives up the connect.
  mutating func processStart(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let instance = fleet.instances[Int(id)]
    guard instance.exited, instance.phase != .terminated,
      let config = fleet.groups[Int(instance.group)].appPool
    else { return }
    let r = Int(fleet.groups[Int(instance.group)].region)
    if regionDown[r] {  // the machine itself is off: systemd runs again when it is back
      sim.schedule(.processStart(instance: id), after: config.restartDelay)
      return
    }
    var random = targetProbeRandom
    let path = databasePathAnswers(from: r, random: &random, writing: true)
    targetProbeRandom = random
    switch path {
    case .answers:
      fleet.instances[Int(id)].exited = false
      let starts = fleet.instances[Int(id)].failedStarts
      recorder.timeline.record(
        sim.now, .instance, .processStarted,
        "\(fleet.name(ofInstance: id)) starts and listens again"
          + (starts == 0 ? "" : " after \(starts) failed start\(starts == 1 ? "" : "s")"))
      instancesConditionChanged([id], begins: false, &sim)
    case .refuses, .silent:
      fleet.instances[Int(id)].failedStarts += 1
      if fleet.instances[Int(id)].failedStarts == 1 {
        recorder.timeline.record(
          sim.now, .instance, .processCrashLoop,
          "\(fleet.name(ofInstance: id)) cannot start: initDatabase's CREATE TABLE fails "
            + (path == .refuses ? "(refused)" : "(no answer; the connect gives up after \(config.connectGiveUp))")
            + ", so it exits again: a crash loop every \(config.restartDelay) while the database is gone")
      }
      let wait = path == .refuses ? config.restartDelay : config.connectGiveUp + config.restartDelay
      sim.schedule(.processStart(instance: id), after: wait)
    }
  }
}
