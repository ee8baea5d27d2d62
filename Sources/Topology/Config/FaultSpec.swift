import SimCore

/// The part of the system a fault hits.
public enum FaultTarget: Sendable, Hashable {
  /// The whole region: its load balancers stop answering (black hole), its instances
  /// and data tier are down.
  case region(Int)
  /// A tier's load balancer.
  case loadBalancer(region: Int, tier: TierRole)
  /// Every instance of a tier, including ones launched while the fault lasts.
  case tier(region: Int, tier: TierRole)
  /// One instance, by its position among the tier's instances at the time of the fault.
  case instance(region: Int, tier: TierRole, index: Int)
  /// The region's data tier.
  case dataTier(region: Int)
}

/// What goes wrong.
public enum FaultMode: Sendable, Hashable {
  /// Stops: a load balancer's address black-holes (clients wait out their connect
  /// timeout); an instance refuses (its LB answers 502); the data tier errors.
  case crash
  /// Accepts and never answers.
  case hang
  /// Takes `factor` times as long.
  case slow(factor: Double)
  /// Answers with an error with probability `rate`.
  case errors(rate: Double)
}

/// A fault from `at` for `duration` (nil: until the end of the run).
public struct FaultSpec: Sendable {
  public var target: FaultTarget
  public var mode: FaultMode
  public var at: SimDuration
  public var duration: SimDuration?

  public init(target: FaultTarget, mode: FaultMode, at: SimDuration, duration: SimDuration? = nil) {
    self.target = target
    self.mode = mode
    self.at = at
    self.duration = duration
  }
}
