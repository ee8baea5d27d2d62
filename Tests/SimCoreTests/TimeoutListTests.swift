import Testing

@testable import SimCore

/// A server whose requests each get a timeout; a request that finishes first cancels it.
/// `listed` keeps the timeouts in a ``TimeoutList``; otherwise each is a plain event and a
/// cancelled one is skipped when it fires (the old way, as a reference).
struct TimedServer: EventHandler {
  enum Kind: Equatable {
    /// A request arrives; it takes `service` seconds (tenths) and is given the timeout.
    case request(id: Int, service: Int)
    case done(Int)
    /// The list's wake-up.
    case wake
    /// The reference's per-request timeout event.
    case timeout(Int)
    /// Something else that happens (to interleave with timeouts).
    case other(Int)
  }
  let listed: Bool
  var timeouts: TimeoutList<Int>
  var handles: [Int: TimeoutHandle] = [:]
  var cancelled: Set<Int> = []
  var log: [String] = []
  /// Timeouts are set before the completion is scheduled (true) or after.
  var timeoutFirst = true

  init(listed: Bool, timeout: SimDuration) {
    self.listed = listed
    timeouts = TimeoutList(duration: timeout)
  }

  mutating func setTimeout(_ id: Int, _ sim: inout Simulator<Kind>) {
    if listed {
      handles[id] = timeouts.set(id, wake: .wake, in: &sim)
    } else {
      sim.schedule(.timeout(id), after: timeouts.duration)
    }
  }

  mutating func handle(_ event: Event<Kind>, in sim: inout Simulator<Kind>) {
    let at = event.time.nanosecondsSinceStart / 100_000_000
    switch event.kind {
    case .request(let id, let service):
      if timeoutFirst { setTimeout(id, &sim) }
      sim.schedule(.done(id), after: .milliseconds(Int64(service) * 100))
      if !timeoutFirst { setTimeout(id, &sim) }
    case .done(let id):
      if listed {
        guard let handle = handles[id], timeouts.isSet(handle) else { return }
        timeouts.cancel(handle)
      } else {
        guard !cancelled.contains(id) else { return }  // it timed out already
        cancelled.insert(id)
      }
      log.append("\(at) done \(id)")
    case .wake:
      if let id = timeouts.fire(wake: .wake, in: &sim) { log.append("\(at) timeout \(id)") }
    case .timeout(let id):
      guard !cancelled.contains(id) else { return }
      cancelled.insert(id)
      log.append("\(at) timeout \(id)")
    case .other(let n): log.append("\(at) other \(n)")
    }
  }
}

@Suite("Timeout lists")
struct TimeoutListTests {
  /// Runs the same script through a timeout list and through one event per timeout.
  func both(timeout: SimDuration, timeoutFirst: Bool = true, _ script: (inout Simulator<TimedServer.Kind>) -> Void) -> (
    listed: [String], reference: [String], peakQueue: Int
  ) {
    var logs: [[String]] = []
    var peak = 0
    for listed in [true, false] {
      var sim = Simulator<TimedServer.Kind>()
      var server = TimedServer(listed: listed, timeout: timeout)
      server.timeoutFirst = timeoutFirst
      script(&sim)
      if listed {
        // Step by step, to see how many events the queue holds.
        while sim.run(handler: &server, stopWhen: { _, _ in true }) == .stopped { peak = max(peak, sim.queue.count) }
      } else {
        sim.run(handler: &server)
      }
      logs.append(server.log)
    }
    return (logs[0], logs[1], peak)
  }

