import SimCore
import Topology

/// Runbooks (operators as people: paged by a trigger, human delays, steps that can fail) and
/// alert rules on the recorded metrics.
extension ScenarioBuilder {
  /// The default human delays, from research/failure-rates.md §7: PagerDuty's large
  /// companies acknowledge in under 4 minutes on average; a small team's business-hours
  /// median of 5 min with a one-hour tail is a judgement, as is the diagnosis.
  static let defaultPage = "uniform(min: 0s, max: 1m)"
  static let defaultAcknowledge = "lognormal(median: 5m, p99: 1h)"
  static let defaultDiagnose = "lognormal(median: 10m, p99: 1h)"
  static let defaultStepTime = "uniform(min: 1m, max: 5m)"
  /// The seed's `terraform apply` of a region: "takes 10-15 minutes" (README.md).
  static let defaultRebuildTime = "uniform(min: 10m, max: 15m)"

  static let stepKinds = ["check", "promote", "set-weight", "fence", "failback", "restart", "rebuild"]

  func runbooks(
    _ root: ObjectReader, regions: [String], dataPath: DataPathConfig?, hasDNS: Bool, rules: [AlertRuleConfig], weights: [Int]
  ) -> [RunbookConfig] {
    let all = root.object(
      "runbooks",
      doc: "Procedures an on-call operator follows when paged, by name: a trigger (`on`), human delays (page, acknowledge, "
        + "diagnose) and steps done one after another, each taking its own time and able to fail. Each runs once per run.")
    var runbooks: [RunbookConfig] = []
    for name in all.keys {
      let item = all.member(name)
      let b = reader.object(item?.value, path: "runbooks.\(name)", pattern: "runbooks.<name>")
      let triggerText = string(
        b, "on", default: "",
        doc: "What pages the operator: \"alert:<region>\" (that region's monitor alerts its contacts), \"rule:<name>\" (an alert "
          + "rule fires and Alertmanager notifies), or a timeline event by its name (\"dns_unhealthy\", \"promote_api_failed\", "
          + "\"pgpool_no_primary\", \"split_brain_began\", … as in the JSON timeline's `kind`).")
      let page = b.distribution(
        "page", default: try! Distribution(parsing: Self.defaultPage, expecting: .duration),
        doc: "From the trigger to the page reaching the on-call person (the paging service, escalation).")
      let acknowledge = b.distribution(
        "acknowledge", default: try! Distribution(parsing: Self.defaultAcknowledge, expecting: .duration), shown: Self.defaultAcknowledge,
        doc: "From the page to the person acknowledging it. PagerDuty: large companies acknowledge in under 4 min on "
          + "average (State of Digital Operations) [M]; a small team's median and tail are judgements [J].")
      let diagnose = b.distribution(
        "diagnose", default: try! Distribution(parsing: Self.defaultDiagnose, expecting: .duration), shown: Self.defaultDiagnose,
        doc: "From acknowledging to knowing what to do: dashboards, logs, confirming the failure [J].")
      let stepValues = b.array("steps", doc: "The steps, in order: [{ do, takes, fails, attempts, … }].")
      var steps: [RunbookStep] = []
      for (k, value) in stepValues.enumerated() {
        if let step = runbookStep(
          value, path: "runbooks.\(name).steps[\(k)]", regions: regions, dataPath: dataPath, hasDNS: hasDNS, weights: weights)
        {
          steps.append(step)
        }
      }
      b.finish()
      guard let trigger = runbookTrigger(triggerText, regions: regions, dataPath: dataPath, rules: rules, item: b, member: item)
      else { continue }
      runbooks.append(
        RunbookConfig(name: name, trigger: trigger, page: page, acknowledge: acknowledge, diagnose: diagnose, steps: steps))
    }
    all.finish()
    return runbooks
  }

