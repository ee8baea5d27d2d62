import SimCore
import Testing

@testable import Topology

/// The load balancer and instance model against closed-form queueing results.
@Suite("Queueing against closed forms")
struct QueueingTests {
  @Test("M/M/c through the real load balancer: mean wait and time in system match Erlang C (λ=80, μ=10, c=10)")
  func mmcErlangC() {
    let (lambda, mu, c) = (80.0, 10.0, 10)
    let exact = Fixtures.erlangC(lambda: lambda, mu: mu, servers: c)
    #expect(abs(exact.meanWait + 1 / mu - 0.12046) < 0.00001)  // the figure
    var sojourn = RunningStatistics()
    var wait = RunningStatistics()
    for replication in 0..<20 {
      let config = Fixtures.mmc(
        lambda: lambda, mu: mu, servers: c, duration: .minutes(10), seed: RandomStreams(seed: 80).replicationSeed(replication))
      let lb = TopologyModel.run(config).loadBalancers[0]
      sojourn.record(lb.meanSojourn)
      wait.record(lb.meanQueueWait)
    }
    let sojournCI = sojourn.confidenceInterval(level: 0.95)!
    let waitCI = wait.confidenceInterval(level: 0.95)!
    #expect(sojournCI.contains(exact.meanWait + 1 / mu), "W: \(sojournCI.mean) ± \(sojournCI.halfWidth) vs \(exact.meanWait + 1 / mu)")
    #expect(waitCI.contains(exact.meanWait), "Wq: \(waitCI.mean) ± \(waitCI.halfWidth) vs \(exact.meanWait)")
    #expect(sojournCI.halfWidth < 0.005)  // the interval is tight enough to mean something
  }

  @Test("a finite queue blocks with the M/M/c/K probability (λ=80, μ=10, c=10, K=14)")
  func mmcKBlocking() {
    let (lambda, mu, c, k) = (80.0, 10.0, 10, 14)
    let exact = Fixtures.mmcKBlocking(lambda: lambda, mu: mu, servers: c, capacity: k)
    var blocked = RunningStatistics()
    for replication in 0..<20 {
      let config = Fixtures.mmc(
        lambda: lambda, mu: mu, servers: c, duration: .minutes(10), queueLimit: k - c,
        seed: RandomStreams(seed: 14).replicationSeed(replication))
      let result = TopologyModel.run(config)
      blocked.record(Double(result.totals.total(.queueFull)) / Double(result.totals.ended))
    }
    let ci = blocked.confidenceInterval(level: 0.95)!
    #expect(ci.contains(exact), "P(block): \(ci.mean) ± \(ci.halfWidth) vs \(exact)")
  }

  @Test("Little's law holds at the load balancer: L = λW and Lq = λWq", arguments: [(80.0, 10), (50.0, 6), (9.0, 1)])
  func littlesLaw(lambda: Double, servers: Int) {
    let config = Fixtures.mmc(lambda: lambda, mu: 10, servers: servers, duration: .minutes(30), seed: 7)
    let result = TopologyModel.run(config)
    let lb = result.loadBalancers[0]
    let throughput = Double(lb.accepted) / lb.elapsed.seconds
    // Requests still inside at the end make the two sides differ slightly; 2% covers it.
    #expect(
      abs(lb.meanInSystem - throughput * lb.meanSojourn) <= 0.02 * lb.meanInSystem,
      "L \(lb.meanInSystem) vs λW \(throughput * lb.meanSojourn)")
    #expect(
      abs(lb.meanQueueLength - throughput * lb.meanQueueWait) <= 0.02 * max(lb.meanQueueLength, 0.01),
      "Lq \(lb.meanQueueLength) vs λWq \(throughput * lb.meanQueueWait)")
  }
}
