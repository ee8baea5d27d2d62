import Foundation
import Scenarios

/// `drill validate FILE…`: checks scenario files without running them.
enum ValidateCommand {
  static let spec = CommandSpec(
    name: "validate", usage: ["validate FILE…"],
    summary: """
      Checks each scenario file and prints OK, or every problem in it as
      FILE:LINE:COLUMN: error: PATH: message. Exit code 2 when any file has a problem.
      """,
    options: [])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    guard !parsed.positional.isEmpty else { throw UsageError(message: "drill validate: give at least one scenario file") }
    var status: Int32 = 0
    for file in parsed.positional {
      do {
        _ = try Scenario.load(path: file)
        output.out("\(file): OK")
      } catch {
        output.err(error.description)
        status = 2
      }
    }
    return status
  }
}
