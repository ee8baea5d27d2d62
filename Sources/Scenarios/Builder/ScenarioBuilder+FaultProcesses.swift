import SimCore
import Topology

/// One of Drill's default fault processes, with where its figures come from.
public struct DefaultFaultProcess: Sendable {
  public var name: String
  /// Target pattern text, as a scenario writes it.
  public var target: String
  public var together: Bool
  public var mode: FaultMode
  public var every: String
  public var repair: String
  /// What kind of figure it is: measured (M), SLA bound (S), post-incident (P), vendor
  /// documentation (D), or a judgement where no rate is published (J).
  public var kind: String
  public var source: String
}

extension DefaultFaultProcess {
  /// The defaults of `drill availability`, from `research/failure-rates.md` ("Suggested
  /// defaults"). Most rates are judgements bounded by published figures: no public failure
  /// rate exists for a PostgreSQL or PgPool process, an E2E VM or an inter-region link in
  /// India. SLA figures bound downtime for credits; they are not failure rates.
  public static let all: [DefaultFaultProcess] = [
    DefaultFaultProcess(
      name: "region", target: "*", together: false, mode: .crash, every: "exp(mean: 365d)",
      repair: "lognormal(median: 90m, p99: 24h)", kind: "J",
      source: "a single-DC region: Google ~1 PDU failure per cluster-year, ~6 h (Dean, 2008) [M]; network events 10–100 min "
        + "(Govindan et al., SIGCOMM'16) [M]; multi-day tails (AWS us-east-1 2011, GCP Paris 2023) [P]"),
    DefaultFaultProcess(
      name: "loadBalancer", target: "*.*.lb", together: false, mode: .crash, every: "exp(mean: 1825d)",
      repair: "lognormal(median: 15m, p99: 8h)", kind: "M rate, J repair",
      source: "about 1 in 5 hardware load balancers fails a year, mostly short software faults (Gill et al., SIGCOMM'11) [M]; "
        + "AWS ELB 2012-12-24, ~24 h, as the tail [P]; ELB's SLA is 99.99% [S]"),
    DefaultFaultProcess(
      name: "instanceCrash", target: "*.*#*", together: false, mode: .crash, every: "exp(mean: 365d)",
      repair: "lognormal(median: 4m, p99: 15m)", kind: "J",
      source: "between Google's ~0.55 machine failures per machine-year (Dean, 2008) [M] and single-VM SLAs of 99.5–99.9% "
        + "(EC2, GCE, Azure) [S]; repair is a reboot: the autoscaling group may replace the instance first"),
    DefaultFaultProcess(
      name: "instanceFreeze", target: "*.*#*", together: false, mode: .hang, every: "exp(mean: 182d)",
      repair: "lognormal(median: 2s, p99: 30s)", kind: "J rate, D length",
      source: "live-migration pauses: Azure typically ≤ 5 s, ~30 s rarely; GCE well under 1 s (vendor maintenance docs) [D]"),
    DefaultFaultProcess(
      name: "databaseHost", target: "*.database", together: false, mode: .crash, every: "exp(mean: 365d)",
      repair: "lognormal(median: 30m, p99: 6h)", kind: "J",
      source: "a host restarted elsewhere; Google racks return in 1–6 h (Dean, 2008) [M]"),
    DefaultFaultProcess(
      name: "postgresCrash", target: "*.database", together: false, mode: .crash, every: "exp(mean: 730d)",
      repair: "lognormal(median: 30s, p99: 5m)", kind: "J",
      source: "no public PostgreSQL crash rate; a restart with WAL replay; managed restarts and failovers take 30–120 s (RDS docs) [D]"),
    DefaultFaultProcess(
      name: "pgpoolCrash", target: "*.pgpool", together: false, mode: .crash, every: "exp(mean: 365d)",
      repair: "lognormal(median: 10s, p99: 2m)", kind: "J",
      source: "recurring PgPool-II segfault and hang reports with no rate (bitnami/charts#16190, crunchy-containers#552) [A]; "
        + "a supervisor restarts it"),
    DefaultFaultProcess(
      name: "linkBlip", target: "link", together: false, mode: .crash, every: "exp(mean: 30d)",
      repair: "lognormal(median: 30s, p99: 5m)", kind: "J",
      source: "dozens of ~30 s network blips per cluster-year (Dean, 2008) [M]; GitHub's 43 s partition of 2018-10-21 [P]"),
    DefaultFaultProcess(
      name: "linkPartition", target: "link", together: false, mode: .crash, every: "exp(mean: 182d)",
      repair: "lognormal(median: 20m, p99: 6h)", kind: "J",
      source: "80% of Google's high-impact network events lasted 10–100 min (Govindan et al., SIGCOMM'16) [M]; a fibre splice "
        + "takes 4–6 h [A]"),
    DefaultFaultProcess(
      name: "linkDegraded", target: "link", together: false, mode: .latency(.milliseconds(60)), every: "exp(mean: 61d)",
      repair: "lognormal(median: 30m, p99: 6h)", kind: "J",
      source: "partial failures (lossy, slow paths) outnumber cuts (Gill et al., SIGCOMM'11) [M]; +60 ms is about three "
        + "times the Delhi–Chennai round trip"),
    DefaultFaultProcess(
      name: "monitorService", target: "monitor.*", together: true, mode: .crash, every: "exp(mean: 1095d)",
      repair: "lognormal(median: 1h, p99: 12h)", kind: "P, J",
      source: "UptimeRobot: one ~12 h outage from Jan 2010 to Jan 2019 (their blog) [P] and unreported minor ones; every "
        + "monitor goes with the service"),
    DefaultFaultProcess(
      name: "automationPlatform", target: "automation", together: false, mode: .crash, every: "exp(mean: 730d)",
      repair: "lognormal(median: 1h, p99: 6h)", kind: "J (SLA-bounded)",
      source: "AWS Lambda us-east-1 2023-06-13, 2–4 h [P]; ≈ 0.7 h a year, under the 4.4 h a 99.95% function SLA allows [S]"),
    DefaultFaultProcess(
      name: "badChange", target: "*.backend", together: true, mode: .errors(rate: 0.5), every: "exp(mean: 91d)",
      repair: "lognormal(median: 30m, p99: 12h)", kind: "J",
      source: "~70% of outages follow changes (Google SRE book) [M]; ~50 deploys a year × 5–15% change failure rate (DORA) [A]; "
        + "a deploy to both regions' backends fails half the requests until rolled back"),
  ]

