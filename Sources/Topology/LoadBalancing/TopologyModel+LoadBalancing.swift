import Foundation
import SimCore

/// The model's side of the load balancers: a request arriving, queueing, being dispatched
/// to a target, its slot released, the queue pumped; the hop from frontend to backend and
/// the data-tier call (mechanisms §6 and rules 17–18).
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: LoadBalancerEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .queueTimeout(let lb):
      if let ref = balancers.states[Int(lb)].queueTimeouts?.fire(wake: .queueTimeout(lb), in: &sim) { queueTimedOut(ref, lb, &sim) }
    case .targetTimeout(let lb):
      if let ref = balancers.states[Int(lb)].targetTimeouts?.fire(wake: .targetTimeout(lb), in: &sim) { targetTimedOut(ref, lb, &sim) }
    case .refused(let ref):
      if requests.isLive(ref) { finish(ref, .targetRefused, &sim) }
    }
  }

  mutating func arriveAtLoadBalancer(_ ref: RequestRef, _ lb: LoadBalancerID, tier: Int, _ sim: inout Simulator<ModelEvent>) {
    let l = Int(lb)
    requests[Int(ref.index)].setLBArrival(tier, sim.now)
    if let pick = balancers.pickTarget(lb, among: fleet.instances) {
      dispatch(ref, lb, pick, tier: tier, arriving: true, &sim)
      return
    }
    // Counted here, or by the dispatch above in its one write to the state.
    balancers.states[l].accepted += 1
    if balancers.states[l].targets.isEmpty {
      finish(ref, .noTarget, &sim)
      return
    }
    if let limit = balancers.states[l].queueLimit, balancers.states[l].queued >= limit {
      if !balancers.states[l].overflowing {
        balancers.states[l].overflowing = true
        recorder.timeline.record(
          sim.now, .loadBalancer, .lbQueueOverflowBegan,
          "\(balancers.name(lb)): queue full (\(limit) waiting); new requests get 503")
      }
      balancers.states[l].refusedInBucket = true
      finish(ref, .queueFull, &sim)
      return
    }
    balancers.queues[l].append(ref)
    balancers.states[l].queued += 1
    balancers.states[l].queueLength.update(to: Double(balancers.states[l].queued), at: sim.now)
    balancers.states[l].inSystem.update(to: Double(balancers.states[l].queued + balancers.states[l].activeTotal), at: sim.now)
    balancers.states[l].bucketMaxQueue = max(balancers.states[l].bucketMaxQueue, balancers.states[l].queued)
    requests[Int(ref.index)].stage = .queued(tier: tier)
    requests[Int(ref.index)].queuedAt = lb
    if balancers.states[l].queueTimeouts != nil {
      requests[Int(ref.index)].queueTimeout = balancers.states[l].queueTimeouts!.set(ref, wake: .queueTimeout(lb), in: &sim)
    }
  }

  /// Sends a request to the target picked; `arriving` when it has just reached the load
  /// balancer (not out of its queue), so the dispatch also counts it as accepted.
  @inline(__always) mutating func dispatch(
    _ ref: RequestRef, _ lb: LoadBalancerID, _ pick: (id: InstanceID, position: Int), tier: Int, arriving: Bool,
    _ sim: inout Simulator<ModelEvent>
  ) {
    let l = Int(lb)
    let target = pick.id
    let i = Int(ref.index)
    balancers.states[l].dispatched(
      position: pick.position, waited: (sim.now - requests[i].lbArrival(tier)).seconds, arriving: arriving, at: sim.now)
    fleet.slotTaken(target)
    requests[i].setInstance(tier, target, epoch: fleet.instances[Int(target)].epoch)
    requests[i].stage = .atInstance(tier: tier)
    if balancers.states[l].targetTimeouts != nil {
      requests[i].setTargetTimeout(tier, balancers.states[l].targetTimeouts!.set(ref, wake: .targetTimeout(lb), in: &sim))
    }
    switch fleet.condition(target) {
    case .crash:
      // The target refuses: the LB answers 502 after a round trip.
      sim.schedule(.refused(ref), after: .milliseconds(1))
    default:
      requestWorker(ref, target, &sim)
    }
  }

  /// A worker finishes; the next waiting request takes it; the finished request moves on.
  mutating func cpuDone(_ ref: RequestRef, _ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    // Read first: popping from an empty queue would still check the queue array's uniqueness.
    if fleet.workerFreed(id, at: sim.now) && !fleet.cpuQueues[d].isEmpty { startWaitingWork(id, &sim) }
    let tier = fleet.instances[d].tier
    guard requests.isLive(ref), requests[Int(ref.index)].instance(tier) == id else { return }
    if requests[Int(ref.index)].epoch(tier) != fleet.instances[d].epoch {
      finish(ref, .targetRefused, &sim)  // the instance crashed while it worked
      return
    }
    switch fleet.condition(id) {
    case .crash:
      finish(ref, .targetRefused, &sim)
      return
    case .hang:
      fleet.cpuQueues[d].append(ref)  // hangs; runs again when the hang is repaired
      return
    case .errors(let rate) where instanceErrorRandom.nextUnit() < rate:
      finish(ref, .applicationError, &sim)
      return
    default: break
    }
    let region = Int(requests[Int(ref.index)].region)
    if tier == 0 {
      let backend = balancers.byRegion[region][1]
      guard backend.exists else {
        finish(ref, .success, &sim)
        return
      }
      requests[Int(ref.index)].stage = .waitingDownstream(tier: 0)
      // The frontend proxies to the backend's load balancer.
      let fault = balancers.states[Int(backend)].fault
      if regionDown[region] || fault == .crash {
        sim.schedule(.refused(ref), after: .milliseconds(1))
      } else if fault == .hang {
        requests[Int(ref.index)].stage = .stuck(tier: 1)
      } else if case .errors(let rate) = fault, lbErrorRandom.nextUnit() < rate {
        finish(ref, .loadBalancerError, &sim)
      } else {
        arriveAtLoadBalancer(ref, backend, tier: 1, &sim)
      }
      return
    }
    guard region < dataAccess.count else {  // dataAccess is empty without a data path
      finish(ref, .success, &sim)
      return
    }
    callDataThroughAppPool(ref, region: region, &sim)
  }

  mutating func queueTimedOut(_ ref: RequestRef, _ lb: LoadBalancerID, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].queuedAt == lb, case .queued = requests[Int(ref.index)].stage else { return }
    requests[Int(ref.index)].queueTimeout = .none
    finish(ref, .queueTimeout, &sim)
  }

  mutating func targetTimedOut(_ ref: RequestRef, _ lb: LoadBalancerID, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref) else { return }
    requests[Int(ref.index)].setTargetTimeout(balancers.tierIndex(lb), .none)
    finish(ref, .gatewayTimeout, &sim)
  }

  /// Takes a queued request out of its load balancer's queue (the ring entry is skipped later).
  mutating func leaveQueue(_ ref: RequestRef, tier: Int, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    let l = Int(requests[i].queuedAt)
    guard l >= 0 else { return }
    balancers.states[l].queued -= 1
    balancers.states[l].queueLength.update(to: Double(balancers.states[l].queued), at: sim.now)
    balancers.states[l].inSystem.update(to: Double(balancers.states[l].queued + balancers.states[l].activeTotal), at: sim.now)
    let timeout = requests[i].queueTimeout
    balancers.states[l].queueTimeouts.cancel(timeout)
    requests[i].queueTimeout = .none
    requests[i].queuedAt = .none
  }

  /// The request gives back its slot at a tier's target; a queued request may take it.
  mutating func releaseSlot(_ ref: RequestRef, tier: Int, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    let id = requests[i].instance(tier)
    let lb = balancers.byRegion[Int(requests[i].region)][tier]
    requests[i].setInstance(tier, .none, epoch: 0)
    let l = Int(lb)
    balancers.states[l].released(
      targetTimeout: requests[i].targetTimeout(tier), sojourn: (sim.now - requests[i].lbArrival(tier)).seconds, at: sim.now)
    requests[i].setTargetTimeout(tier, .none)
    fleet.slotReleased(id)
    if fleet.phase(of: id) == .draining && fleet.instances[Int(id)].active == 0 { terminate(id, &sim) }
    if balancers.states[l].queued > 0 { pump(lb, &sim) }
  }

  /// Moves queued requests to targets while targets have free slots.
  mutating func pump(_ lb: LoadBalancerID, _ sim: inout Simulator<ModelEvent>) {
    let l = Int(lb)
    while balancers.states[l].queued > 0, let pick = balancers.pickTarget(lb, among: fleet.instances) {
      guard let next = balancers.queues[l].popFirst() else { break }
      let i = Int(next.index)
      guard requests.isLive(next), requests[i].queuedAt == lb, case .queued(let tier) = requests[i].stage else { continue }
      leaveQueue(next, tier: tier, &sim)
      dispatch(next, lb, pick, tier: tier, arriving: false, &sim)
    }
  }
}

extension RequestKind {
  /// Its name in scenario files (`clients.mix`, `cpu`, alert rules): `pageLoad`, `apiRead`, `apiWrite`.
  public var scenarioKey: String {
    switch self {
    case .pageLoad: return "pageLoad"
    case .apiRead: return "apiRead"
    case .apiWrite: return "apiWrite"
    }
  }

  /// Position in `allCases`, for per-kind arrays.
  public var index: Int {
    switch self {
    case .pageLoad: return 0
    case .apiRead: return 1
    case .apiWrite: return 2
    }
  }
}
