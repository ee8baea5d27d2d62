import Foundation
import SimCore
import Topology

extension RunReport {
  /// Every chart of a run, by file name (without `.svg`), in reading order.
  public func charts() -> [(name: String, svg: String)] {
    let rows = result.series
    guard !rows.isEmpty else { return [] }
    let width = rows.count > 1 ? (rows[1].start - rows[0].start).seconds : result.duration.seconds
    /// Minutes after the first fault, at each bucket's middle.
    func x(_ row: SeriesRow) -> Double { ((row.start - origin).seconds + width / 2) / 60 }
    let markers = milestones.filter { [.dnsUnhealthy, .monitorAlert, .dbPromoted, .failoverComplete].contains($0.0) }.map {
      ($0.1 / 60, $0.0.rawValue)
    }
    let time = "minutes after the first fault"
    var charts: [(String, String)] = []
    charts.append(
      (
        "timeline",
        TimelineChart(entries: result.timeline.entries, origin: origin, milestones: milestones.map { ($0.0.rawValue, $0.1) }).svg()
      ))

    let groups: [(String, [Outcome])] = [
      ("success", [.success]), ("connect timeout (dead address)", [.connectTimeout]),
      ("load balancer 5xx", [.queueFull, .queueTimeout, .noTarget, .targetRefused, .gatewayTimeout, .loadBalancerError]),
      ("application or data error", [.applicationError, .dataTierError]), ("client timeout", [.clientTimeout]),
    ]
    let outcomeSeries = groups.compactMap { name, outcomes -> SVGChart.Series? in
      let points = rows.map { row in (x(row), Double(outcomes.reduce(0) { $0 + row.outcomes.total($1) }) / width) }
      return points.contains { $0.1 > 0 } || name == "success" ? SVGChart.Series(name: name, points: points) : nil
    }
    charts.append(
      (
        "requests",
        SVGChart(
          title: "Requests per second by outcome", xLabel: time, yLabel: "requests per second",
          kind: .stackedAreas, series: outcomeSeries, markers: markers
        ).svg()
      ))

    let regions = rows[0].arrivalsByRegion.count
    let regionNames = result.regionNames
    let share = (0..<regions).map { r in
      SVGChart.Series(
        name: r < regionNames.count ? regionNames[r] : "region \(r)",
        points: rows.map { row in
          let total = row.arrivalsByRegion.reduce(0, +)
          return (x(row), total > 0 ? 100 * Double(row.arrivalsByRegion[r]) / Double(total) : .nan)
        })
    }
    charts.append(
      (
        "traffic-share",
        SVGChart(title: "Traffic share per region", xLabel: time, yLabel: "% of requests", series: share, markers: markers).svg()
      ))

    let failures = regionNames.indices.map { r in
      SVGChart.Series(
        name: regionNames[r],
        points: rows.map { row in (x(row), Double(r < row.failuresByRegion.count ? row.failuresByRegion[r] : 0) / width) })
    }
    if failures.contains(where: { $0.points.contains { $0.1 > 0 } }) {
      charts.append(
        (
          "failures-by-region",
          SVGChart(
            title: "Failed requests per second, by the region DNS sent them to", xLabel: time, yLabel: "failures per second",
            series: failures, markers: markers
          ).svg()
        ))
    }

    let latency = [("p50", \SeriesRow.latencyP50), ("p95", \SeriesRow.latencyP95), ("p99", \SeriesRow.latencyP99)].map { name, path in
      SVGChart.Series(name: name, points: rows.map { (x($0), ($0[keyPath: path] ?? .nan) * 1000) })
    }
    charts.append(
      (
        "latency",
        SVGChart(title: "Latency of successful requests", xLabel: time, yLabel: "milliseconds", series: latency, markers: markers).svg()
      ))

    let regionLatency = regionNames.indices.map { r in
      SVGChart.Series(
        name: regionNames[r],
        points: rows.map { row in (x(row), ((r < row.latencyP99ByRegion.count ? row.latencyP99ByRegion[r] : nil) ?? .nan) * 1000) })
    }
    charts.append(
      (
        "latency-by-region",
        SVGChart(
          title: "p99 latency of successful requests, by region", xLabel: time, yLabel: "milliseconds", series: regionLatency,
          markers: markers
        ).svg()
      ))

    if let lagCount = rows.first?.replicationLag.count, lagCount > 0, let data = result.data {
      let lag = (0..<lagCount).map { n in
        SVGChart.Series(name: n < data.nodes.count ? data.nodes[n].name : "node \(n)", points: rows.map { (x($0), $0.replicationLag[n]) })
      }
      if hasReplicationLag {
        charts.append(
          ("replication-lag", SVGChart(title: "Replication lag", xLabel: time, yLabel: "seconds", series: lag, markers: markers).svg()))
      }
    }
    let instances = result.groups.enumerated().map { g, group in
      SVGChart.Series(name: group.name, points: rows.map { (x($0), Double($0.groups[g].serving + $0.groups[g].booting)) })
    }
    var instanceChart = SVGChart(
      title: "Instances per group (in service or booting)", xLabel: time, yLabel: "instances", series: instances, markers: markers)
    instanceChart.integerY = true
    charts.append(("instances", instanceChart.svg()))
    let queues = result.loadBalancers.enumerated().map { l, lb in
      SVGChart.Series(name: lb.name, points: rows.map { (x($0), Double($0.loadBalancers[l].queueMax)) })
    }
    if hasQueueing {
      var queueChart = SVGChart(
        title: "Load-balancer queue length (peak per bucket)", xLabel: time, yLabel: "requests waiting", series: queues, markers: markers)
      queueChart.integerY = true
      charts.append(("queues", queueChart.svg()))
    }
    return charts
  }

  /// Charts left out because they would be flat at zero, each with the line that says so.
  public func omittedCharts() -> [String] {
    guard !result.series.isEmpty else { return [] }
    var notes: [String] = []
    if let data = result.data, !data.nodes.isEmpty, !hasReplicationLag {
      notes.append("Replication lag: none in this run (every standby kept up), so no chart.")
    }
    if !hasQueueing { notes.append("Load-balancer queues: no request waited in any queue, so no chart.") }
    return notes
  }

  /// Whether any standby lagged in any bucket: the replication-lag chart is drawn only then.
  var hasReplicationLag: Bool { result.series.contains { $0.replicationLag.contains { $0 > 0 } } }
  /// Whether any request waited in any load-balancer queue: the queue chart is drawn only then.
  var hasQueueing: Bool { result.series.contains { $0.loadBalancers.contains { $0.queueMax > 0 } } }
}
