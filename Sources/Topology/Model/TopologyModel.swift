import SimCore

/// The request path of the active/active topology: clients, weighted DNS with its health
/// checkers and caches, load balancers, autoscaling groups of instances, and the data-tier
/// call, driven by the SimCore kernel.
///
/// One owner holds every component in arrays indexed by small integer IDs; an event names
/// its target, and ``handle(_:in:)`` routes it to that family's handler. Components change
/// their own state and schedule follow-ups. What happened goes to the recorder, which never
/// changes the model. Build with ``init(config:)``, then ``run()``.
public struct TopologyModel: EventHandler {
  public typealias Kind = ModelEvent

  let config: TopologyConfig
  let streams: RandomStreams

  // Requests in flight: a slab with a free list, so memory follows the requests in
  // flight, not how many ever arrived.
  var requests: [RequestState] = []
  var freeRequests: [Int32] = []
  var clientsWaiting = 0

  // Components.
  var loadBalancers: [LoadBalancerState] = []
  var groups: [GroupState] = []
  /// Every instance ever launched; terminated ones stay (their IDs are never reused, so a
  /// late event for one is recognised by its phase).
  var instances: [InstanceState] = []
  /// Per instance: requests waiting for a CPU worker. Kept apart from `instances` so that
  /// instance records stay plain values, cheap to read on the hot path.
  var cpuQueues: [RingBuffer<RequestRef>] = []
  /// Per load balancer: its FIFO queue (it may hold stale entries, skipped when reached).
  var lbQueues: [RingBuffer<RequestRef>] = []
  /// CPU time per group and request kind: `cpuTime[group * 3 + kind.index]`.
  var cpuTime: [Distribution] = []
  /// The populations' settings the hot path reads, as plain values.
  var populations: [PopulationRuntime] = []
  /// Per region, per tier (0 frontend, 1 backend): the load balancer, or -1.
  var regionLoadBalancer: [[Int32]] = []
  var regionDown: [Bool] = []
  var dataTierFault: [FaultMode?] = []
  var dataTiers: [StandInDataTierConfig?] = []

  // DNS.
  var records: [RecordState] = []
  var checkers: [CheckerState] = []
  var resolvers: [CacheEntry] = []
  var resolverOvercaches: [Bool] = []
  /// Client caches of every population, one after another; `clientCacheStart[p]` is the first of population p.
  var clientCaches: [CacheEntry] = []
  var clientCacheStart: [Int] = []
  /// Per region: the latest expiry of any cached answer pointing at it.
  var latestCacheExpiry: [SimTime] = []
  var drainEpisode: [UInt32] = []

  // Populations.
  var peakRate: [Double] = []
  var arrivalsSoFar: [Int] = []
  var mixCumulative: [[(RequestKind, Double)]] = []

  // Faults currently in force, by spec index, and the instances each hit.
  var faultInstances: [[Int32]] = []

  // Random streams, one per component family (and per population / group where it matters),
  // so one component's draws never shift another's.
  var arrivalRandom: [Xoshiro256StarStar] = []
  var clientRandom: [Xoshiro256StarStar] = []
  var cpuRandom: [Xoshiro256StarStar] = []
  var bootRandom: [Xoshiro256StarStar] = []
  var dataRandom: [Xoshiro256StarStar] = []
  var dnsRandom: Xoshiro256StarStar
  var faultRandom: Xoshiro256StarStar
  var probeRandom: Xoshiro256StarStar

  /// What the run recorded.
  public internal(set) var recorder: Recorder
  var firstFault: SimTime?

  /// Builds the topology described by `config`; nothing runs until ``run()``.
  public init(config: TopologyConfig) {
    self.config = config
    streams = RandomStreams(seed: config.seed)
    dnsRandom = streams.stream(named: "dns")
    faultRandom = streams.stream(named: "faults")
    probeRandom = streams.stream(named: "probes")
    recorder = Recorder(config: config)
    build()
  }

