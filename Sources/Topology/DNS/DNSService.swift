import SimCore

/// Route 53 weighted records with health checks, and the resolver and client caches in
/// front of them (docs: mechanisms §1, modelling rules 1–5). Owns its records, checkers,
/// caches and its random streams (one per purpose). What a checker's probe sees is not DNS's business:
/// the model answers it (``TopologyModel/probeRegion(_:check:random:)``) and hands DNS the
/// result.
struct DNSService {
  let config: DNSConfig
  let regionNames: [String]
  var records: [RecordState] = []
  var checkers: [CheckerState] = []
  var resolvers: [CacheEntry]
  var resolverOvercaches: [Bool]
  /// Client caches of every population, one after another; `clientCacheStart[p]` is the first of population p.
  var clientCaches: [CacheEntry] = []
  var clientCacheStart: [Int] = []
  /// Per client slot: the resolver that client asks (clients of different populations share
  /// resolvers), worked out once here, not with an integer division on every request.
  var clientResolver: [Int32] = []
  /// Per region: the latest expiry of any cached answer pointing at it.
  var latestCacheExpiry: [SimTime]
  var drainEpisode: [UInt32]
  /// One stream per purpose: fresh answers, how long over-caching resolvers keep them,
  /// propagation delays, and the checkers' probes (their phases and what they see).
  var random: Xoshiro256StarStar
  var overcachingRandom: Xoshiro256StarStar
  var propagationRandom: Xoshiro256StarStar
  var probeRandom: Xoshiro256StarStar

  init(config: DNSConfig, regionNames: [String], clientsPerPopulation: [Int], streams: RandomStreams) {
    self.config = config
    self.regionNames = regionNames
    random = streams.stream(named: "dns.answers")
    overcachingRandom = streams.stream(named: "dns.overcaching")
    propagationRandom = streams.stream(named: "dns.propagation")
    probeRandom = streams.stream(named: "dns.probes")
    for clients in clientsPerPopulation {
      clientCacheStart.append(clientCaches.count)
      clientCaches.append(contentsOf: repeatElement(CacheEntry(), count: clients))
    }
    latestCacheExpiry = Array(repeating: .zero, count: regionNames.count)
    drainEpisode = Array(repeating: 0, count: regionNames.count)
    for r in regionNames.indices {
      var record = RecordState(region: RegionID(r), weight: config.weights[r], check: config.healthChecks[r])
      if let check = config.healthChecks[r] {
        for _ in 0..<check.checkers {
          record.checkers.append(CheckerID(checkers.count))
          checkers.append(CheckerState(record: RegionID(r)))
        }
        record.healthyCheckers = check.checkers
      }
      records.append(record)
    }
    resolvers = Array(repeating: CacheEntry(), count: max(1, config.resolvers))
    resolverOvercaches = []
    for _ in resolvers.indices { resolverOvercaches.append(overcachingRandom.nextUnit() < config.overcachingShare) }
    for (p, clients) in clientsPerPopulation.enumerated() {
      for c in 0..<clients { clientResolver.append(Int32((c &* 7919 &+ p &* 104_729) % resolvers.count)) }
    }
  }

  func name(_ r: RegionID) -> String { regionNames[r.index] }

  /// A share as a whole percentage, or with decimals when it is not whole ("18%", "12.5%").
  static func percent(_ share: Double) -> String {
    let value = share * 100
    return value == value.rounded() ? "\(Int(value))%" : "\((value * 10).rounded() / 10)%"
  }

  /// Puts every cache in its steady state at the start of the run, so that what follows a
  /// DNS change does not depend on when the run began: each resolver holds an answer drawn
  /// by weight with a remaining lifetime uniform on its TTL (or on its over-caching time),
  /// and each client holds its resolver's answer with a remaining lifetime uniform on its
  /// own window (the TTL for clients that honour it, max(TTL, minimum) for browsers, the
  /// fixed time for JVMs; for ever for those that never expire; nothing without a cache).
  /// The draws come from their own stream, so they shift no other draw.
  mutating func warmStart(clientCaches rules: [ClientDNSCache], random: inout Xoshiro256StarStar) {
    let healthy = records.indices.filter { records[$0].weight > 0 }
    let candidates = healthy.isEmpty ? Array(records.indices) : healthy
    for r in resolvers.indices {
      let region = Self.pickByWeight(candidates, in: records, random: &random)
      let life = resolverOvercaches[r] ? max(config.ttl, config.overcachingDuration.sampleDuration(&random)) : config.ttl
      let expiry = SimTime.at(life * random.nextUnit())
      resolvers[r] = CacheEntry(region: region, expiry: expiry)
      noteCached(region, until: expiry)
    }
    for (p, rule) in rules.enumerated() where p < clientCacheStart.count {
      let end = p + 1 < clientCacheStart.count ? clientCacheStart[p + 1] : clientCaches.count
      for slot in clientCacheStart[p]..<end {
        let resolver = resolvers[Int(clientResolver[slot])]
        let expiry: SimTime
        switch rule {
        case .none: continue
        case .honorTTL: expiry = resolver.expiry
        case .browser(let minimum): expiry = .at(max(config.ttl, minimum) * random.nextUnit())
        case .fixed(let duration): expiry = .at(duration * random.nextUnit())
        case .forever: expiry = .distantFuture
        }
        clientCaches[slot] = CacheEntry(region: resolver.region, expiry: expiry)
        noteCached(resolver.region, until: expiry)
      }
    }
  }

