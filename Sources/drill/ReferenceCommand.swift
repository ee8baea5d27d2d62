import Foundation
import Scenarios

/// `drill reference`: every scenario key with its type, default and meaning, as Markdown.
enum ReferenceCommand {
  static let spec = CommandSpec(
    name: "reference", usage: ["reference"],
    summary: "Prints the scenario key reference as Markdown (docs/scenario-reference.md is this output).", options: [])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    guard parsed.positional.isEmpty else { throw UsageError(message: "drill reference takes no file (got \(parsed.positional.count))") }
    output.raw(ScenarioReference.markdown())
    return 0
  }
}
