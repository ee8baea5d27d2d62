import SimCore

/// Route 53 weighted records with health checks, and the resolver and client caches in
/// front of them (mechanisms.md §1, modelling rules 1–5).
extension TopologyModel {
  mutating func buildDNS(_ dns: DNSConfig) {
    for r in config.regions.indices {
      var record = RecordState(region: Int32(r), weight: dns.weights[r], check: dns.healthChecks[r])
      if let check = dns.healthChecks[r] {
        for _ in 0..<check.checkers {
          record.checkers.append(Int32(checkers.count))
          checkers.append(CheckerState(record: Int32(r)))
        }
        record.healthyCheckers = check.checkers
      }
      records.append(record)
    }
    resolvers = Array(repeating: CacheEntry(), count: max(1, dns.resolvers))
    resolverOvercaches = (0..<resolvers.count).map { _ in dnsRandom.nextUnit() < dns.overcachingShare }
  }

  /// Each checker's first probe at its phase: uniform on [0, interval), or aligned.
  mutating func startDNS(_ sim: inout Simulator<ModelEvent>) {
    for (c, checker) in checkers.enumerated() {
      let check = records[Int(checker.record)].check!
      let phase = check.alignedPhase ?? SimDuration(seconds: check.interval.seconds * probeRandom.nextUnit())
      sim.schedule(.dnsProbe(checker: Int32(c)), at: .at(phase))
    }
  }

  // MARK: Health checks

  /// A checker probes the region's entry load balancer (the `/health/` path through it).
  mutating func dnsProbe(_ c: Int32, _ sim: inout Simulator<ModelEvent>) {
    let record = records[Int(checkers[Int(c)].record)]
    var random = probeRandom
    let (passed, took) = probeRegion(record.region, check: record.check!, random: &random)
    probeRandom = random
    sim.schedule(.dnsProbeResult(checker: c, passed: passed), after: took)
  }

  /// What one probe of a region sees, and how long it takes to see it (mechanisms.md §1.2, τ):
  /// a black-holed address fails after the 4 s connect budget, a hung endpoint after the
  /// 2 s response budget, a refusal or an error status after a round trip.
  func probeRegion(_ region: Int32, check: DNSHealthCheckConfig, random: inout Xoshiro256StarStar) -> (Bool, SimDuration) {
    let r = Int(region)
    let tier = regionLoadBalancer[r][0] >= 0 ? 0 : 1
    let lb = regionLoadBalancer[r][tier]
    guard lb >= 0 else { return (false, check.roundTrip) }
    if regionDown[r] || loadBalancers[Int(lb)].fault == .crash { return (false, check.connectTimeout) }
    switch loadBalancers[Int(lb)].fault {
    case .hang: return (false, check.responseTimeout)
    case .errors(let rate) where random.nextUnit() < rate: return (false, check.roundTrip)
    default: break
    }
    // The probe goes through the load balancer like a request, without waiting for a slot.
    let balancer = loadBalancers[Int(lb)]
    let serving = balancer.targets.filter { instances[Int($0)].phase == .inService }
    let healthy = serving.filter { instances[Int($0)].healthy }
    let candidates = healthy.isEmpty ? serving : healthy
    guard !candidates.isEmpty else { return (false, check.roundTrip) }  // 503
    let target = candidates[Int(random.next() % UInt64(candidates.count))]
    switch condition(target) {
    case .crash: return (false, check.roundTrip)  // 502
    case .hang: return (false, check.responseTimeout)
    case .errors(let rate) where random.nextUnit() < rate: return (false, check.roundTrip)
    default: return (true, check.roundTrip)
    }
  }

  /// A checker counts consecutive results and flips after the failure threshold (both
  /// ways); the record is healthy while more than 18% of its checkers say so.
  mutating func dnsProbeResult(_ c: Int32, _ passed: Bool, _ sim: inout Simulator<ModelEvent>) {
    let r = Int(checkers[Int(c)].record)
    let check = records[r].check!
    let threshold = check.failureThreshold
    if passed {
      checkers[Int(c)].consecutivePasses += 1
      checkers[Int(c)].consecutiveFailures = 0
      if !checkers[Int(c)].healthy && checkers[Int(c)].consecutivePasses >= threshold {
        checkers[Int(c)].healthy = true
        records[r].healthyCheckers += 1
      }
    } else {
      checkers[Int(c)].consecutiveFailures += 1
      checkers[Int(c)].consecutivePasses = 0
      let failures = checkers[Int(c)].consecutiveFailures
      if records[r].decidedHealthy && failures > records[r].episodeFailures && failures <= threshold {
        records[r].episodeFailures = failures
        recorder.timeline.record(
          sim.now, .dns, .dnsCheckFailed,
          "Route 53 health check #\(failures) fails for \(name(ofRegion: Int32(r))) (\(failures) of \(threshold) consecutive)")
      }
      if checkers[Int(c)].healthy && failures >= threshold {
        checkers[Int(c)].healthy = false
        records[r].healthyCheckers -= 1
      }
    }
    let healthy = Double(records[r].healthyCheckers) > check.healthyShare * Double(check.checkers)
    if healthy != records[r].decidedHealthy {
      records[r].decidedHealthy = healthy
      records[r].episode &+= 1
      let region = name(ofRegion: Int32(r))
      let count = "\(records[r].healthyCheckers) of \(check.checkers) checkers healthy"
      if healthy {
        records[r].episodeFailures = 0
        recorder.timeline.record(sim.now, .dns, .dnsRecordHealthy, "Route 53 marks \(region) healthy again (\(count))")
      } else {
        recorder.timeline.record(sim.now, .dns, .dnsRecordUnhealthy, "Route 53 marks \(region) unhealthy (\(count), ≤ 18%)")
      }
      let delay = config.dns!.propagationDelay.sampleDuration(&dnsRandom)
      sim.schedule(.dnsAnswersChange(record: Int32(r), healthy: healthy, episode: records[r].episode), after: max(.zero, delay))
    }
    sim.schedule(.dnsProbe(checker: c), after: check.interval)  // counted from the response
  }

