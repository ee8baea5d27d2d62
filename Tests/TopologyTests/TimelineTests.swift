import SimCore
import Testing

@testable import Topology

@Suite("Timeline")
struct TimelineTests {
  @Test("entries keep time order, can be found by kind, and stop at the cap (counted, not kept)")
  func recording() {
    var timeline = Timeline(capacity: 3)
    timeline.record(.at(.seconds(0)), .fault, .faultBegan, "Delhi region down")
    timeline.record(.at(.seconds(90)), .dns, .dnsRecordUnhealthy, "Route 53 marked delhi unhealthy")
    timeline.record(.at(.seconds(300)), .monitor, .monitorAlert, "UptimeRobot: Delhi DOWN")
    timeline.record(.at(.seconds(301)), .automation, .webhookSent, "webhook sent")
    #expect(timeline.entries.map(\.kind) == [.faultBegan, .dnsRecordUnhealthy, .monitorAlert])
    #expect(timeline.droppedCount == 1)
    #expect(timeline.first(.dnsRecordUnhealthy)?.time == .at(.seconds(90)))
    #expect(timeline.first(.dbPromoted) == nil)
  }
}

@Suite("event layout")
struct EventLayoutTests {
  @Test("typed IDs are zero-cost: a model event still fits the queue's 32-byte slots")
  func eventSize() {
    #expect(MemoryLayout<RegionID>.size == 4 && MemoryLayout<InstanceID>.size == 4 && MemoryLayout<DatabaseID>.size == 4)
    #expect(MemoryLayout<ModelEvent>.size <= 16, "ModelEvent is \(MemoryLayout<ModelEvent>.size) bytes")
    #expect(MemoryLayout<Event<ModelEvent>>.stride == 32, "Event<ModelEvent> is \(MemoryLayout<Event<ModelEvent>>.stride) bytes")
  }
}
