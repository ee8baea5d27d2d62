import SimCore

/// Everything the traffic path needs to run: regions with their tiers, DNS, the user
/// populations, faults and how long to run. Plain values with the defaults of
/// `docs/mechanisms.md`; the scenario layer fills them from a file.
public struct TopologyConfig: Sendable {
  /// The regions, in the order their IDs number them.
  public var regions: [RegionConfig]
  /// Weighted DNS with health checks and caches; nil sends every population straight to
  /// its `fixedRegion` (for single-region studies and queueing benchmarks).
  public var dns: DNSConfig?
  /// Who sends requests, how often, and how they behave.
  public var populations: [PopulationConfig]
  /// Databases, PgPool, the region link, monitors, automation and operator actions; nil
  /// when backends answer without a data tier (queueing studies).
  public var dataPath: DataPathConfig?
  /// Faults and repairs, by time.
  public var faults: [FaultSpec]
  /// Procedures operators follow when paged (by a monitor's alert, a timeline event or an alert rule).
  public var runbooks: [RunbookConfig] = []
  /// Alert rules on the recorded metrics.
  public var alertRules: [AlertRuleConfig] = []
  /// Simulated time to run.
  public var duration: SimDuration
  /// Width of one time-series bucket.
  public var bucket: SimDuration
  /// The run seed; every random stream derives from it.
  public var seed: UInt64

  public init(
    regions: [RegionConfig], dns: DNSConfig?, populations: [PopulationConfig], dataPath: DataPathConfig? = nil,
    faults: [FaultSpec] = [], duration: SimDuration, bucket: SimDuration = .seconds(10), seed: UInt64 = 1
  ) {
    self.regions = regions
    self.dns = dns
    self.populations = populations
    self.dataPath = dataPath
    self.faults = faults
    self.duration = duration
    self.bucket = bucket
    self.seed = seed
  }
}

/// One region: an optional frontend tier and an optional backend tier. Its backends'
/// data calls go where `DataPathConfig.access` says.
public struct RegionConfig: Sendable {
  /// Name used in timelines and fault targets (`"delhi"`).
  public var name: String
  /// The frontend tier (Caddy: static files, proxies API calls), if the region has one.
  public var frontend: TierConfig?
  /// The backend tier (Node/Express API), if the region has one.
  public var backend: TierConfig?

  public init(name: String, frontend: TierConfig?, backend: TierConfig?) {
    self.name = name
    self.frontend = frontend
    self.backend = backend
  }
}

/// What a tier's role is in a request's path.
public enum TierRole: String, Sendable, CaseIterable {
  /// Serves static assets, proxies API calls to the backend (Caddy in the seed).
  case frontend
  /// Runs the API, calls the data tier (Node/Express in the seed).
  case backend
}

/// A load balancer over an autoscaling group of instances.
public struct TierConfig: Sendable {
  public var loadBalancer: LoadBalancerConfig
  public var group: GroupConfig
  /// CPU time a request holds a worker for, per request kind (a frontend's API proxying
  /// is the `apiRead`/`apiWrite` entry; its static page is `pageLoad`).
  public var cpuTime: [RequestKind: Distribution]
  /// The application's own database pool (node-postgres in the seed's backend); nil: every
  /// request calls the data tier at once and nothing in the process reacts to its errors.
  public var appPool: AppPoolConfig? = nil

  public init(loadBalancer: LoadBalancerConfig, group: GroupConfig, cpuTime: [RequestKind: Distribution]) {
    self.loadBalancer = loadBalancer
    self.group = group
    self.cpuTime = cpuTime
  }
}

/// The seed backend's database pool and process supervision (seed-repository §5.1):
/// `new Pool({ connectionString })` with pg-pool's defaults (10 connections, no
/// `connectionTimeoutMillis`: a request waits for a connection without limit), a
/// `pool.on('error')` handler that calls `process.exit(-1)` when an idle connection breaks,
/// `initDatabase()` (CREATE TABLE) before `app.listen`, exiting on error, and systemd's
/// `Restart=always`, `RestartSec=10`.
public struct AppPoolConfig: Sendable {
  /// Connections per process (pg-pool `max`, default 10).
  public var maxConnections: Int
  /// A broken idle connection ends the process (the seed's `pool.on('error')` handler).
  public var exitOnConnectionError: Bool
  /// pg-pool's `idleTimeoutMillis` (10 s): a process that used the database this recently
  /// still holds idle connections that break with it.
  public var idleTimeout: SimDuration
  /// systemd `RestartSec`: from an exit to the next start.
  public var restartDelay: SimDuration
  /// How long a start's database connect waits on a database that never answers before it
  /// fails (no connect timeout in the pool: the kernel's SYN retries, about 127 s on Linux).
  public var connectGiveUp: SimDuration

