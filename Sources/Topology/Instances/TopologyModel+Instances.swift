import SimCore

/// The model's side of the instance groups: launch, boot, registration with the load
/// balancer, its target health checks, draining and termination, CPU work, and the scaling
/// actions (mechanisms §5, rules 16–17).
extension TopologyModel {
  /// Routes one of this mechanism's events to its handler.
  ///
  /// An instance's own events for one terminated since whose slot another launch took do
  /// nothing, as they would for the terminated instance (each handler ignores those).
  mutating func handle(_ event: InstanceEvent, _ sim: inout Simulator<ModelEvent>) {
    switch event {
    case .cpuDone(let ref, let instance): cpuDone(ref, instance, &sim)
    case .instanceBooted(let instance): if fleet.isCurrent(instance) { instanceBooted(instance, &sim) }
    case .targetProbe(let instance): if fleet.isCurrent(instance) { targetProbe(instance, &sim) }
    case .targetProbeResult(let instance, let passed): if fleet.isCurrent(instance) { targetProbeResult(instance, passed, &sim) }
    case .drainDeadline(let instance): if fleet.isCurrent(instance) { drainDeadline(instance, &sim) }
    case .scalingTick(let group): scalingTick(group, &sim)
    case .healthReplacement(let instance): if fleet.isCurrent(instance) { replaceIfUnhealthy(instance, &sim) }
    case .processStart(let instance): if fleet.isCurrent(instance) { processStart(instance, &sim) }
    case .appConnectionGranted(let ref): appConnectionGranted(ref, &sim)
    }
  }

  /// Launches an instance: booting (or already in service, for the initial ones).
  @discardableResult
  mutating func launchInstance(_ g: GroupID, _ sim: inout Simulator<ModelEvent>, booted: Bool) -> InstanceID {
    let id = fleet.newInstance(g, at: sim.now, regionDown: regionDown)
    if booted {
      fleet.instances[Int(id)].healthy = true
      fleet.instances[Int(id)].everHealthy = true
      register(id, &sim)
    } else {
      let boot = fleet.bootTime(g)
      sim.schedule(.instanceBooted(instance: id), after: boot)
      recorder.timeline.record(
        sim.now, .autoscaling, .instanceLaunched, "\(fleet.name(ofInstance: id)) launched (boot ≈ \(boot.rounded(significantDigits: 3)))")
    }
    return id
  }

  mutating func instanceBooted(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    guard fleet.instances[Int(id)].phase == .booting else { return }
    register(id, &sim)
    let lb = fleet.groups[Int(fleet.instances[Int(id)].group)].loadBalancer
    if balancers.states[Int(lb)].config.healthCheck != nil {
      recorder.timeline.record(
        sim.now, .instance, .instanceBooted, "\(fleet.name(ofInstance: id)) booted; waits for its first passing LB health check")
    }
  }

  /// Registers a booted instance with its group's load balancer. Without target health
  /// checks it serves at once; with them it serves after its first passing check.
  mutating func register(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let g = fleet.instances[id].group
    let lb = fleet.groups[g].loadBalancer
    fleet.instances[Int(id)].phase = .inService
    fleet.instances[Int(id)].inServiceSince = sim.now
    fleet.instances[Int(id)].busyChanged = sim.now
    balancers.register(id, at: lb)
    if let check = balancers.states[lb].config.healthCheck {
      // The LB probes on its own schedule: the first probe comes within one interval.
      sim.schedule(.targetProbe(instance: id), after: SimDuration(seconds: check.interval.seconds * targetProbeRandom.nextUnit()))
    } else if !fleet.instances[Int(id)].healthy {
      fleet.instances[Int(id)].healthy = true
      recorder.timeline.record(sim.now, .instance, .instanceInService, "\(fleet.name(ofInstance: id)) in service")
    }
    groupChanged(g, at: sim.now)
    pump(lb, &sim)
  }

  // MARK: Target health checks

  mutating func targetProbe(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let phase = fleet.instances[Int(id)].phase
    guard phase == .inService || phase == .draining else { return }
    let lb = fleet.groups[Int(fleet.instances[Int(id)].group)].loadBalancer
    let check = balancers.states[Int(lb)].config.healthCheck!
    // A load balancer that is down checks nothing; its verdicts stand until it is back.
    if regionDown[Int(balancers.states[Int(lb)].region)] || balancers.states[Int(lb)].fault == .crash {
      sim.schedule(.targetProbe(instance: id), after: check.interval)
      return
    }
    var result: (Bool, SimDuration)
    switch fleet.condition(id) {
    case .crash, .hang: result = (false, check.timeout)
    case .errors(let rate): result = (targetProbeRandom.nextUnit() >= rate, .milliseconds(1))
    default: result = (true, .milliseconds(1))
    }
    if result.0 && check.deep {
      let region = Int(fleet.groups[Int(fleet.instances[Int(id)].group)].region)
      var random = targetProbeRandom
      let path = databasePathAnswers(from: region, random: &random)
      targetProbeRandom = random
      switch path {
      case .answers: break
      case .refuses: result = (false, .milliseconds(1))
      case .silent: result = (false, check.timeout)
      }
    }
    sim.schedule(.targetProbeResult(instance: id, passed: result.0), after: result.1)
    sim.schedule(.targetProbe(instance: id), after: check.interval)
  }

