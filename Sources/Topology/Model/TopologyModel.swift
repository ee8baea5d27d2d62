import SimCore

/// The active/active topology as a router over its mechanisms, driven by the SimCore kernel.
///
/// Each mechanism is a component in its own folder (Clients, DNS, LoadBalancing, Instances,
/// Link, Databases, PgPool, Monitoring, Automation, Faults) that owns its state, its
/// configuration and its random streams; beside it, a `TopologyModel+<Mechanism>.swift` file
/// holds the model's side of that mechanism: its events and the named calls other mechanisms
/// make on it (a region going dark, a target registering, a node being promoted). This type
/// owns the clock's events and the requests in flight, routes each event in
/// ``handle(_:in:)`` to its mechanism, and hands what happened to the recorder, which only
/// stores it. Build with ``init(config:)``, then ``run()``.
///
/// A rule for speed: helpers on the model that the event handlers call are `mutating`, even
/// those that only read. Called from a mutating handler, a non-mutating method made the
/// optimiser copy the whole model (2.6 KB, and a retain per array) on every call; that cost
/// one such copy per request in `linkUp` and `failurePlace` alone.
public struct TopologyModel: EventHandler {
  public typealias Kind = ModelEvent

  /// The configuration; a ``ModelSession`` may add faults and operator actions as it runs.
  var config: TopologyConfig
  let streams: RandomStreams

  /// Requests in flight, which cross every mechanism on their way.
  var requests = RequestSlab()
  /// Which regions are dark now (a region fault): every mechanism in one is down with it.
  var regionDown: [Bool] = []

  // The mechanisms, in the order a request meets them.
  /// The users: populations, arrivals, retries.
  var clients: Clients
  /// Route 53 and the caches in front of it (nil: clients go to a fixed region).
  var dns: DNSService?
  /// Whether `dns` is set (decided once, when the model is built): read on every request,
  /// where `dns == nil` copied the whole service first.
  private(set) var usesDNS = false
  /// The load balancers in front of the groups.
  var balancers: LoadBalancers
  /// The autoscaling groups and their instances.
  var fleet: InstanceGroups
  /// How each region's backends reach the data tier (through its PgPool, or directly); empty
  /// without a data path.
  var dataAccess: [DataRoute] = []
  /// PgPool-II in the regions whose backends use one.
  var pgpool: PgPools
  /// The network between the regions.
  var link: RegionLink
  /// The PostgreSQL nodes.
  var cluster: Databases
  /// External monitors, and the automation their webhooks start (nil: none).
  var monitors: Monitors
  var automation: Automation?
  /// Nodes an operator is promoting: the PgPools follow them when they are primaries.
  var operatorPromotions: [DatabaseID] = []
  /// The scenario's faults, when each begins and ends, and the instances each hit.
  var faults: FaultSchedule
  /// Procedures people follow when paged, and alert rules on the recorded metrics.
  var runbooks: Runbooks
  var alertRules: AlertRules

  // What an `errors` fault costs where it shows, one stream per place: at a load balancer
  // (a client's connection, or the frontend's hop to the backend), and at an instance.
  var lbErrorRandom: Xoshiro256StarStar
  var instanceErrorRandom: Xoshiro256StarStar
  // The load balancers' target health checks: their phases, and what they meet.
  var targetProbeRandom: Xoshiro256StarStar

  /// What the run recorded.
  public internal(set) var recorder: Recorder

  /// Builds the topology described by `config`; nothing runs until ``run()``.
  public init(config: TopologyConfig) {
    self.config = config
    streams = RandomStreams(seed: config.seed)
    lbErrorRandom = streams.stream(named: "faults.lb-errors")
    instanceErrorRandom = streams.stream(named: "faults.instance-errors")
    targetProbeRandom = streams.stream(named: "lb.target-probes")
    link = RegionLink(config: config.dataPath?.link, streams: streams)
    pgpool = PgPools(regionNames: config.regions.map(\.name))
    monitors = Monitors(configs: [], regionNames: config.regions.map(\.name), streams: streams)
    recorder = Recorder(config: config)
    clients = Clients(config.populations, duration: config.duration, streams: streams)
    cluster = Databases(regionNames: config.regions.map(\.name))
    fleet = InstanceGroups(regionNames: config.regions.map(\.name))
    balancers = LoadBalancers(regionNames: config.regions.map(\.name))
    runbooks = Runbooks(configs: config.runbooks, regionNames: config.regions.map(\.name), streams: streams)
    alertRules = AlertRules(configs: config.alertRules, regionNames: config.regions.map(\.name), bucket: config.bucket)
    faults = FaultSchedule(
      specs: config.faults, regionNames: config.regions.map(\.name), monitorNames: config.dataPath?.monitors.map(\.name) ?? [])
    build()
  }

  /// Runs the model for `config.duration` and returns what was recorded.
  public static func run(_ config: TopologyConfig) -> RunResult {
    var model = TopologyModel(config: config)
    return model.run()
  }

