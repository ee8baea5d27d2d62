import SimCore

/// The load balancers, one per tier and region (docs: mechanisms §6, rules 17–18): their
/// targets, FIFO queues with limit and timeout, the balancing policy, and the statistics of
/// waits and queue lengths. Owns its state; which instances are healthy is the instance
/// groups' (passed in), and moving a request on is the model's (``TopologyModel`` in this
/// folder's other file).
struct LoadBalancers {
  let regionNames: [String]
  var states = StateArray<LoadBalancerState>()
  /// Per load balancer: its FIFO queue (it may hold stale entries, skipped when reached).
  var queues = StateArray<RingBuffer<RequestRef>>()
  /// Per region, per tier (0 frontend, 1 backend): the load balancer, or -1.
  var byRegion: [[LoadBalancerID]] = []

  init(regionNames: [String]) { self.regionNames = regionNames }

  /// Gives the state arrays storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() {
    states.makeUnique()
    queues.makeUnique()
    for l in states.indices {
      states[l].queueTimeouts?.makeUnique()
      states[l].targetTimeouts?.makeUnique()
    }
  }

  /// Adds a tier's load balancer in front of group `g`; returns its index.
  mutating func add(region r: Int, role: TierRole, config: LoadBalancerConfig, group g: GroupID) -> LoadBalancerID {
    let lb = LoadBalancerID(states.count)
    states.append(LoadBalancerState(region: RegionID(r), tier: role, config: config, group: g))
    queues.append(RingBuffer())
    return lb
  }

  func name(_ lb: LoadBalancerID) -> String { "\(regionNames[Int(states[lb].region)]).\(states[lb].tier.rawValue)-lb" }

  /// The tier index (0 frontend, 1 backend) of a load balancer.
  @inline(__always) func tierIndex(_ lb: LoadBalancerID) -> Int { states[Int(lb)].tier == .frontend ? 0 : 1 }

  /// A fault on a region's load balancer of one tier begins or ends.
  mutating func setFault(region r: Int, tier: TierRole, _ mode: FaultMode?) {
    let lb = byRegion[r][tier == .frontend ? 0 : 1]
    if lb.exists { states[lb].fault = mode }
  }

  /// Each load balancer's sample for the bucket ending now, and the names of those whose
  /// overflow episode ended (no request refused for a full queue in the whole bucket).
  mutating func closeBucket() -> (samples: [LoadBalancerSample], overflowEnded: [String]) {
    var samples: [LoadBalancerSample] = []
    var ended: [String] = []
    for l in states.indices {
      let lb = states[l]
      samples.append(LoadBalancerSample(queueAtEnd: lb.queued, queueMax: max(lb.bucketMaxQueue, lb.queued), active: lb.activeTotal))
      states[l].bucketMaxQueue = lb.queued
      if lb.overflowing && !lb.refusedInBucket {
        states[l].overflowing = false
        ended.append(name(LoadBalancerID(l)))
      }
      states[l].refusedInBucket = false
    }
    return (samples, ended)
  }

  /// A booted instance joins its load balancer's targets.
  mutating func register(_ id: InstanceID, at lb: LoadBalancerID) { states[lb].targets.append(id) }

  /// A terminated instance leaves them.
  mutating func deregister(_ id: InstanceID, at lb: LoadBalancerID) {
    states[lb].targets.removeAll { $0 == id }
    if states[lb].nextTarget >= states[lb].targets.count { states[lb].nextTarget = 0 }
  }

  /// A target with a free slot, by the balancing policy, among registered in-service
  /// targets that passed their health checks; when none has passed, among all in service
  /// (an ALB fails open, mechanisms.md §5.1). One pass, reading fields in place. The pick's
  /// place in `targets` comes with it, for the round robin's next start.
  @inline(__always) func pickTarget(_ lb: LoadBalancerID, among instances: StateArray<InstanceState>) -> (id: InstanceID, position: Int)? {
    let l = Int(lb)
    let count = states[l].targets.count
    if count == 0 { return nil }
    let limit = states[l].concurrencyPerTarget
    let roundRobin = states[l].roundRobin
    let start = states[l].nextTarget
    var anyHealthy = false
    var healthyPick: (id: InstanceID, position: Int)?
    var healthyActive = Int.max
    var failOpenPick: (id: InstanceID, position: Int)?
    var failOpenActive = Int.max
    for step in 0..<count {
      var k = start + step
      if k >= count { k -= count }
      let id = states[l].targets[k]
      let d = Int(id)
      guard instances[d].phase == .inService else { continue }
      let active = instances[d].active
      if instances[d].healthy {
        anyHealthy = true
        if active < limit && active < healthyActive {
          if roundRobin { return (id, k) }
          healthyPick = (id, k)
          healthyActive = active
        }
      } else if !anyHealthy && active < limit && active < failOpenActive && (failOpenPick == nil || !roundRobin) {
        failOpenPick = (id, k)
        failOpenActive = active
      }
    }
    return anyHealthy ? healthyPick : failOpenPick
  }
}

