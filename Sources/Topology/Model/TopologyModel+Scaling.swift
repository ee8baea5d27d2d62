import SimCore

/// Autoscaling groups, instance lifecycle (launch, boot, in service, draining, terminated)
/// and the load balancers' target health checks (mechanisms.md §5, rules 16–17).
extension TopologyModel {
  /// Launches an instance: booting (or already in service, for the initial ones).
  @discardableResult
  mutating func launchInstance(_ g: Int32, _ sim: inout Simulator<ModelEvent>, booted: Bool) -> Int32 {
    let id = Int32(instances.count)
    var instance = InstanceState(group: g, workers: groups[Int(g)].config.workers, tier: groups[Int(g)].tier == .frontend ? 0 : 1)
    instance.serial = groups[Int(g)].launched
    instance.busyChanged = sim.now
    groups[Int(g)].launched += 1
    groups[Int(g)].members.append(id)
    instances.append(instance)
    cpuQueues.append(RingBuffer())
    refreshCondition(id)
    if booted {
      instances[Int(id)].healthy = true
      instances[Int(id)].everHealthy = true
      register(id, &sim)
    } else {
      let boot = groups[Int(g)].config.bootTime.sampleDuration(&bootRandom[Int(g)])
      sim.schedule(.instanceBooted(instance: id), after: boot)
      recorder.timeline.record(
        sim.now, .autoscaling, .instanceLaunched, "\(name(ofInstance: id)) launched (boot ≈ \(boot.rounded(significantDigits: 3)))")
    }
    return id
  }

  mutating func instanceBooted(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    guard instances[Int(id)].phase == .booting else { return }
    register(id, &sim)
    let lb = groups[Int(instances[Int(id)].group)].loadBalancer
    if loadBalancers[Int(lb)].config.healthCheck != nil {
      recorder.timeline.record(
        sim.now, .instance, .instanceBooted, "\(name(ofInstance: id)) booted; waits for its first passing LB health check")
    }
  }

  /// Registers a booted instance with its group's load balancer. Without target health
  /// checks it serves at once; with them it serves after its first passing check.
  mutating func register(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    let g = Int(instances[Int(id)].group)
    let lb = Int(groups[g].loadBalancer)
    instances[Int(id)].phase = .inService
    instances[Int(id)].inServiceSince = sim.now
    instances[Int(id)].busyChanged = sim.now
    loadBalancers[lb].targets.append(id)
    if let check = loadBalancers[lb].config.healthCheck {
      // The LB probes on its own schedule: the first probe comes within one interval.
      sim.schedule(.targetProbe(instance: id), after: SimDuration(seconds: check.interval.seconds * probeRandom.nextUnit()))
    } else if !instances[Int(id)].healthy {
      instances[Int(id)].healthy = true
      recorder.timeline.record(sim.now, .instance, .instanceInService, "\(name(ofInstance: id)) in service")
    }
    groupChanged(g, at: sim.now)
    pump(Int32(lb), &sim)
  }

  // MARK: Target health checks

  mutating func targetProbe(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    let phase = instances[Int(id)].phase
    guard phase == .inService || phase == .draining else { return }
    let lb = groups[Int(instances[Int(id)].group)].loadBalancer
    let check = loadBalancers[Int(lb)].config.healthCheck!
    // A load balancer that is down checks nothing; its verdicts stand until it is back.
    if regionDown[Int(loadBalancers[Int(lb)].region)] || loadBalancers[Int(lb)].fault == .crash {
      sim.schedule(.targetProbe(instance: id), after: check.interval)
      return
    }
    let result: (Bool, SimDuration)
    switch condition(id) {
    case .crash, .hang: result = (false, check.timeout)
    case .errors(let rate): result = (probeRandom.nextUnit() >= rate, .milliseconds(1))
    default: result = (true, .milliseconds(1))
    }
    sim.schedule(.targetProbeResult(instance: id, passed: result.0), after: result.1)
    sim.schedule(.targetProbe(instance: id), after: check.interval)
  }

