import SimCore
import Topology

/// The data path, faults and operator actions of a scenario.
extension ScenarioBuilder {
  /// `link.roundTrips.<a>.<b>`: the round trip of one pair of regions (a matrix; either order,
  /// once).
  func roundTrips(_ l: ObjectReader, regions: [String]) -> [RegionPair: Distribution] {
    let matrix = l.object(
      "roundTrips",
      doc: "Round trips per pair of regions, a matrix: roundTrips: { delhi: { mumbai: \"uniform(min: 25ms, max: 35ms)\" } } "
        + "(either order, once); pairs not named take `roundTrip`.")
    var pairs: [RegionPair: Distribution] = [:]
    for a in matrix.keys {
      let row = reader.object(matrix.member(a)?.value, path: "link.roundTrips.\(a)", pattern: "link.roundTrips.<region>")
      guard let i = regions.firstIndex(of: a) else {
        var message = "\"\(a)\" is not a region (" + regions.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
        if let near = Suggestion.nearest(to: a, among: regions) { message += ". Did you mean \"\(near)\"?" }
        reader.report(matrix.member(a)?.keySpan, path: "link.roundTrips.\(a)", message)
        continue
      }
      for b in row.keys {
        let value = row.member(b)!.value
        let d = row.distributionValue(value, b, default: RegionLinkConfig.defaults.roundTrip, expecting: .duration, bounded: true)
        reader.document(
          "link.roundTrips.<region>.<region>", type: "distribution of durations", defaultValue: "", doc: "The pair's round trip.")
        guard let j = regions.firstIndex(of: b), j != i else {
          var message = b == a ? "a region's round trip to itself is 0; name another region" : "\"\(b)\" is not a region"
          if regions.firstIndex(of: b) == nil, let near = Suggestion.nearest(to: b, among: regions.filter { $0 != a }) {
            message += ". Did you mean \"\(near)\"?"
          }
          row.fail(value, b, message)
          continue
        }
        let pair = RegionPair(i, j)
        if pairs[pair] != nil {
          row.fail(value, b, "the round trip between \(a) and \(b) is given twice (each pair once, in either order)")
        }
        pairs[pair] = d
      }
      row.finish()
    }
    matrix.finish()
    return pairs
  }

