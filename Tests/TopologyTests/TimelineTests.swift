import SimCore
import Testing

@testable import Topology

@Suite("Timeline")
struct TimelineTests {
  @Test("entries keep time order, can be found by kind, and stop at the cap (counted, not kept)")
  func recording() {
    var timeline = Timeline(capacity: 3)
    timeline.record(.at(.seconds(0)), .fault, "fault_injected", "Delhi region down")
    timeline.record(.at(.seconds(90)), .dns, "dns_record_unhealthy", "Route 53 marked delhi unhealthy")
    timeline.record(.at(.seconds(300)), .monitor, "monitor_alert", "UptimeRobot: Delhi DOWN")
    timeline.record(.at(.seconds(301)), .automation, "webhook_sent", "webhook sent")
    #expect(timeline.entries.map(\.kind) == ["fault_injected", "dns_record_unhealthy", "monitor_alert"])
    #expect(timeline.droppedCount == 1)
    #expect(timeline.first("dns_record_unhealthy")?.time == .at(.seconds(90)))
    #expect(timeline.first("promoted") == nil)
  }
}
