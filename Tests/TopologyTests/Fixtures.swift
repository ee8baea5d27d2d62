import Foundation
import SimCore

@testable import Topology

/// Configurations the tests share.
enum Fixtures {
  /// One load balancer over `servers` single-worker instances, Poisson arrivals at `lambda`,
  /// exponential service at `mu`: an M/M/c queue (M/M/c/K with a queue limit).
  static func mmc(
    lambda: Double, mu: Double, servers: Int, duration: SimDuration, queueLimit: Int? = nil, seed: UInt64 = 1,
    maxArrivals: Int? = nil
  ) -> TopologyConfig {
    let tier = TierConfig(
      loadBalancer: LoadBalancerConfig(
        concurrencyPerTarget: 1, queueLimit: queueLimit, queueTimeout: nil, targetTimeout: nil, policy: .roundRobin,
        healthCheck: nil),
      group: GroupConfig(initial: servers, min: servers, max: servers, workers: 1, bootTime: .constant(.seconds(30))),
      cpuTime: [.apiRead: try! .exponential(mean: 1 / mu)])
    return TopologyConfig(
      regions: [RegionConfig(name: "solo", frontend: nil, backend: tier)], dns: nil,
      populations: [
        PopulationConfig(
          name: "users", arrivals: .constant(rate: lambda), mix: [.apiRead: 1], clients: 1, clientCache: .none,
          timeout: nil, maxArrivals: maxArrivals)
      ],
      duration: duration, bucket: .seconds(60), seed: seed)
  }

  /// Erlang C: the probability an arrival waits in M/M/c, and the mean wait Wq.
  static func erlangC(lambda: Double, mu: Double, servers c: Int) -> (pWait: Double, meanWait: Double) {
    let a = lambda / mu
    let rho = a / Double(c)
    var sum = 0.0
    var term = 1.0  // a^k / k!
    for k in 0..<c {
      if k > 0 { term *= a / Double(k) }
      sum += term
    }
    let last = term * a / Double(c) / (1 - rho)  // a^c / c! / (1 − ρ)
    let pWait = last / (sum + last)
    return (pWait, pWait / (Double(c) * mu - lambda))
  }

  /// M/M/c/K blocking probability (K = c in service + queue places).
  static func mmcKBlocking(lambda: Double, mu: Double, servers c: Int, capacity k: Int) -> Double {
    let a = lambda / mu
    var terms: [Double] = []
    var factorialC = 1.0
    for n in 1...c { factorialC *= Double(n) }
    for n in 0...k {
      if n <= c {
        var f = 1.0
        for i in stride(from: 1, through: n, by: 1) { f *= Double(i) }
        terms.append(pow(a, Double(n)) / f)
      } else {
        terms.append(pow(a, Double(n)) / (factorialC * pow(Double(c), Double(n - c))))
      }
    }
    return terms[k] / terms.reduce(0, +)
  }

  /// The seed's shape: two regions, each a frontend and a backend tier behind load
  /// balancers, a stand-in data tier; weighted 50/50 DNS with health checks.
  static func twoRegions(
    rate: Double = 50, duration: SimDuration = .minutes(10), checkers: Int = 12, interval: SimDuration = .seconds(30),
    threshold: Int = 3, alignedPhase: SimDuration? = nil, roundTrip: SimDuration = .zero, propagation: Distribution = .constant(.zero),
    clientCache: ClientDNSCache = .browser(minimum: .seconds(60)), ttl: SimDuration = .seconds(60), retry: RetryPolicy? = nil,
    faults: [FaultSpec] = [], instances: Int = 2, policy: ScalingPolicy? = nil, max: Int = 5, seed: UInt64 = 1,
    overcachingShare: Double = 0, timeout: SimDuration? = .seconds(30), connectTimeout: SimDuration = .seconds(10)
  ) -> TopologyConfig {
    func tier(_ cpu: Double) -> TierConfig {
      TierConfig(
        loadBalancer: LoadBalancerConfig(concurrencyPerTarget: 64, queueLimit: 256, queueTimeout: .seconds(5)),
        group: GroupConfig(initial: instances, min: 1, max: max, workers: 4, bootTime: .constant(.seconds(40)), policy: policy),
        cpuTime: [
          .pageLoad: try! .exponential(mean: cpu), .apiRead: try! .exponential(mean: cpu), .apiWrite: try! .exponential(mean: cpu * 1.5),
        ])
    }
    let check = DNSHealthCheckConfig(
      checkers: checkers, interval: interval, failureThreshold: threshold, roundTrip: roundTrip, alignedPhase: alignedPhase)
    return TopologyConfig(
      regions: ["delhi", "chennai"].map { RegionConfig(name: $0, frontend: tier(0.002), backend: tier(0.010)) },
      dns: DNSConfig(
        weights: [50, 50], healthChecks: [check, check], ttl: ttl, propagationDelay: propagation, resolvers: 200,
        overcachingShare: overcachingShare, overcachingDuration: .constant(.minutes(30))),
      populations: [
        PopulationConfig(
          name: "web", arrivals: .constant(rate: rate), mix: [.pageLoad: 0.5, .apiRead: 0.3, .apiWrite: 0.2], clients: 5_000,
          clientCache: clientCache, connectTimeout: connectTimeout, timeout: timeout, retry: retry)
      ],
      dataPath: dataPath(), faults: faults, duration: duration, bucket: .seconds(10), seed: seed)
  }

  /// The seed's data tier: Delhi primary, Chennai async replica over a 30–50 ms link,
  /// PgPool in each region with the case study's health-check settings.
  static func dataPath(
    synchronousCommit: SynchronousCommit = .on, synchronousStandby: Bool = false, pgpool: PgPoolConfig = PgPoolConfig(),
    monitors: [MonitorConfig] = [], automation: AutomationConfig? = nil, actions: [OperatorAction] = [],
    roundTrip: Distribution = try! .uniform(min: 0.030, max: 0.050), replayPerWrite: SimDuration = .microseconds(200)
  ) -> DataPathConfig {
    func node(_ role: DatabaseRole, upstream: Int? = nil) -> DatabaseConfig {
      DatabaseConfig(
        role: role, upstream: upstream, readTime: try! .lognormal(mean: 0.002, p99: 0.010),
        writeTime: try! .lognormal(mean: 0.003, p99: 0.015),
        localFlush: .constant(.milliseconds(1)), standbyWrite: .constant(.microseconds(100)), standbyFlush: .constant(.milliseconds(1)),
        replayPerWrite: replayPerWrite, promotionTime: .constant(.seconds(5)))
    }
    return DataPathConfig(
      link: RegionLinkConfig(roundTrip: roundTrip), databases: [node(.primary), node(.replica, upstream: 0)],
      replication: ReplicationConfig(synchronousCommit: synchronousCommit, synchronousStandby: synchronousStandby),
      access: [.pgpool(pgpool), .pgpool(pgpool)], monitors: monitors, automation: automation, actions: actions)
  }
}
