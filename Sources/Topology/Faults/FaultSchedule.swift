import SimCore

/// The scenario's faults: when each begins and ends, what it is called on the timeline, and
/// which instance an instance fault hit (the member at its position when it began). A fault
/// due at an instant takes effect after everything else already due at that instant (it is
/// applied in a second, zero-delay step), so a probe and a crash at the same second read as
/// "the probe passed, then the crash", the case study's reading of T+0:00. What a fault does
/// to its target is the target's business: the model passes it on by a named call.
struct FaultSchedule {
  private(set) var specs: [FaultSpec]
  let regionNames: [String]
  let monitorNames: [String]
  /// Per fault: the instances it hit (instance faults only).
  var instancesHit: [[InstanceID]]
  /// Per fault: whether it holds its target now (an end that comes after a rebuild already
  /// ended it changes nothing).
  var active: [Bool]
  /// When the first fault began: the origin of T+.
  var firstFault: SimTime?
  /// Per target, the faults holding it now, oldest first. Faults compose: a target is
  /// healthy only when no fault holds it, and the latest fault's mode is the one in force.
  var holders: [FaultTarget: [FaultID]] = [:]

  /// What a fault's beginning or end does to its target.
  enum Change: Equatable {
    /// The target now has this mode (it was healthy, or another mode was in force).
    case hold(FaultMode)
    /// No fault holds the target any more: it is repaired.
    case repair
    /// Nothing changes for the target (another fault of the same effect still holds it).
    case none
  }

  init(specs: [FaultSpec], regionNames: [String], monitorNames: [String]) {
    self.specs = specs
    self.regionNames = regionNames
    self.monitorNames = monitorNames
    instancesHit = Array(repeating: [], count: specs.count)
    active = Array(repeating: false, count: specs.count)
  }

  /// Schedules every fault's beginning and end; a fault with a timing distribution begins
  /// at a time drawn from its own stream (never before the start; past the end, never).
  func start(_ sim: inout Simulator<ModelEvent>, streams: RandomStreams) {
    for (i, fault) in specs.enumerated() {
      var begins = fault.at
      if let timing = fault.timing {
        var random = streams.stream(named: "faults.timing.\(i)")
        begins = max(.zero, timing.sampleDuration(&random))
      }
      sim.schedule(.faultDue(fault: FaultID(i), begins: true), at: .at(begins))
      if let duration = fault.duration {
        sim.schedule(.faultDue(fault: FaultID(i), begins: false), at: .at(begins + duration))
      }
    }
  }

  /// Adds a fault while the run goes on (a study placing incidents as it reaches them):
  /// its beginning and end are scheduled like those of the scenario's own faults.
  mutating func add(_ fault: FaultSpec, _ sim: inout Simulator<ModelEvent>) {
    let id = FaultID(specs.count)
    specs.append(fault)
    instancesHit.append([])
    active.append(false)
    sim.schedule(.faultDue(fault: id, begins: true), at: .at(fault.at))
    if let duration = fault.duration { sim.schedule(.faultDue(fault: id, begins: false), at: .at(fault.at + duration)) }
  }