  func dataPath(_ root: ObjectReader, regions: [String]) -> DataPathConfig {
    let l = root.object("link", doc: "The network between the regions.")
    var link = RegionLinkConfig(
      roundTrip: l.distribution(
        "roundTrip", default: RegionLinkConfig.defaults.roundTrip,
        doc: "Round trip between two regions (Delhi–Chennai ≈ 30–50 ms), for every pair `roundTrips` does not name."),
      bandwidth: l.double(
        "bandwidthMBps", default: RegionLinkConfig.defaults.bandwidth / 1e6, range: 0.001...1_000_000,
        doc: "Megabytes per second for WAL and re-clones (1 Gbit/s).") * 1e6,
      retransmitTimeout: l.duration(
        "retransmitTimeout", default: RegionLinkConfig.defaults.retransmitTimeout, doc: "A lost message costs this (Linux minimum RTO).")
    )
    link.pairRoundTrips = roundTrips(l, regions: regions)
    l.finish()

    let rep = root.object("replication", doc: "PostgreSQL streaming replication.")
    let level = rep.choice(
      "synchronousCommit", default: ReplicationConfig.defaults.synchronousCommit.rawValue,
      among: SynchronousCommit.allCases.map(\.rawValue),
      doc: "What a commit waits for (PostgreSQL default \"on\").")
    let replication = ReplicationConfig(
      synchronousCommit: SynchronousCommit(rawValue: level) ?? .on,
      synchronousStandby: rep.bool(
        "synchronousStandby", default: ReplicationConfig.defaults.synchronousStandby,
        doc: "The standby is in synchronous_standby_names; false (the seed): remote levels wait for the local flush only."),
      walBytesPerWrite: rep.double(
        "walBytesPerWrite", default: ReplicationConfig.defaults.walBytesPerWrite, range: 1...1e9, doc: "WAL one write produces, in bytes."),
      walWriterDelay: rep.duration("walWriterDelay", default: ReplicationConfig.defaults.walWriterDelay, doc: "wal_writer_delay (200 ms)."))
    rep.finish()

    let dbsValue = root.members.first { $0.key == "databases" }?.value
    let dbs: ObjectReader
    if case .null? = dbsValue {
      _ = root.member("databases")
      dbs = reader.object(nil, path: "databases", pattern: "databases")
    } else {
      dbs = root.object("databases", doc: "One PostgreSQL node per region, by region name; null: no data tier (backends answer alone).")
    }
    var databases: [DatabaseConfig] = []
    for (i, name) in regions.enumerated() {
      let d = reader.object(dbs.member(name)?.value, path: "databases.\(name)", pattern: "databases.<region>")
      let role = d.choice(
        "role", default: i == 0 ? "primary" : "replica", among: ["primary", "replica", "standalone"],
        doc: "\"primary\", \"replica\" (streams from `upstream`) or \"standalone\" (a separate database).")
      let upstreamName = d.regionChoice("upstream", default: regions[0], among: regions, doc: "A replica's primary, by region.")
      databases.append(
        DatabaseConfig(
          role: DatabaseRole(rawValue: role) ?? .replica, upstream: role == "replica" ? regions.firstIndex(of: upstreamName) : nil,
          readTime: d.distribution("readTime", default: DatabaseConfig.defaults.readTime, doc: "A read's statement time."),
          writeTime: d.distribution("writeTime", default: DatabaseConfig.defaults.writeTime, doc: "A write's statement time."),
          localFlush: d.distribution("localFlush", default: DatabaseConfig.defaults.localFlush, doc: "The commit's local WAL flush."),
          concurrency: d.int("cores", default: DatabaseConfig.defaults.concurrency, range: 1...1024, doc: "Queries at once (DBS.8GB)."),
          maxConnections: d.int(
            "maxConnections", default: DatabaseConfig.defaults.maxConnections, range: 1...100_000, doc: "max_connections (100)."),
          standbyWrite: d.distribution(
            "standbyWrite", default: DatabaseConfig.defaults.standbyWrite, doc: "Standby: writing received WAL."),
          standbyFlush: d.distribution("standbyFlush", default: DatabaseConfig.defaults.standbyFlush, doc: "Standby: flushing it."),
          replayPerWrite: d.duration(
            "replayPerWrite", default: DatabaseConfig.defaults.replayPerWrite, doc: "Standby: replaying one write."),
          promotionTime: d.distribution(
            "promotionTime", default: DatabaseConfig.defaults.promotionTime,
            doc: "Promotion after the replay backlog (pg_promote: seconds; a managed service: minutes, RDS \"several minutes\")."),
          dataBytes: d.double(
            "dataGB", default: DatabaseConfig.defaults.dataBytes / 1e9, range: 0.001...1e6, doc: "Data directory size, for re-clones (GB).")
            * 1e9,
          rewindable: d.bool(
            "rewindable", default: DatabaseConfig.defaults.rewindable, doc: "wal_log_hints or checksums are on, so pg_rewind can work.")))
      d.finish()
    }
    dbs.finish()
    for (i, database) in databases.enumerated() where database.role == .replica {
      if let up = database.upstream, up == i || databases[up].role == .replica {
        reader.report(dbs.span, path: "databases.\(regions[i]).upstream", "a replica must stream from a primary in another region")
      }
    }
    if !databases.contains(where: { $0.role == .primary }) {
      reader.report(dbs.span, path: "databases", "no database is a primary; one region needs role: \"primary\"")
    }

    let pool = root.optionalObject(
      "pgpool", defaultPresent: true, doc: "PgPool-II in every region; null: backends connect to their region's database."
    ).map { p -> PgPoolConfig in
      let config = PgPoolConfig(
        numInitChildren: p.int(
          "numInitChildren", default: PgPoolConfig.defaults.numInitChildren, range: 1...10_000, doc: "Concurrent client sessions (32)."),
        listenBacklogMultiplier: p.int(
          "listenBacklogMultiplier", default: PgPoolConfig.defaults.listenBacklogMultiplier, range: 0...100,
          doc: "Clients that may wait, per child (2)."),
        reservedConnections: p.int(
          "reservedConnections", default: PgPoolConfig.defaults.reservedConnections, range: 0...10_000,
          doc: "Above 0: refuse instead of blocking (0)."),
        healthCheckPeriod: p.duration(
          "healthCheckPeriod", default: PgPoolConfig.defaults.healthCheckPeriod, min: .seconds(1),
          doc: "Sleep between rounds (the case study: 10 s)."),
        healthCheckPhase: phaseValue(
          p, "healthCheckPhase", interval: .seconds(10), doc: "When the first round starts: \"random\" or a duration."),
        healthCheckTimeout: p.duration(
          "healthCheckTimeout", default: PgPoolConfig.defaults.healthCheckTimeout, doc: "A whole attempt's limit (20 s)."),
        connectTimeout: p.duration("connectTimeout", default: PgPoolConfig.defaults.connectTimeout, doc: "connect() limit (10 s)."),
        healthCheckMaxRetries: p.int(
          "healthCheckMaxRetries", default: PgPoolConfig.defaults.healthCheckMaxRetries, range: 0...100,
          doc: "Retries inside a round (the case study: 3)."),
        healthCheckRetryDelay: p.duration(
          "healthCheckRetryDelay", default: PgPoolConfig.defaults.healthCheckRetryDelay, doc: "Between retries (1 s)."),
        failoverOnBackendError: p.bool(
          "failoverOnBackendError", default: PgPoolConfig.defaults.failoverOnBackendError,
          doc: "A session's socket error fails the backend over (on)."),
        failoverCommand: p.choice(
          "failoverCommand", default: "none", among: ["none", "promote"],
          doc: "\"none\": the seed's failover.sh promotes nothing; \"promote\": it promotes the standby.") == "promote"
          ? .promoteStandby : .noPromotion,
        failoverCommandTime: p.distribution(
          "failoverCommandTime", default: PgPoolConfig.defaults.failoverCommandTime, doc: "How long failover_command runs."),
        searchPrimaryNodeTimeout: p.duration(
          "searchPrimaryNodeTimeout", default: PgPoolConfig.defaults.searchPrimaryNodeTimeout,
          doc: "How long failover searches for a primary (300 s; 0: for ever)."),
        delayThreshold: p.optionalDuration(
          "delayThreshold", default: PgPoolConfig.defaults.delayThreshold, doc: "Reads leave a standby lagging past this; null: off."),
        srCheckPeriod: p.duration(
          "srCheckPeriod", default: PgPoolConfig.defaults.srCheckPeriod, min: .seconds(1), doc: "How often lag is sampled (10 s)."),
        loadBalanceMode: p.bool("loadBalanceMode", default: PgPoolConfig.defaults.loadBalanceMode, doc: "Reads go to the local node."),
        followsExternalPromotion: p.bool(
          "followsExternalPromotion", default: PgPoolConfig.defaults.followsExternalPromotion,
          doc: "The case study's belief: a PgPool notices its own region's node promoted behind its back. Real pgpool never does."))
      p.finish()
      return config
    }
    let access: [DataAccess] = regions.indices.map { pool.map { DataAccess.pgpool($0) } ?? .direct(region: $0) }

    var monitors: [MonitorConfig] = []
    let monitorsReader = root.object("monitors", doc: "UptimeRobot monitors on each region's frontend /health/, by region; null for none.")
    for (i, name) in regions.enumerated() {
      let value = monitorsReader.member(name)?.value
      if case .null? = value { continue }
      let m = reader.object(value, path: "monitors.\(name)", pattern: "monitors.<region>")
      let interval = m.duration(
        "interval", default: MonitorConfig.defaults.interval, min: .seconds(30), doc: "Between checks (free plan: 5 min).")
      let phase = phaseValue(m, "phase", interval: interval, doc: "First check: \"random\" or a duration.")
      let timeout = m.duration("timeout", default: MonitorConfig.defaults.timeout, doc: "A probe's limit (30 s).")
      let confirmations = m.int(
        "confirmations", default: MonitorConfig.defaults.confirmations, range: 0...10,
        doc: "More nodes that probe each check with the first; DOWN when every one fails (3 in all).")
      let confirmWithin = m.duration(
        "confirmWithin", default: MonitorConfig.defaults.confirmWithin,
        doc:
          "The other nodes each start their probe at a uniform moment this long after the first; the check is decided when every answer is in."
      )
      let ruleName = m.choice(
        "rule", default: "uptimerobot", among: ["uptimerobot", "consecutive-failures"],
        doc: "\"uptimerobot\": alert `threshold` after DOWN; \"consecutive-failures\": after N failed checks (the case study's reading).")
      let threshold = m.duration("threshold", default: .zero, doc: "UptimeRobot: minutes after DOWN before the alert (free plan: 0).")
      let recurrence = m.optionalDuration(
        "recurrence", default: nil, doc: "UptimeRobot: repeat the alert this often while down; null: once.")
      let failures = m.int("failures", default: 3, range: 1...100, doc: "consecutive-failures: how many.")
      let roundTrip = m.duration("roundTrip", default: MonitorConfig.defaults.roundTrip, doc: "A probe's time when the endpoint answers.")
      let deep = m.bool("deep", default: false, doc: Self.deepDoc)
      m.finish()
      monitors.append(
        MonitorConfig(
          name: "UptimeRobot \(name)", region: i, interval: interval, phase: phase, timeout: timeout, confirmations: confirmations,
          confirmWithin: confirmWithin,
          rule: ruleName == "consecutive-failures"
            ? .consecutiveFailures(failures) : .uptimeRobot(threshold: threshold, recurrence: recurrence),
          roundTrip: roundTrip))
      monitors[monitors.count - 1].deep = deep
    }
    monitorsReader.finish()

    let automation = root.optionalObject("automation", defaultPresent: true, doc: "The failover automation behind the webhook; null: none.")
      .map { a -> AutomationConfig in
        let watch = a.regionChoice("watch", default: regions[0], among: regions, doc: "Alerts from this region's monitor start a failover.")
        let promote = a.regionChoice(
          "promote", default: regions.count > 1 ? regions[1] : regions[0], among: regions, doc: "The region whose database is promoted.")
        let config = AutomationConfig(
          watchRegion: regions.firstIndex(of: watch) ?? 0, promoteRegion: regions.firstIndex(of: promote) ?? 0,
          rule: a.choice(
            "rule", default: "promote-on-alert", among: ["promote-on-alert", "check-database-first"],
            doc: "\"promote-on-alert\": the seed's handler; \"check-database-first\": promote only if the primary is really down.")
            == "check-database-first"
            ? .checkDatabaseFirst : .promoteOnAlert,
          fence: a.bool("fence", default: AutomationConfig.defaults.fence, doc: "Power the old primary off before promoting (STONITH)."),
          fenceTime: a.distribution("fenceTime", default: AutomationConfig.defaults.fenceTime, doc: "How long fencing takes."),
          notificationDelay: a.distribution(
            "notificationDelay", default: AutomationConfig.defaults.notificationDelay, doc: "Alert to webhook sent (undocumented)."),
          webhookDelay: a.distribution(
            "webhookDelay", default: AutomationConfig.defaults.webhookDelay, doc: "Webhook delivery (undocumented)."),
          functionStart: a.distribution(
            "functionTime", default: AutomationConfig.defaults.functionStart, doc: "From receipt to the API call."),
          coldStartProbability: a.double(
            "coldStartProbability", default: AutomationConfig.defaults.coldStartProbability, range: 0...1,
            doc: "Share of invocations that start cold."),
          coldStart: a.distribution("coldStart", default: AutomationConfig.defaults.coldStart, doc: "A cold start's extra time (≤ ~1 s)."),
          apiCall: a.distribution("apiCall", default: AutomationConfig.defaults.apiCall, doc: "The cloud API call until promotion starts."),
          webhookFailure: a.double(
            "webhookFailure", default: AutomationConfig.defaults.webhookFailure, range: 0...1,
            doc: "Probability the webhook reaches nothing."),
          functionFailure: a.double(
            "functionFailure", default: AutomationConfig.defaults.functionFailure, range: 0...1, doc: "Probability the function fails."),
          apiFailure: a.double(
            "apiFailure", default: AutomationConfig.defaults.apiFailure, range: 0...1, doc: "Probability the API call fails."))
        a.finish()
        if watch == promote, let value = a.members.first(where: { $0.key == "promote" })?.value {
          a.fail(value, "promote", "the automation would promote the region it watches; choose another region")
        }
        return config
      }
    return DataPathConfig(
      link: link, databases: databases, replication: replication, access: access, monitors: monitors, automation: automation, actions: [])
  }

