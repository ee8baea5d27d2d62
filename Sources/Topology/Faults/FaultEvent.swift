/// A scheduled fault coming due and taking effect. Small payloads (typed IDs, a request reference),
/// so events stay inline in the kernel's queue.
public enum FaultEvent: Sendable {
  /// A scheduled fault is due; it takes effect after everything else due at that instant.
  case faultDue(fault: FaultID, begins: Bool)
  /// The fault takes effect (begins) or is repaired (ends).
  case faultApply(fault: FaultID, begins: Bool)
}

/// The model's events of this mechanism, written as before: `.faultDue(…)` builds
/// ``ModelEvent/faults(_:)``.
extension ModelEvent {
  @inline(__always) static func faultDue(fault: FaultID, begins: Bool) -> ModelEvent { .faults(.faultDue(fault: fault, begins: begins)) }
  @inline(__always) static func faultApply(fault: FaultID, begins: Bool) -> ModelEvent {
    .faults(.faultApply(fault: fault, begins: begins))
  }
}
