import SimCore

/// Route 53 weighted records with health checks, and the caches between it and users
/// (mechanisms.md §1, modelling rules 1–5).
public struct DNSConfig: Sendable {
  /// One weight per region, in region order; weight 0 gets traffic only when every
  /// non-zero record is unhealthy.
  public var weights: [Int]
  /// The health check on each record; nil for a record without one (always healthy).
  public var healthChecks: [DNSHealthCheckConfig?]
  /// Record TTL honoured by resolvers (AWS recommends 60 s with failover).
  public var ttl: SimDuration
  /// Delay from a health change to DNS answers reflecting it (undocumented; 0–10 s).
  public var propagationDelay: Distribution
  /// Recursive resolvers that clients share; each caches one answer for the TTL.
  public var resolvers: Int
  /// Share of resolvers that ignore the TTL (mechanisms.md §1.1: ~5% in an old measurement).
  public var overcachingShare: Double
  /// How long an over-caching resolver keeps an answer.
  public var overcachingDuration: Distribution

  /// The defaults (the scenario reference shows them; scenario files start from them): the
  /// one home of each default, which the scenario builder reads.
  public static let defaults = DNSConfig()
  /// A region's weight when the file gives none (the seed: 50/50).
  public static let defaultWeight = 50

  public init(
    weights: [Int] = [], healthChecks: [DNSHealthCheckConfig?] = [], ttl: SimDuration = .seconds(60),
    propagationDelay: Distribution = try! .uniform(min: 0, max: 10), resolvers: Int = 200, overcachingShare: Double = 0.02,
    overcachingDuration: Distribution = try! .uniform(min: 300, max: 3600)
  ) {
    self.weights = weights
    self.healthChecks = healthChecks
    self.ttl = ttl
    self.propagationDelay = propagationDelay
    self.resolvers = resolvers
    self.overcachingShare = overcachingShare
    self.overcachingDuration = overcachingDuration
  }
}

/// A Route 53 health check: N independent checkers probing the region's entry load
/// balancer (mechanisms.md §1.1, rule 1).
public struct DNSHealthCheckConfig: Sendable {
  /// Independent checkers ("a dozen or so").
  public var checkers: Int
  /// `RequestInterval`: 10 or 30 s, counted from the previous response.
  public var interval: SimDuration
  /// `FailureThreshold`: consecutive results to flip a checker, both ways (1–10, default 3).
  public var failureThreshold: Int
  /// Time for a probe to a black-holed address to fail (TCP connect budget, 4 s).
  public var connectTimeout: SimDuration
  /// Time allowed for the status line after connecting (2 s).
  public var responseTimeout: SimDuration
  /// Time a probe takes when the endpoint answers (a round trip).
  public var roundTrip: SimDuration
  /// Checker phases: random (uniform on [0, interval)) or all at `alignedPhase`.
  public var alignedPhase: SimDuration?
  /// The share of healthy checkers above which the record is healthy (18%).
  public var healthyShare: Double
  /// A deep check: it passes only if the region's database path answers too (the seed's
  /// backend `/health` reports "database: connected"); a shallow one only asks the process.
  public var deep = false

  /// The defaults, read by the scenario builder.
  public static let defaults = DNSHealthCheckConfig()

  public init(
    checkers: Int = 12, interval: SimDuration = .seconds(30), failureThreshold: Int = 3,
    connectTimeout: SimDuration = .seconds(4), responseTimeout: SimDuration = .seconds(2),
    roundTrip: SimDuration = .milliseconds(50), alignedPhase: SimDuration? = nil, healthyShare: Double = 0.18
  ) {
    self.checkers = checkers
    self.interval = interval
    self.failureThreshold = failureThreshold
    self.connectTimeout = connectTimeout
    self.responseTimeout = responseTimeout
    self.roundTrip = roundTrip
    self.alignedPhase = alignedPhase
    self.healthyShare = healthyShare
  }
}

/// How a client's own resolver cache treats answers (mechanisms.md §1.1 table, rule 4).
public enum ClientDNSCache: Sendable, Hashable {
  /// No cache of its own: every request asks the resolver.
  case none
  /// Keeps the answer for the remaining TTL.
  case honorTTL
  /// Chrome: at least `minimum` (60 s), longer if the TTL left is longer.
  case browser(minimum: SimDuration)
  /// A fixed time whatever the TTL (JVM default 30 s, Android 2 s).
  case fixed(SimDuration)
  /// Never refreshes (a JVM with a security manager).
  case forever
}

