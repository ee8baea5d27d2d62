import SimCore

/// A request attempt in flight, kept in the slab while the client waits or a server still
/// holds it.
struct RequestState {
  var generation: UInt32 = 0
  var inUse = false
  var kind: RequestKind = .apiRead
  var population: Int32 = 0
  var client: Int32 = 0
  var region: Int32 = 0
  /// 0 for a first attempt, n for the n-th retry.
  var attempt: Int32 = 0
  var start: SimTime = .zero
  /// The client is still waiting for this attempt (false after its timeout fired).
  var clientWaiting = false
  var clientTimeoutToken: EventToken?
  /// Where the request is now.
  var stage: RequestStage = .connecting
  /// Per tier (0 frontend, 1 backend): the instance holding an LB slot for it, its
  /// incarnation at dispatch, and when it reached that LB.
  var instance: (Int32, Int32) = (-1, -1)
  var epoch: (UInt32, UInt32) = (0, 0)
  var lbArrival: (SimTime, SimTime) = (.zero, .zero)
  /// The load balancer the request is queued at, and its timers.
  var queuedAt: Int32 = -1
  var queueTimeoutToken: EventToken?
  /// The stand-in data tier's answer to the pending call was an error.
  var dataFailed = false
  var targetTimeoutTokens: (EventToken?, EventToken?) = (nil, nil)
}

enum RequestStage: Equatable {
  case connecting
  case queued(tier: Int)
  /// Holding an LB slot at this tier, waiting for (or using) a CPU worker.
  case atInstance(tier: Int)
  /// Waiting on the next tier or the data tier while holding this tier's slot.
  case waitingDownstream(tier: Int)
  case waitingData
  /// Stuck in something that never answers (a hung load balancer).
  case stuck
}

/// Lifecycle of an instance.
public enum InstancePhase: String, Sendable {
  case booting, inService = "in-service", draining, terminated
}

struct InstanceState {
  var group: Int32
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

  init(group: Int32, workers: Int, tier: Int) {
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
  var region: Int32
  var tier: TierRole
  var config: GroupConfig
  var cpuTime: [Distribution]
  /// Instance IDs of this group that are not terminated, in launch order.
  var members: [Int32] = []
  var launched = 0
  var fault: FaultMode?
  var loadBalancer: Int32 = -1
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

struct LoadBalancerState {
  var region: Int32
  var tier: TierRole
  var config: LoadBalancerConfig
  var group: Int32
  var fault: FaultMode?
  /// Copied from `config` so the hot path reads plain fields.
  var concurrencyPerTarget: Int
  var roundRobin: Bool
  var queueLimit: Int?
  var queueTimeout: SimDuration?
  var targetTimeout: SimDuration?
  /// Registered targets (instance IDs), including draining ones.
  var targets: [Int32] = []
  var nextTarget = 0
  /// Queue entries still waiting (the ring also holds stale entries, skipped lazily).
  var queued = 0
  var queueLength = TimeWeightedAverage()
  var inSystem = TimeWeightedAverage()
  var activeTotal = 0
  var queueWait = RunningStatistics()
  var sojourn = RunningStatistics()
  var accepted = 0
  var bucketMaxQueue = 0
  var overflowing = false

  init(region: Int32, tier: TierRole, config: LoadBalancerConfig, group: Int32) {
    self.region = region
    self.tier = tier
    self.config = config
    self.group = group
    concurrencyPerTarget = config.concurrencyPerTarget
    roundRobin = config.policy == .roundRobin
    queueLimit = config.queueLimit
    queueTimeout = config.queueTimeout
    targetTimeout = config.targetTimeout
  }
}

struct CheckerState {
  var record: Int32
  var healthy = true
  var consecutivePasses = 0
  var consecutiveFailures = 0
}

struct RecordState {
  var region: Int32
  var weight: Int
  var check: DNSHealthCheckConfig?
  var checkers: [Int32] = []
  /// Health as Route 53 has decided it, and as DNS answers currently reflect it.
  var decidedHealthy = true
  var answeredHealthy = true
  var healthyCheckers = 0
  /// Largest consecutive-failure count reached by any checker in this failure episode.
  var episodeFailures = 0
  var episode: UInt32 = 0
}

struct CacheEntry {
  var region: Int32 = -1
  var expiry: SimTime = .zero
}

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
