import Testing

@testable import SimCore

/// A model that logs what it sees and, on "chain" events, schedules the next link.
struct Recorder: EventHandler {
  enum Kind: Equatable {
    case note(Int)
    case chain(Int)
    case stop
  }
  var seen: [(SimTime, Kind)] = []

  mutating func handle(_ event: Event<Kind>, in simulator: inout Simulator<Kind>) {
    #expect(simulator.now == event.time)
    seen.append((event.time, event.kind))
    switch event.kind {
    case .chain(let n) where n > 0: simulator.schedule(.chain(n - 1), after: .seconds(10))
    case .stop: simulator.requestStop()
    default: break
    }
  }
}

@Suite("Run loop")
struct SimulatorTests {
  @Test("runs until the queue is empty, in time order, with handlers scheduling more")
  func untilEmpty() {
    var sim = Simulator<Recorder.Kind>()
    var model = Recorder()
    sim.schedule(.chain(3), at: .at(.seconds(1)))
    sim.schedule(.note(7), at: .at(.seconds(15)))
    let outcome1 = sim.run(handler: &model)
    #expect(outcome1 == .queueEmpty)
    #expect(model.seen.map(\.0) == [1, 11, 15, 21, 31].map { SimTime.at(.seconds($0)) })
    #expect(model.seen.map(\.1) == [.chain(3), .chain(2), .note(7), .chain(1), .chain(0)])
    #expect(sim.eventsProcessed == 5)
  }

  @Test("a time limit runs events at the limit, stops the clock there, and a later run continues")
  func untilTime() {
    var sim = Simulator<Recorder.Kind>()
    var model = Recorder()
    sim.schedule(.chain(5), at: .zero)
    let outcome2 = sim.run(until: .at(.seconds(20)), handler: &model)
    #expect(outcome2 == .reachedTimeLimit)
    #expect(sim.now == .at(.seconds(20)))
    #expect(model.seen.count == 3)  // 0, 10 and 20 s
    let outcome3 = sim.run(until: .at(.seconds(25)), handler: &model)
    #expect(outcome3 == .reachedTimeLimit)
    #expect(model.seen.count == 3)
    let outcome4 = sim.run(handler: &model)
    #expect(outcome4 == .queueEmpty)
    #expect(model.seen.count == 6)
  }

  @Test("a handler can stop the run, and a condition can too")
  func stopping() {
    var sim = Simulator<Recorder.Kind>()
    var model = Recorder()
    sim.schedule(.note(1), at: .at(.seconds(1)))
    sim.schedule(.stop, at: .at(.seconds(2)))
    sim.schedule(.note(3), at: .at(.seconds(3)))
    let outcome5 = sim.run(handler: &model)
    #expect(outcome5 == .stopped)
    #expect(sim.now == .at(.seconds(2)))
    sim.schedule(.note(4), at: .at(.seconds(4)))
    let outcome6 = sim.run(handler: &model, stopWhen: { m, _ in m.seen.count == 4 })
    #expect(outcome6 == .stopped)
    #expect(model.seen.map(\.1) == [.note(1), .stop, .note(3), .note(4)])
  }
}
