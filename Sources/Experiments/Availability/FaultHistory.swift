import SimCore
import Topology

/// One failure of a sampled history: which process, what it hits, when (seconds of study
/// time from the start) and for how long.
public struct SampledFault: Sendable, Hashable {
  /// The process's position in ``AvailabilityConfig/processes``.
  public var process: Int
  public var targets: [FaultTarget]
  public var mode: FaultMode
  public var begins: Double
  public var length: Double
  /// Where the operator's response to an incident this fault begins falls in its
  /// distribution (a uniform draw in (0, 1), from the part's own stream): variants that share
  /// the part share the operator's delay too.
  public var operatorQuantile: Double
  public var ends: Double { begins + length }
}

/// Draws the failures and repairs of every fault process over a horizon.
///
/// Each part (or each group of parts failing `together`) is an alternating renewal process
/// with a random stream of its own, named by the process and the part's name (not its
/// position), so a variant that adds an instance or drops a region draws the same history
/// for every part the two share: levers compare on the same failures.
public enum FaultHistory {
  public static func sample(_ processes: [FaultProcess], config: TopologyConfig, horizon: Double, seed: UInt64) -> [SampledFault] {
    let streams = RandomStreams(seed: seed)
    let names = config.regions.map(\.name)
    var faults: [SampledFault] = []
    for (p, process) in processes.enumerated() {
      let targets = process.target.targets(in: config)
      let groups = process.together ? (targets.isEmpty ? [] : [targets]) : targets.map { [$0] }
      for group in groups {
        let label = group.map { name(of: $0, regions: names, monitors: config.dataPath?.monitors ?? []) }.joined(separator: "+")
        var random = streams.stream(named: "availability.\(process.name).\(label)")
        var operatorRandom = streams.stream(named: "availability.operator.\(process.name).\(label)")
        var t = 0.0
        while true {
          t += max(0, process.timeToFailure.sample(&random))
          guard t < horizon, t.isFinite else { break }
          let length = max(0, process.repair.sample(&random))
          faults.append(
            SampledFault(
              process: p, targets: group, mode: process.mode, begins: t, length: length, operatorQuantile: operatorRandom.nextOpenUnit()))
          t += length
        }
      }
    }
    // Time order; ties in process then target order (the sort is stable).
    return faults.enumerated().sorted { ($0.element.begins, $0.offset) < ($1.element.begins, $1.offset) }.map(\.element)
  }

  /// A part's name as a scenario writes its target (`delhi.backend#0`), stable across variants.
  static func name(of target: FaultTarget, regions: [String], monitors: [MonitorConfig]) -> String {
    switch target {
    case .region(let r): return regions[r]
    case .loadBalancer(let r, let tier): return "\(regions[r]).\(tier.rawValue).lb"
    case .tier(let r, let tier): return "\(regions[r]).\(tier.rawValue)"
    case .instance(let r, let tier, let index): return "\(regions[r]).\(tier.rawValue)#\(index)"
    case .database(let r): return "\(regions[r]).database"
    case .pgpool(let r): return "\(regions[r]).pgpool"
    case .link(let from?): return "link.from-\(regions[from])"
    case .link(nil): return "link"
    case .monitor(let index): return index < monitors.count ? "monitor.\(regions[monitors[index].region])" : "monitor.\(index)"
    case .automation: return "automation"
    }
  }
}
