import SimCore

/// A run driven from outside, stage by stage: a study runs the model to a time, reads what
/// it recorded (and forgets it), adds the faults and operator actions of the next stage, and
/// goes on. The year-scale availability study places each incident this way, so one model,
/// with all its state, lives through every incident of the year.
public struct ModelSession {
  var model: TopologyModel
  var simulator = TopologyModel.makeSimulator()

  /// Starts the model of `config` (its own faults and actions are scheduled as usual).
  public init(config: TopologyConfig) {
    model = TopologyModel(config: config)
    model.start(&simulator)
  }

  /// The simulated time reached.
  public var now: SimTime { simulator.now }
  public var recorder: Recorder { model.recorder }
  public var eventsProcessed: Int { simulator.eventsProcessed }

  /// Runs every event up to and including `time`.
  public mutating func run(until time: SimTime) {
    simulator.run(until: time, handler: &model)
  }

  /// The buckets closed and timeline entries recorded since the last call, forgotten here.
  public mutating func drain() -> (series: [SeriesRow], timeline: [TimelineEntry]) {
    model.recorder.drain()
  }

  /// Adds a fault beginning at `fault.at` (not before now); returns its handle. A fault
  /// without a duration lasts until ``end(_:at:)``.
  @discardableResult
  public mutating func add(_ fault: FaultSpec) -> Int {
    model.faults.add(fault, &simulator)
    return model.faults.specs.count - 1
  }

  /// Ends fault `handle` (added without a duration) at `time` (not before now).
  public mutating func end(_ handle: Int, at time: SimTime) {
    simulator.schedule(.faultDue(fault: FaultID(handle), begins: false), at: time)
  }

  /// An operator restores the configured state at `time`: fails back to the configured
  /// primary region (re-sync, catch up, switch roles) when another node is the primary, and
  /// re-attaches every PgPool to it and restores the DNS weights. Nothing without a data tier.
  public mutating func restoreConfiguredState(at time: SimTime) {
    guard let dataPath = model.config.dataPath, let primary = dataPath.databases.firstIndex(where: { $0.role == .primary }) else {
      return
    }
    let weights = model.config.dns?.weights ?? model.config.regions.map { _ in 0 }
    let action = OperatorAction(at: time.sinceStart, kind: .failback(region: primary, method: .rewind, weights: weights))
    model.config.dataPath!.actions.append(action)
    simulator.schedule(.operatorAction(action: ActionID(model.config.dataPath!.actions.count - 1), step: 0), at: time)
  }

  /// Whether the database holding the authoritative history cannot serve (its region dark,
  /// the node crashed, hung or fenced): what makes an operator fail over by hand.
  public var primaryDown: Bool {
    let cluster = model.cluster
    guard cluster.authoritative.exists else { return false }
    return cluster.condition(cluster.authoritative, regionDown: model.regionDown) != nil
  }

  /// An operator fails over by hand at `time`: promotes the first standby whose region is
  /// up (or, when the automation already promoted it, points every PgPool at it:
  /// pcp_promote_node). Returns false when no database can take over.
  @discardableResult
  public mutating func failOverByHand(at time: SimTime) -> Bool {
    let cluster = model.cluster
    guard cluster.authoritative.exists,
      let standby = cluster.nodes.indices.first(where: {
        DatabaseID($0) != cluster.authoritative && cluster.condition(DatabaseID($0), regionDown: model.regionDown) == nil
      })
    else { return false }
    let action = OperatorAction(at: time.sinceStart, kind: .promote(region: standby))
    model.config.dataPath!.actions.append(action)
    simulator.schedule(.operatorAction(action: ActionID(model.config.dataPath!.actions.count - 1), step: 0), at: time)
    return true
  }

  /// Whether the deployment is as configured: every database in its configured role,
  /// following its configured upstream, not fenced, promoting or re-syncing, the configured
  /// primary's history the authoritative one; every PgPool with every node attached and the
  /// configured primary as its primary; DNS weights as configured.
  public var inConfiguredState: Bool { model.inConfiguredState }
}

extension TopologyModel {
  var inConfiguredState: Bool {
    if let dns, let weights = config.dns?.weights, dns.records.map(\.weight) != weights { return false }
    guard let dataPath = config.dataPath, !cluster.nodes.isEmpty else { return true }
    for (n, configured) in dataPath.databases.enumerated() where n < cluster.nodes.count {
      let node = cluster.nodes[n]
      if node.role != configured.role || node.fenced || node.promoting || node.resyncing { return false }
      if configured.role == .replica && node.upstream != DatabaseID(configured.upstream ?? 0) { return false }
    }
    if let primary = dataPath.databases.firstIndex(where: { $0.role == .primary }), cluster.authoritative != DatabaseID(primary) {
      return false
    }
    let primary = cluster.authoritative
    for pool in pgpool.pools where pool.failingOver || pool.primary != primary || pool.attached.contains(false) { return false }
    return true
  }
}