  // MARK: Faults

  /// Fault targets as scenario text: `delhi`, `delhi.frontend`, `delhi.frontend.lb`,
  /// `delhi.backend#0`, `delhi.database`, `delhi.pgpool`, `link`, `link.from-delhi`,
  /// `monitor.delhi`, `automation`.
  static func targetNames(regions: [String]) -> [String] {
    var names = ["link", "automation"]
    for r in regions {
      names += [
        r, "\(r).frontend", "\(r).backend", "\(r).frontend.lb", "\(r).backend.lb", "\(r).database", "\(r).pgpool", "link.from-\(r)",
        "monitor.\(r)",
      ]
    }
    return names
  }

  func faults(_ root: ObjectReader, regions: [String], config: [RegionConfig], dataPath: DataPathConfig?, duration: SimDuration)
    -> [FaultSpec]
  {
    var faults: [FaultSpec] = []
    let items = root.array("faults", doc: "Faults: [{ at, target, mode, duration }]; see the targets and modes below.")
    for (k, item) in items.enumerated() {
      let f = reader.object(item, path: "faults[\(k)]", pattern: "faults[]")
      let when = f.distribution(
        "at", default: .constant(.zero),
        doc: "When the fault begins: a time (\"10m\") or a distribution of times (\"uniform(min: 10m, max: 11m)\"), drawn once "
          + "per run from the fault's own stream, so replications sample where it falls against every cycle.")
      var timing: Distribution?
      let at: SimDuration
      if case .constant(let seconds) = when.shape {
        at = SimDuration(seconds: seconds)
      } else {
        timing = when
        at = SimDuration(seconds: when.quantile(0.5))
      }
      let targetText = string(
        f, "target", default: "",
        doc: "What fails: a region, \"<region>.frontend\", \"<region>.backend\", \"<region>.frontend.lb\", \"<region>.backend#N\", "
          + "\"<region>.database\", \"<region>.pgpool\", \"link\", \"link.from-<region>\", \"monitor.<region>\", \"automation\".")
      let mode = faultMode(f, default: .crash)
      let length = f.optionalDuration("duration", default: nil, doc: "How long it lasts; null: until the end of the run.")
      f.finish()
      if let value = f.members.first(where: { $0.key == "at" })?.value, at >= duration {
        let what = timing == nil ? "\"\(at)\" is" : "\"\(when)\" has its median \(at)"
        f.fail(value, "at", "\(what) after the end of the run (\(duration)); faults must begin inside it")
      }
      guard let named = parseTarget(targetText, regions: regions, config: config, item: f),
        let target = resolved(named, text: targetText, regions: regions, config: config, dataPath: dataPath, item: f)
      else { continue }
      faults.append(FaultSpec(target: target, mode: mode, at: at, duration: length, timing: timing))
    }
    return faults
  }