  /// Runs the model for `config.duration` and returns what was recorded.
  public static func run(_ config: TopologyConfig) -> RunResult {
    var model = TopologyModel(config: config)
    return model.run()
  }

  /// Runs the model for its configured duration.
  public mutating func run() -> RunResult {
    var simulator = Simulator<ModelEvent>(capacity: 1024)
    start(&simulator)
    let end = SimTime.at(config.duration)
    simulator.run(until: end, handler: &self)
    if simulator.now > recorder.bucketStart { closeBucket(at: simulator.now) }
    recorder.finish(at: simulator.now)
    return RunResult(
      seed: config.seed, duration: config.duration, firstFault: firstFault, timeline: recorder.timeline,
      series: recorder.series, totals: recorder.totals, latency: recorder.latency,
      loadBalancers: loadBalancers.map { lb in
        LoadBalancerSummary(
          name: name(ofLoadBalancer: lb), accepted: lb.accepted, meanQueueWait: lb.queueWait.mean,
          meanSojourn: lb.sojourn.mean, meanQueueLength: lb.queueLength.mean(until: simulator.now),
          meanInSystem: lb.inSystem.mean(until: simulator.now), maxQueueLength: Int(lb.queueLength.maximum),
          sojournStatistics: lb.sojourn, elapsed: simulator.now.sinceStart)
      },
      groups: groups.indices.map { g in
        GroupSummary(name: name(ofGroup: Int32(g)), instanceSeconds: recorder.instanceSeconds[g], peakInService: recorder.peakInService[g])
      },
      eventsProcessed: simulator.eventsProcessed)
  }

  /// Routes each event to the handler of the component family it concerns.
  public mutating func handle(_ event: Event<ModelEvent>, in sim: inout Simulator<ModelEvent>) {
    switch event.kind {
    case .arrival(let population): arrival(population, &sim)
    case .retry(let ref): startAttempt(ref, &sim)
    case .connectTimedOut(let ref):
      if isLive(ref) { finish(ref, .connectTimeout, &sim) }
    case .clientTimeout(let ref): clientTimedOut(ref, &sim)
    case .queueTimeout(let ref, let lb): queueTimedOut(ref, lb, &sim)
    case .targetTimeout(let ref, let lb): targetTimedOut(ref, lb, &sim)
    case .cpuDone(let ref, let instance): cpuDone(ref, instance, &sim)
    case .dataReply(let ref): dataReply(ref, &sim)
    case .refused(let ref):
      if isLive(ref) { finish(ref, .targetRefused, &sim) }
    case .instanceBooted(let instance): instanceBooted(instance, &sim)
    case .targetProbe(let instance): targetProbe(instance, &sim)
    case .targetProbeResult(let instance, let passed): targetProbeResult(instance, passed, &sim)
    case .drainDeadline(let instance): drainDeadline(instance, &sim)
    case .scalingTick(let group): scalingTick(group, &sim)
    case .dnsProbe(let checker): dnsProbe(checker, &sim)
    case .dnsProbeResult(let checker, let passed): dnsProbeResult(checker, passed, &sim)
    case .dnsAnswersChange(let record, let healthy, let episode): dnsAnswersChange(record, healthy, episode, &sim)
    case .cachesDrainCheck(let region, let episode): cachesDrainCheck(region, episode, &sim)
    case .faultDue(let index, let begins): sim.schedule(.faultApply(index: index, begins: begins), after: .zero)
    case .faultApply(let index, let begins): applyFault(Int(index), begins: begins, &sim)
    case .bucketTick: bucketTick(&sim)
    }
  }

  // MARK: Building