/// Request types and what each touches (DESIGN.md "Clients").
public enum RequestKind: String, Sendable, CaseIterable, Hashable {
  /// A static page from the frontend plus one API read.
  case pageLoad = "page-load"
  case apiRead = "api-read"
  case apiWrite = "api-write"

  /// Whether the data-tier call is a write.
  public var writes: Bool { self == .apiWrite }
}

/// How a population's request rate varies over time.
public enum ArrivalProfile: Sendable {
  /// `rate` requests per second throughout.
  case constant(rate: Double)
  /// `before` until `at`, then `after`.
  case step(before: Double, after: Double, at: SimDuration)
  /// Linear from `from` at `start` to `to` at `end`, flat outside.
  case ramp(from: Double, to: Double, start: SimDuration, end: SimDuration)
  /// mean · (1 + amplitude · cos(2π (t − peakAt)/period)): peaks at `peakAt`, never below 0.
  case diurnal(mean: Double, amplitude: Double, period: SimDuration, peakAt: SimDuration)
  /// Linear through (time, rate) points, flat before the first and after the last.
  case piecewise([(at: SimDuration, rate: Double)])
}

/// A client retry policy: a retry is a new request, counted as one.
public struct RetryPolicy: Sendable {
  /// Retries after the first attempt.
  public var count: Int
  /// Backoff before retry n (1-based) is min(cap, base · multiplier^(n−1)), then "full
  /// jitter" draws uniformly below it when `jitter` is on.
  public var baseBackoff: SimDuration
  public var multiplier: Double
  public var maxBackoff: SimDuration
  public var jitter: Bool

  /// The defaults, read by the scenario builder.
  public static let defaults = RetryPolicy()

  public init(
    count: Int = 2, baseBackoff: SimDuration = .seconds(1), multiplier: Double = 2, maxBackoff: SimDuration = .seconds(30),
    jitter: Bool = true
  ) {
    self.count = count
    self.baseBackoff = baseBackoff
    self.multiplier = multiplier
    self.maxBackoff = maxBackoff
    self.jitter = jitter
  }
}

/// A population of users sharing an arrival profile, a request mix and client behaviour.
public struct PopulationConfig: Sendable {
  public var name: String
  public var arrivals: ArrivalProfile
  /// Share of each request kind; normalised, so weights need not add to 1.
  public var mix: [RequestKind: Double]
  /// Distinct clients (each with its own DNS cache) the requests are spread over.
  public var clients: Int
  public var clientCache: ClientDNSCache
  /// How long a client waits for a connection to a dead address (browser/app setting;
  /// ≈127 s with Linux defaults).
  public var connectTimeout: SimDuration
  /// How long a client waits for a whole response; nil for ever.
  public var timeout: SimDuration?
  public var retry: RetryPolicy?
  /// Where requests go when the topology has no DNS.
  public var fixedRegion: Int
  /// Stop arriving after this many first attempts (for benchmarks); nil for no cap.
  public var maxArrivals: Int?

  /// The defaults, read by the scenario builder.
  public static let defaults = PopulationConfig()

  public init(
    name: String = "users", arrivals: ArrivalProfile = .constant(rate: 100),
    mix: [RequestKind: Double] = [.pageLoad: 0.6, .apiRead: 0.3, .apiWrite: 0.1], clients: Int = 10_000,
    clientCache: ClientDNSCache = .browser(minimum: .seconds(60)), connectTimeout: SimDuration = .seconds(10),
    timeout: SimDuration? = .seconds(30), retry: RetryPolicy? = nil, fixedRegion: Int = 0, maxArrivals: Int? = nil
  ) {
    self.name = name
    self.arrivals = arrivals
    self.mix = mix
    self.clients = clients
    self.clientCache = clientCache
    self.connectTimeout = connectTimeout
    self.timeout = timeout
    self.retry = retry
    self.fixedRegion = fixedRegion
    self.maxArrivals = maxArrivals
  }
}