  /// A fault's mode and its parameter (`factor`, `rate` or `latency`), as faults and fault
  /// processes write it.
  func faultMode(_ f: ObjectReader, default d: FaultMode) -> FaultMode {
    let names: [String] = ["crash", "hang", "slow", "errors", "latency"]
    let defaultName: String = {
      switch d {
      case .crash: return "crash"
      case .hang: return "hang"
      case .slow: return "slow"
      case .errors: return "errors"
      case .latency: return "latency"
      }
    }()
    let modeName = f.choice(
      "mode", default: defaultName, among: names,
      doc:
        "\"crash\": the process is gone: a tier, instance, database or PgPool refuses connections at once (the LB answers 502; "
        + "PgPool sees a socket error); a load balancer's address stops answering (clients wait out their connect timeout); "
        + "the link loses every message. \"hang\": accepts connections, never answers (timeouts end the requests). A region "
        + "fault of any mode makes the region dark: nothing in it answers, not even with a refusal. \"slow\" (× factor), "
        + "\"errors\" (rate), \"latency\" (+ latency).")
    let factor = f.double(
      "factor", default: { if case .slow(let x) = d { return x } else { return 10 } }(), range: 1...10_000,
      doc: "slow: how many times slower.")
    let rate = f.double(
      "rate", default: { if case .errors(let x) = d { return x } else { return 0.5 } }(), range: 0...1,
      doc: "errors: the share of requests that fail (on the link: messages lost).")
    let latency = f.duration(
      "latency", default: { if case .latency(let x) = d { return x } else { return .milliseconds(500) } }(),
      doc: "latency: added to every answer or message.")
    switch modeName {
    case "hang": return .hang
    case "slow": return .slow(factor: factor)
    case "errors": return .errors(rate: rate)
    case "latency": return .latency(latency)
    default: return .crash
    }
  }

