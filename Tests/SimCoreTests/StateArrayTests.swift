import Testing

@testable import SimCore

/// ``StateArray``: an array whose element writes skip the copy-on-write check, made unique by
/// its owner before a stretch of writes.
struct StateArrayTests {
  /// Counts its instances alive, to see that the array releases what it held.
  final class Tracked {
    nonisolated(unsafe) static var alive = 0
    let value: Int
    init(_ value: Int) {
      self.value = value
      Tracked.alive += 1
    }
    deinit { Tracked.alive -= 1 }
  }

  @Test("it holds what was appended, in order, through growth; reads and writes in place")
  func appendAndSubscript() {
    var array = StateArray<Int>()
    for i in 0..<1_000 { array.append(i * 3) }
    #expect(array.count == 1_000 && !array.isEmpty)
    #expect(Array(array) == (0..<1_000).map { $0 * 3 })
    array[500] += 1
    #expect(array[500] == 1_501 && array[499] == 1_497 && array[501] == 1_503)
    #expect(StateArray(repeating: 7, count: 3) == [7, 7, 7])
    #expect(StateArray([1, 2, 3]) == [1, 2, 3] && StateArray([1, 2, 3]) != [1, 2])
    #expect(Array(StateArray<Int>()) == [] && StateArray<Int>().isEmpty)
    #expect(array.indices == 0..<1_000 && array.first == 0 && array.last == 2_997)
  }

  @Test("a copy made unique before it writes leaves the original as it was, and so does growing a copy")
  func copiesAreValues() {
    let original: StateArray<Int> = [1, 2, 3]
    var copy = original
    copy.makeUnique()
    copy[0] = 9
    #expect(original == [1, 2, 3] && copy == [9, 2, 3])

    var grown = original
    grown.append(4)  // appending un-shares by itself
    grown[1] = 8
    #expect(original == [1, 2, 3] && grown == [1, 8, 3, 4])

    var emptied = original
    emptied.removeAll(keepingCapacity: true)
    #expect(original == [1, 2, 3] && emptied.isEmpty)
    emptied.append(5)
    #expect(original == [1, 2, 3] && emptied == [5])
  }

  @Test("making an array unique that nothing shares keeps its storage")
  func uniqueArrayKeepsItsStorage() {
    var array: StateArray<Int> = [1, 2, 3]
    let before = array.baseAddress
    array.makeUnique()
    #expect(array.baseAddress == before)
    var copy = array
    copy.makeUnique()
    #expect(copy.baseAddress != before && array.baseAddress == before)
  }

  @Test("elements are released when the array, its copies and its emptied storage are gone")
  func releasesElements() {
    let start = Tracked.alive
    do {
      var array = StateArray<Tracked>()
      for i in 0..<100 { array.append(Tracked(i)) }
      var copy = array
      copy.makeUnique()
      copy[0] = Tracked(-1)
      #expect(Tracked.alive == start + 101)
      #expect(array[0].value == 0 && copy[0].value == -1)
      array.removeAll(keepingCapacity: true)
      #expect(Tracked.alive == start + 100, "the copy still holds 99 of the originals and its own first")
    }
    #expect(Tracked.alive == start)
  }

  /// A handler whose state is a state array, counting the simulator's calls to make it unique.
  struct Counter: EventHandler {
    typealias Kind = Int
    var counts: StateArray<Int> = [0, 0]
    var prepared = 0
    mutating func prepareForEvents() {
      counts.makeUnique()
      prepared += 1
    }
    mutating func handle(_ event: Event<Int>, in simulator: inout Simulator<Int>) {
      counts[event.kind] += 1
      if simulator.now < .at(.seconds(10)) { simulator.schedule(1 - event.kind, after: .seconds(1)) }
    }
  }

  @Test("the simulator asks its handler to make its state unique before each run, so a copy runs as a value")
  func simulatorPreparesItsHandler() {
    var handler = Counter()
    var simulator = Simulator<Int>()
    simulator.schedule(0, at: .zero)
    simulator.run(until: .at(.seconds(4)), handler: &handler)
    #expect(handler.prepared == 1 && handler.counts == [3, 2])
    var copy = handler
    var copySimulator = simulator
    copySimulator.run(handler: &copy)
    #expect(copy.prepared == 2 && copy.counts == [6, 5])
    #expect(handler.counts == [3, 2], "the original is as it was")
    simulator.run(handler: &handler)
    #expect(handler.counts == [6, 5])
  }

  #if DEBUG
    @Test("in debug builds, writing a copy not made unique stops the program instead of changing the original")
    func sharedWriteTraps() async {
      await #expect(processExitsWith: .failure) {
        let original: StateArray<Int> = [1, 2, 3]
        var copy = original
        copy[0] = 9
        _ = original
      }
    }
  #endif
}
