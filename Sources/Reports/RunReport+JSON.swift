import SimCore
import Topology

extension RunReport {
  /// One JSON document with stable keys: seed, timeline, milestones, metrics, and more.
  public func json() -> JSONValue {
    var metrics: [(String, JSONValue)] = [
      ("availability", attempts > 0 ? .double(availability) : .null),  // no requests: undefined, not 100%
      ("attempts", .int(Int64(attempts))),
      ("failed_requests", .int(Int64(failed))),
      ("failures_by_cause", .object(Outcome.allCases.filter { $0 != .success }.map { ($0.name, .int(Int64(result.totals.total($0)))) })),
      ("retries", .int(Int64(result.series.reduce(0) { $0 + $1.retries }))),
      ("read_downtime_seconds", .double(downtimeSeconds([.pageLoad, .apiRead]))),
      ("write_downtime_seconds", .double(downtimeSeconds([.apiWrite]))),
      ("rto_seconds", rtoSeconds.map(JSONValue.double) ?? .null),
      ("rpo_lost_writes", .int(Int64(result.data?.lostWrites ?? 0))),
      ("rpo_seconds", .double(result.data?.rpoSeconds ?? 0)),
      ("split_brain_writes", .int(Int64(result.data?.splitBrainWrites ?? 0))),
      ("acknowledged_writes", .int(Int64(result.data?.acknowledgedWrites ?? 0))),
      ("error_budget_burn", .double(errorBudgetBurn)),
    ]
    for (name, q) in [("latency_p50_seconds", 0.5), ("latency_p95_seconds", 0.95), ("latency_p99_seconds", 0.99)] {
      metrics.append((name, latency(q).map(JSONValue.double) ?? .null))
    }
    let regions = result.regionNames
    metrics.append(
      (
        "failures_by_place",
        .object(
          regions.map { region in
            (
              region,
              .object(
                result.outcomesByPlace.filter { $0.region == region }.map { entry in
                  (
                    entry.place.rawValue,
                    .object(Outcome.allCases.filter { $0 != .success }.map { ($0.name, .int(Int64(entry.counts.total($0)))) })
                  )
                })
            )
          })
      ))
    metrics.append(
      (
        "latency_by_region",
        .object(
          regions.map { region in
            (
              region,
              .object(
                result.latencyByRegion.filter { $0.region == region }.map { entry in
                  (
                    entry.kind.rawValue,
                    .object(
                      [("p50_seconds", 0.5), ("p95_seconds", 0.95), ("p99_seconds", 0.99)].map { name, q in
                        (name, entry.histogram.quantile(q).map(JSONValue.double) ?? .null)
                      })
                  )
                })
            )
          })
      ))
    metrics.append(("peak_instances", .object(result.groups.map { ($0.name, .int(Int64($0.peakInService))) })))
    metrics.append(("instance_hours", .object(result.groups.map { ($0.name, .double($0.instanceSeconds / 3600)) })))
    return .object([
      ("scenario", .string(context.name)),
      ("base", .string(context.base)),
      ("seed", .int(Int64(bitPattern: result.seed))),
      ("duration_seconds", .double(result.duration.seconds)),
      ("first_fault_seconds", result.firstFault.map { .double($0.seconds) } ?? .null),
      (
        "timeline",
        .array(
          result.timeline.entries.map { entry in
            .object([
              ("at", .double((entry.time - origin).seconds)), ("kind", .string(entry.kind.rawValue)),
              ("mechanism", .string(entry.mechanism.rawValue)),
              ("text", .string(entry.text)),
            ])
          })
      ),
      // Every milestone, null when it did not happen in this run.
      ("milestones", .object(Milestone.allCases.map { m in (m.rawValue, milestoneSeconds[m].map { .double($0) } ?? .null) })),
      ("published_milestones", .object(context.published.map { ($0.0, .double($0.1.seconds)) })),
      ("metrics", .object(metrics)),
    ])
  }

  /// The time series as CSV: one row per bucket. Columns are named by what they count, the
  /// region or group they belong to, and their unit (docs/json.md lists every column).
  public func csv() -> String {
    let regions = result.regionNames
    var header = ["start_since_run_seconds", "start_since_fault_seconds"]
    header += RequestKind.allCases.map { "arrivals_\($0.rawValue)" }
    header += ["retries"]
    header += RequestKind.allCases.flatMap { ["success_\($0.rawValue)", "failed_\($0.rawValue)"] }
    header += Outcome.allCases.filter { $0 != .success }.map { "failed_\($0.name)" }
    header += ["latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "in_flight"]
    header += result.groups.flatMap { ["\($0.name)_serving", "\($0.name)_booting", "\($0.name)_cpu_busy_share"] }
    header += result.loadBalancers.flatMap { ["\($0.name)_queue_max"] }
    let lagColumns = result.series.first?.replicationLag.count ?? 0
    header += (0..<lagColumns).map { "replication_lag_\($0 < regions.count ? regions[$0] : String($0))_seconds" }
    header += regions.map { "arrivals_\($0)" }
    header += regions.map { "failed_\($0)" }
    header += regions.map { "latency_p99_\($0)_ms" }
    var lines = [header.joined(separator: ",")]
    func f(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }
    func ms(_ x: Double?) -> String { f(x.map { $0 * 1000 }) }
    for row in result.series {
      var cells = [f(row.start.seconds), result.firstFault.map { f((row.start - $0).seconds) } ?? ""]
      cells += row.arrivals.map(String.init)
      cells.append(String(row.retries))
      for kind in RequestKind.allCases {
        cells.append(String(row.outcomes[kind, .success]))
        cells.append(String(row.outcomes.ended(kind) - row.outcomes[kind, .success]))
      }
      cells += Outcome.allCases.filter { $0 != .success }.map { String(row.outcomes.total($0)) }
      cells += [ms(row.latencyP50), ms(row.latencyP95), ms(row.latencyP99), String(row.inFlight)]
      for g in row.groups { cells += [String(g.serving), String(g.booting), f(g.cpu)] }
      cells += row.loadBalancers.map { String($0.queueMax) }
      cells += row.replicationLag.map { f($0) }
      cells += row.arrivalsByRegion.map(String.init)
      cells += row.failuresByRegion.map(String.init)
      cells += row.latencyP99ByRegion.map { ms($0) }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
