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
    mutating func remove(sequence: UInt64) -> Bool {
      guard let index = items.firstIndex(where: { $0.sequence == sequence }) else { return false }
      items.remove(at: index)
      return true
    }
  }

  @Test("pops match a sorted reference over random schedules, pops and cancels", arguments: [1, 2, 3, 42, 2026, 777_777] as [UInt64])
  func matchesReference(seed: UInt64) {
    var rng = Xoshiro256StarStar(seed: seed)
    var queue = EventQueue<Int>()
    var reference = Reference()
    var tokens: [EventToken] = []
    var now: Int64 = 0
    for step in 0..<6_000 {
      let action = rng.next() % 10
      if action < 5 {
        // Few distinct times, so ties are common.
        let time = now + Int64(rng.next() % 20)
        let token = queue.schedule(step, at: SimTime(nanosecondsSinceStart: time))
        reference.insert(time, token.sequence, step)
        tokens.append(token)
      } else if action < 8 {
        let got = queue.popMin()
        let want = reference.popMin()
        #expect(got?.kind == want?.payload && got?.time.nanosecondsSinceStart == want?.time)
        if let got { now = got.time.nanosecondsSinceStart }
      } else if !tokens.isEmpty {
        let token = tokens[Int(rng.next() % UInt64(tokens.count))]
        let cancelled = queue.cancel(token)
        #expect(cancelled == reference.remove(sequence: token.sequence))
      }
      #expect(queue.count == reference.items.count)
    }
    while let want = reference.popMin() {
      let got = queue.popMin()
      #expect(got?.kind == want.payload)
    }
    let last = queue.popMin()
    #expect(last == nil && queue.isEmpty)
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

  @Test("cancelled events never fire; cancelling twice, after firing, or after removeAll is refused")
  func cancellation() {
    var queue = EventQueue<String>()
    let a = queue.schedule("a", at: .at(.seconds(1)))
    let b = queue.schedule("b", at: .at(.seconds(2)))
    let c = queue.schedule("c", at: .at(.seconds(3)))
    var results: [Bool] = []
    results.append(queue.cancel(b))
    results.append(queue.cancel(b))
    #expect(results == [true, false])
    #expect(queue.count == 2)
    let first = queue.popMin()
    #expect(first?.kind == "a")
    results = [queue.cancel(a)]
    #expect(results == [false], "a has fired")
    let peeked = queue.peekMin()
    let third = queue.popMin()
    #expect(peeked?.kind == "c" && third?.kind == "c")
    results = [queue.cancel(c)]
    let empty = queue.popMin()
    #expect(results == [false] && empty == nil)
    let d = queue.schedule("d", at: .at(.seconds(4)))
    queue.removeAll()
    results = [queue.cancel(d)]
    #expect(results == [false])
    #expect(queue.count == 0)
  }

  @Test("the top of the queue skips cancelled events")
  func cancelTop() {
    var queue = EventQueue<Int>()
    let tokens = (0..<5).map { queue.schedule($0, at: .at(.seconds(Int64($0)))) }
    for token in tokens.prefix(3) { queue.cancel(token) }
    let top = queue.peekMin()
    #expect(top?.kind == 3)
    #expect(queue.count == 2)
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
}
