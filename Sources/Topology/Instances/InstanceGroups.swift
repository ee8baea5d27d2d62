import SimCore

/// The autoscaling groups and their instances (docs: mechanisms §5, rules 16–17): membership,
/// lifecycle phases, CPU workers and their queues, utilisation, faults, and the scaling rules'
/// arithmetic. Owns its state, the CPU-time distributions and the per-group "cpu" and "boot"
/// streams. Registering with a load balancer, refusing requests and recording what happened
/// are the model's (``TopologyModel`` in this folder's other file), by named calls.
struct InstanceGroups {
  let regionNames: [String]
  var groups: [GroupState] = []
  /// The instances by slot: those alive, and terminated ones until their group's next launch
  /// takes the slot (``InstanceID`` carries the slot's incarnation, so a late event for a
  /// terminated instance is recognised by its phase, or, once the slot is taken, by its ID).
  var instances = StateArray<InstanceState>()
  /// Per instance: requests waiting for a CPU worker. Kept apart from `instances` so that
  /// instance records stay plain values, cheap to read on the hot path.
  var cpuQueues = StateArray<RingBuffer<RequestRef>>()
  /// Per instance: requests waiting for one of its own database connections.
  var appPoolQueues = StateArray<RingBuffer<RequestRef>>()
  /// CPU time per group and request kind: `cpuTime[group * 3 + kind.index]`.
  var cpuTime: [Distribution] = []
  var cpuRandom = StateArray<Xoshiro256StarStar>()
  var bootRandom: [Xoshiro256StarStar] = []

  init(regionNames: [String]) { self.regionNames = regionNames }