  /// Unhealthy after `unhealthyThreshold` consecutive failures, healthy after
  /// `healthyThreshold` passes, a new target after its first pass.
  mutating func targetProbeResult(_ id: InstanceID, _ passed: Bool, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    guard fleet.instances[d].phase == .inService || fleet.instances[d].phase == .draining else { return }
    let g = fleet.instances[d].group
    let lb = fleet.groups[g].loadBalancer
    let check = balancers.states[Int(lb)].config.healthCheck!
    let isNew =
      fleet.instances[d].consecutivePasses == 0 && fleet.instances[d].consecutiveFailures == 0 && !fleet.instances[d].healthy
      && !fleet.instances[d].everHealthy
    if passed {
      fleet.instances[d].consecutivePasses += 1
      fleet.instances[d].consecutiveFailures = 0
      if !fleet.instances[d].healthy && (isNew || fleet.instances[d].consecutivePasses >= check.healthyThreshold) {
        fleet.instances[d].healthy = true
        if fleet.instances[d].everHealthy {
          recorder.timeline.record(sim.now, .loadBalancer, .lbTargetHealthy, "LB marks \(fleet.name(ofInstance: id)) healthy again")
        } else {
          recorder.timeline.record(
            sim.now, .instance, .instanceInService, "\(fleet.name(ofInstance: id)) passed its first LB health check: in service")
        }
        fleet.instances[d].everHealthy = true
        groupChanged(g, at: sim.now)
        pump(lb, &sim)
      }
    } else {
      fleet.instances[d].consecutiveFailures += 1
      fleet.instances[d].consecutivePasses = 0
      if fleet.instances[d].healthy && fleet.instances[d].consecutiveFailures >= check.unhealthyThreshold {
        fleet.instances[d].healthy = false
        recorder.timeline.record(
          sim.now, .loadBalancer, .lbTargetUnhealthy,
          "LB marks \(fleet.name(ofInstance: id)) unhealthy (\(check.unhealthyThreshold) failed checks)")
        groupChanged(g, at: sim.now)
        let config = fleet.groups[g].config
        if config.replaceUnhealthy {
          let graceEnds = fleet.instances[d].launchedAt + config.healthCheckGracePeriod
          if sim.now >= graceEnds { replaceIfUnhealthy(id, &sim) } else { sim.schedule(.healthReplacement(instance: id), at: graceEnds) }
        }
      }
    }
  }

  /// EC2 Auto Scaling with ELB health checks: an instance its load balancer reports unhealthy,
  /// past its grace period, is terminated and a new one launched in its place.
  mutating func replaceIfUnhealthy(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    guard fleet.instances[d].phase == .inService, !fleet.instances[d].healthy else { return }
    let g = fleet.instances[d].group
    recorder.timeline.record(
      sim.now, .autoscaling, .instanceReplaced,
      "\(fleet.name(ofGroup: g)) replaces \(fleet.name(ofInstance: id)), unhealthy at its load balancer (ELB health check)")
    terminate(id, &sim)
    launchInstance(g, &sim, booted: false)
    groupChanged(g, at: sim.now)
  }

  // MARK: CPU work

  /// The request waits for a CPU worker at the instance, or takes one now.
  mutating func requestWorker(_ ref: RequestRef, _ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    if fleet.instances[Int(id)].workersBusy < fleet.instances[Int(id)].workers && fleet.condition(id) != .hang {
      startCPU(ref, id, &sim)
    } else {
      fleet.cpuQueues[Int(id)].append(ref)
    }
  }

  mutating func startCPU(_ ref: RequestRef, _ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    fleet.instances[Int(id)].setBusy(fleet.instances[Int(id)].workersBusy + 1, at: sim.now)
    let cpu = fleet.cpuTime(requests[Int(ref.index)].kind, on: id)
    sim.schedule(.cpuDone(ref, instance: id), after: SimDuration(seconds: cpu))
  }

