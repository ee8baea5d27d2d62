import SimCore

/// The requests in flight: a slab with a free list, so memory follows the requests in flight,
/// not how many ever arrived. A slot's generation moves on when it is freed, so an event that
/// outlives its request (a timeout for a request already answered) is recognised as stale.
///
/// Every handler reads and writes request fields many times, so the slots are a
/// ``StateArray``: written in place, made unique once per run (``makeUnique()``, from the
/// model's ``TopologyModel/prepareForEvents()``) rather than checked at every write.
struct RequestSlab {
  private var slots = StateArray<RequestState>(capacity: 64)
  /// The free slots as a stack threaded through the slots themselves (``RequestState/nextFree``),
  /// -1 when none is free: a push or pop writes slots the event already owns, where an array of
  /// free indices checked its own uniqueness twice per request.
  private var firstFree: Int32 = -1
  /// Clients waiting for an answer now.
  var waiting = 0

  /// Gives this slab slots of its own if a copy of the model shares them.
  mutating func makeUnique() { slots.makeUnique() }

  /// The request in a slot, read and changed in place.
  @inline(__always) subscript(index: Int) -> RequestState {
    _read { yield slots[index] }
    _modify { yield &slots[index] }
  }

  /// A slot for a new attempt.
  mutating func allocate() -> RequestRef {
    let index: Int32
    if firstFree >= 0 {
      index = firstFree
      firstFree = self[Int(index)].nextFree
      self[Int(index)].nextFree = -1
    } else {
      index = Int32(slots.count)
      slots.append(RequestState())
    }
    self[Int(index)].inUse = true
    return RequestRef(index: index, generation: self[Int(index)].generation)
  }

  /// Frees an attempt's slot; events still naming it become stale.
  mutating func free(_ ref: RequestRef) {
    let generation = self[Int(ref.index)].generation &+ 1
    self[Int(ref.index)] = RequestState()
    self[Int(ref.index)].generation = generation
    self[Int(ref.index)].nextFree = firstFree
    firstFree = ref.index
  }

  /// Whether `ref` still names a request in flight.
  @inline(__always) func isLive(_ ref: RequestRef) -> Bool {
    self[Int(ref.index)].generation == ref.generation && self[Int(ref.index)].inUse
  }
}

/// A request attempt in flight, kept in the slab while the client waits or a server still
/// holds it.
struct RequestState {
  var generation: UInt32 = 0
  /// A free slot's successor on the slab's free stack (-1: the last, or in use).
  var nextFree: Int32 = -1
  var inUse = false
  var kind: RequestKind = .apiRead
  var population = PopulationID(raw: 0)
  var client: Int32 = 0
  var region = RegionID(raw: 0)
  /// 0 for a first attempt, n for the n-th retry.
  var attempt: Int32 = 0
  var start: SimTime = .zero
  /// The client is still waiting for this attempt (false after its timeout fired).
  var clientWaiting = false
  /// The client's timeout in its population's list (``TimeoutHandle/none`` when not set).
  var clientTimeout = TimeoutHandle.none
  /// Where the request is now.
  var stage: RequestStage = .connecting
  /// Per tier (0 frontend, 1 backend): the instance holding an LB slot for it, its
  /// incarnation at dispatch, and when it reached that LB.
  var instance: (InstanceID, InstanceID) = (.none, .none)
  var epoch: (UInt32, UInt32) = (0, 0)
  var lbArrival: (SimTime, SimTime) = (.zero, .zero)
  /// The load balancer the request is queued at, and its timers.
  var queuedAt: LoadBalancerID = .none
  var queueTimeout = TimeoutHandle.none
  /// The data call failed (the error travels back with the reply).
  var dataFailed = false
  /// The data call: the node it runs on and that node's epoch, the PgPool it went through
  /// (-1: direct) and that pool's session epoch, whether it holds a pool child and a
  /// database session, whether it crossed the link, and a write's commit position.
  var dbNode: DatabaseID = .none
  var dbEpoch: UInt32 = 0
  var pool: PoolID = .none
  var poolEpoch: UInt32 = 0
  var holdsChild = false
  var holdsSession = false
  /// Holds one of its backend process's own database connections (under that process's epoch).
  var holdsAppConnection = false
  var remote = false
  var commitLSN: Int64 = 0
  /// Per tier: the target timeout in that tier's load balancer's list.
  var targetTimeouts: (TimeoutHandle, TimeoutHandle) = (.none, .none)
}

enum RequestStage: Equatable {
  case connecting
  case queued(tier: Int)
  /// Holding an LB slot at this tier, waiting for (or using) a CPU worker.
  case atInstance(tier: Int)
  /// Waiting on the next tier or the data tier while holding this tier's slot.
  case waitingDownstream(tier: Int)
  case waitingData
  /// Waiting for one of its backend process's own database connections (pg-pool's queue).
  case waitingAppConnection
  /// Waiting for a PgPool child (or for PgPool to finish a failover).
  case waitingPool
  /// Stuck in something that never answers (a hung load balancer of this tier).
  case stuck(tier: Int)
}

extension RequestState {
  func instance(_ tier: Int) -> InstanceID { tier == 0 ? instance.0 : instance.1 }
  func epoch(_ tier: Int) -> UInt32 { tier == 0 ? epoch.0 : epoch.1 }
  func lbArrival(_ tier: Int) -> SimTime { tier == 0 ? lbArrival.0 : lbArrival.1 }
  func targetTimeout(_ tier: Int) -> TimeoutHandle { tier == 0 ? targetTimeouts.0 : targetTimeouts.1 }

  mutating func setInstance(_ tier: Int, _ id: InstanceID, epoch e: UInt32) {
    if tier == 0 {
      instance.0 = id
      epoch.0 = e
    } else {
      instance.1 = id
      epoch.1 = e
    }
  }
  mutating func setLBArrival(_ tier: Int, _ t: SimTime) { if tier == 0 { lbArrival.0 = t } else { lbArrival.1 = t } }
  mutating func setTargetTimeout(_ tier: Int, _ handle: TimeoutHandle) {
    if tier == 0 { targetTimeouts.0 = handle } else { targetTimeouts.1 = handle }
  }
}
