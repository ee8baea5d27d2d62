import Foundation
import Reports
import SimCore

/// `drill sample DIST`: draws from a distribution and sets the draws beside its exact
/// moments and percentiles, so a user can check a latency model before putting it in a scenario.
enum SampleCommand {
  static let spec = CommandSpec(
    name: "sample", usage: ["sample DIST [--samples N] [--seed N] [--json]"],
    summary: """
      Draws N values (default 100000) from DIST and prints the sample mean, standard deviation
      and percentiles next to the exact ones.

      DIST is a distribution as scenario files write it, for example:
        "40ms"  "exp(mean: 80ms)"  "lognormal(mean: 120ms, p99: 900ms)"
        "uniform(min: 10ms, max: 30ms)"  "normal(mean: 100ms, sd: 20ms)"
        "gamma(shape: 2, scale: 40ms)"  "erlang(k: 3, mean: 90ms)"  "empirical(10ms, 15ms, 40ms)"
      """,
    options: [
      OptionSpec("--samples", "N", "how many draws (1 to 100000000; default 100000)"),
      OptionSpec("--seed", "N", "the random seed (default 1); the same seed gives the same output"),
      OptionSpec("--json", "one JSON object instead of the table"),
    ])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    guard parsed.positional.count == 1 else {
      throw UsageError(
        message:
          "drill sample: give exactly one distribution, in quotes (got \(parsed.positional.count)), for example: drill sample \"exp(mean: 80ms)\""
      )
    }
    let distribution: Distribution
    do {
      distribution = try Distribution(parsing: parsed.positional[0])
    } catch {
      output.err("drill sample: \(error)")
      return 2
    }
    let count = try parsed.integer("--samples", default: 100_000, in: 1...100_000_000, command: "sample")
    let seed = try parsed.seed(default: 1, command: "sample")

    var rng = RandomStreams(seed: seed).stream(named: "drill.sample")
    var stats = RunningStatistics()
    var histogram = LogHistogram()
    for _ in 0..<count {
      let x = distribution.sample(&rng)
      stats.record(x)
      histogram.record(Swift.max(0, x))
    }
    let quantiles = [0.5, 0.9, 0.95, 0.99, 0.999]
    func show(_ v: Double) -> String {
      distribution.dimension == .duration ? SimDuration(seconds: v).rounded(significantDigits: 4).description : String(format: "%.6g", v)
    }

    if parsed.switches.contains("--json") {
      var rows: [(String, JSONValue)] = [
        ("distribution", .string(distribution.description)), ("dimension", .string(distribution.dimension.rawValue)),
        ("seed", .int(Int64(bitPattern: seed))), ("samples", .int(Int64(count))),
        (
          "exact",
          .object(
            [("mean", .double(distribution.mean)), ("sd", .double(distribution.variance.squareRoot()))]
              + quantiles.map { ("p\(label($0))", .double(distribution.quantile($0))) })
        ),
        (
          "sampled",
          .object(
            [("mean", .double(stats.mean)), ("sd", .double(stats.standardDeviation))]
              + quantiles.map { ("p\(label($0))", .double(histogram.quantile($0) ?? 0)) })
        ),
      ]
      if distribution.dimension == .duration { rows.insert(("unit", .string("seconds")), at: 2) }
      output.out(JSONValue.object(rows).serialized())
      return 0
    }
    output.out("distribution  \(distribution)")
    output.out("seed          \(seed)    samples \(count)")
    output.out("")
    output.out("              exact        sampled")
    output.out(row("mean", show(distribution.mean), show(stats.mean)))
    output.out(row("sd", show(distribution.variance.squareRoot()), show(stats.standardDeviation)))
    for q in quantiles {
      output.out(row("p" + label(q), show(distribution.quantile(q)), show(histogram.quantile(q) ?? 0)))
    }
    return 0
  }

  static func label(_ q: Double) -> String {
    let text = String(format: "%g", q * 100)
    return text
  }

  static func row(_ name: String, _ exact: String, _ sampled: String) -> String {
    name.padding(toLength: 14, withPad: " ", startingAt: 0) + exact.padding(toLength: 13, withPad: " ", startingAt: 0) + sampled
  }
}
