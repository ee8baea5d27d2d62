import Foundation
import SimCore
import Topology

/// Turns a merged parameter tree into a ``TopologyConfig``: every key read with its type,
/// default and documentation, then the checks that span keys.
struct ScenarioBuilder {
  let reader: ScenarioReader
  /// The regions of the reading the file starts from (nil: not checked). A region the
  /// reading does not have must say `new: true`, so that a misspelt name is an error rather
  /// than a third region with its own tiers and bill.
  var readingRegions: [String]? = nil
  /// The name of that reading, for messages.
  var readingName = "documented"

  // MARK: Top level

  func build(_ tree: JSON5Value) -> (TopologyConfig, ScenarioInfo)? {
    let root = reader.object(tree, path: "", pattern: "")
    _ = root.int("version", default: 1, range: 1...1, doc: "The format version; 1 is the only one so far.")
    let name = string(root, "name", default: "scenario", doc: "A short name for reports.")
    let description = string(root, "description", default: "", doc: "What the scenario shows, for reports.")
    _ = root.choice("base", default: "documented", among: Readings.names, doc: "The reading of the seed to start from (see Readings).")
    let seed = root.int("seed", default: 1, range: 0...Int.max, doc: "The run seed; the same seed gives the same output.")
    let duration = root.duration("duration", default: .minutes(30), min: .seconds(1), max: .days(366), doc: "Simulated time to run.")
    let bucket = root.duration(
      "bucket", default: .seconds(10), min: .milliseconds(100), max: .hours(24), doc: "Width of one time-series bucket.")

    let slo = root.object("slo", doc: "Objectives the run is judged against.")
    let availability = slo.double(
      "availability", default: 0.999, range: 0...1, doc: "Availability objective (share of successful requests).")
    let rto = slo.optionalDuration(
      "rto", default: nil,
      doc: "Recovery time objective (the case study's: 15m). A run's RTO is measured from the first failed request "
        + "until every kind of request is served again (at most 1% failing for a whole minute); failover_complete, "
        + "a milestone, also waits for DNS to drop the region and PgPool to follow a promotion.")
    let rpo = slo.optionalDuration("rpo", default: nil, doc: "Recovery point objective (the case study's: 1m).")
    slo.finish()

    let regionNames = readRegionNames(root)
    var regions: [RegionConfig] = []
    let regionsReader = root.object("regions", doc: "The regions, by name, each with a frontend and a backend tier.")
    for name in regionNames {
      let member = regionsReader.member(name)
      let r = reader.object(member?.value, path: "regions.\(name)", pattern: "regions.<region>")
      let isNew = r.bool(
        "new", default: false,
        doc: "true adds a region the reading does not have. Without it, a region name the reading lacks is an error "
          + "(with the nearest name), so a misspelling never adds a region.")
      if let known = readingRegions, let member {
        checkRegionName(name, isNew: isNew, known: known, member: member)
      }
      // A name is used in dotted paths and fault targets (delhi.frontend#0): letters, digits, - and _ only.
      if let member, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
        reader.report(
          member.keySpan, path: "regions.\(name)",
          "\"\(name)\" cannot name a region: use letters, digits, \"-\" and \"_\" (a \".\" or \"#\" would make fault targets and key paths ambiguous)"
        )
      }
      let frontend = r.optionalObject(
        "frontend", defaultPresent: true, doc: "The frontend tier (Caddy: static files, proxies the API); null for none."
      )
      .map { tier($0, role: .frontend) }
      let backend = r.optionalObject("backend", defaultPresent: true, doc: "The backend tier (Node/Express API); null for none.")
        .map { tier($0, role: .backend) }
      r.finish()
      regions.append(RegionConfig(name: name, frontend: frontend, backend: backend))
    }
    regionsReader.finish()

    let dns = root.optionalObject(
      "dns", defaultPresent: true, doc: "Route 53 weighted records with health checks; null sends clients to `clients.region`."
    )
    .map { self.dns($0, regions: regionNames) }
    let clients = root.object("clients", doc: "The users: how many requests, of what kind, how their clients behave.")
    let population = self.clients(clients, regions: regionNames, duration: duration)
    clients.finish()
    // `databases: null` leaves the data tier out: backends answer on their own (queueing studies).
    let noData: Bool = {
      if case .null? = root.members.first(where: { $0.key == "databases" })?.value { return true } else { return false }
    }()
    var dataPath = self.dataPath(root, regions: regionNames)
    if noData { dataPath = DataPathConfig(link: dataPath.link, databases: [], replication: dataPath.replication, access: []) }
    let faults = self.faults(root, regions: regionNames, config: regions, dataPath: noData ? nil : dataPath, duration: duration)
    var withActions = dataPath
    withActions.actions = self.actions(root, regions: regionNames, duration: duration, hasData: !noData, hasDNS: dns != nil)