  /// The seed's code.
  public static let seed = AppPoolConfig()

  public init(
    maxConnections: Int = 10, exitOnConnectionError: Bool = true, idleTimeout: SimDuration = .seconds(10),
    restartDelay: SimDuration = .seconds(10), connectGiveUp: SimDuration = .seconds(127)
  ) {
    self.maxConnections = maxConnections
    self.exitOnConnectionError = exitOnConnectionError
    self.idleTimeout = idleTimeout
    self.restartDelay = restartDelay
    self.connectGiveUp = connectGiveUp
  }
}

/// How a load balancer picks a target.
public enum BalancingPolicy: String, Sendable {
  case roundRobin = "round-robin"
  case leastConnections = "least-connections"
}

/// A load balancer: per-target concurrency, a FIFO queue, target health checks
/// (mechanisms.md §5.1 ALB defaults, §6 HAProxy queueing).
public struct LoadBalancerConfig: Sendable {
  /// Requests one target serves at once (HAProxy `maxconn` per server).
  public var concurrencyPerTarget: Int
  /// Requests waiting for a free slot at most; nil for no limit, 0 for no queue
  /// (nginx OSS and Caddy answer 502/503 at once).
  public var queueLimit: Int?
  /// How long a request may wait in the queue before a 503 (HAProxy `timeout queue`); nil for ever.
  public var queueTimeout: SimDuration?
  /// How long the LB waits for a target's response before a 504 (ALB idle timeout 60 s); nil for ever.
  public var targetTimeout: SimDuration?
  public var policy: BalancingPolicy
  /// Active target health checks; nil routes to every registered target.
  public var healthCheck: TargetHealthCheckConfig?
  /// How long a scaled-in target drains before it is cut off (deregistration delay, 300 s).
  public var deregistrationDelay: SimDuration

  /// The defaults, read by the scenario builder.
  public static let defaults = LoadBalancerConfig()

  public init(
    concurrencyPerTarget: Int = 100, queueLimit: Int? = 1000, queueTimeout: SimDuration? = .seconds(10),
    targetTimeout: SimDuration? = .seconds(60), policy: BalancingPolicy = .roundRobin,
    healthCheck: TargetHealthCheckConfig? = TargetHealthCheckConfig(), deregistrationDelay: SimDuration = .seconds(300)
  ) {
    self.concurrencyPerTarget = concurrencyPerTarget
    self.queueLimit = queueLimit
    self.queueTimeout = queueTimeout
    self.targetTimeout = targetTimeout
    self.policy = policy
    self.healthCheck = healthCheck
    self.deregistrationDelay = deregistrationDelay
  }
}

/// ALB target-group health checks (mechanisms.md §5.1, rule 17): interval 30 s, timeout 5 s,
/// unhealthy after 2 failures, healthy after 5 passes; a new target needs one pass.
public struct TargetHealthCheckConfig: Sendable {
  public var interval: SimDuration
  public var timeout: SimDuration
  public var unhealthyThreshold: Int
  public var healthyThreshold: Int
  /// A deep check: the target passes only if its region's database path answers too.
  public var deep = false

  /// The defaults, read by the scenario builder.
  public static let defaults = TargetHealthCheckConfig()

  public init(
    interval: SimDuration = .seconds(30), timeout: SimDuration = .seconds(5), unhealthyThreshold: Int = 2, healthyThreshold: Int = 5
  ) {
    self.interval = interval
    self.timeout = timeout
    self.unhealthyThreshold = unhealthyThreshold
    self.healthyThreshold = healthyThreshold
  }
}