  mutating func build() {
    let regionCount = config.regions.count
    regionDown = Array(repeating: false, count: regionCount)
    dataTierFault = Array(repeating: nil, count: regionCount)
    dataTiers = config.regions.map(\.dataTier)
    latestCacheExpiry = Array(repeating: .zero, count: regionCount)
    drainEpisode = Array(repeating: 0, count: regionCount)
    for (r, region) in config.regions.enumerated() {
      var row: [Int32] = [-1, -1]
      dataRandom.append(streams.stream(named: "data.\(region.name)"))
      for (t, tier) in [region.frontend, region.backend].enumerated() {
        guard let tier else { continue }
        let role: TierRole = t == 0 ? .frontend : .backend
        let g = Int32(groups.count)
        let lb = Int32(loadBalancers.count)
        var group = GroupState(
          region: Int32(r), tier: role, config: tier.group,
          cpuTime: RequestKind.allCases.map { tier.cpuTime[$0] ?? Distribution.constant(.zero) })
        group.loadBalancer = lb
        groups.append(group)
        cpuTime += group.cpuTime
        loadBalancers.append(LoadBalancerState(region: Int32(r), tier: role, config: tier.loadBalancer, group: g))
        lbQueues.append(RingBuffer())
        cpuRandom.append(streams.stream(named: "cpu.\(region.name).\(role.rawValue)"))
        bootRandom.append(streams.stream(named: "boot.\(region.name).\(role.rawValue)"))
        row[t] = lb
      }
      regionLoadBalancer.append(row)
    }
    for (p, population) in config.populations.enumerated() {
      populations.append(PopulationRuntime(population))
      peakRate.append(population.arrivals.peakRate(over: config.duration))
      arrivalsSoFar.append(0)
      let total = population.mix.values.reduce(0, +)
      var cumulative: [(RequestKind, Double)] = []
      var running = 0.0
      for kind in RequestKind.allCases where (population.mix[kind] ?? 0) > 0 {
        running += population.mix[kind]! / total
        cumulative.append((kind, running))
      }
      mixCumulative.append(cumulative)
      arrivalRandom.append(streams.stream(named: "arrivals.\(population.name)"))
      clientRandom.append(streams.stream(named: "clients.\(population.name)"))
      clientCacheStart.append(clientCaches.count)
      if config.dns != nil {
        clientCaches.append(contentsOf: repeatElement(CacheEntry(), count: population.clients))
      }
      _ = p
    }
    faultInstances = Array(repeating: [], count: config.faults.count)
    if let dns = config.dns { buildDNS(dns) }
  }

  /// Puts the initial instances in service and schedules the first events. Components'
  /// own first events go in before the scenario's faults, so a fault at an instant takes
  /// effect after a probe due at that same instant (faults also apply in a second step).
  mutating func start(_ sim: inout Simulator<ModelEvent>) {
    for g in groups.indices {
      for _ in 0..<groups[g].config.initial { launchInstance(Int32(g), &sim, booted: true) }
      if groups[g].config.policy != nil {
        sim.schedule(.scalingTick(group: Int32(g)), after: scalingInterval(Int32(g)))
      }
      groupChanged(g, at: sim.now)
    }
    startDNS(&sim)
    for p in config.populations.indices { scheduleNextArrival(Int32(p), &sim) }
    for (i, fault) in config.faults.enumerated() {
      sim.schedule(.faultDue(index: Int32(i), begins: true), at: .at(fault.at))
      if let duration = fault.duration {
        sim.schedule(.faultDue(index: Int32(i), begins: false), at: .at(fault.at + duration))
      }
    }
    sim.schedule(.bucketTick, after: config.bucket)
  }

  // MARK: Names

  func name(ofRegion r: Int32) -> String { config.regions[Int(r)].name }
  func name(ofGroup g: Int32) -> String { "\(name(ofRegion: groups[Int(g)].region)).\(groups[Int(g)].tier.rawValue)" }
  func name(ofLoadBalancer lb: LoadBalancerState) -> String { "\(name(ofRegion: lb.region)).\(lb.tier.rawValue)-lb" }
  func name(ofInstance i: Int32) -> String { "\(name(ofGroup: instances[Int(i)].group))#\(instances[Int(i)].serial)" }
}