  /// Gives the state arrays storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() {
    instances.makeUnique()
    cpuQueues.makeUnique()
    appPoolQueues.makeUnique()
    cpuRandom.makeUnique()
  }

  /// Adds a region's tier as a group behind load balancer `lb`; returns its index.
  mutating func addGroup(region r: Int, tier: TierConfig, role: TierRole, loadBalancer lb: LoadBalancerID, streams: RandomStreams)
    -> GroupID
  {
    let g = GroupID(groups.count)
    var group = GroupState(region: RegionID(r), tier: role, config: tier.group)
    group.loadBalancer = lb
    group.appPool = tier.appPool
    groups.append(group)
    cpuTime += RequestKind.allCases.map { tier.cpuTime[$0] ?? Distribution.constant(.zero) }
    cpuRandom.append(streams.stream(named: "cpu.\(regionNames[r]).\(role.rawValue)"))
    bootRandom.append(streams.stream(named: "boot.\(regionNames[r]).\(role.rawValue)"))
    return g
  }

  func name(ofGroup g: GroupID) -> String { "\(regionNames[Int(groups[Int(g)].region)]).\(groups[Int(g)].tier.rawValue)" }
  /// Whether `id` names the instance in its slot now, not one terminated whose slot another
  /// launch has taken since. Handlers of events and requests that may name a terminated
  /// instance check this where they would change it.
  @inline(__always) func isCurrent(_ id: InstanceID) -> Bool { instances[id.index].id == id }

  /// The phase of the instance `id` names: terminated once its slot holds another (a stale ID
  /// reads as the terminated instance it names, whatever now holds its slot).
  @inline(__always) func phase(of id: InstanceID) -> InstancePhase { isCurrent(id) ? instances[id].phase : .terminated }

  func name(ofInstance i: InstanceID) -> String { "\(name(ofGroup: instances[Int(i)].group))#\(instances[Int(i)].serial)" }

  /// What is wrong with an instance now, if anything: its region is down, or a fault on it
  /// or on its whole tier (kept current by ``refreshCondition(_:regionDown:)``).
  @inline(__always) func condition(_ id: InstanceID) -> FaultMode? { instances[Int(id)].condition }

  /// Recomputes an instance's combined condition after one of its causes changed.
  mutating func refreshCondition(_ id: InstanceID, regionDown: [Bool]) {
    let g = Int(instances[Int(id)].group)
    instances[Int(id)].condition =
      regionDown[Int(groups[g].region)] || instances[Int(id)].exited ? .crash : (instances[Int(id)].fault ?? groups[g].fault)
  }

  /// A new member of group `g`, booting; the caller registers it or schedules its boot.
  /// It takes the slot of the group's last terminated instance, if any (a new incarnation,
  /// whose epoch goes on from the old one's, so no request dispatched there matches it).
  mutating func newInstance(_ g: GroupID, at now: SimTime, regionDown: [Bool]) -> InstanceID {
    let id: InstanceID
    var instance = InstanceState(group: g, workers: groups[Int(g)].config.workers, tier: groups[Int(g)].tier == .frontend ? 0 : 1)
    instance.serial = groups[Int(g)].launched
    instance.busyChanged = now
    instance.launchedAt = now
    if let slot = groups[Int(g)].freeSlots.popLast() {
      let old = instances[Int(slot)]
      id = InstanceID(slot: Int(slot), generation: old.id.generation &+ 1)
      instance.id = id
      instance.epoch = old.epoch
      instances[Int(slot)] = instance
      cpuQueues[Int(slot)] = RingBuffer()
      appPoolQueues[Int(slot)] = RingBuffer()
    } else {
      id = InstanceID(slot: instances.count, generation: 0)
      instance.id = id
      instances.append(instance)
      cpuQueues.append(RingBuffer())
      appPoolQueues.append(RingBuffer())
    }
    groups[Int(g)].launched += 1
    groups[Int(g)].members.append(id)
    refreshCondition(id, regionDown: regionDown)
    return id
  }

  /// A terminated instance's slot is free for its group's next launch.
  mutating func freeSlot(of id: InstanceID) {
    if reusesSlots { groups[Int(instances[id].group)].freeSlots.append(Int32(id.index)) }
  }

  /// False keeps every instance ever launched in a slot of its own (as before slots were
  /// reused), for tests that check a run is the same event for event either way.
  var reusesSlots = true

  /// How long a new instance of group `g` takes to boot (a draw from the group's stream).
  mutating func bootTime(_ g: GroupID) -> SimDuration { groups[Int(g)].config.bootTime.sampleDuration(&bootRandom[Int(g)]) }

  /// The CPU time a request of `kind` takes on instance `id` (slowed by a `slow` fault).
  @inline(__always) mutating func cpuTime(_ kind: RequestKind, on id: InstanceID) -> Double {
    let g = Int(instances[Int(id)].group)
    var kind = kind
    if kind == .pageLoad && instances[Int(id)].tier == 1 { kind = .apiRead }  // the page's API read
    var cpu = cpuTime[g &* 3 &+ kind.index].sample(&cpuRandom[g])
    if case .slow(let factor) = condition(id) { cpu *= factor }
    return cpu
  }

  /// Billed members (booting, in service or draining) and those serving traffic.
  func billing(_ g: GroupID) -> (billed: Int, serving: Int) {
    var billed = 0
    var serving = 0
    for id in groups[g].members {
      if instances[Int(id)].phase != .terminated { billed += 1 }
      if instances[Int(id)].phase == .inService && instances[Int(id)].healthy { serving += 1 }
    }
    return (billed, serving)
  }

  /// A fault on the whole group begins or ends; returns its members.
  mutating func setGroupFault(_ g: GroupID, _ mode: FaultMode?) -> [InstanceID] {
    groups[g].fault = mode
    return groups[g].members
  }

  /// Each group's sample for the bucket ending now: instances by phase and the CPU
  /// utilisation over the bucket; starts the next bucket's integrals.
  mutating func closeBucket(at now: SimTime, bucketStart: SimTime) -> [GroupSample] {
    var samples: [GroupSample] = []
    for g in groups.indices {
      var sample = GroupSample(serving: 0, booting: 0, draining: 0, cpu: 0)
      var busy = 0.0
      var capacity = 0.0
      for id in groups[g].members {
        let d = Int(id)
        let area = instances[d].busyArea(at: now)
        switch instances[d].phase {
        case .booting: sample.booting += 1
        case .draining: sample.draining += 1
        case .inService:
          if instances[d].healthy { sample.serving += 1 }
          let from = max(bucketStart, instances[d].inServiceSince)
          if now > from {
            busy += area - instances[d].busyAreaAtBucket
            capacity += Double(groups[g].config.workers) * (now - from).seconds
          }
        case .terminated: break
        }
        instances[d].busyAreaAtBucket = area
      }
      sample.cpu = capacity > 0 ? min(1, busy / capacity) : 0
      samples.append(sample)
    }
    return samples
  }

  /// A load balancer gives a request a slot at instance `id`.
  @inline(__always) mutating func slotTaken(_ id: InstanceID) { instances[id].active += 1 }

  /// The request gives the slot back (a terminated instance keeps no count).
  @inline(__always) mutating func slotReleased(_ id: InstanceID) {
    if phase(of: id) != .terminated { instances[id].active -= 1 }
  }

  /// A worker of instance `id` finished its CPU time (a terminated instance keeps no count).
  /// Returns whether the instance is still there to start queued work.
  @inline(__always) mutating func workerFreed(_ id: InstanceID, at now: SimTime) -> Bool {
    guard phase(of: id) != .terminated else { return false }
    instances[id].setBusy(instances[id].workersBusy - 1, at: now)
    return true
  }

  // MARK: Scaling arithmetic

  func scalingInterval(_ g: GroupID) -> SimDuration {
    switch groups[Int(g)].config.policy {
    case .targetTracking(let policy): return policy.metricPeriod
    case .step(let policy): return policy.sampleInterval
    case nil: return .minutes(1)
    }
  }

  /// Average CPU utilisation of the group since the last sample, over instances that are in
  /// service, healthy and past `warmup`; nil when none is (no data, no scaling).
  mutating func sampleUtilization(_ g: GroupID, warmup: SimDuration, now: SimTime) -> Double? {
    let workers = Double(groups[Int(g)].config.workers)
    let since = groups[Int(g)].lastSample
    var busy = 0.0
    var capacity = 0.0
    for id in groups[Int(g)].members {
      let d = Int(id)
      let area = instances[d].busyArea(at: now)
      defer { instances[d].busyAreaAtSample = area }
      guard instances[d].phase == .inService, instances[d].healthy, now - instances[d].inServiceSince >= warmup else { continue }
      let start = max(since, instances[d].inServiceSince + warmup)
      guard now > start else { continue }
      busy += area - instances[d].busyAreaAtSample
      capacity += workers * (now - start).seconds
    }
    groups[Int(g)].lastSample = now
    return capacity > 0 ? min(1, busy / capacity) : nil
  }

  /// Members that count toward capacity: booting or in service, not draining.
  func capacity(_ g: GroupID) -> (current: Int, serving: Int) {
    var current = 0
    var serving = 0
    for id in groups[Int(g)].members {
      switch instances[Int(id)].phase {
      case .booting: current += 1
      case .inService:
        current += 1
        if instances[Int(id)].healthy { serving += 1 }
      default: break
      }
    }
    return (current, serving)
  }
}