/// An autoscaling group of identical instances.
public struct GroupConfig: Sendable {
  /// Instances in service when the run starts (already booted and healthy).
  public var initial: Int
  public var min: Int
  public var max: Int
  /// CPU slots per instance (vCPUs; a C3.8GB has 4).
  public var workers: Int
  /// From launch to the application listening (mechanisms.md §5.1: EC2 ≈ 25–30 s + app start).
  public var bootTime: Distribution
  /// How the group decides its size; nil keeps it fixed.
  public var policy: ScalingPolicy?
  /// EC2 Auto Scaling's health check type "ELB": an instance the load balancer marks
  /// unhealthy is terminated and replaced, once its grace period since launch has passed.
  /// False is type "EC2" (AWS's default): only a dead VM is replaced, which Drill never
  /// models apart from the faults, so nothing is.
  public var replaceUnhealthy: Bool
  /// `HealthCheckGracePeriod`: no replacement for this long after launch (AWS default 300 s).
  public var healthCheckGracePeriod: SimDuration

  /// The defaults, read by the scenario builder.
  public static let defaults = GroupConfig()

  public init(
    initial: Int = 1, min: Int = 1, max: Int = 5, workers: Int = 4, bootTime: Distribution = try! .uniform(min: 60, max: 120),
    policy: ScalingPolicy? = nil, replaceUnhealthy: Bool = false, healthCheckGracePeriod: SimDuration = .seconds(300)
  ) {
    self.replaceUnhealthy = replaceUnhealthy
    self.healthCheckGracePeriod = healthCheckGracePeriod
    self.initial = initial
    self.min = min
    self.max = max
    self.workers = workers
    self.bootTime = bootTime
    self.policy = policy
  }
}

/// How an autoscaling group changes its size.
public enum ScalingPolicy: Sendable {
  /// AWS target tracking on average CPU (mechanisms.md §5.1, rule 16).
  case targetTracking(TargetTrackingPolicy)
  /// E2E Networks' elastic policy: ±1 node after a watch window, then a cooldown (§5.2).
  case step(StepPolicy)
}

/// AWS target tracking: a 1-minute average-CPU metric; scale out after 3 breaching
/// minutes (proportionally), in after 15 minutes at least 10% under target; warming
/// instances are left out of the metric.
public struct TargetTrackingPolicy: Sendable {
  /// Target average CPU utilisation, 0…1.
  public var targetUtilization: Double
  public var metricPeriod: SimDuration
  public var scaleOutDatapoints: Int
  public var scaleInDatapoints: Int
  /// How far under target the metric must be to count toward scale-in (0.1 = 10%).
  public var scaleInMargin: Double
  /// How long a new instance is excluded from the metric after it enters service.
  public var warmup: SimDuration

  /// The defaults, read by the scenario builder.
  public static let defaults = TargetTrackingPolicy()

  public init(
    targetUtilization: Double = 0.6, metricPeriod: SimDuration = .minutes(1), scaleOutDatapoints: Int = 3,
    scaleInDatapoints: Int = 15, scaleInMargin: Double = 0.1, warmup: SimDuration = .zero
  ) {
    self.targetUtilization = targetUtilization
    self.metricPeriod = metricPeriod
    self.scaleOutDatapoints = scaleOutDatapoints
    self.scaleInDatapoints = scaleInDatapoints
    self.scaleInMargin = scaleInMargin
    self.warmup = warmup
  }
}

/// E2E's elastic policy: add one node when average CPU stays above `upThreshold` for
/// `watch`, remove one when it stays below `downThreshold`; then wait `cooldown`.
public struct StepPolicy: Sendable {
  public var upThreshold: Double
  public var downThreshold: Double
  public var watch: SimDuration
  /// How often the metric is sampled.
  public var sampleInterval: SimDuration
  public var cooldown: SimDuration

  /// The seed's defaults per tier (frontend: out above 80%, in below 30%; backend: 70%, 25%),
  /// read by the scenario builder.
  public static let frontendDefaults = StepPolicy(upThreshold: 0.8, downThreshold: 0.3)
  public static let backendDefaults = StepPolicy(upThreshold: 0.7, downThreshold: 0.25)

