// drill-bench: measures Drill's kernel and models in release builds and prints JSON.
//
//   swift run -c release drill-bench kernel --pending 10000 --events 20000000
//
// Each case runs once to warm up, then once timed; the last line printed is one JSON
// object. Compare against a reference run on the same machine (see README.md), never
// against absolute numbers from another machine.
import Dispatch
import Foundation
import Reports
import Scenarios
import SimCore
import Topology

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Peak resident set size of this process so far, in bytes.
func peakResidentBytes() -> Int64 {
  var usage = rusage()
  #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  #if canImport(Darwin)
    return Int64(usage.ru_maxrss)
  #else
    return Int64(usage.ru_maxrss) * 1024  // Linux reports kilobytes.
  #endif
}

/// Wall-clock seconds taken by `body`.
func timed(_ body: () -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(message + "\n")
  exit(2)
}

let usage = """
  usage: drill-bench CASE [OPTIONS]

  cases:
    kernel   the hold model through the SimCore event queue and run loop
             --pending N   events kept in the queue (default 10000)
             --events N    events to process in the timed run (default 20000000)
             --seed N      random seed (default 1)
  sweep    a fixed sweep (4 configurations × N replications of an M/M/c) through the
           experiment runner at --jobs 1 and --jobs 2; prints the speedup
             --replications N  per configuration (default 8)
             --customers N     per run (default 100000)
  mmc      an M/M/c queue through the real load balancer and instance model
           (one region, no DNS, no data tier)
             --lambda X    arrivals per second (default 80)
             --mu X        services per second per server (default 10)
             --servers N   single-worker instances (default 10)
             --customers N customers in the timed run (default 1000000)
             --seed N      random seed (default 1)

  scenario FILE  a scenario file through the real model (every mechanism, as drill runs it)
             --duration D  simulate this long instead of the file's duration ("1h")
             --seed N      the run seed instead of the file's

  Build in release: swift run -c release drill-bench kernel
  """

/// Reads `--name value` options, rejecting unknown names and bad numbers.
struct Options {
  var values: [String: Double] = [:]

  init(_ arguments: ArraySlice<String>, allowed: [String: Double]) {
    values = allowed
    var rest = arguments
    while let flag = rest.popFirst() {
      guard flag.hasPrefix("--"), allowed[String(flag.dropFirst(2))] != nil else {
        let near = Suggestion.nearest(to: flag, among: allowed.keys.map { "--" + $0 })
        fail(
          "drill-bench: unknown argument \"\(flag)\"; expected \(allowed.keys.sorted().map { "--" + $0 }.joined(separator: ", "))"
            + (near.map { ". Did you mean \"\($0)\"?" } ?? ""))
      }
      guard let text = rest.popFirst() else { fail("drill-bench: \(flag) needs a value") }
      guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value >= 0, value.isFinite else {
        fail("drill-bench: \(flag) \"\(text)\" is not a number ≥ 0")
      }
      values[String(flag.dropFirst(2))] = value
    }
  }

  /// A whole-number option.
  func int(_ name: String) -> Int {
    let value = values[name]!
    guard value == value.rounded(), value < 1e15 else { fail("drill-bench: --\(name) \"\(value)\" must be a whole number") }
    return Int(value)
  }

  func double(_ name: String) -> Double { values[name]! }
}

var isDebugBuild = false
assert(
  {
    isDebugBuild = true
    return true
  }())
if isDebugBuild {
  FileHandle.standardError.write(
    """
    ************************************************************************
    WARNING: drill-bench was built in DEBUG. Its figures mean nothing.
    Run it as: swift run -c release drill-bench …
    ************************************************************************

    """)
}

let arguments = CommandLine.arguments.dropFirst()
guard let benchCase = arguments.first else { fail(usage) }
if benchCase == "--help" || benchCase == "-h" {
  print(usage)
  exit(0)
}