  /// A fault begins or ends now: recorded; returns its target and what changes for it.
  /// Faults on one target compose (an instance fault hits a member of its own and stands
  /// alone): the end of one repairs the target only when no other still holds it.
  mutating func apply(_ fault: FaultID, begins: Bool, at now: SimTime, _ timeline: inout Timeline) -> (FaultTarget, Change) {
    let spec = specs[fault.index]
    guard active[fault.index] != begins else { return (spec.target, .none) }  // ended early by a rebuild
    active[fault.index] = begins
    if begins && firstFault == nil && !spec.isRestart { firstFault = now }
    let what = describe(spec.target)
    if spec.isRestart {
      timeline.record(
        now, .operator, .tierRestarted,
        begins ? "\(what) restarts (systemctl restart): connections refused until it is back" : "\(what) is back after its restart")
    } else if case .instance = spec.target {
      if begins {
        timeline.record(now, .fault, .faultBegan, "\(what): \(Self.describe(spec.mode, on: spec.target))")
      } else {
        timeline.record(now, .fault, .faultEnded, "\(what) repaired")
      }
      return (spec.target, begins ? .hold(spec.mode) : .repair)
    }
    let before = holders[spec.target]?.last.map { specs[$0.index].mode }
    if begins {
      holders[spec.target, default: []].append(fault)
    } else {
      holders[spec.target]?.removeAll { $0 == fault }
    }
    let after = holders[spec.target]?.last.map { specs[$0.index].mode }
    let dark: Bool = {
      if case .region = spec.target { return true } else { return false }
    }()
    if spec.isRestart {
      // recorded above
    } else if begins {
      let effect = dark ? "goes dark: no answer at all, not even a refusal" : Self.describe(spec.mode, on: spec.target)
      let also = before == nil ? "" : " (another fault already holds it; this one is in force now)"
      timeline.record(now, .fault, .faultBegan, "\(what): \(effect)\(also)")
    } else if after == nil {
      timeline.record(now, .fault, .faultEnded, "\(what) repaired")
    } else {
      timeline.record(now, .fault, .faultEnded, "\(what): one fault ends; another still holds it, so it is not repaired")
    }
    guard let after else { return (spec.target, .repair) }
    // A region is dark whatever the mode; elsewhere only a different mode changes anything.
    if before != nil && (dark || before == after) { return (spec.target, .none) }
    return (spec.target, .hold(after))
  }

  /// The faults holding a part of region `r` now (the region itself, its tiers, load
  /// balancers, instances, database or PgPool), restarts aside: what a rebuild ends.
  func activeFaults(inRegion r: Int) -> [FaultID] {
    specs.indices.filter { f in
      guard active[f], !specs[f].isRestart else { return false }
      switch specs[f].target {
      case .region(let x), .loadBalancer(let x, _), .tier(let x, _), .instance(let x, _, _), .database(let x), .pgpool(let x):
        return x == r
      case .link, .monitor, .automation: return false
      }
    }.map { FaultID($0) }
  }

  func describe(_ target: FaultTarget) -> String {
    switch target {
    case .region(let r): return "\(regionNames[r]) region"
    case .loadBalancer(let r, let tier): return "\(regionNames[r]) \(tier.rawValue) load balancer"
    case .tier(let r, let tier): return "\(regionNames[r]) \(tier.rawValue) tier"
    case .instance(let r, let tier, let position): return "\(regionNames[r]).\(tier.rawValue)#\(position)"
    case .database(let r): return "\(regionNames[r]) database"
    case .pgpool(let r): return "\(regionNames[r]) PgPool"
    case .link(let from?): return "link from \(regionNames[from])"
    case .link(nil): return "link between the regions"
    case .monitor(let index): return "monitor \(index < monitorNames.count ? monitorNames[index] : String(index))"
    case .automation: return "failover automation"
    }
  }

  /// What a mode does to a target, in the words the timeline uses (the reference says the same).
  static func describe(_ mode: FaultMode, on target: FaultTarget) -> String {
    switch (mode, target) {
    case (.crash, .loadBalancer): return "stops answering (crash): its address is dead, clients wait out their connect timeout"
    case (.crash, .tier), (.crash, .instance):
      return "crashes (crash): connections refused at once, the load balancer answers 502"
    case (.crash, .database): return "crashes (crash): the PostgreSQL process is gone, connections refused at once"
    case (.crash, .pgpool): return "crashes (crash): connections refused at once"
    case (.crash, .link): return "is cut (crash): every message is lost"
    case (.crash, _): return "stops working (crash)"
    default: return describe(mode)
    }
  }

  static func describe(_ mode: FaultMode) -> String {
    switch mode {
    case .crash: return "stops working (crash)"
    case .hang: return "hangs (accepts, never answers)"
    case .slow(let factor): return "slows down ×\(factor)"
    case .errors(let rate): return "fails \(Int((rate * 100).rounded()))% of requests"
    case .latency(let extra): return "adds \(extra) of latency"
    }
  }
}
