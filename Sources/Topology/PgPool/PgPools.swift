import SimCore

/// PgPool-II, one per region (docs: mechanisms §3, modelling rules 8–11): its children and
/// listen backlog, whom it believes is the primary, which backends are attached or lagging,
/// and its failover in progress. Owns its state and its random streams (per pool and purpose). Health checks
/// and failover act on the databases through the model (``TopologyModel`` in this folder's
/// other file).
struct PgPools {
  let regionNames: [String]
  var pools = StateArray<PgPoolState>()
  /// Per pool: clients waiting for a child, or for a failover to finish.
  var queues = StateArray<RingBuffer<RequestRef>>()
  /// Per pool, one stream per purpose: health-check phases, what checks and sessions meet
  /// under an `errors` fault, and failover_command times.
  var phaseRandom: [Xoshiro256StarStar] = []
  var checkRandom = StateArray<Xoshiro256StarStar>()
  var failoverRandom: [Xoshiro256StarStar] = []

  init(regionNames: [String]) {
    self.regionNames = regionNames
  }

  /// Gives the state arrays storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() {
    pools.makeUnique()
    queues.makeUnique()
    checkRandom.makeUnique()
  }

  /// One PgPool per region whose backends use one (regions before it that use none get an
  /// idle one, so pools are indexed by region); each believes `primary` is the primary.
  mutating func build(access: [DataAccess], nodes: Int, primary: DatabaseID, streams: RandomStreams) {
    for (r, access) in access.enumerated() {
      guard case .pgpool(let pool) = access else { continue }
      while pools.count < r {
        pools.append(PgPoolState(region: RegionID(pools.count), config: PgPoolConfig(), nodes: nodes, primary: primary))
        queues.append(RingBuffer())
      }
      pools.append(PgPoolState(region: RegionID(r), config: pool, nodes: nodes, primary: primary))
      queues.append(RingBuffer())
    }
    for p in pools.indices {
      let name = regionNames[pools[p].region.index]
      phaseRandom.append(streams.stream(named: "pgpool.\(name).phases"))
      checkRandom.append(streams.stream(named: "pgpool.\(name).checks"))
      failoverRandom.append(streams.stream(named: "pgpool.\(name).failover"))
    }
  }

  func name(_ p: PoolID) -> String { "PgPool (\(regionNames[Int(pools[Int(p)].region)]))" }

  /// Where a read goes: the local node unless it is detached or lagging past
  /// delay_threshold, else the primary.
  @inline(__always) func readNode(_ p: PoolID, nodeCount: Int) -> DatabaseID {
    // Fields read in place: a copy of the pool would copy its configuration and arrays.
    let q = Int(p)
    let local = Int(pools[q].region)
    if pools[q].config.loadBalanceMode && local < nodeCount && pools[q].attached[local] && !pools[q].lagging[local] {
      return DatabaseID(local)
    }
    return pools[q].primary
  }

  /// A client waiting for a child gave up (its entry in the queue is skipped when reached).
  mutating func leftWaiting(_ p: PoolID) { pools[p].waiting -= 1 }

  /// Points every PgPool at `node` as the primary, re-attached (an operator's pcp_promote_node).
  mutating func pointAll(at node: DatabaseID) {
    for p in pools.indices {
      pools[p].attached[Int(node)] = true
      pools[p].primary = node
      pools[p].failingOver = false
    }
  }

  /// Every backend re-attached and `node` the primary (failback's last step).
  mutating func reattachAll(primary node: DatabaseID) {
    for p in pools.indices {
      for k in pools[p].attached.indices { pools[p].attached[k] = true }
      pools[p].primary = node
      pools[p].failingOver = false
    }
  }

  /// An operator's promotion finished: the pools that have `node` attached use it as the
  /// primary; returns them.
  mutating func adopt(primary node: DatabaseID) -> [PoolID] {
    var adopted: [PoolID] = []
    for p in pools.indices where pools[p].attached[Int(node)] {
      pools[p].primary = node
      pools[p].failingOver = false
      adopted.append(PoolID(p))
    }
    return adopted
  }

  /// Each pool's first health check of each node at its phase, and its first sr_check.
  mutating func start(_ sim: inout Simulator<ModelEvent>, access: [DataAccess], nodes: Int) {
    for p in pools.indices where access.indices.contains(p) {
      guard case .pgpool = access[p] else { continue }
      let period = pools[p].config.healthCheckPeriod
      for n in 0..<nodes {
        let phase = pools[p].config.healthCheckPhase ?? SimDuration(seconds: period.seconds * phaseRandom[p].nextUnit())
        sim.schedule(.pgpoolCheck(pool: PoolID(p), node: DatabaseID(n), attempt: 0), at: .at(phase))
      }
      if pools[p].config.delayThreshold != nil { sim.schedule(.pgpoolSRCheck(pool: PoolID(p)), after: pools[p].config.srCheckPeriod) }
    }
  }
}

/// PgPool-II in one region.
struct PgPoolState {
  var region: RegionID
  var config: PgPoolConfig
  var fault: FaultMode?
  var busyChildren = 0
  /// Clients waiting for a child (in the listen backlog) or for a failover to finish.
  var waiting = 0
  var epoch: UInt32 = 0
  /// Per node: attached (pgpool's status "up"), and lagging past delay_threshold.
  var attached: [Bool]
  var lagging: [Bool]
  /// Whom pgpool believes is the primary (-1: none).
  var primary: DatabaseID
  var failingOver = false
  var searchDeadline: SimTime = .zero
  /// The failover in progress detached the primary.
  var failoverLostPrimary = false

  init(region: RegionID, config: PgPoolConfig, nodes: Int, primary: DatabaseID) {
    self.region = region
    self.config = config
    attached = Array(repeating: true, count: nodes)
    lagging = Array(repeating: false, count: nodes)
    self.primary = primary
  }
}