switch benchCase {
case "kernel":
  let options = Options(arguments.dropFirst(), allowed: ["pending": 10_000, "events": 20_000_000, "seed": 1])
  let pending = options.int("pending")
  let events = options.int("events")
  let seed = UInt64(options.int("seed"))
  var checksum: Int64 = 0
  _ = HoldModel.run(pending: pending, events: min(events, 1_000_000), seed: seed)  // warm-up
  let seconds = timed { checksum = HoldModel.run(pending: pending, events: events, seed: seed) }
  let result = JSONValue.object([
    ("case", .string("kernel")),
    ("model", .string("hold")),
    ("pending", .int(Int64(pending))),
    ("events", .int(Int64(events))),
    ("seed", .int(Int64(seed))),
    ("seconds", .double((seconds * 1000).rounded() / 1000)),
    ("events_per_second", .int(Int64((Double(events) / seconds).rounded()))),
    ("final_time_seconds", .double(Double(checksum) / 1e9)),
    ("peak_rss_bytes", .int(peakResidentBytes())),
    ("debug_build", .bool(isDebugBuild)),
  ])
  print(result.serialized())
case "mmc":
  let options = Options(arguments.dropFirst(), allowed: ["lambda": 80, "mu": 10, "servers": 10, "customers": 1_000_000, "seed": 1])
  let lambda = options.double("lambda")
  let mu = options.double("mu")
  let servers = options.int("servers")
  let customers = options.int("customers")
  let seed = UInt64(options.int("seed"))
  guard lambda > 0, mu > 0, servers > 0, lambda < mu * Double(servers) else {
    fail("drill-bench mmc: needs λ > 0, μ > 0, servers ≥ 1 and λ < servers·μ (a stable queue)")
  }
  _ = MMCBenchmark.run(lambda: lambda, mu: mu, servers: servers, customers: min(customers, 100_000), seed: seed)  // warm-up
  var result: MMCBenchmark.Result?
  let seconds = timed { result = MMCBenchmark.run(lambda: lambda, mu: mu, servers: servers, customers: customers, seed: seed) }
  let r = result!
  print(
    JSONValue.object([
      ("case", .string("mmc")),
      ("lambda", .double(lambda)), ("mu", .double(mu)), ("servers", .int(Int64(servers))),
      ("customers", .int(Int64(r.customers))), ("seed", .int(Int64(seed))),
      ("mean_wait", .double(r.meanWait)), ("mean_sojourn", .double(r.meanSojourn)),
      ("erlang_c_mean_wait", .double(r.exactWait)), ("erlang_c_mean_sojourn", .double(r.exactWait + 1 / mu)),
      ("events", .int(Int64(r.events))),
      ("seconds", .double((seconds * 1000).rounded() / 1000)),
      ("customers_per_second", .int(Int64((Double(r.customers) / seconds).rounded()))),
      ("peak_rss_bytes", .int(peakResidentBytes())),
      ("debug_build", .bool(isDebugBuild)),
    ]).serialized())
case "sweep":
  let options = Options(arguments.dropFirst(), allowed: ["replications": 8, "customers": 100_000])
  let replications = options.int("replications")
  let customers = options.int("customers")
  _ = SweepBenchmark.run(jobs: 2, replications: 1, customers: min(customers, 10_000))  // warm-up
  let one = SweepBenchmark.run(jobs: 1, replications: replications, customers: customers)
  let two = SweepBenchmark.run(jobs: 2, replications: replications, customers: customers)
  print(
    JSONValue.object([
      ("case", .string("sweep")), ("configurations", .int(4)), ("replications", .int(Int64(replications))),
      ("customers_per_run", .int(Int64(customers))), ("runs", .int(Int64(4 * replications))),
      ("seconds_jobs_1", .double((one.seconds * 1000).rounded() / 1000)),
      ("seconds_jobs_2", .double((two.seconds * 1000).rounded() / 1000)),
      ("speedup", .double((one.seconds / two.seconds * 100).rounded() / 100)),
      ("identical_results", .bool(one.checksum == two.checksum)),
      ("peak_rss_bytes", .int(peakResidentBytes())), ("debug_build", .bool(isDebugBuild)),
    ]).serialized())
case "scenario":
  var rest = Array(arguments.dropFirst())
  guard let file = rest.first, !file.hasPrefix("--") else { fail("drill-bench scenario: give a scenario file\n\n" + usage) }
  rest.removeFirst()
  var duration: SimDuration?
  var seed: UInt64?
  while let flag = rest.first {
    rest.removeFirst()
    guard let value = rest.first else { fail("drill-bench scenario: \(flag) needs a value") }
    rest.removeFirst()
    switch flag {
    case "--duration":
      do { duration = try SimDuration(parsing: value) } catch { fail("drill-bench scenario: --duration \"\(value)\": \(error)") }
    case "--seed":
      guard let s = UInt64(value) else { fail("drill-bench scenario: --seed \"\(value)\" is not a whole number") }
      seed = s
    default: fail("drill-bench scenario: unknown option \"\(flag)\"; expected --duration, --seed")
    }
  }
  var scenario: Scenario
  do { scenario = try Scenario.load(path: file) } catch { fail(error.description) }
  if let duration { scenario.config.duration = duration }
  if let seed { scenario.config.seed = seed }
  var result: RunResult?
  let seconds = timed { result = TopologyModel.run(scenario.config) }
  let r = result!
  let requests = r.totals.ended + r.inFlightAtEnd
  print(
    JSONValue.object([
      ("case", .string("scenario")), ("scenario", .string(scenario.info.name)), ("seed", .int(Int64(bitPattern: scenario.config.seed))),
      ("simulated_seconds", .double(scenario.config.duration.seconds)),
      ("events", .int(Int64(r.eventsProcessed))),
      ("events_per_second", .int(Int64((Double(r.eventsProcessed) / seconds).rounded()))),
      ("requests", .int(Int64(requests))),
      ("requests_per_second", .int(Int64((Double(requests) / seconds).rounded()))),
      ("simulated_seconds_per_second", .double((scenario.config.duration.seconds / seconds * 10).rounded() / 10)),
      ("seconds", .double((seconds * 1000).rounded() / 1000)),
      ("peak_rss_mb", .double((Double(peakResidentBytes()) / 1_048_576 * 10).rounded() / 10)),
      ("debug_build", .bool(isDebugBuild)),
    ]).serialized())
default:
  let near = Suggestion.nearest(to: benchCase, among: ["kernel", "mmc", "sweep", "scenario"])
  fail(
    "drill-bench: unknown case \"\(benchCase)\"; expected kernel, mmc, sweep or scenario" + (near.map { ". Did you mean \"\($0)\"?" } ?? "")
      + "\n\n"
      + usage)
}
