import Foundation
import SimCore

/// The model's side of the clients: arrivals, request attempts, client timeouts, the end of
/// an attempt, retries.
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: ClientEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .arrival(let population): arrival(population, &sim)
    case .retry(let ref): startAttempt(ref, &sim)
    case .connectTimeout(let p):
      if let ref = clients.populations[Int(p)].connectTimeouts.fire(wake: .connectTimeout(p), in: &sim), requests.isLive(ref) {
        finish(ref, .connectTimeout, &sim)
      }
    case .clientTimeout(let p):
      if let ref = clients.populations[Int(p)].timeouts?.fire(wake: .clientTimeout(p), in: &sim) { clientTimedOut(ref, &sim) }
    }
  }

  // MARK: Arrivals

  /// Schedules the population's next arrival, if it has one before the end.
  mutating func scheduleNextArrival(_ p: PopulationID, _ sim: inout Simulator<ModelEvent>) {
    if let at = clients.nextArrival(p, after: sim.now) { sim.schedule(.arrival(population: p), at: at) }
  }

  mutating func arrival(_ p: PopulationID, _ sim: inout Simulator<ModelEvent>) {
    let ref = requests.allocate()
    let (kind, client) = clients.arrive(p)
    requests[Int(ref.index)].kind = kind
    requests[Int(ref.index)].population = p
    requests[Int(ref.index)].client = client
    startAttempt(ref, &sim)
    scheduleNextArrival(p, &sim)
  }

  /// A client starts an attempt: resolves a region, connects to its entry load balancer.
  mutating func startAttempt(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    let p = Int(requests[i].population)
    let region =
      !usesDNS
      ? clients.populations[p].fixedRegion
      : dns!.resolve(population: p, client: Int(requests[i].client), cache: clients.populations[p].clientCache, now: sim.now)
    requests[i].region = region
    requests[i].start = sim.now
    requests[i].clientWaiting = true
    requests[i].stage = .connecting
    requests.waiting += 1
    recorder.arrival(kind: requests[i].kind, region: Int(region), retry: requests[i].attempt > 0)
    if clients.populations[p].timeouts != nil {
      requests[i].clientTimeout = clients.populations[p].timeouts!.set(ref, wake: .clientTimeout(requests[i].population), in: &sim)
    }
    let tier = balancers.byRegion[Int(region)][0].exists ? 0 : 1
    let lb = balancers.byRegion[Int(region)][tier]
    guard lb.exists else {
      finish(ref, .noTarget, &sim)
      return
    }
    // The client connects to the load balancer's address.
    if regionDown[Int(region)] || balancers.states[Int(lb)].fault == .crash {
      _ = clients.populations[p].connectTimeouts.set(ref, wake: .connectTimeout(requests[i].population), in: &sim)
      return
    }
    switch balancers.states[Int(lb)].fault {
    case .hang:
      requests[i].stage = .stuck(tier: tier)
      return
    case .errors(let rate) where lbErrorRandom.nextUnit() < rate:
      finish(ref, .loadBalancerError, &sim)
      return
    default:
      arriveAtLoadBalancer(ref, lb, tier: tier, &sim)
    }
  }

  mutating func clientTimedOut(_ ref: RequestRef, _ sim: inout Simulator<ModelEvent>) {
    guard requests.isLive(ref), requests[Int(ref.index)].clientWaiting else { return }
    requests[Int(ref.index)].clientTimeout = .none
    reportToClient(ref, .clientTimeout, &sim)
    // Nothing downstream holds a request still connecting, queued or stuck: let it go
    // (the load balancer drops a queued request whose client closed). One that a server is
    // working on stays until that server is done with it.
    switch requests[Int(ref.index)].stage {
    case .connecting, .queued, .stuck: finish(ref, .clientTimeout, &sim)
    default: break
    }
  }

  /// Where a request was when it ended: the tier whose load balancer or instances it was at
  /// (a request past the frontend, waiting on the backend, is at the backend), or the data tier.
  mutating func failurePlace(_ i: Int) -> FailurePlace {
    switch requests[i].stage {
    case .connecting: return balancers.byRegion[requests[i].region.index][0].exists ? .frontend : .backend
    case .queued(let tier), .atInstance(let tier), .stuck(let tier): return tier == 0 ? .frontend : .backend
    case .waitingDownstream, .waitingAppConnection: return .backend  // in the backend process, before any query
    case .waitingData, .waitingPool: return .data
    }
  }

  /// The client learns the outcome of its attempt: counted, and retried if the policy says so.
  mutating func reportToClient(_ ref: RequestRef, _ outcome: Outcome, at place: FailurePlace? = nil, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    guard requests[i].clientWaiting else { return }
    requests[i].clientWaiting = false
    requests.waiting -= 1
    if requests[i].clientTimeout != .none {
      let timeout = requests[i].clientTimeout
      clients.populations[Int(requests[i].population)].timeouts.cancel(timeout)
      requests[i].clientTimeout = .none
    }
    recorder.outcome(
      kind: requests[i].kind, region: Int(requests[i].region), place: place ?? failurePlace(i), outcome,
      latency: sim.now - requests[i].start,
      at: sim.now)
    guard outcome != .success, let policy = clients.populations[Int(requests[i].population)].retry,
      requests[i].attempt < policy.count
    else { return }
    let (kind, population, client, attempt) = (requests[i].kind, requests[i].population, requests[i].client, requests[i].attempt)
    let retry = requests.allocate()
    requests[Int(retry.index)].kind = kind
    requests[Int(retry.index)].population = population
    requests[Int(retry.index)].client = client
    requests[Int(retry.index)].attempt = attempt + 1
    sim.schedule(.retry(retry), after: clients.backoff(policy, attempt: attempt, population: population))
  }

  /// Ends an attempt: releases whatever it holds, tells the client (if still waiting),
  /// frees its slot.
  mutating func finish(_ ref: RequestRef, _ outcome: Outcome, _ sim: inout Simulator<ModelEvent>) {
    let i = Int(ref.index)
    var outcome = outcome
    var place: FailurePlace?
    // An answer cannot travel back through an instance that crashed after taking the request.
    for tier in 0...1 where outcome == .success && requests[i].instance(tier).exists {
      if requests[i].epoch(tier) != fleet.instances[Int(requests[i].instance(tier))].epoch {
        outcome = .targetRefused
        place = tier == 0 ? .frontend : .backend
      }
    }
    if case .queued(let tier) = requests[i].stage { leaveQueue(ref, tier: tier, &sim) }
    if requests[i].stage == .waitingPool, requests[i].pool.exists { pgpool.leftWaiting(requests[i].pool) }
    releaseSession(ref)
    if requests[i].holdsChild { releaseChild(ref, &sim) }
    if requests[i].holdsAppConnection { releaseAppConnection(ref, &sim) }
    for tier in (0...1).reversed() where requests[i].instance(tier).exists { releaseSlot(ref, tier: tier, &sim) }
    if requests[i].clientWaiting {
      reportToClient(ref, outcome, at: place, &sim)
    } else if outcome != .clientTimeout {
      recorder.lateCompletion()
    }
    requests.free(ref)
  }
}
