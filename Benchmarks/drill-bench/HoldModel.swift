import Foundation
import SimCore

/// The classic hold model (Jones, "An empirical comparison of priority-queue and
/// event-set implementations", CACM 1986): `pending` events in the queue; each step pops
/// the earliest and schedules one new event at now + Exp(mean 1 s). The queue size stays
/// constant, so the cost per event is the cost of one pop and one push at that size.
struct HoldModel: EventHandler {
  enum Kind { case hold }

  var rng: Xoshiro256StarStar
  var remaining: Int

  /// One draw of Exp(1 s) in nanoseconds.
  @inline(__always) mutating func holdTime() -> SimDuration {
    SimDuration(nanoseconds: Int64(-1e9 * log(rng.nextOpenUnit())))
  }

  mutating func handle(_ event: Event<Kind>, in simulator: inout Simulator<Kind>) {
    simulator.schedule(.hold, after: holdTime())
    remaining -= 1
    if remaining == 0 { simulator.requestStop() }
  }

  /// Runs `events` steps with `pending` events queued; returns the final simulated time
  /// in nanoseconds (a checksum that keeps the work from being optimised away).
  static func run(pending: Int, events: Int, seed: UInt64) -> Int64 {
    var model = HoldModel(rng: Xoshiro256StarStar(seed: seed), remaining: events)
    var simulator = Simulator<Kind>(capacity: pending + 1)
    for _ in 0..<pending { simulator.schedule(.hold, after: model.holdTime()) }
    if events > 0 { simulator.run(handler: &model) }
    return simulator.now.nanosecondsSinceStart
  }
}