  func runbookTrigger(
    _ text: String, regions: [String], dataPath: DataPathConfig?, rules: [AlertRuleConfig], item: ObjectReader, member: JSON5Member?
  ) -> RunbookTrigger? {
    func bad(_ message: String) -> RunbookTrigger? {
      if let value = item.members.first(where: { $0.key == "on" })?.value {
        item.fail(value, "on", message)
      } else {
        reader.report(item.span ?? member?.keySpan, path: "\(item.path).on", message)
      }
      return nil
    }
    if text.isEmpty {
      // A value that is not text was reported where it was read.
      if let value = item.members.first(where: { $0.key == "on" })?.value {
        if case .string = value {} else { return nil }
      }
      return bad("a runbook needs a trigger, such as on: \"alert:\(regions[0])\"")
    }
    if text.hasPrefix("alert:") {
      let region = String(text.dropFirst("alert:".count))
      let monitors = dataPath?.monitors ?? []
      let watched = monitors.map { regions[$0.region] }
      guard let m = monitors.firstIndex(where: { regions[$0.region] == region }) else {
        var message = "\"\(text)\" names no monitor: "
        message +=
          watched.isEmpty ? "this scenario has none" : "monitors watch " + watched.map { "\"alert:\($0)\"" }.joined(separator: ", ")
        if let near = Suggestion.nearest(to: region, among: watched) { message += ". Did you mean \"alert:\(near)\"?" }
        return bad(message)
      }
      return .alert(monitor: m)
    }
    if text.hasPrefix("rule:") {
      let name = String(text.dropFirst("rule:".count))
      guard let r = rules.firstIndex(where: { $0.name == name }) else {
        var message = "\"\(text)\" names no alert rule: "
        message +=
          rules.isEmpty
          ? "this scenario has none (alertRules)" : "the rules are " + rules.map { "\"rule:\($0.name)\"" }.joined(separator: ", ")
        if let near = Suggestion.nearest(to: name, among: rules.map(\.name)) { message += ". Did you mean \"rule:\(near)\"?" }
        return bad(message)
      }
      return .rule(r)
    }
    guard let kind = TimelineKind(rawValue: text) else {
      var message = "\"\(text)\" is not a trigger; expected \"alert:<region>\", \"rule:<name>\" or a timeline event's name"
      if let near = Suggestion.nearest(to: text, among: TimelineKind.allCases.map(\.rawValue)) { message += ". Did you mean \"\(near)\"?" }
      return bad(message)
    }
    return .timeline(kind)
  }

  func runbookStep(
    _ value: JSON5Value, path: String, regions: [String], dataPath: DataPathConfig?, hasDNS: Bool, weights: [Int]
  ) -> RunbookStep? {
    let s = reader.object(value, path: path, pattern: "runbooks.<name>.steps[]")
    let what = s.choice(
      "do", default: "check", among: Self.stepKinds,
      doc: "\"check\": confirm or verify, time passes; \"promote\", \"set-weight\", \"fence\", \"failback\": as the operator "
        + "actions; \"restart\": systemctl restart a tier (optionally with a new DATABASE_URL); \"rebuild\": terraform apply "
        + "of a region, which ends every fault on it.")
    let note = string(s, "what", default: "checks", doc: "check: what the person checks, for the timeline.")
    let region = regions.firstIndex(of: s.regionChoice("region", default: regions[0], among: regions, doc: "The region acted on.")) ?? 0
    let weight = s.int("weight", default: 0, range: 0...255, doc: "set-weight: the new weight.")
    let method = s.choice(
      "method", default: "rewind", among: ["rewind", "reclone"],
      doc: "failback: pg_rewind or a re-clone; the DNS weights go back to the configured ones.")
    let tier = s.choice("tier", default: "backend", among: TierRole.allCases.map(\.rawValue), doc: "restart: which tier.")
    let downFor = s.duration(
      "downFor", default: .seconds(5), max: .hours(1),
      doc: "restart: how long each instance refuses connections while its service restarts (Node's start).")
    let databaseText = s.regionChoice(
      "database", default: "", among: regions, optional: true,
      doc: "restart: the region whose database the tier's DATABASE_URL names afterwards (straight, not through PgPool); "
        + "\"\": unchanged.")
    let isRebuild = what == "rebuild"
    let takesDefault = isRebuild ? Self.defaultRebuildTime : Self.defaultStepTime
    let takes = s.distribution(
      "takes", default: try! Distribution(parsing: takesDefault, expecting: .duration),
      doc: "From starting the step to its effect; rebuild: \(Self.defaultRebuildTime) unless given (the seed's "
        + "`terraform apply`, \"10-15 minutes\").")
    let failure = s.double("fails", default: 0, range: 0...1, doc: "Probability that an attempt fails (nothing happens).")
    let attempts = s.int("attempts", default: 2, range: 1...100, doc: "Attempts before the person gives up and stops the runbook.")
    s.finish()
    let doValue = s.members.first(where: { $0.key == "do" })?.value ?? value
    let needsData = ["promote", "fence", "failback"].contains(what) || (what == "restart" && !databaseText.isEmpty)
    if needsData && dataPath == nil {
      s.fail(doValue, "do", "\"\(what)\" acts on a database, and this scenario has no data tier (databases: null)")
      return nil
    }
    if what == "set-weight" && !hasDNS {
      s.fail(doValue, "do", "\"set-weight\" changes a DNS record, and this scenario has no DNS (dns: null)")
      return nil
    }
    let action: RunbookAction
    switch what {
    case "promote": action = .operatorAction(.promote(region: region))
    case "set-weight": action = .operatorAction(.setWeight(region: region, weight: weight))
    case "fence": action = .operatorAction(.fence(region: region))
    case "failback":
      action = .operatorAction(.failback(region: region, method: method == "reclone" ? .reclone : .rewind, weights: weights))
    case "restart":
      action = .restart(
        region: region, tier: TierRole(rawValue: tier) ?? .backend, downFor: downFor, database: regions.firstIndex(of: databaseText))
    case "rebuild": action = .rebuild(region: region)
    default: action = .check(note)
    }
    return RunbookStep(action: action, takes: takes, failure: failure, attempts: attempts)
  }