/// Lifecycle of an instance.
public enum InstancePhase: String, Sendable {
  case booting
  case inService = "in-service"
  case draining, terminated
}

struct InstanceState {
  /// Its ID: its slot and incarnation.
  var id = InstanceID.none
  var group: GroupID
  /// Copied from the group so the hot path reads plain fields: CPU slots, tier (0 frontend, 1 backend).
  var workers: Int
  var tier: Int
  /// What is wrong with it now, all causes combined (region down, tier fault, own fault);
  /// recomputed whenever one of them changes.
  var condition: FaultMode?
  /// Bumped when the instance crashes or terminates: a request dispatched under an older
  /// epoch lost its connection.
  var epoch: UInt32 = 0
  var phase: InstancePhase = .booting
  /// Launch order within its group, for names ("delhi.backend#3").
  var serial: Int = 0
  /// The load balancer's view: passed its health checks.
  var healthy = false
  /// Has passed an LB health check at least once (a new target needs only one pass).
  var everHealthy = false
  var consecutivePasses = 0
  var consecutiveFailures = 0
  var inServiceSince: SimTime = .zero
  var launchedAt: SimTime = .zero
  /// Requests holding an LB slot at this instance.
  var active = 0
  var workersBusy = 0
  var fault: FaultMode?
  /// ∫ busy workers dt, in worker·seconds, up to `busyChanged`.
  var busyArea = 0.0
  var busyChanged: SimTime = .zero
  /// `busyArea` when the group last sampled its metric, and when the last bucket closed.
  var busyAreaAtSample = 0.0
  var busyAreaAtBucket = 0.0
  /// The application process has exited and systemd has not started it again yet (the
  /// seed's crash loop); it refuses connections meanwhile. Failed starts since the exit.
  var exited = false
  var failedStarts = 0
  /// Database connections its own pool holds now, and when it last called the database.
  var appConnections = 0
  var lastDataCall: SimTime = .zero

  init(group: GroupID, workers: Int, tier: Int) {
    self.group = group
    self.workers = workers
    self.tier = tier
  }

  mutating func setBusy(_ workers: Int, at now: SimTime) {
    busyArea += Double(workersBusy) * (now - busyChanged).seconds
    busyChanged = now
    workersBusy = workers
  }

  func busyArea(at now: SimTime) -> Double { busyArea + Double(workersBusy) * (now - busyChanged).seconds }
}

struct GroupState {
  var region: RegionID
  var tier: TierRole
  var config: GroupConfig
  /// Instance IDs of this group that are not terminated, in launch order.
  var members: [InstanceID] = []
  /// Slots of its terminated instances, for its next launches (the last freed first).
  var freeSlots: [Int32] = []
  var launched = 0
  var fault: FaultMode?
  /// The application's database pool (backends of the seed's code), if modelled.
  var appPool: AppPoolConfig?
  var loadBalancer: LoadBalancerID = .none
  /// Scaling state: recent breaching datapoints and when the next action may happen.
  var breachingHigh = 0
  var breachingLow = 0
  var cooldownUntil: SimTime = .zero
  var lastSample: SimTime = .zero
  /// Step policy: since when the metric has stayed above / below its threshold.
  var stepHighSince: SimTime?
  var stepLowSince: SimTime?
  var lastUtilization = 0.0
}