  @Test("fire exactly when and in the order one event per timeout would, over random loads", arguments: [1, 7, 99, 2026] as [UInt64])
  func matchesOneEventPerTimeout(seed: UInt64) {
    var rng = Xoshiro256StarStar(seed: seed)
    // Arrivals, services and the 3 s timeout on a 0.1 s grid, so ties are common.
    let arrivals = (0..<3_000).map { id in
      (id: id, at: Int64(rng.next() % 2_000), service: Int(rng.next() % 50), other: rng.next() % 4 == 0)
    }
    let result = both(timeout: .seconds(3)) { sim in
      for a in arrivals {
        sim.schedule(.request(id: a.id, service: a.service), at: .at(.milliseconds(a.at * 100)))
        if a.other { sim.schedule(.other(a.id), at: .at(.milliseconds(a.at * 100 + 3_000))) }
      }
    }
    #expect(result.listed == result.reference)
    #expect(result.listed.filter { $0.contains("timeout") }.count > 100, "the load makes many timeouts fire")
    #expect(result.listed.filter { $0.contains("done") }.count > 100, "and many requests finish first")
  }

  @Test("a request that finishes just before its timeout cancels it; the timeout never fires")
  func cancelledJustBefore() {
    let result = both(timeout: .seconds(1)) { sim in
      sim.schedule(.request(id: 1, service: 9), at: .zero)  // done at 0.9 s, timeout at 1 s
    }
    #expect(result.listed == ["9 done 1"])
    #expect(result.listed == result.reference)
  }

  @Test("a timeout and a completion at the same instant: whichever was scheduled first wins")
  func sameInstant() {
    // Timeout set before the completion is scheduled: the timeout fires, the completion is late.
    let timeoutFirst = both(timeout: .seconds(1), timeoutFirst: true) { sim in
      sim.schedule(.request(id: 1, service: 10), at: .zero)
    }
    #expect(timeoutFirst.listed == ["10 timeout 1"])
    #expect(timeoutFirst.listed == timeoutFirst.reference)
    // Completion scheduled first: it cancels the timeout due at the same instant.
    let doneFirst = both(timeout: .seconds(1), timeoutFirst: false) { sim in
      sim.schedule(.request(id: 1, service: 10), at: .zero)
    }
    #expect(doneFirst.listed == ["10 done 1"])
    #expect(doneFirst.listed == doneFirst.reference)
  }

  @Test("timeouts set at one instant fire in the order set, interleaved with other events by scheduling order")
  func fifoTies() {
    let result = both(timeout: .seconds(2)) { sim in
      sim.schedule(.request(id: 1, service: 99), at: .zero)
      sim.schedule(.request(id: 2, service: 99), at: .zero)
      sim.schedule(.other(0), at: .at(.seconds(2)))  // scheduled between the timeouts of 2 and 3
      sim.schedule(.request(id: 3, service: 99), at: .zero)
      sim.schedule(.request(id: 4, service: 99), at: .zero)
    }
    #expect(result.listed == ["20 other 0", "20 timeout 1", "20 timeout 2", "20 timeout 3", "20 timeout 4"])
    #expect(result.listed == result.reference)
  }

  @Test("the queue holds one event for the whole list, however many timeouts are set")
  func oneEventPerList() {
    let result = both(timeout: .seconds(60)) { sim in
      for id in 0..<1_000 { sim.schedule(.request(id: id, service: 1), at: .at(.milliseconds(Int64(id)))) }
    }
    #expect(result.listed.count == 1_000 && result.listed.allSatisfy { $0.contains("done") })
    // 1,000 arrivals waiting at most; each request's completion; one wake-up for the list.
    #expect(result.peakQueue <= 1_000 + 2)
  }

  @Test("cancelling twice, after firing, or with no handle changes nothing")
  func cancelIsIdempotent() {
    var sim = Simulator<TimedServer.Kind>()
    var list = TimeoutList<Int>(duration: .seconds(1))
    let a = list.set(1, wake: .wake, in: &sim)
    let b = list.set(2, wake: .wake, in: &sim)
    #expect(list.isSet(a) && list.isSet(b) && !list.isSet(.none))
    list.cancel(b)
    list.cancel(b)
    list.cancel(.none)
    #expect(list.isSet(a) && !list.isSet(b))
    #expect(sim.queue.count == 1)
    let wake = sim.queue.popMin()
    #expect(wake?.time == .at(.seconds(1)))
    sim.currentTime = wake!.time
    let fired = list.fire(wake: .wake, in: &sim)
    #expect(fired == 1)
    #expect(!list.isSet(a) && list.count == 0, "the cancelled entry behind it was dropped")
    #expect(sim.queue.isEmpty, "nothing is left to wake for")
    list.cancel(a)
    #expect(list.count == 0)
  }