  /// Unhealthy after `unhealthyThreshold` consecutive failures, healthy after
  /// `healthyThreshold` passes, a new target after its first pass.
  mutating func targetProbeResult(_ id: Int32, _ passed: Bool, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    guard instances[d].phase == .inService || instances[d].phase == .draining else { return }
    let g = Int(instances[d].group)
    let lb = groups[g].loadBalancer
    let check = loadBalancers[Int(lb)].config.healthCheck!
    let isNew =
      instances[d].consecutivePasses == 0 && instances[d].consecutiveFailures == 0 && !instances[d].healthy
      && !instances[d].everHealthy
    if passed {
      instances[d].consecutivePasses += 1
      instances[d].consecutiveFailures = 0
      if !instances[d].healthy && (isNew || instances[d].consecutivePasses >= check.healthyThreshold) {
        instances[d].healthy = true
        if instances[d].everHealthy {
          recorder.timeline.record(sim.now, .loadBalancer, .lbTargetHealthy, "LB marks \(name(ofInstance: id)) healthy again")
        } else {
          recorder.timeline.record(
            sim.now, .instance, .instanceInService, "\(name(ofInstance: id)) passed its first LB health check: in service")
        }
        instances[d].everHealthy = true
        groupChanged(g, at: sim.now)
        pump(lb, &sim)
      }
    } else {
      instances[d].consecutiveFailures += 1
      instances[d].consecutivePasses = 0
      if instances[d].healthy && instances[d].consecutiveFailures >= check.unhealthyThreshold {
        instances[d].healthy = false
        recorder.timeline.record(
          sim.now, .loadBalancer, .lbTargetUnhealthy,
          "LB marks \(name(ofInstance: id)) unhealthy (\(check.unhealthyThreshold) failed checks)")
        groupChanged(g, at: sim.now)
      }
    }
  }

  // MARK: Scaling

  func scalingInterval(_ g: Int32) -> SimDuration {
    switch groups[Int(g)].config.policy {
    case .targetTracking(let policy): return policy.metricPeriod
    case .step(let policy): return policy.sampleInterval
    case nil: return .minutes(1)
    }
  }

  /// Average CPU utilisation of the group since the last sample, over instances that are in
  /// service, healthy and past `warmup`; nil when none is (no data, no scaling).
  mutating func sampleUtilization(_ g: Int32, warmup: SimDuration, now: SimTime) -> Double? {
    let workers = Double(groups[Int(g)].config.workers)
    let since = groups[Int(g)].lastSample
    var busy = 0.0
    var capacity = 0.0
    for id in groups[Int(g)].members {
      let d = Int(id)
      let area = instances[d].busyArea(at: now)
      defer { instances[d].busyAreaAtSample = area }
      guard instances[d].phase == .inService, instances[d].healthy, now - instances[d].inServiceSince >= warmup else { continue }
      let start = max(since, instances[d].inServiceSince + warmup)
      guard now > start else { continue }
      busy += area - instances[d].busyAreaAtSample
      capacity += workers * (now - start).seconds
    }
    groups[Int(g)].lastSample = now
    return capacity > 0 ? min(1, busy / capacity) : nil
  }

  /// Members that count toward capacity: booting or in service, not draining.
  func capacity(_ g: Int32) -> (current: Int, serving: Int) {
    var current = 0
    var serving = 0
    for id in groups[Int(g)].members {
      switch instances[Int(id)].phase {
      case .booting: current += 1
      case .inService:
        current += 1
        if instances[Int(id)].healthy { serving += 1 }
      default: break
      }
    }
    return (current, serving)
  }

