import SimCore

/// A population's settings that the hot path reads, copied out of the configuration into
/// plain values (the configuration holds dictionaries, whose copies cost reference counting).
struct PopulationRuntime {
  var clients: Int
  var timeout: SimDuration?
  var connectTimeout: SimDuration
  var retry: RetryPolicy?
  var fixedRegion: Int32
  var maxArrivals: Int?
  var clientCache: ClientDNSCache
  /// The arrival rate never changes, so thinning never rejects.
  var constantRate: Bool

  init(_ config: PopulationConfig) {
    clients = max(1, config.clients)
    timeout = config.timeout
    connectTimeout = config.connectTimeout
    retry = config.retry
    fixedRegion = Int32(config.fixedRegion)
    maxArrivals = config.maxArrivals
    clientCache = config.clientCache
    if case .constant = config.arrivals { constantRate = true } else { constantRate = false }
  }
}

/// PgPool-II in one region.
struct PgPoolState {
  var region: Int32
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
  var primary: Int32
  var failingOver = false
  var searchDeadline: SimTime = .zero
  /// The failover in progress detached the primary.
  var failoverLostPrimary = false

  init(region: Int32, config: PgPoolConfig, nodes: Int, primary: Int32) {
    self.region = region
    self.config = config
    attached = Array(repeating: true, count: nodes)
    lagging = Array(repeating: false, count: nodes)
    self.primary = primary
  }
}