  mutating func dnsAnswersChange(_ r: Int32, _ healthy: Bool, _ episode: UInt32, _ sim: inout Simulator<ModelEvent>) {
    guard records[Int(r)].episode == episode else { return }  // flipped back before it propagated
    records[Int(r)].answeredHealthy = healthy
    let answered = records.indices.filter { isAnswered(Int32($0)) }.map { name(ofRegion: Int32($0)) }
    let failOpen = records.allSatisfy { !$0.answeredHealthy }
    let region = name(ofRegion: r)
    if healthy {
      recorder.timeline.record(
        sim.now, .dns, .dnsAnswersRestored, "DNS answers include \(region) again; answering \(answered.joined(separator: ", "))")
    } else if failOpen {
      recorder.timeline.record(
        sim.now, .dns, .dnsFailOpen,
        "Every record is unhealthy: Route 53 fails open and answers \(answered.joined(separator: ", ")) by weight")
    } else {
      recorder.timeline.record(
        sim.now, .dns, .dnsUnhealthy, "DNS stops answering \(region); new lookups go to \(answered.joined(separator: ", "))")
      drainEpisode[Int(r)] &+= 1
      scheduleDrainCheck(r, &sim)
    }
  }

  /// Whether fresh DNS answers can point at a region now.
  func isAnswered(_ r: Int32) -> Bool {
    let failOpen = records.allSatisfy { !$0.answeredHealthy }
    let record = records[Int(r)]
    if !failOpen && !record.answeredHealthy { return false }
    let live = records.filter { failOpen || $0.answeredHealthy }
    if record.weight > 0 { return true }
    return live.allSatisfy { $0.weight == 0 }
  }

  mutating func scheduleDrainCheck(_ r: Int32, _ sim: inout Simulator<ModelEvent>) {
    let expiry = latestCacheExpiry[Int(r)]
    if expiry == .distantFuture {
      recorder.timeline.record(
        sim.now, .clients, .dnsCachesNeverDrain, "Some clients cache \(name(ofRegion: r)) forever: they will never leave it")
      return
    }
    sim.schedule(.cachesDrainCheck(region: r, episode: drainEpisode[Int(r)]), at: max(sim.now, expiry))
  }

  mutating func cachesDrainCheck(_ r: Int32, _ episode: UInt32, _ sim: inout Simulator<ModelEvent>) {
    guard episode == drainEpisode[Int(r)], !isAnswered(r) else { return }
    if latestCacheExpiry[Int(r)] > sim.now {
      scheduleDrainCheck(r, &sim)
      return
    }
    recorder.timeline.record(
      sim.now, .clients, .dnsCachesDrained,
      "The last cached answer pointing at \(name(ofRegion: r)) expired: no client is sent there any more")
  }

  // MARK: Answers and caches

  /// The answer Route 53 gives now: a record picked by weight among those answered
  /// healthy (weight-0 records only if every weighted one is out); if none is healthy,
  /// all of them by weight (fail open).
  mutating func authoritativeAnswer() -> Int32 {
    var candidates = records.indices.filter { records[$0].answeredHealthy && records[$0].weight > 0 }
    if candidates.isEmpty { candidates = records.indices.filter { records[$0].answeredHealthy } }
    if candidates.isEmpty { candidates = records.indices.filter { records[$0].weight > 0 } }
    if candidates.isEmpty { candidates = Array(records.indices) }
    let total = candidates.reduce(0) { $0 + records[$1].weight }
    if total == 0 { return Int32(candidates[Int(dnsRandom.next() % UInt64(candidates.count))]) }
    var pick = Int(dnsRandom.next() % UInt64(total))
    for c in candidates {
      pick -= records[c].weight
      if pick < 0 { return Int32(c) }
    }
    return Int32(candidates.last!)
  }

  /// The region a client's lookup gives: its own cache, else its resolver's cache, else a
  /// fresh answer; each cache keeps it by its own rule (rule 4).
  mutating func resolve(population p: Int, client c: Int, now: SimTime, _ sim: inout Simulator<ModelEvent>) -> Int32 {
    let dns = config.dns!
    let slot = clientCacheStart[p] + c
    if clientCaches[slot].expiry > now { return clientCaches[slot].region }
    // Clients of different populations share resolvers.
    let r = (c &* 7919 &+ p &* 104_729) % resolvers.count
    let region: Int32
    let remaining: SimDuration
    if resolvers[r].expiry > now {
      region = resolvers[r].region
      remaining = resolvers[r].expiry - now
    } else {
      region = authoritativeAnswer()
      remaining = resolverOvercaches[r] ? max(dns.ttl, dns.overcachingDuration.sampleDuration(&dnsRandom)) : dns.ttl
      resolvers[r] = CacheEntry(region: region, expiry: now + remaining)
      noteCached(region, until: now + remaining)
    }
    let expiry: SimTime
    switch populations[p].clientCache {
    case .none: expiry = now
    case .honorTTL: expiry = now + remaining
    case .browser(let minimum): expiry = now + max(remaining, minimum)
    case .fixed(let duration): expiry = now + duration
    case .forever: expiry = .distantFuture
    }
    clientCaches[slot] = CacheEntry(region: region, expiry: expiry)
    noteCached(region, until: expiry)
    return region
  }

  mutating func noteCached(_ region: Int32, until expiry: SimTime) {
    if expiry > latestCacheExpiry[Int(region)] { latestCacheExpiry[Int(region)] = expiry }
  }
}