  /// Runs the model for its configured duration.
  public mutating func run() -> RunResult {
    run(stops: []) { _, _ in }
  }

  /// Runs in stages, for studies too long to keep every bucket: at each stop (in time
  /// order, on the bucket grid), `body` gets the model and the buckets and timeline entries
  /// recorded since the previous stop, which the model then forgets. The run is the same
  /// event for event as one without stops.
  public mutating func run(
    stops: [SimTime], _ body: (inout TopologyModel, _ drained: (series: [SeriesRow], timeline: [TimelineEntry])) -> Void
  )
    -> RunResult
  {
    var simulator = Self.makeSimulator()
    start(&simulator)
    let end = SimTime.at(config.duration)
    for stop in stops where stop < end {
      simulator.run(until: stop, handler: &self)
      let drained = recorder.drain()
      body(&self, drained)
    }
    simulator.run(until: end, handler: &self)
    if simulator.now > recorder.bucketStart { closeBucket(at: simulator.now) }
    recorder.finish(at: simulator.now)
    var result = RunResult(
      seed: config.seed, duration: config.duration, firstFault: faults.firstFault,
      firstFailure: Dictionary(
        uniqueKeysWithValues: RequestKind.allCases.compactMap { k in recorder.firstFailure[k.index].map { (k, $0) } }),
      timeline: recorder.timeline,
      series: recorder.series, totals: recorder.totals, latency: recorder.latency,
      latencyByKind: Dictionary(uniqueKeysWithValues: RequestKind.allCases.map { ($0, recorder.latencyByKind[$0.index]) }),
      loadBalancers: balancers.states.indices.map { l in
        let lb = balancers.states[l]
        return
          LoadBalancerSummary(
            name: balancers.name(LoadBalancerID(l)), accepted: lb.accepted, meanQueueWait: lb.queueWait.mean,
            meanSojourn: lb.sojourn.mean, meanQueueLength: lb.queueLength.mean(until: simulator.now),
            meanInSystem: lb.inSystem.mean(until: simulator.now), maxQueueLength: Int(lb.queueLength.maximum),
            sojournStatistics: lb.sojourn.statistics, elapsed: simulator.now.sinceStart)
      },
      groups: fleet.groups.indices.map { g in
        GroupSummary(
          name: fleet.name(ofGroup: GroupID(g)), instanceSeconds: recorder.instanceSeconds[g],
          instanceNanoseconds: recorder.billedNanoseconds[g],
          peakInService: recorder.peakInService[g])
      },
      data: dataSummary(),
      eventsProcessed: simulator.eventsProcessed)
    let names = config.regions.map(\.name)
    result.regionNames = names
    let byPlace = recorder.byPlace
    result.outcomesByPlace = names.indices.flatMap { r in
      FailurePlace.allCases.map { place in (names[r], place, byPlace[r * FailurePlace.allCases.count + place.index]) }
    }
    result.latencyByRegion = names.indices.flatMap { r in
      RequestKind.allCases.map { kind in (names[r], kind, recorder.latencyByRegionKind[r * 3 + kind.index]) }
    }
    return result
  }

  /// The simulator the model runs on. Its queue keeps events due more than a second ahead
  /// (health checks, probes, scaling ticks, the timeout lists' wakes) apart from a request's
  /// next steps (milliseconds ahead), which then sink through a heap of a dozen events rather
  /// than sixty-odd (``EventQueue``); the order of events is the same either way.
  static func makeSimulator() -> Simulator<ModelEvent> { Simulator(capacity: 1024, nearHorizon: .seconds(1)) }

  /// Gives the model's state arrays (``StateArray``: the requests in flight and the
  /// mechanisms' per-component state the handlers write) storage of their own where a copy of
  /// the model shares it: called by the simulator before it handles events, and before the
  /// model schedules its first ones, so a copy made between runs writes only its own state.
  public mutating func prepareForEvents() {
    requests.makeUnique()
    balancers.makeUnique()
    fleet.makeUnique()
    clients.makeUnique()
    recorder.makeUnique()
    link.makeUnique()
    cluster.makeUnique()
    pgpool.makeUnique()
  }

  /// Routes each event to its mechanism.
  public mutating func handle(_ event: Event<ModelEvent>, in sim: inout Simulator<ModelEvent>) {
    switch event.kind {
    case .clients(let event): handle(event, &sim)
    case .loadBalancer(let event): handle(event, &sim)
    case .instances(let event): handle(event, &sim)
    case .dns(let event): handle(event, &sim)
    case .faults(let event): handle(event, &sim)
    case .databases(let event): handle(event, &sim)
    case .pgpool(let event): handle(event, &sim)
    case .monitors(let event): handle(event, &sim)
    case .automation(let event): handle(event, &sim)
    case .bucketTick: bucketTick(&sim)
    }
    if !recorder.timeline.triggered.isEmpty { runTimelineTriggers(&sim) }
  }