  /// The target resolved against the configured topology, not only its name: nil (with an
  /// error) for a monitor the file removed, a database with the data tier removed, a PgPool
  /// where the region goes straight to its database, an instance number beyond the group's
  /// size. A monitor named by its region becomes its position among the monitors.
  func resolved(
    _ target: FaultTarget, text: String, regions: [String], config: [RegionConfig], dataPath: DataPathConfig?, item: ObjectReader
  ) -> FaultTarget? {
    func missing(_ why: String) -> FaultTarget? {
      if let value = item.members.first(where: { $0.key == "target" })?.value { item.fail(value, "target", "\"\(text)\": \(why)") }
      return nil
    }
    switch target {
    case .monitor(let r):
      guard let position = dataPath?.monitors.firstIndex(where: { $0.region == r }) else {
        return missing("no monitor watches \(regions[r]) in this scenario (monitors.\(regions[r]) or databases is null)")
      }
      return .monitor(index: position)
    case .database(let r):
      guard let dataPath, r < dataPath.databases.count else { return missing("there is no data tier in this scenario (databases: null)") }
    case .pgpool(let r):
      guard let dataPath, r < dataPath.access.count, case .pgpool = dataPath.access[r] else {
        return missing("\(regions[r])'s backends reach the database without PgPool in this scenario (pgpool or databases is null)")
      }
    case .automation:
      guard dataPath?.automation != nil else { return missing("no automation is configured in this scenario (automation: null)") }
    case .instance(let r, let role, let index):
      let group = (role == .frontend ? config[r].frontend : config[r].backend)?.group
      let most = group?.max ?? 0
      guard index >= 0 && index < most else {
        return missing("instance numbers of \(regions[r]).\(role.rawValue) run from 0 to \(most - 1) (its max is \(most))")
      }
    default: break
    }
    return target
  }