  /// Starts queued work on free workers of an instance that can run it.
  mutating func startWaitingWork(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    let tier = fleet.instances[d].tier
    let mode = fleet.condition(id)
    guard mode != .hang, mode != .crash else { return }
    while fleet.instances[d].workersBusy < fleet.instances[d].workers, let next = fleet.cpuQueues[d].popFirst() {
      guard requests.isLive(next), requests[Int(next.index)].instance(tier) == id else { continue }
      startCPU(next, id, &sim)
    }
  }

  // MARK: Scaling

  mutating func scalingTick(_ g: GroupID, _ sim: inout Simulator<ModelEvent>) {
    sim.schedule(.scalingTick(group: g), after: fleet.scalingInterval(g))
    let config = fleet.groups[Int(g)].config
    switch config.policy {
    case .targetTracking(let policy):
      guard let utilization = fleet.sampleUtilization(g, warmup: policy.warmup, now: sim.now) else { return }
      fleet.groups[Int(g)].lastUtilization = utilization
      fleet.groups[Int(g)].breachingHigh = utilization > policy.targetUtilization ? fleet.groups[Int(g)].breachingHigh + 1 : 0
      fleet.groups[Int(g)].breachingLow =
        utilization < policy.targetUtilization * (1 - policy.scaleInMargin) ? fleet.groups[Int(g)].breachingLow + 1 : 0
      let (current, serving) = fleet.capacity(g)
      // Proportional: the capacity that would bring the metric back to target. Warming
      // instances count in `current`, so a still-breaching alarm does not add them twice.
      let wanted = Int((Double(max(serving, 1)) * utilization / policy.targetUtilization).rounded(.up))
      if fleet.groups[Int(g)].breachingHigh >= policy.scaleOutDatapoints && wanted > current {
        scale(
          g, to: min(config.max, wanted),
          reason: "CPU \(percent(utilization)) > target \(percent(policy.targetUtilization)) for \(fleet.groups[Int(g)].breachingHigh) min",
          &sim)
      } else if fleet.groups[Int(g)].breachingLow >= policy.scaleInDatapoints && max(config.min, wanted) < current {
        scale(
          g, to: max(config.min, wanted), reason: "CPU \(percent(utilization)) under target for \(fleet.groups[Int(g)].breachingLow) min",
          &sim)
        fleet.groups[Int(g)].breachingLow = 0
      }
    case .step(let policy):
      guard let utilization = fleet.sampleUtilization(g, warmup: .zero, now: sim.now) else { return }
      fleet.groups[Int(g)].lastUtilization = utilization
      let sampleStart = sim.now - policy.sampleInterval
      if utilization > policy.upThreshold {
        if fleet.groups[Int(g)].stepHighSince == nil { fleet.groups[Int(g)].stepHighSince = sampleStart }
        fleet.groups[Int(g)].stepLowSince = nil
      } else if utilization < policy.downThreshold {
        if fleet.groups[Int(g)].stepLowSince == nil { fleet.groups[Int(g)].stepLowSince = sampleStart }
        fleet.groups[Int(g)].stepHighSince = nil
      } else {
        fleet.groups[Int(g)].stepHighSince = nil
        fleet.groups[Int(g)].stepLowSince = nil
      }
      guard sim.now >= fleet.groups[Int(g)].cooldownUntil else { return }
      let current = fleet.capacity(g).current
      if let since = fleet.groups[Int(g)].stepHighSince, sim.now - since >= policy.watch, current < config.max {
        scale(g, to: current + 1, reason: "CPU above \(percent(policy.upThreshold)) for \(policy.watch)", &sim)
        fleet.groups[Int(g)].cooldownUntil = sim.now + policy.cooldown
        fleet.groups[Int(g)].stepHighSince = nil
      } else if let since = fleet.groups[Int(g)].stepLowSince, sim.now - since >= policy.watch, current > config.min {
        scale(g, to: current - 1, reason: "CPU below \(percent(policy.downThreshold)) for \(policy.watch)", &sim)
        fleet.groups[Int(g)].cooldownUntil = sim.now + policy.cooldown
        fleet.groups[Int(g)].stepLowSince = nil
      }
    case nil:
      break
    }
  }