  // MARK: Building

  mutating func build() {
    let regionCount = config.regions.count
    regionDown = Array(repeating: false, count: regionCount)
    for (r, region) in config.regions.enumerated() {
      var row: [LoadBalancerID] = [.none, .none]
      for (t, tier) in [region.frontend, region.backend].enumerated() {
        guard let tier else { continue }
        let role: TierRole = t == 0 ? .frontend : .backend
        let lb = LoadBalancerID(balancers.states.count)
        let g = fleet.addGroup(region: r, tier: tier, role: role, loadBalancer: lb, streams: streams)
        row[t] = balancers.add(region: r, role: role, config: tier.loadBalancer, group: g)
      }
      balancers.byRegion.append(row)
    }
    alertRules.groupOrder = fleet.groups.map { (Int($0.region.raw), $0.tier) }
    recorder.timeline.watched = runbooks.watchedKinds
    if let dns = config.dns {
      usesDNS = true
      self.dns = DNSService(
        config: dns, regionNames: config.regions.map(\.name), clientsPerPopulation: config.populations.map(\.clients),
        streams: streams)
      var warm = streams.stream(named: "dns.warm-start")
      self.dns!.warmStart(clientCaches: config.populations.map(\.clientCache), random: &warm)
    }
    if let dataPath = config.dataPath { buildDataPath(dataPath) }
  }

  mutating func buildDataPath(_ dataPath: DataPathConfig) {
    cluster = Databases(dataPath, regionNames: config.regions.map(\.name), streams: streams)
    dataAccess = dataPath.access.map { access in
      if case .direct(let node) = access { return .direct(node: node) }
      return .pgpool
    }
    pgpool.build(access: dataPath.access, nodes: cluster.nodes.count, primary: cluster.authoritative, streams: streams)
    monitors = Monitors(configs: dataPath.monitors, regionNames: config.regions.map(\.name), streams: streams)
    automation = dataPath.automation.map { Automation(config: $0, streams: streams) }
  }

  /// Puts the initial instances in service and schedules the first events. Components'
  /// own first events go in before the scenario's faults, so a fault at an instant takes
  /// effect after a probe due at that same instant (faults also apply in a second step).
  mutating func start(_ sim: inout Simulator<ModelEvent>) {
    prepareForEvents()
    for g in fleet.groups.indices {
      for _ in 0..<fleet.groups[g].config.initial { launchInstance(GroupID(g), &sim, booted: true) }
      if fleet.groups[g].config.policy != nil {
        sim.schedule(.scalingTick(group: GroupID(g)), after: fleet.scalingInterval(GroupID(g)))
      }
      groupChanged(GroupID(g), at: sim.now)
    }
    dns?.start(&sim)
    startDataPath(&sim)
    for p in config.populations.indices { scheduleNextArrival(PopulationID(p), &sim) }
    faults.start(&sim, streams: streams)
    sim.schedule(.bucketTick, after: config.bucket)
  }

  func dataSummary() -> DataSummary? {
    guard config.dataPath != nil, cluster.authoritative.exists else { return nil }
    let survivor = cluster.nodes[Int(cluster.authoritative)]
    return DataSummary(
      acknowledgedWrites: recorder.acknowledgedWrites, durableOnSurvivor: survivor.inheritedAcked + survivor.ackedOwn,
      lostWrites: recorder.lostWrites, rpoSeconds: recorder.rpoSeconds, splitBrainWrites: recorder.splitBrainWrites,
      winningSideWritesDuringSplitBrain: recorder.winningSideWritesDuringSplitBrain, promotions: recorder.promotions,
      survivor: cluster.name(cluster.authoritative),
      nodes: cluster.nodes.indices.map { (cluster.name(DatabaseID($0)), cluster.nodes[$0].role.rawValue, Int(cluster.nodes[$0].timeline)) })
  }

  /// Starts PgPool health checks and sr_checks, the monitors and the operator schedule.
  mutating func startDataPath(_ sim: inout Simulator<ModelEvent>) {
    guard let dataPath = config.dataPath else { return }
    pgpool.start(&sim, access: dataPath.access, nodes: cluster.nodes.count)
    monitors.start(&sim)
    for (i, action) in dataPath.actions.enumerated() { sim.schedule(.operatorAction(action: ActionID(i), step: 0), at: .at(action.at)) }
    updateSplitBrain(sim.now)  // two standalone databases diverge from the first write
  }

  func name(ofRegion r: RegionID) -> String { config.regions[r.index].name }
}

/// A region's route to the data tier, as every query reads it: the route only (the pool's
/// configuration lives with the pool), so reading it copies a word, where reading a
/// ``DataAccess`` from an array copied the pool's whole configuration.
enum DataRoute: Equatable {
  /// Through the region's PgPool-II.
  case pgpool
  /// Straight to one node.
  case direct(node: Int)
}