  /// The mode as a scenario writes it: `crash`, `errors` (rate 0.5)…
  public var modeText: String {
    switch mode {
    case .crash: return "crash"
    case .hang: return "hang"
    case .slow(let factor): return "slow (factor \(factor))"
    case .errors(let rate): return "errors (rate \(rate))"
    case .latency(let extra): return "latency (+\(extra))"
    }
  }

  /// The operator's response, from an incident's first fault to acting.
  public static let operatorResponse = "lognormal(median: 60m, p99: 16h)"
  public static let operatorSource =
    "PagerDuty: 126 min on average to resolve, with 1.2 responders (State of Digital Operations) [M]; incident durations are "
    + "close to lognormal (Davidovič, Incident Metrics in SRE) [M]; median and tail are judgements [J]"
}

extension ScenarioBuilder {
  /// `faultProcesses` and `availability`: the year-scale study's inputs. Each default
  /// process applies unless the file sets it to null; a file's process of the same name
  /// changes only the keys it gives; a new name needs its target, `every` and `repair`.
  func availability(_ root: ObjectReader, regions: [String], config: [RegionConfig]) -> AvailabilityConfig {
    let processesReader = root.object(
      "faultProcesses",
      doc: "Fault processes for drill availability and drill rank, by name: each part fails after a time drawn from `every` "
        + "and is repaired after one drawn from `repair`, again and again. The defaults (listed at the end, with sources) "
        + "apply unless set to null; a process of the same name changes only the keys it gives.")
    var processes: [FaultProcess] = []
    let a = root.object(
      "availability", doc: "How drill availability and drill rank simulate a year: the operator, and the windows run request by request.")
    let useDefaults = a.bool(
      "defaultProcesses", default: true,
      doc: "false: only the fault processes the file names apply (the defaults listed at the end do not).")
    let defaults = useDefaults ? DefaultFaultProcess.all : []
    let names = defaults.map(\.name) + processesReader.keys.filter { key in !defaults.contains { $0.name == key } }
    for name in names {
      let member = processesReader.member(name)
      if case .null? = member?.value { continue }
      let known = defaults.first { $0.name == name }
      let p = reader.object(member?.value, path: "faultProcesses.\(name)", pattern: "faultProcesses.<name>")
      let targetText = string(
        p, "target", default: known?.target ?? "",
        doc: "The parts it hits, as a fault target where \"*\" stands for every region or tier and \"#*\" for every instance a "
          + "group keeps at its minimum: \"*\", \"*.*.lb\", \"*.backend#*\", \"*.database\", \"link\", \"monitor.*\", \"automation\".")
      let together = p.bool(
        "together", default: known?.together ?? false,
        doc: "true: one process hits every part it names at once (a deploy to every region); false: each part fails on its own.")
      let mode = faultMode(p, default: known?.mode ?? .crash)
      func distribution(_ key: String, _ fallback: String?, example: String, doc: String) -> Distribution {
        let d = fallback.flatMap { try? Distribution(parsing: $0, expecting: .duration) } ?? .constant(.zero)
        let value = p.distribution(key, default: d, bounded: false, doc: doc)
        if fallback == nil && p.members.first(where: { $0.key == key }) == nil {
          reader.report(
            p.span ?? member?.keySpan, path: "faultProcesses.\(name).\(key)",
            "a new fault process needs \(key), such as \"\(example)\"")
        }
        return value
      }
      let every = distribution(
        "every", known?.every, example: "exp(mean: 365d)",
        doc: "Time to failure, from the start or the last repair (its mean is the MTBF), such as \"exp(mean: 365d)\".")
      let repair = distribution(
        "repair", known?.repair, example: "lognormal(median: 30m, p99: 6h)",
        doc: "Time to repair (its mean is the MTTR), such as \"lognormal(median: 30m, p99: 6h)\".")
      p.finish()
      // A part failing every few seconds is no availability study, and its history would
      // not fit in memory over years: a mean time to failure of a minute at least.
      if every.mean < 60, let value = p.members.first(where: { $0.key == "every" })?.value {
        p.fail(
          value, "every",
          "\"\(value.text)\" has a mean of \(every.mean <= 0 ? "zero" : String(format: "%g s", every.mean)); "
            + "expected a mean time to failure of a minute or more, such as \"exp(mean: 30d)\"")
      }
      if known == nil && targetText.isEmpty {
        reader.report(
          p.span ?? member?.keySpan, path: "faultProcesses.\(name).target", "a new fault process needs a target, such as \"*.database\"")
        continue
      }
      guard let target = targetPattern(targetText, regions: regions, item: p) else { continue }
      processes.append(FaultProcess(name: name, target: target, together: together, mode: mode, timeToFailure: every, repair: repair))
    }
    processesReader.finish()

    let operatorResponse = a.optionalDistribution(
      "operator", default: try? Distribution(parsing: DefaultFaultProcess.operatorResponse, expecting: .duration),
      shown: DefaultFaultProcess.operatorResponse,
      doc: "From an incident's first fault until the on-call operator acts: if the primary database is still down and "
        + "requests are failing, they fail over by hand (promote the standby, point every PgPool at it); once the faults are "
        + "repaired, they restore the configured state (fail back to the configured primary, re-attach PgPools, restore DNS "
        + "weights). null: nobody does. Source: " + DefaultFaultProcess.operatorSource + ".")
    let lead = a.duration("lead", default: .minutes(1), max: .hours(1), doc: "Request-level time simulated before each incident.")
    let settle = a.duration(
      "settle", default: .minutes(10), min: .minutes(1), max: .days(1),
      doc: "Request-level time simulated at least after an incident's last repair and the operator's action, before the quiet "
        + "time that follows is accounted from the steady state.")
    let steady = a.duration(
      "steady", default: .minutes(5), min: .seconds(10), max: .days(1),
      doc: "How long nothing may change (no timeline entry, each kind's failure share level) before the state counts as steady: "
        + "a window closes, or a stretch inside it is skipped, only then, and the outcomes of this stretch stand for the time "
        + "accounted after it.")
    a.finish()
    return AvailabilityConfig(
      processes: processes, operatorResponse: operatorResponse, lead: lead, settle: settle, steady: steady)
  }