    let rules = alertRules(
      root, regions: regionNames, config: regions, bucket: bucket, hasAutomation: !noData && dataPath.automation != nil)
    let runbooks = self.runbooks(
      root, regions: regionNames, dataPath: noData ? nil : dataPath, hasDNS: dns != nil, rules: rules,
      weights: dns?.weights ?? regionNames.map { _ in 50 })
    let published = readPublished(root)
    let money = self.money(root)
    let yearStudy = self.availability(root, regions: regionNames, config: regions)
    root.finish()
    checkAcrossKeys(tree: tree, regions: regions, dns: dns, dataPath: withActions)

    var config = TopologyConfig(
      regions: regions, dns: dns, populations: [population], dataPath: noData ? nil : withActions, faults: faults, duration: duration,
      bucket: bucket, seed: UInt64(seed))
    config.runbooks = runbooks
    config.alertRules = rules
    let info = ScenarioInfo(
      name: name, description: description, base: "", availabilityObjective: availability, rtoTarget: rto, rpoTarget: rpo,
      published: published, money: money)
    var withAvailability = info
    withAvailability.availability = yearStudy
    return (config, withAvailability)
  }

  func string(_ o: ObjectReader, _ key: String, default d: String, doc: String) -> String {
    reader.document(o.childPattern(key), type: "text", defaultValue: "\"\(d)\"", doc: doc)
    guard let value = o.member(key)?.value else { return d }
    guard case .string(let s, _) = value else {
      o.fail(value, key, "\"\(value.text)\" is \(value.kindName); expected text in quotes")
      return d
    }
    return s
  }

  /// A region the reading lacks must be declared new; one it has must not be.
  func checkRegionName(_ name: String, isNew: Bool, known: [String], member: JSON5Member) {
    let path = "regions.\(name)"
    let list = known.map { "\"\($0)\"" }.joined(separator: ", ")
    if !known.contains(name) && !isNew {
      var message = "\"\(name)\" is not a region of the reading \"\(readingName)\" (\(list))"
      if let near = Suggestion.nearest(to: name, among: known) { message += ". Did you mean \"\(near)\"?" }
      message += " To add a region, write new: true inside it"
      reader.report(member.keySpan, path: path, message)
    } else if known.contains(name) && isNew {
      reader.report(
        member.keySpan, path: "\(path).new",
        "\"\(name)\" is already a region of the reading \"\(readingName)\" (\(list)); remove new: true")
    }
  }

  /// Region names, in file order; at least one.
  func readRegionNames(_ root: ObjectReader) -> [String] {
    guard let member = root.members.first(where: { $0.key == "regions" }), case .object(let members, _) = member.value, !members.isEmpty
    else {
      reader.report(root.span, path: "regions", "no region is defined; expected regions: { delhi: { … }, chennai: { … } }")
      return ["region"]
    }
    return members.map(\.key)
  }

  // MARK: Tiers

  func tier(_ t: ObjectReader, role: TierRole) -> TierConfig {
    let front = role == .frontend
    let step = front ? StepPolicy.frontendDefaults : StepPolicy.backendDefaults
    let initial = t.int(
      "instances", default: GroupConfig.defaults.initial, range: 0...10_000, doc: "Instances in service when the run starts.")
    let min = t.int("min", default: GroupConfig.defaults.min, range: 0...10_000, doc: "The autoscaling group's minimum size.")
    let max = t.int(
      "max", default: GroupConfig.defaults.max, range: 1...10_000, doc: "The autoscaling group's maximum size (the case study: 1 to 5).")
    let workers = t.int("vcpus", default: GroupConfig.defaults.workers, range: 1...1024, doc: "CPU slots per instance (C3.8GB: 4 vCPU).")
    let boot = t.distribution(
      "bootTime", default: GroupConfig.defaults.bootTime,
      doc:
        "Launch to application listening. documented and case-study: 1–2 min (EC2 ≈ 25–30 s to SSH plus the app's start, "
        + "mechanisms §5.1); as-coded: 5–10 min (the repository's cloud-init, \"~5-10 minutes\" in its docs/ARCHITECTURE.md).")
    let present = { (key: String) in t.members.first { $0.key == key }?.value }
    if min > max, let value = present("min") ?? present("max") {
      t.fail(value, "min", "min \(min) is above max \(max)")
    } else if initial < min || initial > max, let value = present("instances") ?? present("min") ?? present("max") {
      t.fail(value, "instances", "instances \(initial) is outside min…max (\(min)…\(max))")
    }

    let healthCheckType = t.choice(
      "healthCheckType", default: GroupConfig.defaults.replaceUnhealthy ? "elb" : "ec2", among: ["ec2", "elb"],
      doc: "EC2 Auto Scaling's health check type: \"elb\" replaces an instance its load balancer marks unhealthy "
        + "(after the grace period); \"ec2\" (AWS's default) replaces only dead VMs, so nothing here.")
    let grace = t.duration(
      "healthCheckGracePeriod", default: GroupConfig.defaults.healthCheckGracePeriod,
      doc: "No replacement for this long after an instance's launch (AWS default 300 s).")
    let cpu = t.object("cpu", doc: "CPU time a request holds a worker for, by request kind.")
    let pageCPU = cpu.distribution(
      "pageLoad", default: front ? try! .exponential(mean: 0.001) : try! .exponential(mean: 0.005),
      doc: "A page load (frontend: the static page; backend: its API read).")
    let readCPU = cpu.distribution(
      "apiRead", default: front ? try! .exponential(mean: 0.0003) : try! .exponential(mean: 0.005),
      doc: "An API read (frontend: proxying it).")
    let writeCPU = cpu.distribution(
      "apiWrite", default: front ? try! .exponential(mean: 0.0003) : try! .exponential(mean: 0.008),
      doc: "An API write (frontend: proxying it).")
    cpu.finish()

    let scaling = t.object("autoscaling", doc: "How the group changes size.")
    let policyName = scaling.choice(
      "policy", default: "step", among: ["none", "step", "target-tracking"],
      doc: "\"step\": E2E's ±1 node after a watch window; \"target-tracking\": AWS's; \"none\": fixed size.")
    let target = scaling.double(
      "targetCPU", default: TargetTrackingPolicy.defaults.targetUtilization, range: 0.01...1,
      doc: "Target tracking: the average CPU to hold.")
    let metricPeriod = scaling.duration(
      "metricPeriod", default: TargetTrackingPolicy.defaults.metricPeriod, min: .seconds(10), doc: "Target tracking: metric period.")
    let outPoints = scaling.int(
      "scaleOutDatapoints", default: TargetTrackingPolicy.defaults.scaleOutDatapoints, range: 1...60,
      doc: "Target tracking: breaching periods before scaling out (3).")
    let inPoints = scaling.int(
      "scaleInDatapoints", default: TargetTrackingPolicy.defaults.scaleInDatapoints, range: 1...240,
      doc: "Target tracking: low periods before scaling in (15).")
    let margin = scaling.double(
      "scaleInMargin", default: TargetTrackingPolicy.defaults.scaleInMargin, range: 0...1,
      doc: "Target tracking: how far under target counts as low (10%).")
    let warmup = scaling.duration(
      "warmup", default: TargetTrackingPolicy.defaults.warmup, doc: "Target tracking: new instances left out of the metric this long.")
    let up = scaling.double(
      "upCPU", default: step.upThreshold, range: 0...1, doc: "Step: scale out above this CPU (seed: 80% frontend, 70% backend).")
    let down = scaling.double(
      "downCPU", default: step.downThreshold, range: 0...1, doc: "Step: scale in below this CPU (seed: 30% frontend, 25% backend).")
    let watch = scaling.duration("watch", default: step.watch, doc: "Step: how long the CPU must stay past a threshold.")
    let sample = scaling.duration("sampleEvery", default: step.sampleInterval, min: .seconds(1), doc: "Step: how often the CPU is sampled.")
    let cooldown = scaling.duration("cooldown", default: step.cooldown, doc: "Step: wait after an action (E2E provider example: 150 s).")
    scaling.finish()
    if down >= up, let value = scaling.members.first(where: { $0.key == "downCPU" || $0.key == "upCPU" })?.value {
      scaling.fail(value, "downCPU", "downCPU \(down) must be below upCPU \(up)")
    }
    let policy: ScalingPolicy?
    switch policyName {
    case "none": policy = nil
    case "target-tracking":
      policy = .targetTracking(
        TargetTrackingPolicy(
          targetUtilization: target, metricPeriod: metricPeriod, scaleOutDatapoints: outPoints, scaleInDatapoints: inPoints,
          scaleInMargin: margin, warmup: warmup))
    default:
      policy = .step(StepPolicy(upThreshold: up, downThreshold: down, watch: watch, sampleInterval: sample, cooldown: cooldown))
    }

    let lb = t.object("loadBalancer", doc: "The tier's load balancer.")
    let concurrency = lb.int(
      "concurrencyPerTarget", default: LoadBalancerConfig.defaults.concurrencyPerTarget, range: 1...1_000_000,
      doc: "Requests one target serves at once (HAProxy maxconn).")
    let queueLimit = lb.optionalInt(
      "queueLimit", default: LoadBalancerConfig.defaults.queueLimit, range: 0...10_000_000,
      doc: "Requests that may wait for a slot; 0: no queue (nginx OSS, Caddy); null: no limit.")
    let queueTimeout = lb.optionalDuration(
      "queueTimeout", default: LoadBalancerConfig.defaults.queueTimeout,
      doc: "How long a request may wait before a 503 (HAProxy timeout queue).")
    let targetTimeout = lb.optionalDuration(
      "targetTimeout", default: LoadBalancerConfig.defaults.targetTimeout,
      doc: "How long the LB waits for a target before a 504 (ALB idle timeout 60 s).")
    let balancing = lb.choice(
      "policy", default: LoadBalancerConfig.defaults.policy.rawValue, among: ["round-robin", "least-connections"],
      doc: "How a target is picked.")
    let deregistration = lb.duration(
      "deregistrationDelay", default: LoadBalancerConfig.defaults.deregistrationDelay, doc: "How long a scaled-in target drains (300 s).")
    let health = lb.optionalObject("healthCheck", defaultPresent: true, doc: "Target health checks (ALB defaults); null: none.").map {
      h -> TargetHealthCheckConfig in
      let check = TargetHealthCheckConfig(
        interval: h.duration(
          "interval", default: TargetHealthCheckConfig.defaults.interval, min: .seconds(1), doc: "Between checks (30 s)."),
        timeout: h.duration("timeout", default: TargetHealthCheckConfig.defaults.timeout, doc: "A check fails after this (5 s)."),
        unhealthyThreshold: h.int(
          "unhealthyThreshold", default: TargetHealthCheckConfig.defaults.unhealthyThreshold, range: 1...10,
          doc: "Failures to mark a target unhealthy (2)."),
        healthyThreshold: h.int(
          "healthyThreshold", default: TargetHealthCheckConfig.defaults.healthyThreshold, range: 1...10,
          doc: "Passes to mark it healthy again (5); a new target needs 1."))
      var deepCheck = check
      deepCheck.deep = h.bool("deep", default: false, doc: Self.deepDoc)
      h.finish()
      return deepCheck
    }
    lb.finish()
    let appPool = role == .frontend ? nil : databasePool(t)
    t.finish()
    var config = TierConfig(
      loadBalancer: LoadBalancerConfig(
        concurrencyPerTarget: concurrency, queueLimit: queueLimit, queueTimeout: queueTimeout, targetTimeout: targetTimeout,
        policy: balancing == "least-connections" ? .leastConnections : .roundRobin, healthCheck: health, deregistrationDelay: deregistration
      ),
      group: GroupConfig(
        initial: initial, min: min, max: max, workers: workers, bootTime: boot, policy: policy, replaceUnhealthy: healthCheckType == "elb",
        healthCheckGracePeriod: grace),
      cpuTime: [.pageLoad: pageCPU, .apiRead: readCPU, .apiWrite: writeCPU])
    config.appPool = appPool
    return config
  }

  /// The backend's own database pool and crash loop (the seed's code: node-postgres, systemd).
  func databasePool(_ t: ObjectReader) -> AppPoolConfig? {
    let defaults = AppPoolConfig.seed
    guard
      let p = t.optionalObject(
        "databasePool", defaultPresent: false,
        doc: "The backend process's own database pool, as the seed's code has it (backend/src/db.ts, node-postgres "
          + "defaults; systemd Restart=always, RestartSec=10): a request waits for one of `max` connections without limit; "
          + "when the database resets its connections (a crash, PgPool dropping its sessions) a process that used it in "
          + "the last `idleTimeout` exits, systemd starts it `restartAfter` later, and a start whose CREATE TABLE fails "
          + "exits again (a crash loop while the database is gone). The as-coded reading has it; null: none (requests "
          + "call the data tier at once, nothing in the process reacts).")
    else { return nil }
    let pool = AppPoolConfig(
      maxConnections: p.int("max", default: defaults.maxConnections, range: 1...100_000, doc: "Connections per process (pg-pool max: 10)."),
      exitOnConnectionError: p.bool(
        "exitOnError", default: defaults.exitOnConnectionError,
        doc: "A broken idle connection ends the process (the seed's pool.on('error') calls process.exit(-1))."),
      idleTimeout: p.duration(
        "idleTimeout", default: defaults.idleTimeout, doc: "pg-pool idleTimeoutMillis (10 s): how long unused connections stay open."),
      restartDelay: p.duration(
        "restartAfter", default: defaults.restartDelay, min: .milliseconds(100), max: .hours(1),
        doc: "systemd RestartSec: from an exit to the next start (10 s)."),
      connectGiveUp: p.duration(
        "connectGiveUp", default: defaults.connectGiveUp, min: .seconds(1), max: .hours(1),
        doc: "How long a start waits on a database that never answers before its connect fails (no connect timeout in "
          + "the pool: Linux's SYN retries, ≈ 127 s)."))
    p.finish()
    return pool
  }

  // MARK: DNS

  func dns(_ d: ObjectReader, regions: [String]) -> DNSConfig {
    let weightsReader = d.object("weights", doc: "Weight per region, by name (the seed: 50/50).")
    let weights = regions.map {
      weightsReader.int($0, default: DNSConfig.defaultWeight, range: 0...255, documentedAs: "<region>", doc: "Route 53 weight (0–255).")
    }
    weightsReader.finish()
    if weights.allSatisfy({ $0 == 0 }), let value = weightsReader.members.first?.value {
      reader.report(
        value.span, path: "dns.weights", "every weight is 0: DNS would answer nothing; give at least one region a weight above 0")
    }
    let ttl = d.duration("ttl", default: DNSConfig.defaults.ttl, doc: "Record TTL (AWS recommends 60 s with failover).")
    let propagation = d.distribution(
      "propagationDelay", default: DNSConfig.defaults.propagationDelay, doc: "Health change to DNS answers (undocumented; 0–10 s).")
    let resolvers = d.int(
      "resolvers", default: DNSConfig.defaults.resolvers, range: 1...1_000_000, doc: "Recursive resolvers the clients share.")
    let share = d.double(
      "overcachingShare", default: DNSConfig.defaults.overcachingShare, range: 0...1,
      doc: "Share of resolvers that ignore the TTL (≈ 5% in a 2001 measurement).")
    let overcaching = d.distribution(
      "overcachingDuration", default: DNSConfig.defaults.overcachingDuration, doc: "How long an over-caching resolver keeps an answer.")
    let check = d.optionalObject(
      "healthCheck", defaultPresent: true, doc: "The health check on each record; null: records are always healthy."
    ).map { h -> DNSHealthCheckConfig in
      let checkers = h.int(
        "checkers", default: DNSHealthCheckConfig.defaults.checkers, range: 1...100, doc: "Independent checkers (\"a dozen or so\").")
      let interval = h.duration(
        "interval", default: DNSHealthCheckConfig.defaults.interval, min: .seconds(1),
        doc: "RequestInterval, counted from each response: 10 or 30 s.")
      let threshold = h.int(
        "failureThreshold", default: DNSHealthCheckConfig.defaults.failureThreshold, range: 1...10,
        doc: "Consecutive results to flip a checker, both ways (1–10).")
      let connect = h.duration(
        "connectTimeout", default: DNSHealthCheckConfig.defaults.connectTimeout, doc: "A black-holed endpoint fails after this (4 s).")
      let response = h.duration(
        "responseTimeout", default: DNSHealthCheckConfig.defaults.responseTimeout, doc: "Time for the status after connecting (2 s).")
      let roundTrip = h.duration(
        "roundTrip", default: DNSHealthCheckConfig.defaults.roundTrip, doc: "Time a probe takes when the endpoint answers.")
      let share = h.double(
        "healthyShare", default: DNSHealthCheckConfig.defaults.healthyShare, range: 0...1,
        doc: "The record is healthy while more than this share of checkers say so (18%).")
      let phase = phaseValue(
        h, "phase", interval: interval, doc: "\"random\": each checker at a uniform phase; a duration: all aligned there.")
      let deep = h.bool("deep", default: false, doc: Self.deepDoc)
      h.finish()  // Route 53 accepts only 10 or 30 s; other intervals are allowed for what-if studies.
      var check = DNSHealthCheckConfig(
        checkers: checkers, interval: interval, failureThreshold: threshold, connectTimeout: connect, responseTimeout: response,
        roundTrip: roundTrip, alignedPhase: phase, healthyShare: share)
      check.deep = deep
      return check
    }
    d.finish()
    return DNSConfig(
      weights: weights, healthChecks: Array(repeating: check, count: regions.count), ttl: ttl, propagationDelay: propagation,
      resolvers: resolvers, overcachingShare: share, overcachingDuration: overcaching)
  }

  /// What `deep` means, for every health check that has it.
  static let deepDoc =
    "true: a deep check, which passes only if the region's database path answers too (the seed's backend /health reports "
    + "\"database: connected\"): a database that refuses, or PgPool failing over or without a primary, fails it at once; a hung "
    + "database or a cut link to a remote primary makes it time out. false: shallow, the process answering is enough."

  /// `"random"` or a duration.
  func phaseValue(_ o: ObjectReader, _ key: String, interval: SimDuration, doc: String) -> SimDuration? {
    reader.document(o.childPattern(key), type: "\"random\" or duration", defaultValue: "\"random\"", doc: doc)
    guard let value = o.member(key)?.value else { return nil }
    if case .string("random", _) = value { return nil }
    return o.durationValue(value, key, default: .zero)
  }

  // MARK: Clients

  func clients(_ c: ObjectReader, regions: [String], duration: SimDuration) -> PopulationConfig {
    let arrivals = arrivalProfile(c)
    let mix = c.object("mix", doc: "Share of each request kind (normalised).")
    let page = mix.double(
      "pageLoad", default: PopulationConfig.defaults.mix[.pageLoad]!, range: 0...1_000_000, doc: "Page loads: static page + one API read.")
    let read = mix.double("apiRead", default: PopulationConfig.defaults.mix[.apiRead]!, range: 0...1_000_000, doc: "API reads.")
    let write = mix.double("apiWrite", default: PopulationConfig.defaults.mix[.apiWrite]!, range: 0...1_000_000, doc: "API writes.")
    mix.finish()
    if page + read + write == 0, let value = mix.members.first?.value {
      reader.report(value.span, path: "clients.mix", "every share is 0; give at least one request kind a share above 0")
    }
    let count = c.int(
      "count", default: PopulationConfig.defaults.clients, range: 1...100_000_000, doc: "Distinct clients, each with its own DNS cache.")
    let cacheName = c.choice(
      "dnsCache", default: "browser", among: ["browser", "ttl", "jvm", "jvm-forever", "none"],
      doc: "Client DNS cache: \"browser\" (Chrome, ≥ 60 s), \"ttl\", \"jvm\" (30 s), \"jvm-forever\", \"none\".")
    let browserMinimum = c.duration("browserMinimum", default: .seconds(60), doc: "Chrome's floor on cached answers (60 s).")
    let jvmTTL = c.duration("jvmTTL", default: .seconds(30), doc: "networkaddress.cache.ttl (30 s).")
    let cache: ClientDNSCache
    switch cacheName {
    case "ttl": cache = .honorTTL
    case "jvm": cache = .fixed(jvmTTL)
    case "jvm-forever": cache = .forever
    case "none": cache = .none
    default: cache = .browser(minimum: browserMinimum)
    }
    let connect = c.duration(
      "connectTimeout", default: PopulationConfig.defaults.connectTimeout,
      doc: "How long a client waits to connect to a dead address (Linux default ≈ 127 s).")
    let timeout = c.optionalDuration(
      "timeout", default: PopulationConfig.defaults.timeout, doc: "How long a client waits for a response; null: for ever.")
    let retry = c.optionalObject("retry", defaultPresent: false, doc: "Client retries: each is a new request; null: none.").map {
      r -> RetryPolicy in
      let policy = RetryPolicy(
        count: r.int("count", default: RetryPolicy.defaults.count, range: 0...20, doc: "Retries after the first attempt."),
        baseBackoff: r.duration("backoff", default: RetryPolicy.defaults.baseBackoff, doc: "Backoff before the first retry."),
        multiplier: r.double("multiplier", default: RetryPolicy.defaults.multiplier, range: 1...10, doc: "Backoff growth per retry."),
        maxBackoff: r.duration("maxBackoff", default: RetryPolicy.defaults.maxBackoff, doc: "Backoff cap."),
        jitter: r.bool("jitter", default: RetryPolicy.defaults.jitter, doc: "Full jitter: a uniform draw below the backoff."))
      r.finish()
      return policy
    }
    let region = c.regionChoice("region", default: regions[0], among: regions, doc: "Where requests go when dns is null.")
    return PopulationConfig(
      name: "users", arrivals: arrivals, mix: [.pageLoad: page, .apiRead: read, .apiWrite: write], clients: count, clientCache: cache,
      connectTimeout: connect, timeout: timeout, retry: retry, fixedRegion: regions.firstIndex(of: region) ?? 0)
  }

  /// `rate`: a rate (`"200/s"`), or an object with a `shape`.
  func arrivalProfile(_ c: ObjectReader) -> ArrivalProfile {
    reader.document(
      c.childPattern("rate"), type: "rate, or { shape: … }", defaultValue: "\"100/s\"",
      doc: "Requests per second: \"200/s\", or { shape: \"step\" | \"ramp\" | \"diurnal\" | \"points\", … }.")
    guard let value = c.member("rate")?.value else { return .constant(rate: 100) }
    guard case .object = value else { return .constant(rate: c.rateValue(value, "rate", default: 100)) }
    let p = reader.object(value, path: c.childPath("rate"), pattern: c.childPattern("rate"))
    defer { p.finish() }
    let shape = p.choice(
      "shape", default: "constant", among: ["constant", "step", "ramp", "diurnal", "points"], doc: "The rate's shape over time.")
    switch shape {
    case "step":
      return .step(
        before: p.rate("before", default: 100, doc: "Step: rate before `at`."),
        after: p.rate("after", default: 200, doc: "Step: rate from `at`."),
        at: p.duration("at", default: .minutes(10), doc: "Step: when the rate changes."))
    case "ramp":
      return .ramp(
        from: p.rate("from", default: 100, doc: "Ramp: starting rate."), to: p.rate("to", default: 200, doc: "Ramp: final rate."),
        start: p.duration("start", default: .zero, doc: "Ramp: when it starts."),
        end: p.duration("end", default: .minutes(10), doc: "Ramp: when it ends."))
    case "diurnal":
      return .diurnal(
        mean: p.rate("mean", default: 100, doc: "Diurnal: mean rate."),
        amplitude: p.double("amplitude", default: 0.5, range: 0...1, doc: "Diurnal: swing as a share of the mean."),
        period: p.duration("period", default: .hours(24), min: .seconds(1), doc: "Diurnal: one cycle."),
        peakAt: p.duration("peakAt", default: .hours(14), doc: "Diurnal: when it peaks."))
    case "points":
      var points: [(at: SimDuration, rate: Double)] = []
      for item in p.array("points", doc: "Points: [[\"0s\", \"100/s\"], [\"10m\", \"300/s\"], …], linear between them.") {
        guard case .array(let pair, _) = item, pair.count == 2 else {
          p.fail(item, "points", "\"\(item.text)\" is not a point; expected [\"10m\", \"200/s\"]")
          continue
        }
        points.append((p.durationValue(pair[0], "points", default: .zero), p.rateValue(pair[1], "points", default: 0)))
      }
      if points.isEmpty && p.member("points").map({ if case .array = $0.value { return true } else { return false } }) ?? true {
        reader.report(
          p.member("points")?.value.span ?? p.span, path: p.childPath("points"),
          "a \"points\" rate needs at least one point; expected points: [[\"0s\", \"100/s\"], [\"10m\", \"300/s\"]]")
      }
      for (a, b) in zip(points, points.dropFirst()) where b.at < a.at {
        p.fail(p.member("points")!.value, "points", "points must go forward in time (\(b.at) comes after \(a.at))")
      }
      return .piecewise(points)
    default:
      return .constant(rate: p.rate("value", default: 100, doc: "Constant: the rate."))
    }
  }

  func readPublished(_ root: ObjectReader) -> [(String, SimDuration)] {
    let o = root.object(
      "published",
      doc:
        "Milestones a source published, to set beside the run's: each key a milestone name (first_failed_request … failover_complete; a misspelt one is an error), each value a duration after the first fault (\"1m30s\", \"5m15s\"; a bare number is refused)."
    )
    var result: [(String, SimDuration)] = []
    let names = Milestone.allCases.map(\.rawValue)
    for member in o.members {
      _ = o.member(member.key)
      guard names.contains(member.key) else {
        var message = "unknown milestone \"\(member.key)\""
        if let near = Suggestion.nearest(to: member.key, among: names) {
          message += ". Did you mean \"\(near)\"?"
        } else {
          message += "; milestones: " + names.joined(separator: ", ")
        }
        reader.report(member.keySpan, path: o.childPath(member.key), message)
        continue
      }
      result.append((member.key, o.durationValue(member.value, member.key, default: .zero)))
    }
    o.finish()
    return result
  }

  // MARK: Money

  func money(_ root: ObjectReader) -> MoneyConfig {
    var money = MoneyConfig()
    let m = root.object("money", doc: "Prices, revenue and penalties for the cost report (rupees; \"₹2,000\", \"10 lakh\").")
    money.revenuePerMonth = amount(
      m, "revenuePerMonth", default: money.revenuePerMonth, doc: "Revenue per month (the case study's example: ₹10 lakh).")
    money.revenueSharePercent = Int64(
      (m.double("revenueShare", default: 1, range: 0...1, doc: "Share of revenue that depends on the service.") * 100).rounded())
    money.valuePerFailedRequest = amount(
      m, "valuePerFailedRequest", default: .zero, doc: "Value of one failed request, on top of lost revenue.")
    money.daysPerMonth = Int64(m.int("daysPerMonth", default: 30, range: 28...31, doc: "Days in a month for revenue per minute."))
    if let sla = m.optionalObject(
      "sla", defaultPresent: false, doc: "An SLA: a penalty when the run's availability falls below it; null: none.")
    {
      money.slaAvailabilityPerMillion = Int64(
        (sla.double("availability", default: 0.999, range: 0...1, doc: "The SLA's availability.") * 1_000_000).rounded())
      money.slaPenalty = amount(sla, "penalty", default: .zero, doc: "The penalty owed when it is breached.")
      sla.finish()
    }
    let p = m.object("prices", doc: "The price table (E2E Networks, per month, from the case study).")
    money.prices.vm = amount(p, "vm", default: money.prices.vm, doc: "C3.8GB VM (frontend, backend), per month.")
    money.prices.pgpoolVM = amount(p, "pgpoolVM", default: money.prices.pgpoolVM, doc: "C2.4GB VM for PgPool, per month.")
    money.prices.loadBalancer = amount(
      p, "loadBalancer", default: money.prices.loadBalancer, doc: "Load balancer (Starter), each, per month.")
    money.prices.database = amount(p, "database", default: money.prices.database, doc: "PostgreSQL DBaaS DBS.8GB, per month.")
    money.prices.route53Cents = Int64(
      (p.double("route53USD", default: 1.5, range: 0...100_000, doc: "Route 53 per month, in US dollars (\"~$1-2\").") * 100).rounded())
    money.prices.uptimeRobotCents = Int64(
      (p.double("uptimeRobotUSD", default: 0, range: 0...100_000, doc: "UptimeRobot per month, in US dollars (free: 0; Pro: 7).") * 100)
        .rounded())
    money.prices.paisePerDollar = Int64(
      (p.double("rupeesPerDollar", default: 83, range: 1...10_000, doc: "Exchange rate.") * 100).rounded())
    money.prices.hoursPerMonth = Int64(p.int("hoursPerMonth", default: 730, range: 672...744, doc: "Hours in a billing month (730)."))
    money.prices.objectStorageFlat = amount(
      p, "objectStorage", default: money.prices.objectStorageFlat,
      doc: "E2E Object Storage, where backups are kept: per month up to `objectStorageFlatGB` of peak use (₹625 up to 250 GB).")
    money.prices.objectStorageFlatGB = p.double(
      "objectStorageFlatGB", default: money.prices.objectStorageFlatGB, range: 0...1e9, doc: "The peak use the flat price covers (250 GB).")
    money.prices.objectStoragePerGB = amount(
      p, "objectStoragePerGB", default: money.prices.objectStoragePerGB,
      doc: "Beyond it: per GB of the month's peak use, the whole peak (₹2.5; E2E's EOS pricing, excluding GST).")
    p.finish()
    if let b = m.optionalObject(
      "backups", defaultPresent: false,
      doc: "Backup jobs, billed: a pg_dump of every writable database kept in object storage (the seed's docs/OPERATIONS.md: "
        + "pg_dump -F c copied off-host; E2E DBaaS backups \"typically\" daily, kept 7–30 days); null: none (the case study's "
        + "price list has none). Not simulated: the jobs' load on the database is left out.")
    {
      money.backups = BackupJobs(
        copies: b.int("copies", default: 7, range: 1...10_000, doc: "Dumps kept (7 daily: a week)."),
        compressedShare: b.double(
          "compressedShare", default: 0.3, range: 0.001...2,
          doc: "A dump's size as a share of the data directory (custom format: compressed, no indexes; 0.3 is a judgement)."))
      b.finish()
    }
    m.finish()
    return money
  }

  func amount(_ o: ObjectReader, _ key: String, default d: Money, doc: String) -> Money {
    reader.document(o.childPattern(key), type: "amount in rupees", defaultValue: "\"\(d)\"", doc: doc)
    guard let value = o.member(key)?.value else { return d }
    // The most any one price, revenue or penalty may be: ₹1,000 crore, so that every sum and
    // proration of the bill stays exact in whole paise.
    let most = Money.rupees(10_000_000_000)
    let tooLarge = "\"\(value.text)\" is too large; expected at most \(most) (₹1,000 crore)"
    let money: Money?
    switch value {
    case .number(let n, _) where n >= 1e15:
      o.fail(value, key, tooLarge)
      return d
    case .number(let n, _) where n >= 0: money = Money(parsing: String(format: "%.2f", n))
    case .string(let s, _):
      // Digits beyond what whole paise hold make the parse fail; they are too large, not malformed.
      if Money(parsing: s) == nil && s.filter(\.isNumber).count > 15 {
        o.fail(value, key, tooLarge)
        return d
      }
      money = Money(parsing: s)
    default: money = nil
    }
    guard let money else {
      o.fail(value, key, "\"\(value.text)\" is not an amount; expected rupees such as \"₹2,000\", \"2000\", \"23.15\" or \"10 lakh\"")
      return d
    }
    guard money.paise <= most.paise else {
      o.fail(value, key, tooLarge)
      return d
    }
    return money
  }
}
