import SimCore

/// The model's side of DNS: a checker's probe goes through the region's entry load balancer
/// like a request (``probeRegion(_:check:random:)``); DNS takes the result.
extension TopologyModel {
  mutating func dnsProbe(_ checker: CheckerID, _ sim: inout Simulator<ModelEvent>) {
    let (region, check) = dns!.probeTarget(of: checker)
    var random = probeRandom
    let (passed, took) = probeRegion(region, check: check, random: &random)
    probeRandom = random
    sim.schedule(.dnsProbeResult(checker: checker, passed: passed), after: took)
  }
}
