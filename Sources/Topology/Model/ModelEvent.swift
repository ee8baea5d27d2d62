/// Everything that can happen in the model, by mechanism: each mechanism declares its own events
/// beside its component, and the router hands each to its mechanism. Small payloads, so an event
/// fits the kernel queue's 32-byte slots (a test holds it there).
public enum ModelEvent: Sendable {
  case clients(ClientEvent)
  case loadBalancer(LoadBalancerEvent)
  case instances(InstanceEvent)
  case dns(DNSEvent)
  case faults(FaultEvent)
  case databases(DatabaseEvent)
  case pgpool(PgPoolEvent)
  case monitors(MonitorEvent)
  case automation(AutomationEvent)
  /// A time-series bucket closes.
  case bucketTick
}

/// A WAL position in two 32-bit halves: 4-byte aligned, so an event that carries one
/// stays within 12 bytes of payload and every event fits the queue's 32-byte slots.
public struct WALPosition: Sendable, Hashable {
  var high: UInt32
  var low: UInt32

  @inline(__always) init(_ value: Int64) {
    high = UInt32(truncatingIfNeeded: value >> 32)
    low = UInt32(truncatingIfNeeded: value)
  }

  @inline(__always) var value: Int64 { Int64(high) << 32 | Int64(low) }
}

/// A database node and its epoch in one word (16 bits each; the epoch wraps).
public struct NodeEpoch: Sendable, Hashable {
  var bits: UInt32

  @inline(__always) init(node: DatabaseID, epoch: UInt32) { bits = UInt32(UInt16(truncatingIfNeeded: node.raw)) << 16 | (epoch & 0xFFFF) }
  @inline(__always) var node: DatabaseID { DatabaseID(raw: Int32(bits >> 16)) }
  @inline(__always) var epoch: UInt32 { bits & 0xFFFF }
}
