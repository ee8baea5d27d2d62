import SimCore

/// The model's side of DNS: a checker's probe goes through the region's entry load balancer
/// like a request (``probeRegion(_:check:random:)``); DNS takes the result.
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  mutating func handle(_ event: DNSEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .dnsProbe(let checker): dnsProbe(checker, &sim)
    case .dnsProbeResult(let checker, let passed): dns!.probeResult(checker, passed: passed, &sim, &recorder.timeline)
    case .dnsAnswersChange(let record, let healthy, let episode):
      dns!.answersChange(record, healthy: healthy, episode: episode, &sim, &recorder.timeline)
    case .cachesDrainCheck(let region, let episode): dns!.cachesDrainCheck(region, episode: episode, &sim, &recorder.timeline)
    }
  }

  mutating func dnsProbe(_ checker: CheckerID, _ sim: inout Simulator<ModelEvent>) {
    let (region, check) = dns!.probeTarget(of: checker)
    var random = dns!.probeRandom
    let (passed, took) = probeRegion(region, check: check, random: &random)
    dns!.probeRandom = random
    sim.schedule(.dnsProbeResult(checker: checker, passed: passed), after: took)
  }
}
