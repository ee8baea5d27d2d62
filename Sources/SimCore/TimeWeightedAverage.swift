/// The time average of a quantity that changes in steps: queue length, busy workers,
/// instances in service. ∫ value dt / elapsed, in constant memory.
///
/// Call ``update(to:at:)`` whenever the value changes; the previous value is credited
/// for the time since the previous change.
public struct TimeWeightedAverage: Hashable, Sendable {
  /// When averaging began.
  public private(set) var start: SimTime
  /// The current value.
  public private(set) var value: Double
  /// When the current value was set.
  public private(set) var lastChange: SimTime
  /// ∫ value dt up to `lastChange`, in value·seconds.
  public private(set) var area: Double = 0
  /// The largest value held.
  public private(set) var maximum: Double

  /// Starts averaging at `start` with `value`.
  public init(value: Double = 0, at start: SimTime = .zero) {
    self.start = start
    self.value = value
    self.lastChange = start
    self.maximum = value
  }

  /// The quantity changes to `newValue` at `time` (not before the last change).
  public mutating func update(to newValue: Double, at time: SimTime) {
    precondition(time >= lastChange, "time-weighted average updated backwards in time")
    area += value * (time - lastChange).seconds
    lastChange = time
    value = newValue
    if newValue > maximum { maximum = newValue }
  }

  /// ∫ value dt from `start` to `time` (at or after the last change), in value·seconds.
  public func integral(until time: SimTime) -> Double {
    area + value * (time - lastChange).seconds
  }

  /// The time average from `start` to `time`; the current value when no time has passed.
  public func mean(until time: SimTime) -> Double {
    let elapsed = (time - start).seconds
    return elapsed > 0 ? integral(until: time) / elapsed : value
  }
}