  mutating func scalingTick(_ g: Int32, _ sim: inout Simulator<ModelEvent>) {
    sim.schedule(.scalingTick(group: g), after: scalingInterval(g))
    let config = groups[Int(g)].config
    switch config.policy {
    case .targetTracking(let policy):
      guard let utilization = sampleUtilization(g, warmup: policy.warmup, now: sim.now) else { return }
      groups[Int(g)].lastUtilization = utilization
      groups[Int(g)].breachingHigh = utilization > policy.targetUtilization ? groups[Int(g)].breachingHigh + 1 : 0
      groups[Int(g)].breachingLow =
        utilization < policy.targetUtilization * (1 - policy.scaleInMargin) ? groups[Int(g)].breachingLow + 1 : 0
      let (current, serving) = capacity(g)
      // Proportional: the capacity that would bring the metric back to target. Warming
      // instances count in `current`, so a still-breaching alarm does not add them twice.
      let wanted = Int((Double(max(serving, 1)) * utilization / policy.targetUtilization).rounded(.up))
      if groups[Int(g)].breachingHigh >= policy.scaleOutDatapoints && wanted > current {
        scale(
          g, to: min(config.max, wanted),
          reason: "CPU \(percent(utilization)) > target \(percent(policy.targetUtilization)) for \(groups[Int(g)].breachingHigh) min", &sim)
      } else if groups[Int(g)].breachingLow >= policy.scaleInDatapoints && max(config.min, wanted) < current {
        scale(
          g, to: max(config.min, wanted), reason: "CPU \(percent(utilization)) under target for \(groups[Int(g)].breachingLow) min", &sim)
        groups[Int(g)].breachingLow = 0
      }
    case .step(let policy):
      guard let utilization = sampleUtilization(g, warmup: .zero, now: sim.now) else { return }
      groups[Int(g)].lastUtilization = utilization
      let sampleStart = sim.now - policy.sampleInterval
      if utilization > policy.upThreshold {
        if groups[Int(g)].stepHighSince == nil { groups[Int(g)].stepHighSince = sampleStart }
        groups[Int(g)].stepLowSince = nil
      } else if utilization < policy.downThreshold {
        if groups[Int(g)].stepLowSince == nil { groups[Int(g)].stepLowSince = sampleStart }
        groups[Int(g)].stepHighSince = nil
      } else {
        groups[Int(g)].stepHighSince = nil
        groups[Int(g)].stepLowSince = nil
      }
      guard sim.now >= groups[Int(g)].cooldownUntil else { return }
      let current = capacity(g).current
      if let since = groups[Int(g)].stepHighSince, sim.now - since >= policy.watch, current < config.max {
        scale(g, to: current + 1, reason: "CPU above \(percent(policy.upThreshold)) for \(policy.watch)", &sim)
        groups[Int(g)].cooldownUntil = sim.now + policy.cooldown
        groups[Int(g)].stepHighSince = nil
      } else if let since = groups[Int(g)].stepLowSince, sim.now - since >= policy.watch, current > config.min {
        scale(g, to: current - 1, reason: "CPU below \(percent(policy.downThreshold)) for \(policy.watch)", &sim)
        groups[Int(g)].cooldownUntil = sim.now + policy.cooldown
        groups[Int(g)].stepLowSince = nil
      }
    case nil:
      break
    }
  }

  /// Launches or drains instances to reach `target` members (clamped to [min, max]).
  mutating func scale(_ g: Int32, to target: Int, reason: String, _ sim: inout Simulator<ModelEvent>) {
    let config = groups[Int(g)].config
    let target = min(config.max, max(config.min, target))
    let current = capacity(g).current
    guard target != current else { return }
    recorder.timeline.record(
      sim.now, .autoscaling, target > current ? .scaleOut : .scaleIn,
      "\(name(ofGroup: g)) scales \(target > current ? "out" : "in") \(current) → \(target) (\(reason))")
    if target > current {
      for _ in current..<target { launchInstance(g, &sim, booted: false) }
    } else {
      // Newest first: booting ones are cancelled, in-service ones drain.
      var remove = current - target
      for id in groups[Int(g)].members.reversed() where remove > 0 {
        switch instances[Int(id)].phase {
        case .booting:
          terminate(id, &sim)
          remove -= 1
        case .inService:
          drain(id, &sim)
          remove -= 1
        default: break
        }
      }
    }
    groupChanged(Int(g), at: sim.now)
  }

