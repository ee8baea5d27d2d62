import Foundation

/// `drill list`: the shipped scenarios with their one-line descriptions.
enum ListCommand {
  static let spec = CommandSpec(
    name: "list", usage: ["list [--dir DIR]"],
    summary: """
      Lists the scenario files in DIR (default: scenarios) with the first line of the comment
      that opens each.
      """,
    options: [OptionSpec("--dir", "DIR", "the folder to list (default: scenarios)")])

  static func run(_ arguments: [String], output: StandardStreams) throws -> Int32 {
    let parsed = try spec.parse(arguments)
    if parsed.switches.contains("--help") {
      output.out(spec.help)
      return 0
    }
    let directory = parsed.options["--dir"] ?? "scenarios"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      output.err("drill list: cannot read the directory \"\(directory)\"; run from the project folder or give --dir")
      return 2
    }
    for name in names.filter({ $0.hasSuffix(".json5") }).sorted() {
      let path = (directory as NSString).appendingPathComponent(name)
      // Pad to line the descriptions up, but never cut a long path short.
      output.out(path + String(repeating: " ", count: max(1, 42 - path.count)) + summary(of: path))
    }
    return 0
  }

  /// The first line of the file's opening comment.
  static func summary(of path: String) -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("//") { return trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces) }
      if !trimmed.isEmpty { break }
    }
    return ""
  }
}
