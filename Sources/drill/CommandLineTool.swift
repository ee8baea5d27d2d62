import Foundation
import Reports
import SimCore

/// The subcommands and their dispatch. Exit codes: 0 success, 1 the run failed, 2 bad input.
enum CommandLineTool {
  static let overview = """
    drill: a discrete-event simulator of an active/active two-region web deployment.

    usage: drill COMMAND [OPTIONS]

    commands:
      sample DIST   draw from a distribution written as text and compare the draws with
                    its exact mean, deviation and percentiles

    Run "drill COMMAND --help" for a command's options.
    """

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
      case "sample":
        return try SampleCommand.run(rest, output: output)
      default:
        var message = "drill: unknown command \"\(command)\"; commands: sample"
        if let near = Suggestion.nearest(to: command, among: ["sample"]) { message += ". Did you mean \"\(near)\"?" }
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