struct LoadBalancerState {
  var region: RegionID
  var tier: TierRole
  var config: LoadBalancerConfig
  var group: GroupID
  var fault: FaultMode?
  /// Copied from `config` so the hot path reads plain fields.
  var concurrencyPerTarget: Int
  var roundRobin: Bool
  var queueLimit: Int?
  /// The queue timeouts and target timeouts of the requests here, one list each (every
  /// entry of a list lasts as long), or nil when the configuration has none.
  var queueTimeouts: TimeoutList<RequestRef>?
  var targetTimeouts: TimeoutList<RequestRef>?
  /// Registered targets (instance IDs), including draining ones.
  var targets: [InstanceID] = []
  var nextTarget = 0
  /// Queue entries still waiting (the ring also holds stale entries, skipped lazily).
  var queued = 0
  var queueLength = TimeWeightedAverage()
  var inSystem = TimeWeightedAverage()
  var activeTotal = 0
  /// Waits in the queue of the requests dispatched, and times from arrival to the release of
  /// the target slot (two values a request: sums, without Welford's division per value).
  var queueWait = ShiftedSums()
  var sojourn = ShiftedSums()
  var accepted = 0
  var bucketMaxQueue = 0
  /// In an overflow episode (its queue was full), and whether it refused a request for a
  /// full queue in the bucket now open (an episode ends after a bucket without one).
  var overflowing = false
  var refusedInBucket = false

  init(region: RegionID, tier: TierRole, config: LoadBalancerConfig, group: GroupID) {
    self.region = region
    self.tier = tier
    self.config = config
    self.group = group
    concurrencyPerTarget = config.concurrencyPerTarget
    roundRobin = config.policy == .roundRobin
    queueLimit = config.queueLimit
    queueTimeouts = config.queueTimeout.map { TimeoutList(duration: $0) }
    targetTimeouts = config.targetTimeout.map { TimeoutList(duration: $0) }
  }

  // A request's passage as the load balancer's own bookkeeping: one mutation of the state in
  // its array per step (each write through the array checks the array's uniqueness first).

  /// A request takes a slot at the target at `position` in `targets`, after `waited` seconds
  /// here (none when it found a free target on arrival); `arriving` counts it as accepted
  /// (it found the free target as it arrived, rather than in the queue).
  mutating func dispatched(position: Int, waited: Double, arriving: Bool, at now: SimTime) {
    if arriving { accepted += 1 }
    // The next pass starts after the target taken (wrapping without a division: position < count).
    nextTarget = position + 1 == targets.count ? 0 : position + 1
    activeTotal += 1
    inSystem.update(to: Double(queued + activeTotal), at: now)
    queueWait.record(waited)
  }

  /// A request gives its target slot back after `sojourn` seconds here; its target timeout
  /// (if any) is cancelled.
  mutating func released(targetTimeout: TimeoutHandle, sojourn seconds: Double, at now: SimTime) {
    targetTimeouts.cancel(targetTimeout)
    activeTotal -= 1
    inSystem.update(to: Double(queued + activeTotal), at: now)
    sojourn.record(seconds)
  }
}
