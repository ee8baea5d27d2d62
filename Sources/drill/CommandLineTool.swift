import Foundation
import Reports
import SimCore

/// The subcommands and their dispatch. Exit codes: 0 success, 1 the run failed, 2 bad input.
enum CommandLineTool {
  static let overview = """
    drill: a discrete-event simulator of an active/active two-region web deployment.

    usage: drill COMMAND [OPTIONS]

    commands:
      run FILE      run a scenario: the failover timeline, milestones, downtime, RTO, RPO
      validate FILE…  check scenario files and report every problem
      explain FILE  the timeline narrated for a learner: what sets each milestone, what moves it
      cost FILE     the bill from simulated instance-hours, downtime cost, the second region's ROI
      availability FILE  years of random failures and repairs: annual availability, downtime,
                    incidents, RTO/RPO and cost with 95% intervals, against the "99.9%+" claim
      rank FILE     which change (monitor, TTL, fencing, one more instance…) saves the most
                    downtime per rupee, with paired intervals
      calibrate FILE --observed OBS  an observed incident beside the simulated ones; with --vary,
                    the parameter values that explain it best
      sweep FILE    a grid over parameters, replicated, with paired confidence intervals
      diff A B      two versions (two files, or one file and --set) on the same seeds, side by side
      merge FILES…  combine the partial results of sharded runs
      list          the shipped scenarios with one-line descriptions
      reference     every scenario key with its default and meaning (Markdown)
      sample DIST   draw from a distribution written as text and compare the draws with
                    its exact mean, deviation and percentiles

    Run "drill COMMAND --help" for a command's options; "drill --version" for the version.
    """

  /// The version, printed by `drill --version`.
  static let version = "0.2.0"

  static func run(_ arguments: [String], output: StandardStreams) -> Int32 {
    guard let command = arguments.first else {
      output.out(overview)
      return 0
    }
    let rest = Array(arguments.dropFirst())
    do {
      switch command {
      case "--help", "-h", "help":
        output.out(overview)
        return 0
      case "--version", "version":
        output.out("drill \(version)")
        return 0
      case "diff": return try DiffCommand.run(rest, output: output)
      case "sample": return try SampleCommand.run(rest, output: output)
      case "run": return try RunCommand.run(rest, output: output)
      case "validate": return try ValidateCommand.run(rest, output: output)
      case "list": return try ListCommand.run(rest, output: output)
      case "explain": return try ExplainCommand.run(rest, output: output)
      case "cost": return try CostCommand.run(rest, output: output)
      case "availability": return try AvailabilityCommand.run(rest, output: output)
      case "rank": return try RankCommand.run(rest, output: output)
      case "calibrate": return try CalibrateCommand.run(rest, output: output)
      case "sweep":
        if try ExperimentCommand.sweepSpec.parse(rest).switches.contains("--help") {
          output.out(ExperimentCommand.sweepSpec.help)
          return 0
        }
        return try ExperimentCommand.execute("sweep", rest, output: output)
      case "merge": return try ExperimentCommand.merge(rest, output: output)
      case "reference": return try ReferenceCommand.run(rest, output: output)
      default:
        let commands = [
          "run", "validate", "explain", "cost", "availability", "rank", "calibrate", "sweep", "diff", "merge", "list", "reference",
          "sample",
        ]
        var message = "drill: unknown command \"\(command)\"; commands: " + commands.joined(separator: ", ")
        if let near = Suggestion.nearest(to: command, among: commands) { message += ". Did you mean \"\(near)\"?" }
        throw UsageError(message: message)
      }
    } catch let error as UsageError {
      output.err(error.message)
      output.err("Run \"drill --help\" for usage.")
      return 2
    } catch {
      output.err("drill: \(error)")
      return 2
    }
  }
}