  // MARK: Alert rules

  /// Request kinds as `clients.mix` names them.
  static let kindNames = Dictionary(uniqueKeysWithValues: RequestKind.allCases.map { ($0.scenarioKey, $0) })

  func alertRules(_ root: ObjectReader, regions: [String], config: [RegionConfig], bucket: SimDuration, hasAutomation: Bool)
    -> [AlertRuleConfig]
  {
    let all = root.object(
      "alertRules",
      doc: "Prometheus-style alert rules on the run's metrics, by name: `expr` over the last `over`, evaluated `every`; "
        + "pending while it holds, firing once it has held for `for`; Alertmanager notifies `notifyAfter` later; runbooks "
        + "with on: \"rule:<name>\" are paged.")
    var rules: [AlertRuleConfig] = []
    for name in all.keys {
      let item = all.member(name)
      let a = reader.object(item?.value, path: "alertRules.\(name)", pattern: "alertRules.<name>")
      let exprText = string(
        a, "expr", default: "",
        doc: "metric comparison threshold: \"error_share > 5%\", \"error_share(apiWrite) > 0.05\", \"error_share(delhi) > 10%\", "
          + "\"p99_latency > 2s\", \"p99_latency(chennai) > 500ms\", \"replication_lag(chennai) > 30s\", "
          + "\"instances_in_service(delhi.backend) < 1\". Error share is failed ÷ ended attempts in the window (by region: "
          + "failed ÷ started); p99 latency is of successful attempts; lag is the largest and instances the fewest in the window.")
      let window = a.duration(
        "over", default: .minutes(1), min: bucket, max: .days(1), doc: "The window the metric is taken over (whole buckets).")
      let pendingFor = a.duration("for", default: .zero, max: .days(1), doc: "Prometheus `for`: how long it must hold before it fires.")
      let interval = a.duration(
        "every", default: .minutes(1), min: bucket, max: .days(1),
        doc: "Evaluation interval (Prometheus evaluation_interval, default 1m); at least one bucket.")
      let notifyAfter = a.duration(
        "notifyAfter", default: .seconds(30), max: .hours(1),
        doc: "Alertmanager's group_wait: from firing to the first notification (30 s).")
      let automationText = a.regionChoice(
        "automation", default: "", among: regions, optional: true,
        doc: "A region: firing starts the failover automation as that region's monitor alert would; \"\": it does not.")
      a.finish()
      let exprValue = a.members.first(where: { $0.key == "expr" })?.value
      guard let exprValue else {
        reader.report(a.span ?? item?.keySpan, path: "alertRules.\(name).expr", "an alert rule needs expr, such as \"error_share > 5%\"")
        continue
      }
      guard let (metric, comparison, threshold) = alertExpression(exprText, regions: regions, config: config, a: a, value: exprValue)
      else { continue }
      if !automationText.isEmpty && !hasAutomation, let value = a.members.first(where: { $0.key == "automation" })?.value {
        a.fail(value, "automation", "\"\(automationText)\" would start the failover automation, and this scenario has none")
      }
      rules.append(
        AlertRuleConfig(
          name: name, metric: metric, comparison: comparison, threshold: threshold, window: window, pendingFor: pendingFor,
          interval: interval, notifyAfter: notifyAfter, startsAutomationFor: regions.firstIndex(of: automationText)))
    }
    all.finish()
    return rules
  }