  /// Stops new requests to an instance; it ends when its last request does, or at the
  /// deregistration delay, whichever is first.
  mutating func drain(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    instances[Int(id)].phase = .draining
    if instances[Int(id)].active == 0 {
      terminate(id, &sim)
      return
    }
    let lb = groups[Int(instances[Int(id)].group)].loadBalancer
    sim.schedule(.drainDeadline(instance: id), after: loadBalancers[Int(lb)].config.deregistrationDelay)
  }

  mutating func drainDeadline(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    if instances[Int(id)].phase == .draining { terminate(id, &sim) }
  }

  /// Ends an instance: deregistered, its waiting work refused; requests it was still
  /// serving fail when their next step finds it gone (its epoch moved on).
  mutating func terminate(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    let g = Int(instances[d].group)
    failWaitingWork(id, &sim)
    instances[d].setBusy(0, at: sim.now)
    instances[d].phase = .terminated
    instances[d].epoch &+= 1
    instances[d].active = 0
    groups[g].members.removeAll { $0 == id }
    let lb = Int(groups[g].loadBalancer)
    loadBalancers[lb].targets.removeAll { $0 == id }
    if loadBalancers[lb].nextTarget >= loadBalancers[lb].targets.count { loadBalancers[lb].nextTarget = 0 }
    recorder.timeline.record(sim.now, .autoscaling, .instanceTerminated, "\(name(ofInstance: id)) terminated")
    groupChanged(g, at: sim.now)
  }

  /// A fault on a whole tier of a region begins or ends; returns the instances it touches.
  mutating func setTierFault(region r: Int, tier: TierRole, _ mode: FaultMode?) -> [Int32] {
    let lb = regionLoadBalancer[r][tier == .frontend ? 0 : 1]
    guard lb >= 0 else { return [] }
    let g = Int(loadBalancers[Int(lb)].group)
    groups[g].fault = mode
    return groups[g].members
  }

  /// A fault on one instance (the member at `position` when the fault began) begins or ends.
  mutating func setInstanceFault(
    _ fault: FaultID, region r: Int, tier: TierRole, position: Int, begins: Bool, _ mode: FaultMode?
  ) -> [Int32] {
    if begins {
      let lb = regionLoadBalancer[r][tier == .frontend ? 0 : 1]
      if lb >= 0 {
        let members = groups[Int(loadBalancers[Int(lb)].group)].members
        if position < members.count { faults.instancesHit[fault.index] = [members[position]] }
      }
    }
    let affected = faults.instancesHit[fault.index]
    for id in affected { instances[Int(id)].fault = mode }
    return affected
  }

  /// Instances whose causes changed take their new condition: a crash loses their
  /// connections (waiting work refused now, work in progress when its next step finds the
  /// epoch moved on); a repaired hang resumes its queue.
  mutating func instancesConditionChanged(_ affected: [Int32], begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    for id in affected where instances[Int(id)].phase != .terminated {
      let wasCrashed = condition(id) == .crash
      refreshCondition(id)
      if begins && condition(id) == .crash && !wasCrashed {
        instances[Int(id)].epoch &+= 1
        failWaitingWork(id, &sim)
      } else if !begins {
        startWaitingWork(id, &sim)
      }
    }
  }

  /// Refuses every request waiting for a worker at an instance (its LB answers 502).
  mutating func failWaitingWork(_ id: Int32, _ sim: inout Simulator<ModelEvent>) {
    let tier = instances[Int(id)].tier
    while let ref = cpuQueues[Int(id)].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].instance(tier) == id else { continue }
      sim.schedule(.refused(ref), after: .milliseconds(1))
    }
  }

  /// Tells the recorder how many of a group's instances are billed and how many serve.
  mutating func groupChanged(_ g: Int, at now: SimTime) {
    var billed = 0
    var serving = 0
    for id in groups[g].members {
      if instances[Int(id)].phase != .terminated { billed += 1 }
      if instances[Int(id)].phase == .inService && instances[Int(id)].healthy { serving += 1 }
    }
    recorder.groupChanged(g, billed: billed, serving: serving, at: now)
  }

  func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}
