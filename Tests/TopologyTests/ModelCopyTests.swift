import SimCore
import Testing

@testable import Topology

/// The model is a value: its request slots are reached through a pointer and made unique once
/// per event rather than on every write (``RequestSlab``), so a copy must still be a copy.
@Suite("Copies of a running model")
struct ModelCopyTests {
  /// Runs `model` with `simulator` to `end` and returns what a comparison needs.
  static func finish(
    _ model: inout TopologyModel, _ simulator: inout Simulator<ModelEvent>, until end: SimTime
  ) -> (totals: OutcomeCounts, accepted: [Int], epochs: [UInt32], waiting: Int) {
    simulator.run(until: end, handler: &model)
    return (model.recorder.totals, model.balancers.states.map(\.accepted), model.fleet.instances.map(\.epoch), model.requests.waiting)
  }

  @Test("a model copied mid-run and run on does not disturb the original: both end as one uninterrupted run")
  func copiedModelRunsIndependently() {
    let config = Fixtures.mmc(lambda: 80, mu: 10, servers: 10, duration: .seconds(120), queueLimit: 20)
    let end = SimTime.at(.seconds(120))

    var whole = TopologyModel(config: config)
    var wholeSimulator = TopologyModel.makeSimulator()
    whole.start(&wholeSimulator)
    let uninterrupted = Self.finish(&whole, &wholeSimulator, until: end)
    #expect(uninterrupted.totals.ended > 8_000)

    var model = TopologyModel(config: config)
    var simulator = TopologyModel.makeSimulator()
    model.start(&simulator)
    // Copies at several instants, so that some copy's first event writes to a request that
    // already exists (a completion) rather than allocating one (an arrival).
    for second in stride(from: 40, through: 60, by: 2) {
      simulator.run(until: .at(.seconds(Int64(second))), handler: &model)
      // The copy shares the request slots (and every array) with the original until it runs.
      var copy = model
      var copySimulator = simulator
      #expect(Self.finish(&copy, &copySimulator, until: end) == uninterrupted, "copied at \(second) s")
    }
    let originalResult = Self.finish(&model, &simulator, until: end)
    #expect(originalResult == uninterrupted)
  }
}