  /// Launches or drains instances to reach `target` members (clamped to [min, max]).
  mutating func scale(_ g: GroupID, to target: Int, reason: String, _ sim: inout Simulator<ModelEvent>) {
    let config = fleet.groups[Int(g)].config
    let target = min(config.max, max(config.min, target))
    let current = fleet.capacity(g).current
    guard target != current else { return }
    recorder.timeline.record(
      sim.now, .autoscaling, target > current ? .scaleOut : .scaleIn,
      "\(fleet.name(ofGroup: g)) scales \(target > current ? "out" : "in") \(current) → \(target) (\(reason))")
    if target > current {
      for _ in current..<target { launchInstance(g, &sim, booted: false) }
    } else {
      // Newest first: booting ones are cancelled, in-service ones drain.
      var remove = current - target
      for id in fleet.groups[Int(g)].members.reversed() where remove > 0 {
        switch fleet.instances[Int(id)].phase {
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
    groupChanged(g, at: sim.now)
  }

  /// Stops new requests to an instance; it ends when its last request does, or at the
  /// deregistration delay, whichever is first.
  mutating func drain(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    fleet.instances[Int(id)].phase = .draining
    if fleet.instances[Int(id)].active == 0 {
      terminate(id, &sim)
      return
    }
    let lb = fleet.groups[Int(fleet.instances[Int(id)].group)].loadBalancer
    sim.schedule(.drainDeadline(instance: id), after: balancers.states[Int(lb)].config.deregistrationDelay)
  }

  mutating func drainDeadline(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    if fleet.instances[Int(id)].phase == .draining { terminate(id, &sim) }
  }

  /// Ends an instance: deregistered, its waiting work refused; requests it was still
  /// serving fail when their next step finds it gone (its epoch moved on).
  mutating func terminate(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let d = Int(id)
    let g = fleet.instances[d].group
    failWaitingWork(id, &sim)
    fleet.instances[d].setBusy(0, at: sim.now)
    fleet.instances[d].phase = .terminated
    fleet.instances[d].epoch &+= 1
    fleet.instances[d].active = 0
    fleet.groups[g].members.removeAll { $0 == id }
    let lb = fleet.groups[g].loadBalancer
    balancers.deregister(id, at: lb)
    recorder.timeline.record(sim.now, .autoscaling, .instanceTerminated, "\(fleet.name(ofInstance: id)) terminated")
    groupChanged(g, at: sim.now)
    fleet.freeSlot(of: id)
  }

  /// A fault on a whole tier of a region begins or ends; returns the instances it touches.
  mutating func setTierFault(region r: Int, tier: TierRole, _ mode: FaultMode?) -> [InstanceID] {
    let lb = balancers.byRegion[r][tier == .frontend ? 0 : 1]
    guard lb.exists else { return [] }
    return fleet.setGroupFault(balancers.states[lb].group, mode)
  }

  /// A fault on one instance (the member at `position` when the fault began) begins or ends.
  mutating func setInstanceFault(
    _ fault: FaultID, region r: Int, tier: TierRole, position: Int, begins: Bool, _ mode: FaultMode?
  ) -> [InstanceID] {
    if begins {
      let lb = balancers.byRegion[r][tier == .frontend ? 0 : 1]
      if lb.exists {
        let members = fleet.groups[Int(balancers.states[Int(lb)].group)].members
        if position < members.count { faults.instancesHit[fault.index] = [members[position]] }
      }
    }
    // An instance terminated since may have left its slot to another: that one is not hit.
    let affected = faults.instancesHit[fault.index].filter { fleet.isCurrent($0) }
    for id in affected { fleet.instances[Int(id)].fault = mode }
    return affected
  }

  /// Instances whose causes changed take their new condition: a crash loses their
  /// connections (waiting work refused now, work in progress when its next step finds the
  /// epoch moved on); a repaired hang resumes its queue.
  mutating func instancesConditionChanged(_ affected: [InstanceID], begins: Bool, _ sim: inout Simulator<ModelEvent>) {
    for id in affected where fleet.phase(of: id) != .terminated {
      let wasCrashed = fleet.condition(id) == .crash
      fleet.refreshCondition(id, regionDown: regionDown)
      if begins && fleet.condition(id) == .crash && !wasCrashed {
        fleet.instances[Int(id)].epoch &+= 1
        failWaitingWork(id, &sim)
        failAppPoolWaiters(id, &sim)
      } else if !begins {
        startWaitingWork(id, &sim)
      }
    }
  }

  /// Refuses every request waiting for a worker at an instance (its LB answers 502).
  mutating func failWaitingWork(_ id: InstanceID, _ sim: inout Simulator<ModelEvent>) {
    let tier = fleet.instances[Int(id)].tier
    while let ref = fleet.cpuQueues[Int(id)].popFirst() {
      guard requests.isLive(ref), requests[Int(ref.index)].instance(tier) == id else { continue }
      sim.schedule(.refused(ref), after: .milliseconds(1))
    }
  }

  /// Tells the recorder how many of a group's instances are billed and how many serve.
  mutating func groupChanged(_ g: GroupID, at now: SimTime) {
    let (billed, serving) = fleet.billing(g)
    recorder.groupChanged(g.index, billed: billed, serving: serving, at: now)
  }

  func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}
