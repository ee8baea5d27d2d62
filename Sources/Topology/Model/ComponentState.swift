import SimCore

/// A population's settings that the hot path reads, copied out of the configuration into
/// plain values (the configuration holds dictionaries, whose copies cost reference counting).
struct PopulationRuntime {
  var clients: Int
  var timeout: SimDuration?
  var connectTimeout: SimDuration
  var retry: RetryPolicy?
  var fixedRegion: Int32
  var maxArrivals: Int?
  var clientCache: ClientDNSCache
  /// The arrival rate never changes, so thinning never rejects.
  var constantRate: Bool

  init(_ config: PopulationConfig) {
    clients = max(1, config.clients)
    timeout = config.timeout
    connectTimeout = config.connectTimeout
    retry = config.retry
    fixedRegion = Int32(config.fixedRegion)
    maxArrivals = config.maxArrivals
    clientCache = config.clientCache
    if case .constant = config.arrivals { constantRate = true } else { constantRate = false }
  }
}
