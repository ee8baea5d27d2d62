/// What happens to the users: arrivals, retries and their timeouts. Small payloads (typed IDs, a
/// request reference), so events stay inline in the kernel's queue.
public enum ClientEvent: Sendable {
  /// The next arrival candidate of a population (non-homogeneous Poisson by thinning).
  case arrival(population: PopulationID)
  /// A client starts a retry of an earlier attempt (the new attempt's slot is allocated).
  case retry(RequestRef)
  /// A population's connect-timeout list falls due: its oldest attempt at a dead address
  /// gives up connecting.
  case connectTimeout(PopulationID)
  /// A population's client-timeout list falls due: its oldest client stops waiting.
  case clientTimeout(PopulationID)
}

/// The model's events of this mechanism, written as before: `.arrival(…)` builds
/// ``ModelEvent/clients(_:)``.
extension ModelEvent {
  @inline(__always) static func arrival(population: PopulationID) -> ModelEvent { .clients(.arrival(population: population)) }
  @inline(__always) static func retry(_ a0: RequestRef) -> ModelEvent { .clients(.retry(a0)) }
  @inline(__always) static func connectTimeout(_ a0: PopulationID) -> ModelEvent { .clients(.connectTimeout(a0)) }
  @inline(__always) static func clientTimeout(_ a0: PopulationID) -> ModelEvent { .clients(.clientTimeout(a0)) }
}
