import Dispatch
import Experiments
import SimCore
import Topology

/// A fixed sweep through the real Runner: 4 configurations (servers 9…12 of an M/M/c at
/// λ = 80/s, μ = 10/s) × `replications`, run at 1 thread and at 2.
enum SweepBenchmark {
  static func configurations(customers: Int) -> [TopologyConfig] {
    (9...12).map { servers in
      let tier = TierConfig(
        loadBalancer: LoadBalancerConfig(concurrencyPerTarget: 1, queueLimit: nil, queueTimeout: nil, targetTimeout: nil, healthCheck: nil),
        group: GroupConfig(initial: servers, min: servers, max: servers, workers: 1, bootTime: .constant(.zero)),
        cpuTime: [.apiRead: try! .exponential(mean: 0.1)])
      return TopologyConfig(
        regions: [RegionConfig(name: "solo", frontend: nil, backend: tier)], dns: nil,
        populations: [
          PopulationConfig(
            name: "c", arrivals: .constant(rate: 80), mix: [.apiRead: 1], clients: 1, clientCache: .none, timeout: nil,
            maxArrivals: customers)
        ],
        duration: SimDuration(seconds: Double(customers) / 80 * 1.2 + 600), bucket: .hours(1), seed: 1)
    }
  }

  /// Wall seconds for the sweep at `jobs` threads, and a checksum of its results.
  static func run(jobs: Int, replications: Int, customers: Int) -> (seconds: Double, checksum: Double) {
    let runner = Runner(configurations: configurations(customers: customers), replications: replications, seed: 7, jobs: jobs)
    var checksum = 0.0
    let seconds = timed {
      let results = runner.run(metrics: { _, result in ["sojourn": result.loadBalancers[0].meanSojourn] })
      checksum = results.reduce(0) { $0 + ($1.metrics["sojourn"]! ?? 0) }
    }
    return (seconds, checksum)
  }
}
