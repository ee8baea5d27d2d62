import SimCore

/// The time series: at the end of each bucket the model samples its groups, load balancers
/// and replication lag and hands the samples to the recorder, which only stores them.
extension TopologyModel {
  mutating func bucketTick(_ sim: inout Simulator<ModelEvent>) {
    closeBucket(at: sim.now)
    if sim.now < SimTime.at(config.duration) { sim.schedule(.bucketTick, after: config.bucket) }
  }

  /// Samples groups and load balancers for the bucket ending now and hands them to the recorder.
  mutating func closeBucket(at now: SimTime) {
    let bucketStart = recorder.bucketStart
    var groupSamples: [GroupSample] = []
    for g in fleet.groups.indices {
      var sample = GroupSample(serving: 0, booting: 0, draining: 0, cpu: 0)
      var busy = 0.0
      var capacity = 0.0
      for id in fleet.groups[g].members {
        let d = Int(id)
        let area = fleet.instances[d].busyArea(at: now)
        switch fleet.instances[d].phase {
        case .booting: sample.booting += 1
        case .draining: sample.draining += 1
        case .inService:
          if fleet.instances[d].healthy { sample.serving += 1 }
          let from = max(bucketStart, fleet.instances[d].inServiceSince)
          if now > from {
            busy += area - fleet.instances[d].busyAreaAtBucket
            capacity += Double(fleet.groups[g].config.workers) * (now - from).seconds
          }
        case .terminated: break
        }
        fleet.instances[d].busyAreaAtBucket = area
      }
      sample.cpu = capacity > 0 ? min(1, busy / capacity) : 0
      groupSamples.append(sample)
    }
    var lbSamples: [LoadBalancerSample] = []
    var endedOverflow: [String] = []
    for l in balancers.states.indices {
      let lb = balancers.states[l]
      lbSamples.append(LoadBalancerSample(queueAtEnd: lb.queued, queueMax: max(lb.bucketMaxQueue, lb.queued), active: lb.activeTotal))
      balancers.states[l].bucketMaxQueue = lb.queued
      if lb.overflowing && !lb.refusedInBucket {
        balancers.states[l].overflowing = false
        endedOverflow.append(balancers.name(LoadBalancerID(l)))
      }
      balancers.states[l].refusedInBucket = false
    }
    let lag = cluster.nodes.indices.map { cluster.replicationLag(of: DatabaseID($0), at: now) }
    for name in endedOverflow {
      recorder.timeline.record(
        now, .loadBalancer, .lbQueueOverflowEnded, "\(name): no request refused for a full queue in the last \(config.bucket)")
    }
    recorder.closeBucket(at: now, inFlight: requests.waiting, groups: groupSamples, loadBalancers: lbSamples, replicationLag: lag)
  }
}
