import Testing

@testable import SimCore

@Suite("Event queue")
struct EventQueueTests {
  /// A reference queue: a plain array kept sorted by (time, sequence).
  struct Reference {
    var items: [(time: Int64, sequence: UInt64, payload: Int)] = []
    mutating func insert(_ time: Int64, _ sequence: UInt64, _ payload: Int) { items.append((time, sequence, payload)) }
    mutating func popMin() -> (time: Int64, sequence: UInt64, payload: Int)? {
      guard let index = items.indices.min(by: { (items[$0].time, items[$0].sequence) < (items[$1].time, items[$1].sequence) }) else {
        return nil
      }
      return items.remove(at: index)
    }
    var min: (time: Int64, sequence: UInt64, payload: Int)? {
      items.min { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    }
  }

  /// Near horizons (ns) that send none (nil: one heap), some or most of the tests' events to
  /// the far heap: with 0 everything after now goes far; the events below are at most 20 (or,
  /// in the deep heaps, 1,000) ns ahead.
  static let horizons: [Int64?] = [nil, 0, 5, 12]

  @Test(
    "pops and peeks match a sorted reference over random schedules, reserved sequences and pops, whichever heap holds each",
    arguments: [1, 2, 3, 42, 2026, 777_777] as [UInt64], horizons)
  func matchesReference(seed: UInt64, horizon: Int64?) {
    var rng = Xoshiro256StarStar(seed: seed)
    var queue = EventQueue<Int>(nearHorizon: horizon.map { .nanoseconds($0) })
    var reference = Reference()
    /// Sequences reserved and not yet scheduled, with the time they will be scheduled for.
    var reserved: [(time: Int64, sequence: UInt64)] = []
    var now: Int64 = 0
    for step in 0..<6_000 {
      let action = rng.next() % 10
      if action < 4 {
        // Few distinct times, so ties are common.
        let time = now + Int64(rng.next() % 20)
        let sequence = queue.nextSequence
        queue.schedule(step, at: SimTime(nanosecondsSinceStart: time))
        reference.insert(time, sequence, step)
      } else if action < 5 {
        reserved.append((now + Int64(rng.next() % 20), queue.reserveSequence()))
      } else if action < 6, !reserved.isEmpty {
        // A reserved event is scheduled before anything after its place has fired.
        let (time, sequence) = reserved.removeFirst()
        queue.schedule(step, at: SimTime(nanosecondsSinceStart: time), sequence: sequence)
        reference.insert(time, sequence, step)
      } else if reserved.isEmpty {
        let got = queue.popMin()
        let want = reference.popMin()
        #expect(got?.kind == want?.payload && got?.time.nanosecondsSinceStart == want?.time)
        if let got { now = got.time.nanosecondsSinceStart }
      }
      #expect(queue.count == reference.items.count)
      // Sometimes a look at the next event, which fills the root a pop left empty (otherwise
      // the next push fills it).
      if step % 5 == 0 {
        let want = reference.min
        #expect(queue.nextTime?.nanosecondsSinceStart == want?.time)
        #expect(queue.peekMin()?.sequence == want?.sequence)
      }
    }
    for (time, sequence) in reserved {
      queue.schedule(-1, at: SimTime(nanosecondsSinceStart: time), sequence: sequence)
      reference.insert(time, sequence, -1)
    }
    while let want = reference.popMin() {
      let got = queue.popMin()
      #expect(got?.kind == want.payload && got?.sequence == want.sequence)
    }
    let last = queue.popMin()
    #expect(last == nil && queue.isEmpty)
  }

  @Test("deep heaps, growing and draining in waves, with events at the end of time, pop in order", arguments: horizons + [300])
  func deepHeapsAndTheEndOfTime(horizon: Int64?) {
    var rng = Xoshiro256StarStar(seed: 9)
    var queue = EventQueue<Int>(nearHorizon: horizon.map { .nanoseconds($0) })
    var reference = Reference()
    var now: Int64 = 0
    var step = 0
    // Waves of different depths take the heap through every shape of its last parent (one to
    // four children) and past the spare slots the pops mark; some events sit at
    // `distantFuture`, the sentinels' own time, where only the sequence orders them.
    for wave in [1, 2, 3, 4, 5, 17, 64, 341, 1_365, 3_000] {
      for _ in 0..<wave {
        // (Once an event at the end of time has fired, nothing may be scheduled before it.)
        let atTheEnd = now == .max || rng.next() % 7 == 0
        let time = atTheEnd ? Int64.max : now + Int64(rng.next() % 1_000)
        reference.insert(time, queue.nextSequence, step)
        queue.schedule(step, at: SimTime(nanosecondsSinceStart: time))
        step += 1
      }
      for _ in 0..<(wave * 3 / 4) {
        let got = queue.popMin()
        let want = reference.popMin()
        #expect(got?.kind == want?.payload && got?.sequence == want?.sequence)
        if let got { now = got.time.nanosecondsSinceStart }
      }
    }
    while let want = reference.popMin() {
      let got = queue.popMin()
      #expect(got?.kind == want.payload && got?.sequence == want.sequence)
    }
    #expect(queue.popMin() == nil)
  }

