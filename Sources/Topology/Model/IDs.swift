/// Typed identifiers: each names one component family's array slot, so a region cannot be
/// passed where a checker is meant. Zero-cost wrappers around the `Int32` the events carry.
public protocol ComponentID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The slot in the owning component's arrays.
  var raw: Int32 { get }
  init(raw: Int32)
}

extension ComponentID {
  /// From an array index.
  @inline(__always) public init(_ index: Int) { self.init(raw: Int32(truncatingIfNeeded: index)) }
  /// As an array index.
  @inline(__always) public var index: Int { Int(raw) }
  public static func < (a: Self, b: Self) -> Bool { a.raw < b.raw }
  public var description: String { String(raw) }
}

/// A region (`config.regions` order); also the index of its DNS record.
public struct RegionID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A Route 53 health checker.
public struct CheckerID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// An external monitor (UptimeRobot-like).
public struct MonitorID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// One run of the failover automation, from webhook to promotion.
public struct AutomationRunID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A scheduled operator action (`config.dataPath.actions` order).
public struct ActionID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A fault of the scenario (`config.faults` order).
public struct FaultID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}
