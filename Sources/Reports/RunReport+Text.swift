import Foundation
import SimCore
import Topology

extension RunReport {
  /// The failover timeline and summary as terminal text.
  ///
  /// - Parameter quiet: leave out instance launches and load-balancer target changes.
  public func text(quiet: Bool = false) -> String {
    var out: [String] = []
    out.append("Drill: \(context.name) (reading: \(context.base), seed \(result.seed), \(result.duration) simulated)")
    if !context.description.isEmpty { out.append(context.description) }
    out.append("")
    out.append("Timeline (T+ from the first fault, each line naming the mechanism):")
    let noisy: Set<TimelineKind> = [.instanceLaunched, .instanceBooted, .instanceTerminated, .lbTargetHealthy, .instanceInService]
    for entry in result.timeline.entries where !(quiet && noisy.contains(entry.kind)) {
      let at = entry.time.offsetDescription(from: origin).padding(toLength: 9, withPad: " ", startingAt: 0)
      out.append("  \(at) \(("[" + entry.mechanism.rawValue + "]").padding(toLength: 16, withPad: " ", startingAt: 0)) \(entry.text)")
    }
    if result.timeline.droppedCount > 0 { out.append("  … \(result.timeline.droppedCount) more entries not kept") }
    out.append("")
    out.append("Milestones (after the first fault; — did not happen in this run):")
    let published = Dictionary(context.published.map { ($0.0, $0.1.seconds) }, uniquingKeysWith: { a, _ in a })
    let milestones = Dictionary(uniqueKeysWithValues: self.milestones.map { ($0.0.rawValue, $0.1) })
    for key in Milestone.allCases.map(\.rawValue) {
      let simulated = milestones[key].map { Self.clock($0) } ?? "—"
      var line =
        "  \(key.padding(toLength: 22, withPad: " ", startingAt: 0)) \(simulated.padding(toLength: 9, withPad: " ", startingAt: 0))"
      if let p = published[key] {
        let delta = milestones[key].map { $0 - p }
        line +=
          "published \(Self.clock(p))"
          + (delta.map { abs($0) < 0.0005 ? "  (matches)" : String(format: "  (%+.1f s)", $0) } ?? "  (did not happen)")
      }
      out.append(line)
    }
    out.append("")
    out.append("Requests:")
    if attempts == 0 {
      // Availability of nothing is not 100%: say so instead of printing a number.
      out.append("  attempts 0: no request was made, so availability is undefined (—). Check clients.rate and clients.maxArrivals")
    } else {
      out.append(
        "  attempts \(attempts) (retries \(result.series.reduce(0) { $0 + $1.retries })), failed \(failed), availability \(Self.percent(availability))"
      )
    }
    let causes = Outcome.allCases.filter { $0 != .success && result.totals.total($0) > 0 }
    if !causes.isEmpty {
      out.append("  failures by cause: " + causes.map { "\($0.name) \(result.totals.total($0))" }.joined(separator: ", "))
      for place in failurePlaces {
        out.append("    at \(place.where): " + place.causes.map { "\($0.name) \($0.count)" }.joined(separator: ", "))
      }
    }
    out.append(
      String(
        format: "  read downtime %.1f s, write downtime %.1f s (failure-weighted)", downtimeSeconds([.pageLoad, .apiRead]),
        downtimeSeconds([.apiWrite])))
    out.append(
      "  RTO " + (rtoSeconds.map { Self.clock($0) } ?? "— (service never recovered)") + (context.rtoTarget.map { " (target \($0))" } ?? "")
        + String(format: ", error budget burned %.1f× (objective %@)", errorBudgetBurn, Self.percent(context.availabilityObjective)))
    out.append("  " + Self.rtoDefinition)
    if let p50 = latency(0.5), let p95 = latency(0.95), let p99 = latency(0.99) {
      out.append(String(format: "  latency p50 %@, p95 %@, p99 %@", Self.ms(p50), Self.ms(p95), Self.ms(p99)))
    }
    for region in result.regionNames {
      let kinds = result.latencyByRegion.filter { $0.region == region && $0.histogram.count > 0 }
      guard !kinds.isEmpty else { continue }
      out.append(
        "    \(region): "
          + kinds.map { k in
            "\(k.kind.rawValue) p50 \(Self.ms(k.histogram.quantile(0.5)!)), p99 \(Self.ms(k.histogram.quantile(0.99)!))"
          }.joined(separator: "; "))
    }
    if let data = result.data {
      out.append("")
      out.append("Data:")
      out.append("  acknowledged writes \(data.acknowledgedWrites); durable on \(data.survivor) \(data.durableOnSurvivor)")
      out.append(
        "  RPO: \(counted(data.lostWrites, "write")) lost, " + String(format: "%.3f s of history", data.rpoSeconds)
          + (context.rpoTarget.map { " (target \($0))" } ?? ""))
      out.append(
        "  split brain: \(counted(data.splitBrainWrites, "write")) on the losing side"
          + (data.winningSideWritesDuringSplitBrain > 0 ? ", \(data.winningSideWritesDuringSplitBrain) on the winning side meanwhile" : ""))
    }
    out.append("")
    out.append("Instances (peak in service, instance-hours):")
    for group in result.groups {
      out.append(
        String(
          format: "  %@ %d, %.2f h", group.name.padding(toLength: 18, withPad: " ", startingAt: 0), group.peakInService,
          group.instanceSeconds / 3600))
    }
    return out.joined(separator: "\n")
  }

  /// `m:ss` (or `h:mm:ss`) of a number of seconds, truncated.
  /// What RTO means here, printed under it (and in the HTML summary).
  public static let rtoDefinition =
    "(RTO: from the first failed request until every kind of request is served again, at most 1% failing for a minute; "
    + "failover_complete also waits for DNS and PgPool)"

  public static func clock(_ seconds: Double) -> String {
    // To the nearest second, as the timeline's T+ times.
    let whole = Int(seconds.rounded())
    return whole >= 3600
      ? String(format: "%d:%02d:%02d", whole / 3600, whole % 3600 / 60, whole % 60) : String(format: "%d:%02d", whole / 60, whole % 60)
  }

  static func percent(_ x: Double) -> String {
    if x >= 0.99 && x < 1 { return String(format: "%.3f%%", x * 100) }
    return String(format: "%.1f%%", x * 100)
  }

  static func ms(_ seconds: Double) -> String {
    seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.2f s", seconds)
  }
}
