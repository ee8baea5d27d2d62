/// The accounting every run must satisfy. Drill checks it after every run it reports, so a
/// wrong number is an internal error, never a silent answer.
extension RunResult {
  /// Each invariant the run breaks, named with its figures; empty when everything adds up.
  /// Requests: every attempt that arrived has ended or is still in flight, and the attempts
  /// ended per kind and outcome in the time series add up to the run's totals. Writes: every
  /// acknowledged write is durable on the surviving primary, lost at a promotion, or on the
  /// losing side of a split brain.
  public var invariantViolations: [String] {
    var violations: [String] = []
    if let last = series.last {
      if last.cumulativeArrivals != last.cumulativeEnded + last.inFlight {
        violations.append(
          "requests: \(last.cumulativeArrivals) arrived, but \(last.cumulativeEnded) ended + \(last.inFlight) in flight = "
            + "\(last.cumulativeEnded + last.inFlight)")
      }
      if last.cumulativeEnded != totals.ended {
        violations.append("requests: \(last.cumulativeEnded) ended by the time series, \(totals.ended) by the totals")
      }
      for kind in RequestKind.allCases {
        for outcome in Outcome.allCases {
          let bySeries = series.reduce(0) { $0 + $1.outcomes[kind, outcome] }
          if bySeries != totals[kind, outcome] {
            violations.append(
              "requests: \(kind.rawValue) ended \(outcome.name): \(bySeries) in the time series, \(totals[kind, outcome]) in the totals")
          }
        }
      }
    }
    if !outcomesByPlace.isEmpty {
      let byPlace = outcomesByPlace.reduce(0) { $0 + $1.counts.ended }
      if byPlace != totals.ended {
        violations.append("requests: \(byPlace) ended by region and place, \(totals.ended) in the totals")
      }
    }
    if let data, data.acknowledgedWrites != data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites {
      violations.append(
        "writes: \(data.acknowledgedWrites) acknowledged, but \(data.durableOnSurvivor) durable on \(data.survivor) + \(data.lostWrites) lost "
          + "+ \(data.splitBrainWrites) on split brain's losing side = \(data.durableOnSurvivor + data.lostWrites + data.splitBrainWrites)")
    }
    return violations
  }
}