  public init(
    upThreshold: Double = 0.7, downThreshold: Double = 0.3, watch: SimDuration = .seconds(30),
    sampleInterval: SimDuration = .seconds(10), cooldown: SimDuration = .seconds(150)
  ) {
    self.upThreshold = upThreshold
    self.downThreshold = downThreshold
    self.watch = watch
    self.sampleInterval = sampleInterval
    self.cooldown = cooldown
  }
}

extension TopologyConfig {
  /// The same deployment with only `region`: the other regions, their records, databases,
  /// monitors and faults gone, and nothing left to promote. The "without a second region"
  /// side of a return-on-investment comparison.
  public func keepingOnly(region r: Int) -> TopologyConfig { keeping(regions: [r]) }

  /// The same deployment without `region`: what it costs and buys, in a return-on-investment
  /// comparison of one region at a time.
  public func removing(region r: Int) -> TopologyConfig { keeping(regions: regions.indices.filter { $0 != r }) }

  /// The same deployment with only the regions `kept` (in their order): the others, their
  /// DNS records, databases, PgPools, monitors, faults, actions, runbooks and alert rules
  /// gone. A database that followed a removed one follows the primary; without a primary
  /// among the kept, the first kept database is one. With one region left, its database is
  /// the primary and nothing is left to promote (no automation, no failback).
  public func keeping(regions kept: [Int]) -> TopologyConfig {
    precondition(!kept.isEmpty, "a deployment needs a region")
    let single = kept.count == 1
    let index = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
    func mapped(_ r: Int) -> Int? { index[r] }
    var result = self
    result.regions = kept.map { regions[$0] }
    if var dns = result.dns {
      dns.weights = kept.map { dns.weights[$0] }
      if single || dns.weights.allSatisfy({ $0 == 0 }) { dns.weights = dns.weights.map { max(1, $0) } }
      dns.healthChecks = kept.map { dns.healthChecks[$0] }
      result.dns = dns
    }
    for p in result.populations.indices { result.populations[p].fixedRegion = mapped(populations[p].fixedRegion) ?? 0 }
    if var data = result.dataPath {
      let primaryRegion = data.databases.firstIndex { $0.role == .primary }
      let newPrimary: Int = primaryRegion.flatMap(mapped) ?? 0
      data.databases = kept.enumerated().map { (position, r) in
        var database = data.databases[r]
        if single || (primaryRegion.flatMap(mapped) == nil && position == 0) {
          database.role = .primary
          database.upstream = nil
        } else if database.role == .replica {
          database.upstream = database.upstream.flatMap(mapped) ?? newPrimary
        }
        return database
      }
      data.access = kept.map { r in
        switch data.access[r] {
        case .pgpool(let pool): return .pgpool(pool)
        case .direct(let target): return single ? .direct(region: 0) : .direct(region: mapped(target) ?? newPrimary)
        }
      }
      data.link.pairRoundTrips = Dictionary(
        uniqueKeysWithValues: data.link.pairRoundTrips.compactMap { pair, d in
          guard let a = mapped(pair.low), let b = mapped(pair.high) else { return nil }
          return (RegionPair(a, b), d)
        })
      data.monitors = data.monitors.compactMap {
        guard let r = mapped($0.region) else { return nil }
        var m = $0
        m.region = r
        return m
      }
      if !single, let automation = data.automation, let watch = mapped(automation.watchRegion),
        let promote = mapped(automation.promoteRegion)
      {
        var moved = automation
        moved.watchRegion = watch
        moved.promoteRegion = promote
        data.automation = moved
      } else {
        data.automation = nil
      }
      data.actions = data.actions.compactMap { action in
        var moved = action
        guard let kind = Self.moved(action.kind, mapped, single: single) else { return nil }
        moved.kind = kind
        return moved
      }
      result.dataPath = data
    }
    // Monitors are numbered by position: the kept ones, in order.
    let monitorIndex: [Int: Int] = {
      guard let monitors = dataPath?.monitors else { return [:] }
      let keptMonitors = monitors.indices.filter { mapped(monitors[$0].region) != nil }
      return Dictionary(uniqueKeysWithValues: keptMonitors.enumerated().map { ($1, $0) })
    }()
    result.faults = faults.compactMap { fault in
      var f = fault
      switch fault.target {
      case .region(let x):
        guard let y = mapped(x) else { return nil }
        f.target = .region(y)
      case .loadBalancer(let x, let t):
        guard let y = mapped(x) else { return nil }
        f.target = .loadBalancer(region: y, tier: t)
      case .tier(let x, let t):
        guard let y = mapped(x) else { return nil }
        f.target = .tier(region: y, tier: t)
      case .instance(let x, let t, let i):
        guard let y = mapped(x) else { return nil }
        f.target = .instance(region: y, tier: t, index: i)
      case .database(let x):
        guard let y = mapped(x) else { return nil }
        f.target = .database(region: y)
      case .pgpool(let x):
        guard let y = mapped(x) else { return nil }
        f.target = .pgpool(region: y)
      case .link(let from):
        guard !single else { return nil }
        if let from {
          guard let y = mapped(from) else { return nil }
          f.target = .link(from: y)
        }
      case .monitor(let x):
        guard let y = monitorIndex[x] else { return nil }
        f.target = .monitor(index: y)
      case .automation:
        guard result.dataPath?.automation != nil else { return nil }
      }
      return f
    }
    // Alert rules about removed regions go, and the runbooks they or removed monitors page.
    var ruleIndex: [Int: Int] = [:]
    result.alertRules = []
    for (i, rule) in alertRules.enumerated() {
      var moved = rule
      switch rule.metric {
      case .errorShare(let kind, let region?):
        guard let y = mapped(region) else { continue }
        moved.metric = .errorShare(kind: kind, region: y)
      case .p99Latency(let region?):
        guard let y = mapped(region) else { continue }
        moved.metric = .p99Latency(region: y)
      case .replicationLag(let region):
        guard let y = mapped(region) else { continue }
        moved.metric = .replicationLag(region: y)
      case .instancesInService(let region, let tier):
        guard let y = mapped(region) else { continue }
        moved.metric = .instancesInService(region: y, tier: tier)
      case .errorShare, .p99Latency: break
      }
      moved.startsAutomationFor = result.dataPath?.automation == nil ? nil : rule.startsAutomationFor.flatMap(mapped)
      ruleIndex[i] = result.alertRules.count
      result.alertRules.append(moved)
    }
    result.runbooks = runbooks.compactMap { runbook in
      var moved = runbook
      switch runbook.trigger {
      case .alert(let m):
        guard let y = monitorIndex[m] else { return nil }
        moved.trigger = .alert(monitor: y)
      case .rule(let r):
        guard let y = ruleIndex[r] else { return nil }
        moved.trigger = .rule(y)
      case .timeline: break
      }
      var steps: [RunbookStep] = []
      for step in runbook.steps {
        var s = step
        switch step.action {
        case .operatorAction(let kind):
          guard let k = Self.moved(kind, mapped, single: single) else { return nil }
          s.action = .operatorAction(k)
        case .restart(let r, let tier, let downFor, let database):
          guard let y = mapped(r) else { return nil }
          s.action = .restart(region: y, tier: tier, downFor: downFor, database: database.flatMap(mapped))
        case .rebuild(let r):
          guard let y = mapped(r) else { return nil }
          s.action = .rebuild(region: y)
        case .check: break
        }
        steps.append(s)
      }
      moved.steps = steps
      return moved
    }
    return result
  }

  /// An operator action on the kept regions, renumbered; nil when it acts on a removed one
  /// (or fails back with one region left: there is nothing to fail back to).
  static func moved(_ kind: OperatorActionKind, _ mapped: (Int) -> Int?, single: Bool) -> OperatorActionKind? {
    switch kind {
    case .setWeight(let region, let weight): return mapped(region).map { .setWeight(region: $0, weight: weight) }
    case .promote(let region): return mapped(region).map { .promote(region: $0) }
    case .fence(let region): return mapped(region).map { .fence(region: $0) }
    case .failback(let region, let method, let weights):
      guard !single, let y = mapped(region) else { return nil }
      let keptWeights = weights.indices.filter { mapped($0) != nil }.map { weights[$0] }
      return .failback(region: y, method: method, weights: keptWeights)
    }
  }
}
