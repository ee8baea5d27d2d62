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
  /// The region's PostgreSQL node.
  case database(region: Int)
  /// The region's PgPool-II.
  case pgpool(region: Int)
  /// The link between the regions: both directions, or only messages leaving `from`.
  case link(from: Int?)
  /// A monitor (it stops checking), by its position in ``DataPathConfig/monitors``.
  case monitor(index: Int)
  /// The failover automation (webhooks go unanswered).
  case automation
}

/// What goes wrong.
public enum FaultMode: Sendable, Hashable {
  /// Stops: a load balancer's address black-holes (clients wait out their connect
  /// timeout); an instance refuses (its LB answers 502); a database refuses connections;
  /// the link is partitioned.
  case crash
  /// Accepts and never answers.
  case hang
  /// Takes `factor` times as long.
  case slow(factor: Double)
  /// Answers with an error with probability `rate`; on the link, loses each message with
  /// that probability (a retransmission timeout later it gets through).
  case errors(rate: Double)
  /// Adds this much to every answer (on the link: to every message).
  case latency(SimDuration)
}

/// A fault from `at` for `duration` (nil: until the end of the run). With `timing`, the
/// beginning is drawn once per run from that distribution (from the fault's own random
/// stream), so replications sample where the fault falls against every cycle; `at` is then
/// its median.
public struct FaultSpec: Sendable {
  public var target: FaultTarget
  public var mode: FaultMode
  public var at: SimDuration
  public var duration: SimDuration?
  public var timing: Distribution?
  /// Not a fault but an operator's restart of a tier: the timeline says so, and it does not
  /// mark the first fault (the origin of T+).
  public var isRestart = false

  public init(target: FaultTarget, mode: FaultMode, at: SimDuration, duration: SimDuration? = nil, timing: Distribution? = nil) {
    self.target = target
    self.mode = mode
    self.at = at
    self.duration = duration
    self.timing = timing
  }
}