  /// Each checker's first probe at its phase: uniform on [0, interval), or aligned.
  mutating func start(_ sim: inout Simulator<ModelEvent>) {
    for (c, checker) in checkers.enumerated() {
      let check = records[checker.record.index].check!
      let phase = check.alignedPhase ?? SimDuration(seconds: check.interval.seconds * probeRandom.nextUnit())
      sim.schedule(.dnsProbe(checker: CheckerID(c)), at: .at(phase))
    }
  }

  /// The region a checker probes and how.
  func probeTarget(of c: CheckerID) -> (region: RegionID, check: DNSHealthCheckConfig) {
    let record = records[checkers[c.index].record.index]
    return (record.region, record.check!)
  }

  // MARK: Health checks

  /// A checker counts consecutive results and flips after the failure threshold (both
  /// ways); the record is healthy while more than `healthyShare` of its checkers say so.
  mutating func probeResult(_ c: CheckerID, passed: Bool, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) {
    let k = c.index
    let r = checkers[k].record.index
    let check = records[r].check!
    let threshold = check.failureThreshold
    if passed {
      checkers[k].consecutivePasses += 1
      checkers[k].consecutiveFailures = 0
      if !checkers[k].healthy && checkers[k].consecutivePasses >= threshold {
        checkers[k].healthy = true
        records[r].healthyCheckers += 1
      }
    } else {
      checkers[k].consecutiveFailures += 1
      checkers[k].consecutivePasses = 0
      let failures = checkers[k].consecutiveFailures
      if records[r].decidedHealthy && failures > records[r].episodeFailures && failures <= threshold {
        records[r].episodeFailures = failures
        timeline.record(
          sim.now, .dns, .dnsCheckFailed,
          "Route 53 health check #\(failures) fails for \(regionNames[r]) (\(failures) of \(threshold) consecutive)")
      }
      if checkers[k].healthy && failures >= threshold {
        checkers[k].healthy = false
        records[r].healthyCheckers -= 1
      }
    }
    let healthy = Double(records[r].healthyCheckers) > check.healthyShare * Double(check.checkers)
    if healthy != records[r].decidedHealthy {
      records[r].decidedHealthy = healthy
      records[r].episode &+= 1
      let region = regionNames[r]
      let count = "\(records[r].healthyCheckers) of \(check.checkers) checkers healthy"
      if healthy {
        records[r].episodeFailures = 0
        timeline.record(sim.now, .dns, .dnsRecordHealthy, "Route 53 marks \(region) healthy again (\(count))")
      } else {
        timeline.record(
          sim.now, .dns, .dnsRecordUnhealthy, "Route 53 marks \(region) unhealthy (\(count), ≤ \(Self.percent(check.healthyShare)))")
      }
      let delay = config.propagationDelay.sampleDuration(&propagationRandom)
      sim.schedule(.dnsAnswersChange(record: RegionID(r), healthy: healthy, episode: records[r].episode), after: max(.zero, delay))
    }
    sim.schedule(.dnsProbe(checker: c), after: check.interval)  // counted from the response
  }

  mutating func answersChange(
    _ r: RegionID, healthy: Bool, episode: UInt32, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline
  ) {
    guard records[r.index].episode == episode else { return }  // flipped back before it propagated
    records[r.index].answeredHealthy = healthy
    let answered = records.indices.filter { isAnswered(RegionID($0)) }.map { regionNames[$0] }
    let failOpen = records.allSatisfy { !$0.answeredHealthy }
    let region = name(r)
    if healthy {
      timeline.record(
        sim.now, .dns, .dnsAnswersRestored, "DNS answers include \(region) again; answering \(answered.joined(separator: ", "))")
    } else if failOpen {
      timeline.record(
        sim.now, .dns, .dnsFailOpen,
        "Every record is unhealthy: Route 53 fails open and answers \(answered.joined(separator: ", ")) by weight")
    } else {
      timeline.record(sim.now, .dns, .dnsUnhealthy, "DNS stops answering \(region); new lookups go to \(answered.joined(separator: ", "))")
      drainEpisode[r.index] &+= 1
      scheduleDrainCheck(r, &sim, &timeline)
    }
  }

  /// Whether fresh DNS answers can point at a region now.
  func isAnswered(_ r: RegionID) -> Bool {
    let failOpen = records.allSatisfy { !$0.answeredHealthy }
    let record = records[r.index]
    if !failOpen && !record.answeredHealthy { return false }
    let live = records.filter { failOpen || $0.answeredHealthy }
    if record.weight > 0 { return true }
    return live.allSatisfy { $0.weight == 0 }
  }