  @Test("events at the same time pop in the order they were scheduled")
  func fifoTies() {
    var queue = EventQueue<Int>()
    let times: [Int64] = [5, 3, 5, 3, 5, 1, 3]
    for (i, t) in times.enumerated() { queue.schedule(i, at: SimTime(nanosecondsSinceStart: t)) }
    var order: [Int] = []
    while let e = queue.popMin() { order.append(e.kind) }
    #expect(order == [5, 1, 3, 6, 0, 2, 4])
  }

  @Test("events at one instant pop by sequence across the two heaps: a far one scheduled early, a near one late")
  func tiesAcrossHeaps() {
    var queue = EventQueue<String>(nearHorizon: .seconds(1))
    let reserved = queue.reserveSequence()  // placed later, when the instant is near
    queue.schedule("far, first", at: .at(.seconds(10)))  // 10 s ahead: far
    queue.schedule("tick", at: .at(.seconds(9)))
    #expect(queue.far.held == 2 && queue.near.held == 0, "both are more than a second ahead")
    #expect(queue.popMin()?.kind == "tick")
    queue.schedule("near, second", at: .at(.seconds(10)))  // 1 s ahead: near
    queue.schedule("reserved, before both", at: .at(.seconds(10)), sequence: reserved)
    #expect(queue.near.held == 2 && queue.far.held == 1)
    var order: [String] = []
    while let e = queue.popMin() { order.append(e.kind) }
    #expect(order == ["reserved, before both", "far, first", "near, second"])
    #expect(queue.isEmpty && queue.count == 0)
  }

  @Test("an event scheduled with a reserved sequence fires where one scheduled at the reservation would have")
  func reservedSequence() {
    var queue = EventQueue<String>()
    let early = queue.reserveSequence()
    queue.schedule("b", at: .at(.seconds(1)))
    queue.schedule("c", at: .at(.seconds(1)))
    queue.schedule("a", at: .at(.seconds(1)), sequence: early)
    var order: [String] = []
    while let e = queue.popMin() { order.append(e.kind) }
    #expect(order == ["a", "b", "c"])
  }

  @Test("a reserved event placed before the last one fired is a programming error")
  func reservedInThePast() async {
    await #expect(processExitsWith: .failure) {
      var queue = EventQueue<Int>()
      let early = queue.reserveSequence()
      queue.schedule(1, at: .at(.seconds(5)))
      _ = queue.popMin()
      queue.schedule(2, at: .at(.seconds(5)), sequence: early)
    }
  }

  @Test("scheduling before now is a programming error")
  func pastIsRejected() async {
    await #expect(processExitsWith: .failure) {
      var queue = EventQueue<Int>()
      queue.schedule(1, at: .at(.seconds(5)))
      _ = queue.popMin()
      queue.schedule(2, at: .at(.seconds(4)))
    }
  }

  @Test("a copied queue is a value: scheduling and popping on the copy leave the original as it was", arguments: [nil, 0] as [Int64?])
  func copiesAreValues(horizon: Int64?) {
    var original = EventQueue<Int>(nearHorizon: horizon.map { SimDuration(nanoseconds: $0) })
    for i in 0..<20 { original.schedule(i, at: .at(SimDuration(nanoseconds: Int64(20 - i)))) }
    _ = original.popMin()  // leaves the root empty: the next write fills it
    var copy = original
    copy.schedule(100, at: .at(SimDuration(nanoseconds: 1)))
    #expect(copy.popMin()?.kind == 100)
    for _ in 0..<5 { _ = copy.popMin() }
    var drained: [Int] = []
    while let event = original.popMin() { drained.append(event.kind) }
    #expect(drained == Array((0..<19).reversed()), "the original still holds its 19 events, in order")
    #expect(copy.count == 14)
  }

  @Test("a simulator copied between runs schedules and runs on without touching the original; the loop's in-place writes end with it")
  func simulatorCopiesAreValues() {
    struct Log: EventHandler {
      var fired: [Int] = []
      mutating func handle(_ event: Event<Int>, in simulator: inout Simulator<Int>) {
        fired.append(event.kind)
        #expect(simulator.queue.writesInPlace)
        if event.kind < 10 { simulator.schedule(event.kind + 10, after: .seconds(1)) }
      }
    }
    var simulator = Simulator<Int>()
    for i in 0..<5 { simulator.schedule(i, at: .at(.seconds(Int64(i)))) }
    var log = Log()
    simulator.run(until: .at(.seconds(2)), handler: &log)
    #expect(!simulator.queue.writesInPlace)
    var copy = simulator
    copy.schedule(99, at: .at(.seconds(3)))
    var copyLog = log
    copy.run(handler: &copyLog)
    simulator.run(handler: &log)
    #expect(log.fired == [0, 1, 10, 2, 11, 3, 12, 4, 13, 14])
    #expect(copyLog.fired == [0, 1, 10, 2, 11, 3, 12, 99, 4, 13, 14])
  }
}