  /// Reads a fault-process target: a fault target where `*` stands for every region or
  /// tier, and `#*` for every instance.
  func targetPattern(_ text: String, regions: [String], item: ObjectReader) -> FaultTargetPattern? {
    func bad(_ why: String) -> FaultTargetPattern? {
      if let value = item.members.first(where: { $0.key == "target" })?.value {
        item.fail(value, "target", "\"\(text)\" \(why)")
      } else {
        reader.report(item.span, path: "\(item.path).target", "\"\(text)\" \(why)")
      }
      return nil
    }
    let accepted =
      "expected \"*\" or a region, \"<region|*>.<frontend|backend|*>\" with \".lb\", \"#N\" or \"#*\", \"<region|*>.database\", "
      + "\"<region|*>.pgpool\", \"link\", \"link.from-<region>\", \"monitor.<region|*>\" or \"automation\""
    func region(_ name: String) -> (ok: Bool, name: String?) {
      if name == "*" { return (true, nil) }
      if regions.contains(name) { return (true, name) }
      return (false, nil)
    }
    func unknownRegion(_ name: String) -> FaultTargetPattern? {
      var why = "names no region: \"\(name)\" is not one of \(regions.map { "\"\($0)\"" }.joined(separator: ", ")) or \"*\""
      if let near = Suggestion.nearest(to: name, among: regions) { why += ". Did you mean \"\(near)\"?" }
      return bad(why)
    }
    if text == "link" { return .link(from: nil) }
    if text == "automation" { return .automation }
    if text.hasPrefix("link.from-") {
      let name = String(text.dropFirst(10))
      guard regions.contains(name) else { return unknownRegion(name) }
      return .link(from: name)
    }
    if text.hasPrefix("monitor.") {
      let name = String(text.dropFirst(8))
      let r = region(name)
      return r.ok ? .monitor(region: r.name) : unknownRegion(name)
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let r = region(parts[0])
    guard r.ok else { return parts[0].isEmpty ? bad("is not a target; \(accepted)") : unknownRegion(parts[0]) }
    if parts.count == 1 { return .region(r.name) }
    var tierText = parts[1]
    var index: Int?? = nil  // nil: no "#"; .some(nil): "#*"
    if let hash = tierText.firstIndex(of: "#") {
      let number = String(tierText[tierText.index(after: hash)...])
      tierText = String(tierText[..<hash])
      if number == "*" {
        index = .some(nil)
      } else if let n = Int(number), n >= 0 {
        index = .some(n)
      } else {
        return bad("has \"#\(number)\", which is not an instance number; \(accepted)")
      }
    }
    if parts.count == 2 && index == nil {
      if tierText == "database" { return .database(region: r.name) }
      if tierText == "pgpool" { return .pgpool(region: r.name) }
    }
    let role: TierRole?
    switch tierText {
    case "*": role = nil
    case "frontend": role = .frontend
    case "backend": role = .backend
    default:
      var why = "is not a target: \"\(tierText)\" is not a part of a region; \(accepted)"
      if let near = Suggestion.nearest(to: tierText, among: ["frontend", "backend", "database", "pgpool"]) {
        why += ". Did you mean \"\(near)\"?"
      }
      return bad(why)
    }
    if parts.count == 3 {
      guard parts[2] == "lb", index == nil else { return bad("is not a target; \(accepted)") }
      return .loadBalancer(region: r.name, tier: role)
    }
    guard parts.count == 2 else { return bad("is not a target; \(accepted)") }
    if let index { return .instance(region: r.name, tier: role, index: index) }
    return .tier(region: r.name, tier: role)
  }
}