  @Test("an optional list inside an array element cancels in place, and no list cancels nothing")
  func optionalListCancels() {
    var sim = Simulator<TimedServer.Kind>()
    var lists: [TimeoutList<Int>?] = [TimeoutList(duration: .seconds(1)), nil]
    let a = lists[0]!.set(1, wake: .wake, in: &sim)
    let b = lists[0]!.set(2, wake: .wake, in: &sim)
    lists[0].cancel(a)
    #expect(!lists[0]!.isSet(a) && lists[0]!.isSet(b) && lists[0]!.count == 1)
    lists[1].cancel(b)
    #expect(lists[1] == nil && lists[0]!.isSet(b), "cancelling with no list touches nothing")
  }
}

@Suite("Ring buffer")
struct RingBufferTests {
  @Test("first in, first out across growth and wrap-around, matching an array")
  func fifo() {
    var rng = Xoshiro256StarStar(seed: 5)
    var ring = RingBuffer<Int>()
    var reference: [Int] = []
    for step in 0..<20_000 {
      if rng.next() % 3 != 0 {
        ring.append(step)
        reference.append(step)
      } else {
        #expect(ring.popFirst() == reference.first)
        if !reference.isEmpty { reference.removeFirst() }
      }
      #expect(ring.count == reference.count && ring.first == reference.first)
      if !reference.isEmpty { #expect(ring[reference.count - 1] == reference.last) }
    }
    ring.removeAll()
    #expect(ring.isEmpty && ring.popFirst() == nil)
  }
}

@Suite("Timeout list memory")
struct TimeoutListMemoryTests {
  @Test("slots follow the timeouts still set, not how many were ever set")
  func slotsAreReused() {
    var sim = Simulator<TimedServer.Kind>()
    var list = TimeoutList<Int>(duration: .seconds(30))
    var handles: [TimeoutHandle] = []
    for round in 0..<100 {
      // 100 requests in flight at a time, each cancelling its timeout when it ends.
      for i in 0..<100 { handles.append(list.set(round * 100 + i, wake: .wake, in: &sim)) }
      for h in handles { list.cancel(h) }
      handles.removeAll()
    }
    #expect(list.count == 0)
    #expect(list.ring.count <= 128, "10,000 timeouts set, at most 100 at once: \(list.ring.count) slots")
  }

  @Test("a timeout left set holds the ring open behind it; cancelling it lets the front jump past the dead ones")
  func frontJumpsPastCancelled() {
    var sim = Simulator<TimedServer.Kind>()
    var list = TimeoutList<Int>(duration: .seconds(30))
    let old = list.set(-1, wake: .wake, in: &sim)
    var handles: [TimeoutHandle] = []
    for i in 0..<1_000 { handles.append(list.set(i, wake: .wake, in: &sim)) }
    for h in handles.dropLast() { list.cancel(h) }
    // The oldest is still set, so the ring spans all 1,001; two are set.
    #expect(list.count == 2 && list.front == 0 && list.end == 1_001)
    #expect(list.isSet(old) && !list.isSet(handles[0]) && list.isSet(handles[999]))
    list.cancel(old)
    // The front moves to the one still set; the cancelled handles stay dead for good.
    #expect(list.count == 1 && list.front == 1_000)
    #expect(!list.isSet(old) && !list.isSet(handles[500]))
    list.cancel(handles[999])
    #expect(list.count == 0 && list.front == list.end)
    // Slots are reused from here on without the ring growing.
    let capacity = list.ring.count
    for i in 0..<capacity { handles[i % 1_000] = list.set(i, wake: .wake, in: &sim) }
    #expect(list.ring.count == capacity && list.count == capacity)
  }
}
