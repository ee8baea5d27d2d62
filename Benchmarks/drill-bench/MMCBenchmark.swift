import Foundation
import SimCore
import Topology

/// M/M/c through the real Topology load balancer and instance model: one region, one
/// tier of `servers` single-worker instances behind a load balancer with one slot per
/// target and an unbounded FIFO queue, Poisson arrivals, exponential service; no DNS,
/// no data tier, no timeouts.
enum MMCBenchmark {
  struct Result {
    var customers: Int
    var meanWait: Double
    var meanSojourn: Double
    var exactWait: Double
    var events: Int
  }

  static func run(lambda: Double, mu: Double, servers: Int, customers: Int, seed: UInt64) -> Result {
    let tier = TierConfig(
      loadBalancer: LoadBalancerConfig(
        concurrencyPerTarget: 1, queueLimit: nil, queueTimeout: nil, targetTimeout: nil, policy: .roundRobin, healthCheck: nil),
      group: GroupConfig(initial: servers, min: servers, max: servers, workers: 1, bootTime: .constant(.zero)),
      cpuTime: [.apiRead: try! .exponential(mean: 1 / mu)])
    // Long enough for every customer to arrive and leave; arrivals stop at `customers`.
    let duration = SimDuration(seconds: Double(customers) / lambda * 1.2 + 3600)
    let config = TopologyConfig(
      regions: [RegionConfig(name: "solo", frontend: nil, backend: tier)], dns: nil,
      populations: [
        PopulationConfig(
          name: "customers", arrivals: .constant(rate: lambda), mix: [.apiRead: 1], clients: 1, clientCache: .none,
          timeout: nil, maxArrivals: customers)
      ],
      duration: duration, bucket: .hours(1), seed: seed)
    let result = TopologyModel.run(config)
    let lb = result.loadBalancers[0]
    return Result(
      customers: result.totals.ended, meanWait: lb.meanQueueWait, meanSojourn: lb.meanSojourn,
      exactWait: erlangCWait(lambda: lambda, mu: mu, servers: servers), events: result.eventsProcessed)
  }

  /// Erlang C mean wait in queue.
  static func erlangCWait(lambda: Double, mu: Double, servers c: Int) -> Double {
    let a = lambda / mu
    var sum = 0.0
    var term = 1.0
    for k in 0..<c {
      if k > 0 { term *= a / Double(k) }
      sum += term
    }
    let last = term * a / Double(c) / (1 - a / Double(c))
    return last / (sum + last) / (Double(c) * mu - lambda)
  }
}