  /// Parses `metric[(args)] op threshold`.
  func alertExpression(_ text: String, regions: [String], config: [RegionConfig], a: ObjectReader, value: JSON5Value)
    -> (AlertMetric, AlertComparison, Double)?
  {
    func bad(_ why: String) -> (AlertMetric, AlertComparison, Double)? {
      a.fail(value, "expr", "\"\(text)\" \(why)")
      return nil
    }
    let metrics = ["error_share", "p99_latency", "replication_lag", "instances_in_service"]
    // The comparison: the first of >=, <=, >, < found (two-character ones first).
    var found: (AlertComparison, Range<String.Index>)?
    for c in [AlertComparison.atLeast, .atMost, .above, .below] {
      if let range = text.range(of: c.rawValue) {
        found = (c, range)
        break
      }
    }
    guard let (comparison, range) = found else {
      return bad("has no comparison; expected metric > value, such as \"error_share > 5%\"")
    }
    let left = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
    let right = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
    var name = left
    var args: [String] = []
    if let open = left.firstIndex(of: "(") {
      guard left.hasSuffix(")") else { return bad("has an unclosed \"(\"") }
      name = left[..<open].trimmingCharacters(in: .whitespaces)
      args = left[left.index(after: open)..<left.index(before: left.endIndex)].split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
    }
    guard metrics.contains(name) else {
      var message = "names no metric \"\(name)\"; expected " + metrics.map { "\"\($0)\"" }.joined(separator: ", ")
      if let near = Suggestion.nearest(to: name, among: metrics) { message += ". Did you mean \"\(near)\"?" }
      return bad(message)
    }
    func regionArg(_ arg: String) -> Int? { regions.firstIndex(of: arg) }
    func unknownArg(_ arg: String, expected: [String]) -> (AlertMetric, AlertComparison, Double)? {
      var message = "has \"\(arg)\" where \(name) takes " + expected.map { "\"\($0)\"" }.joined(separator: ", ")
      if let near = Suggestion.nearest(to: arg, among: expected) { message += ". Did you mean \"\(near)\"?" }
      return bad(message)
    }
    let metric: AlertMetric
    switch name {
    case "error_share":
      var kind: RequestKind?
      var region: Int?
      for arg in args {
        if let k = Self.kindNames[arg] {
          kind = k
        } else if let r = regionArg(arg) {
          region = r
        } else {
          return unknownArg(arg, expected: Self.kindNames.keys.sorted() + regions)
        }
      }
      if kind != nil && region != nil { return bad("takes a request kind or a region, not both (buckets count them apart)") }
      metric = .errorShare(kind: kind, region: region)
    case "p99_latency":
      guard args.count <= 1 else { return bad("takes at most one region") }
      if let arg = args.first, regionArg(arg) == nil { return unknownArg(arg, expected: regions) }
      metric = .p99Latency(region: args.first.flatMap(regionArg))
    case "replication_lag":
      guard args.count == 1, let r = regionArg(args[0]) else {
        return args.count == 1
          ? unknownArg(args[0], expected: regions) : bad("needs the standby's region: replication_lag(\(regions.last!))")
      }
      metric = .replicationLag(region: r)
    default:
      let tiers = regions.indices.flatMap { r in
        [(config[r].frontend, TierRole.frontend), (config[r].backend, .backend)].compactMap {
          $0.0 == nil ? nil : "\(regions[r]).\($0.1.rawValue)"
        }
      }
      guard args.count == 1, let t = tiers.firstIndex(of: args[0]) else {
        return args.count == 1
          ? unknownArg(args[0], expected: tiers) : bad("needs a tier: instances_in_service(\(tiers.first ?? "delhi.backend"))")
      }
      let parts = tiers[t].split(separator: ".")
      metric = .instancesInService(region: regions.firstIndex(of: String(parts[0]))!, tier: TierRole(rawValue: String(parts[1]))!)
    }
    // The threshold: a share ("5%" or 0.05), a duration ("2s"), or a count.
    let threshold: Double
    switch metric {
    case .errorShare:
      if right.hasSuffix("%"), let p = Double(right.dropLast().trimmingCharacters(in: .whitespaces)) {
        threshold = p / 100
      } else if let v = Double(right) {
        threshold = v
      } else {
        return bad("compares a share with \"\(right)\"; expected a share such as 5% or 0.05")
      }
      guard (0...1).contains(threshold) else { return bad("compares a share with \(right); expected 0 to 1 (0% to 100%)") }
    case .p99Latency, .replicationLag:
      guard let d = try? SimDuration(parsing: right) else {
        return bad("compares a time with \"\(right)\"; expected a duration such as \"2s\" or \"500ms\"")
      }
      threshold = d.seconds
    case .instancesInService:
      guard let n = Int(right), n >= 0 else { return bad("compares a count with \"\(right)\"; expected a whole number") }
      threshold = Double(n)
    }
    return (metric, comparison, threshold)
  }
}
