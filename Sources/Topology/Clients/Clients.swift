import Foundation
import SimCore

/// The users (docs: mechanisms §1.3): populations with an arrival profile, a request mix, a
/// number of clients each with its own DNS cache, and their timeouts and retry policy. Owns
/// the populations' settings, arrival counts and the per-population "arrivals" and "clients"
/// streams. What happens to a request once sent is the model's (``TopologyModel`` in this
/// folder's other file).
struct Clients {
  let configs: [PopulationConfig]
  let duration: SimDuration
  /// The populations' settings the hot path reads, as plain values.
  var populations = StateArray<PopulationRuntime>()
  var peakRate: [Double] = []
  /// Arrivals so far, counted for populations with a cap (`maxArrivals`) only.
  var arrivalsSoFar = StateArray<Int>()
  var mixCumulative: [[(RequestKind, Double)]] = []
  var arrivalRandom = StateArray<Xoshiro256StarStar>()
  var clientRandom = StateArray<Xoshiro256StarStar>()
  /// Retries' jittered backoffs, apart from the request mix and client picks.
  var backoffRandom = StateArray<Xoshiro256StarStar>()

  init(_ configs: [PopulationConfig], duration: SimDuration, streams: RandomStreams) {
    self.configs = configs
    self.duration = duration
    for population in configs {
      populations.append(PopulationRuntime(population))
      peakRate.append(population.arrivals.peakRate(over: duration))
      arrivalsSoFar.append(0)
      let total = population.mix.values.reduce(0, +)
      var cumulative: [(RequestKind, Double)] = []
      var running = 0.0
      for kind in RequestKind.allCases where (population.mix[kind] ?? 0) > 0 {
        running += population.mix[kind]! / total
        cumulative.append((kind, running))
      }
      mixCumulative.append(cumulative)
      arrivalRandom.append(streams.stream(named: "arrivals.\(population.name)"))
      clientRandom.append(streams.stream(named: "clients.\(population.name)"))
      backoffRandom.append(streams.stream(named: "clients.\(population.name).backoff"))
    }
  }

  /// Gives the state arrays storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() {
    populations.makeUnique()
    for p in populations.indices {
      populations[p].timeouts?.makeUnique()
      populations[p].connectTimeouts.makeUnique()
    }
    arrivalsSoFar.makeUnique()
    arrivalRandom.makeUnique()
    clientRandom.makeUnique()
    backoffRandom.makeUnique()
  }

  /// The population's next arrival after `now`, or nil when there is none before the end:
  /// candidates at the peak rate, each kept with probability rate(t)/peak (Lewis and
  /// Shedler's thinning), which gives exactly a Poisson process with rate(t).
  mutating func nextArrival(_ p: PopulationID, after now: SimTime) -> SimTime? {
    if let cap = populations[Int(p)].maxArrivals, arrivalsSoFar[Int(p)] >= cap { return nil }
    let peak = peakRate[Int(p)]
    guard peak > 0 else { return nil }
    var t = now.seconds
    let end = duration.seconds
    let constant = populations[Int(p)].constantRate
    while true {
      t += -log(arrivalRandom[Int(p)].nextOpenUnit()) / peak
      if t > end { return nil }
      if constant { break }
      let rate = configs[Int(p)].arrivals.rate(at: SimDuration(seconds: t))
      if rate >= peak || arrivalRandom[Int(p)].nextUnit() * peak < rate { break }
    }
    return max(now, SimTime.at(SimDuration(seconds: t)))
  }

  /// A new request of population `p` arrives: its kind (by the mix) and its client.
  mutating func arrive(_ p: PopulationID) -> (kind: RequestKind, client: Int32) {
    // Counted only where a cap reads the count; each write through an array checks its uniqueness.
    if populations[Int(p)].maxArrivals != nil { arrivalsSoFar[Int(p)] += 1 }
    var kind = mixCumulative[Int(p)].last?.0 ?? .apiRead
    // Both draws from one copy of the stream: one write back instead of one per draw.
    var random = clientRandom[Int(p)]
    let u = random.nextUnit()
    for (candidate, cumulative) in mixCumulative[Int(p)] where u < cumulative {
      kind = candidate
      break
    }
    let client = Int32(random.next() % UInt64(populations[Int(p)].clients))
    clientRandom[Int(p)] = random
    return (kind, client)
  }

  /// The backoff before retry `attempt + 1` of population `p`: capped exponential, with full
  /// jitter when the policy says so.
  mutating func backoff(_ policy: RetryPolicy, attempt: Int32, population p: PopulationID) -> SimDuration {
    let ceiling = min(policy.maxBackoff.seconds, policy.baseBackoff.seconds * pow(policy.multiplier, Double(attempt)))
    return SimDuration(seconds: policy.jitter ? ceiling * backoffRandom[Int(p)].nextUnit() : ceiling)
  }
}

/// A population's settings that the hot path reads, copied out of the configuration into
/// plain values (the configuration holds dictionaries, whose copies cost reference counting).
struct PopulationRuntime {
  var clients: Int
  /// The clients' own timeouts, one list for the population (they all last as long).
  var timeouts: TimeoutList<RequestRef>?
  /// Attempts connecting to a dead address, each given up `connectTimeout` after it began:
  /// one list (they all last as long), so a dark region's traffic holds one event in the
  /// queue, not one per attempt. Entries are never cancelled; one whose attempt ended first
  /// is skipped when it falls due (the attempt's reference is stale by then).
  var connectTimeouts: TimeoutList<RequestRef>
  var connectTimeout: SimDuration { connectTimeouts.duration }
  var retry: RetryPolicy?
  var fixedRegion: RegionID
  var maxArrivals: Int?
  var clientCache: ClientDNSCache
  /// The arrival rate never changes, so thinning never rejects.
  var constantRate: Bool

  init(_ config: PopulationConfig) {
    clients = max(1, config.clients)
    timeouts = config.timeout.map { TimeoutList(duration: $0) }
    connectTimeouts = TimeoutList(duration: config.connectTimeout)
    retry = config.retry
    fixedRegion = RegionID(config.fixedRegion)
    maxArrivals = config.maxArrivals
    clientCache = config.clientCache
    if case .constant = config.arrivals { constantRate = true } else { constantRate = false }
  }
}