  /// Reads `delhi.backend#0` and the like; reports targets that do not exist.
  func parseTarget(_ text: String, regions: [String], config: [RegionConfig], item: ObjectReader) -> FaultTarget? {
    let value = item.members.first { $0.key == "target" }?.value
    if text.isEmpty {
      if value == nil {
        reader.report(item.span, path: "\(item.path).target", "a fault needs a target, such as \"\(regions[0]).frontend\"")
      }
      return nil
    }
    // An instance is `<region>.<tier>#N`; everything else is a fixed name.
    let plain = text.split(separator: "#").first.map(String.init) ?? text
    let known = Self.targetNames(regions: regions)
    let instanceNumber = text.contains("#") ? Int(text.split(separator: "#").last ?? "") : nil
    guard known.contains(plain),
      !text.contains("#") || (instanceNumber != nil && (plain.hasSuffix(".frontend") || plain.hasSuffix(".backend")))
    else {
      var message =
        "\"\(text)\" is not a part of the topology; expected a region (\(regions.joined(separator: ", "))) or "
        + "\"<region>.frontend\", \".backend\", \".frontend.lb\", \".backend#0\", \".database\", \".pgpool\", \"link\", \"link.from-<region>\", \"monitor.<region>\", \"automation\""
      if let near = Suggestion.nearest(to: plain, among: known) { message += ". Did you mean \"\(near)\(text.dropFirst(plain.count))\"?" }
      if let value { item.fail(value, "target", message) }
      return nil
    }
    if text == "link" { return .link(from: nil) }
    if text == "automation" { return .automation }
    if text.hasPrefix("link.from-") { return .link(from: regions.firstIndex(of: String(text.dropFirst(10)))) }
    if text.hasPrefix("monitor.") { return .monitor(index: regions.firstIndex(of: String(text.dropFirst(8))) ?? 0) }
    var parts = text.split(separator: ".").map(String.init)
    guard let region = regions.firstIndex(of: parts[0]) else { return nil }
    if parts.count == 1 { return .region(region) }
    var index: Int?
    if let hash = parts[1].firstIndex(of: "#") {
      index = Int(parts[1][parts[1].index(after: hash)...])
      parts[1] = String(parts[1][..<hash])
    }
    switch parts[1] {
    case "database": return .database(region: region)
    case "pgpool": return .pgpool(region: region)
    case "frontend", "backend":
      let role: TierRole = parts[1] == "frontend" ? .frontend : .backend
      let tier = role == .frontend ? config[region].frontend : config[region].backend
      if tier == nil, let value {
        item.fail(value, "target", "\"\(text)\": \(regions[region]) has no \(parts[1]) tier")
        return nil
      }
      if parts.count == 3 { return .loadBalancer(region: region, tier: role) }
      if let index { return .instance(region: region, tier: role, index: index) }
      return .tier(region: region, tier: role)
    default: return nil
    }
  }