  func scheduleDrainCheck(_ r: RegionID, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) {
    let expiry = latestCacheExpiry[r.index]
    if expiry == .distantFuture {
      timeline.record(sim.now, .clients, .dnsCachesNeverDrain, "Some clients cache \(name(r)) forever: they will never leave it")
      return
    }
    sim.schedule(.cachesDrainCheck(region: r, episode: drainEpisode[r.index]), at: max(sim.now, expiry))
  }

  func cachesDrainCheck(_ r: RegionID, episode: UInt32, _ sim: inout Simulator<ModelEvent>, _ timeline: inout Timeline) {
    guard episode == drainEpisode[r.index], !isAnswered(r) else { return }
    if latestCacheExpiry[r.index] > sim.now {
      scheduleDrainCheck(r, &sim, &timeline)
      return
    }
    timeline.record(
      sim.now, .clients, .dnsCachesDrained, "The last cached answer pointing at \(name(r)) expired: no client is sent there any more")
  }

  // MARK: Weights

  /// An operator sets a record's weight.
  mutating func setWeight(_ r: RegionID, _ weight: Int, at now: SimTime, _ timeline: inout Timeline) {
    records[r.index].weight = weight
    timeline.record(now, .operator, .dnsWeightChanged, "Operator sets the DNS weight of \(name(r)) to \(weight)")
  }

  /// Failback restores the weights, region by region.
  mutating func restoreWeights(_ weights: [Int]) {
    for (r, weight) in weights.enumerated() where r < records.count { records[r].weight = weight }
  }

  // MARK: Answers and caches

  /// The answer Route 53 gives now: a record picked by weight among those answered
  /// healthy (weight-0 records only if every weighted one is out); if none is healthy,
  /// all of them by weight (fail open).
  mutating func authoritativeAnswer() -> RegionID {
    var candidates = records.indices.filter { records[$0].answeredHealthy && records[$0].weight > 0 }
    if candidates.isEmpty { candidates = records.indices.filter { records[$0].answeredHealthy } }
    if candidates.isEmpty { candidates = records.indices.filter { records[$0].weight > 0 } }
    if candidates.isEmpty { candidates = Array(records.indices) }
    return Self.pickByWeight(candidates, in: records, random: &random)
  }

  /// One of `candidates` (record indices) drawn by weight, or uniformly when all weigh 0.
  static func pickByWeight(_ candidates: [Int], in records: [RecordState], random: inout Xoshiro256StarStar) -> RegionID {
    let total = candidates.reduce(0) { $0 + records[$1].weight }
    if total == 0 { return RegionID(candidates[Int(random.next() % UInt64(candidates.count))]) }
    var pick = Int(random.next() % UInt64(total))
    for c in candidates {
      pick -= records[c].weight
      if pick < 0 { return RegionID(c) }
    }
    return RegionID(candidates.last!)
  }

  /// The region a client's lookup gives: its own cache, else its resolver's cache, else a
  /// fresh answer; each cache keeps it by its own rule (rule 4).
  mutating func resolve(population p: Int, client c: Int, cache: ClientDNSCache, now: SimTime) -> RegionID {
    let slot = clientCacheStart[p] + c
    if clientCaches[slot].expiry > now { return clientCaches[slot].region }
    let r = Int(clientResolver[slot])
    let region: RegionID
    let remaining: SimDuration
    if resolvers[r].expiry > now {
      region = resolvers[r].region
      remaining = resolvers[r].expiry - now
    } else {
      region = authoritativeAnswer()
      remaining = resolverOvercaches[r] ? max(config.ttl, config.overcachingDuration.sampleDuration(&overcachingRandom)) : config.ttl
      resolvers[r] = CacheEntry(region: region, expiry: now + remaining)
      noteCached(region, until: now + remaining)
    }
    let expiry: SimTime
    switch cache {
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

  mutating func noteCached(_ region: RegionID, until expiry: SimTime) {
    if expiry > latestCacheExpiry[region.index] { latestCacheExpiry[region.index] = expiry }
  }
}

/// A Route 53 health checker's view of its record.
struct CheckerState {
  var record: RegionID
  var healthy = true
  var consecutivePasses = 0
  var consecutiveFailures = 0
}

/// A weighted record (one per region) and its health as Route 53 decided and answers it.
struct RecordState {
  var region: RegionID
  var weight: Int
  var check: DNSHealthCheckConfig?
  var checkers: [CheckerID] = []
  /// Health as Route 53 has decided it, and as DNS answers currently reflect it.
  var decidedHealthy = true
  var answeredHealthy = true
  var healthyCheckers = 0
  /// Largest consecutive-failure count reached by any checker in this failure episode.
  var episodeFailures = 0
  var episode: UInt32 = 0
}

/// A cached DNS answer.
struct CacheEntry {
  var region = RegionID(raw: -1)
  var expiry: SimTime = .zero
}
