import SimCore

/// Typed identifiers: each names one component family's array slot, so a region cannot be
/// passed where a checker is meant. Zero-cost wrappers around the `Int32` the events carry.
public protocol ComponentID: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The value events and records carry.
  var raw: Int32 { get }
  init(raw: Int32)
  /// The slot in the owning component's arrays (the raw value, unless the ID also carries
  /// an incarnation, as ``InstanceID`` does).
  var index: Int { get }
}

extension ComponentID {
  /// From an array index (for an ``InstanceID``, the slot's first incarnation only: a
  /// launch names its instance with `InstanceID(slot:generation:)`).
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

/// A runbook (`config.runbooks` order).
public struct RunbookID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// An alert rule (`config.alertRules` order).
public struct AlertRuleID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A fault of the scenario (`config.faults` order).
public struct FaultID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A PostgreSQL node (one per region, in region order).
public struct DatabaseID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A region's PgPool (indexed by region).
public struct PoolID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// An instance of an autoscaling group. A terminated instance's slot is taken by the group's
/// next launch, so the ID carries the slot (low 20 bits) and the slot's incarnation (the 11
/// bits above): every instance launched has an ID of its own, and an event or a request still
/// naming one terminated since is recognised (``InstanceGroups/isCurrent(_:)``) even after
/// its slot holds another. Memory then follows the instances alive, not those ever launched.
public struct InstanceID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
  static let slotBits: Int32 = 20
  static let slotMask: Int32 = (1 << slotBits) - 1
  /// Incarnations wrap after 2,048 launches in one slot (a stale reference would have to
  /// outlive that many lifetimes of instances to be mistaken for a new one).
  static let generationMask: Int32 = (1 << 11) - 1
  /// The instance in `slot` launched as its `generation`-th incarnation (modulo 2,048).
  init(slot: Int, generation: Int32) {
    precondition(slot >= 0 && slot <= Int(Self.slotMask), "more than \(Self.slotMask + 1) instances alive at once")
    raw = Int32(slot) | ((generation & Self.generationMask) << Self.slotBits)
  }
  /// The slot in the instance arrays.
  @inline(__always) public var index: Int { Int(raw & Self.slotMask) }
  var generation: Int32 { (raw >> Self.slotBits) & Self.generationMask }
}

/// An autoscaling group (one per region and tier).
public struct GroupID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A load balancer (one per region and tier).
public struct LoadBalancerID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

/// A population of users.
public struct PopulationID: ComponentID {
  public var raw: Int32
  @inline(__always) public init(raw: Int32) { self.raw = raw }
}

extension MutableCollection where Index == Int {
  /// The element a typed ID names (its slot in the owning component's array: an `Array` or
  /// a ``StateArray``).
  @inline(__always) subscript<ID: ComponentID>(_ id: ID) -> Element {
    _read { yield self[id.index] }
    _modify { yield &self[id.index] }
  }
}

extension Int {
  /// A typed ID's slot, as an array index.
  @inline(__always) init<ID: ComponentID>(_ id: ID) { self = id.index }
}

extension ComponentID {
  /// No component (the `-1` of fields that may name none).
  static var none: Self { Self(raw: -1) }
  /// Whether this names a component (not ``none``).
  var exists: Bool { raw >= 0 }
}
