import Foundation
import Topology

/// The work a command is about to do, estimated before anything runs: requests (the
/// expected arrivals of every population, times the attempts each may make), time-series
/// rows, and runs. Past a limit the command refuses (exit 2) unless `--large` is given; past
/// a smaller threshold it says on stderr what is coming. README ("Limits") states the figures.
enum WorkLimits {
  /// Requests one run may simulate without `--large` (about 40 minutes of a release build).
  static let requestsPerRun = 2e9
  /// Time-series rows one run may keep (duration ÷ bucket) without `--large`.
  static let rowsPerRun = 1e6
  /// Requests a whole command may simulate (replications × configurations) without `--large`.
  static let requestsPerCommand = 1e10
  /// Above this, the command says on stderr how much it is about to simulate.
  static let announced = 1e8
  /// Simulated requests per second of a release build on one core (README's figure), for
  /// the time estimate.
  static let requestsPerSecond = 500_000.0

  /// `--large`, on every command that runs the model.
  static let option = OptionSpec("--large", "run even past the work limits (see README, Limits)")

  /// Expected attempts of one run of `config`.
  static func requests(_ config: TopologyConfig) -> Double {
    config.populations.reduce(0) { sum, p in
      var arrivals = p.arrivals.expectedArrivals(over: config.duration)
      if let most = p.maxArrivals { arrivals = min(arrivals, Double(most)) }
      return sum + arrivals  // retries come only after failures: not counted ahead
    }
  }

  /// Checks `configs`, each run `runs` times, against the limits; prints the estimate when large.
  static func check(_ configs: [TopologyConfig], runs: Int, command: String, large: Bool, output: StandardStreams) throws(UsageError) {
    let perRun = configs.map(requests)
    let rows = configs.map { $0.duration.seconds / $0.bucket.seconds }
    let total = perRun.reduce(0, +) * Double(runs)
    func figure(_ x: Double) -> String { x.isFinite ? String(format: x < 1e6 ? "%.0f" : "%.2g", x) : "unbounded" }
    var problems: [String] = []
    if let most = perRun.max(), most > requestsPerRun {
      problems.append("a run would simulate about \(figure(most)) requests (the limit is \(figure(requestsPerRun)))")
    }
    if let most = rows.max(), most > rowsPerRun {
      problems.append("a run would keep \(figure(most)) time-series rows (duration ÷ bucket; the limit is \(figure(rowsPerRun)))")
    }
    if total > requestsPerCommand {
      problems.append(
        "the \(runs * configs.count) runs would simulate about \(figure(total)) requests in all (the limit is \(figure(requestsPerCommand)))"
      )
    }
    if !problems.isEmpty && !large {
      throw UsageError(
        message: "drill \(command): " + problems.joined(separator: "; ")
          + ". Lower clients.rate, duration or the replications, raise bucket, or give --large to run it anyway")
    }
    if total > announced {
      let minutes = total / requestsPerSecond / 60
      output.err(
        "drill \(command): about \(figure(total)) requests in \(runs * configs.count) run\(runs * configs.count == 1 ? "" : "s"); "
          + String(format: "roughly %.0f CPU-minutes in a release build", minutes.rounded(.up)))
    }
  }
}
