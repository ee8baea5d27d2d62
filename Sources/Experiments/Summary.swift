import SimCore

/// A metric over replications: mean, standard deviation, 95% Student-t interval, extremes.
public struct MetricSummary: Sendable {
  public var name: String
  public var statistics: RunningStatistics
  /// Replications that produced a value (an RTO exists only when something failed).
  public var count: Int { statistics.count }
  /// The 95% Student-t interval of the mean. A latency percentile comes from a histogram
  /// whose buckets are 1% wide, so replications can agree on the same bucket and show no
  /// spread at all: its interval is never narrower than the histogram's resolution (1% of
  /// the mean), rather than a false "± 0".
  public var interval: ConfidenceInterval? {
    guard var ci = statistics.confidenceInterval(level: 0.95) else { return nil }
    if name.hasPrefix("latency_") { ci.halfWidth = max(ci.halfWidth, abs(ci.mean) * Self.latencyResolution) }
    return ci
  }

  /// The relative accuracy of the run's latency histograms.
  public static let latencyResolution = LogHistogram().relativeAccuracy
}

/// Summaries of every configuration, and differences against the first (paired: replication
/// r of each configuration shared its random inputs, so the difference is the change's).
public struct ExperimentSummary: Sendable {
  /// Per configuration, per metric, in the order metrics first appear.
  public var configurations: [[MetricSummary]]
  /// Per configuration after the first: the paired difference to the first, per metric.
  public var differences: [[MetricSummary]]
  public var metricNames: [String]

  public init(results: [TaskResult], configurations count: Int) {
    var names: [String] = []
    for result in results.sorted(by: { ($0.configuration, $0.replication) < ($1.configuration, $1.replication) }) {
      for key in result.metrics.keys.sorted() where !names.contains(key) { names.append(key) }
    }
    metricNames = names
    let byConfiguration = (0..<count).map { c in results.filter { $0.configuration == c }.sorted { $0.replication < $1.replication } }
    configurations = byConfiguration.map { rows in
      names.map { name in
        MetricSummary(name: name, statistics: RunningStatistics(rows.compactMap { $0.metrics[name] ?? nil }))
      }
    }
    differences = byConfiguration.dropFirst().map { rows in
      names.map { name in
        var stats = RunningStatistics()
        for row in rows {
          guard let base = byConfiguration[0].first(where: { $0.replication == row.replication }),
            let a = row.metrics[name] ?? nil, let b = base.metrics[name] ?? nil
          else { continue }
          stats.record(a - b)
        }
        return MetricSummary(name: name, statistics: stats)
      }
    }
  }
}