  // MARK: Operator actions

  func actions(_ root: ObjectReader, regions: [String], duration: SimDuration, hasData: Bool = true, hasDNS: Bool = true)
    -> [OperatorAction]
  {
    var actions: [OperatorAction] = []
    for (k, item) in root.array("actions", doc: "Operator actions: [{ at, do, … }].").enumerated() {
      let a = reader.object(item, path: "actions[\(k)]", pattern: "actions[]")
      let at = a.duration("at", default: .zero, doc: "When the operator acts.")
      let what = a.choice(
        "do", default: "promote", among: ["promote", "set-weight", "fence", "failback"],
        doc: "\"promote\" a region's standby, \"set-weight\" of a DNS record, \"fence\" a database, \"failback\" to a region.")
      let region = regions.firstIndex(of: a.regionChoice("region", default: regions[0], among: regions, doc: "The region acted on.")) ?? 0
      let weight = a.int("weight", default: 0, range: 0...255, doc: "set-weight: the new weight.")
      let method = a.choice(
        "method", default: "rewind", among: ["rewind", "reclone"], doc: "failback: re-sync by pg_rewind or a re-clone.")
      let weightsReader = a.object("weights", doc: "failback: DNS weights to restore, by region (default 50 each).")
      let weights = regions.map {
        weightsReader.int($0, default: 50, range: 0...255, documentedAs: "<region>", doc: "A region's weight after failback.")
      }
      weightsReader.finish()
      a.finish()
      if let value = a.members.first(where: { $0.key == "at" })?.value, at >= duration {
        a.fail(value, "at", "\"\(at)\" is after the end of the run (\(duration)); actions must happen inside it")
      }
      // An action on a part the scenario removed would do nothing: say so instead.
      let doValue = a.members.first(where: { $0.key == "do" })?.value ?? item  // "do" defaults to promote
      if what == "set-weight" && !hasDNS {
        a.fail(doValue, "do", "\"set-weight\" changes a DNS record, and this scenario has no DNS (dns: null)")
      } else if what != "set-weight" && !hasData {
        a.fail(doValue, "do", "\"\(what)\" acts on a database, and this scenario has no data tier (databases: null)")
      }
      let kind: OperatorActionKind
      switch what {
      case "set-weight": kind = .setWeight(region: region, weight: weight)
      case "fence": kind = .fence(region: region)
      case "failback": kind = .failback(region: region, method: method == "reclone" ? .reclone : .rewind, weights: weights)
      default: kind = .promote(region: region)
      }
      actions.append(OperatorAction(at: at, kind: kind))
    }
    return actions
  }

  /// Checks that need several keys at once.
  func checkAcrossKeys(tree: JSON5Value, regions: [RegionConfig], dns: DNSConfig?, dataPath: DataPathConfig) {
    if let automation = dataPath.automation, dataPath.databases[automation.promoteRegion].role == .primary {
      reader.report(
        tree.span, path: "automation.promote",
        "the automation would promote \(regions[automation.promoteRegion].name), whose database is already the primary")
    }
  }
}
