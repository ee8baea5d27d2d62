import Foundation
import Scenarios
import SimCore

/// A usage error: what was wrong with the command line, printed with a pointer to --help.
struct UsageError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// One option of a command: its name, the value it takes (nil for a switch), whether it may
/// be given more than once, and its help line.
struct OptionSpec: Sendable {
  var name: String
  /// The value's placeholder in help (`N`, `FILE`); nil for a switch.
  var value: String?
  var repeatable = false
  var help: String

  /// An option with a value, written `--name VALUE` or `--name=VALUE`.
  init(_ name: String, _ value: String, repeatable: Bool = false, _ help: String) {
    self.name = name
    self.value = value
    self.repeatable = repeatable
    self.help = help
  }

  /// A switch, written `--name`.
  init(_ name: String, _ help: String) {
    self.name = name
    self.value = nil
    self.help = help
  }
}

/// A command's usage and options, declared once: the parser accepts exactly these options
/// and `--help` prints them, so the two cannot drift apart.
struct CommandSpec: Sendable {
  var name: String
  /// Usage lines, each without the leading "drill ".
  var usage: [String]
  /// What the command does, as paragraphs of text.
  var summary: String
  var options: [OptionSpec]

  /// Every option, `--help` included.
  var allOptions: [OptionSpec] { options + [OptionSpec("--help", "print this help")] }

  /// The help text: usage, summary, and every option with its help.
  var help: String {
    // A usage line that starts with spaces continues the one before it.
    var lines = usage.enumerated().map {
      ($0.offset == 0 ? "usage: drill " : $0.element.hasPrefix(" ") ? "       " : "       drill ") + $0.element
    }
    lines.append("")
    lines.append(summary)
    lines.append("")
    lines.append("options:")
    let labels = allOptions.map { $0.name + ($0.value.map { " " + $0 } ?? "") }
    let width = min(24, (labels.map(\.count).max() ?? 0) + 2)
    for (option, label) in zip(allOptions, labels) {
      let padded = label.count < width ? label.padding(toLength: width, withPad: " ", startingAt: 0) : label + "  "
      let help = option.help.split(separator: "\n", omittingEmptySubsequences: false)
      lines.append("  " + padded + (help.first.map(String.init) ?? ""))
      for more in help.dropFirst() { lines.append("  " + String(repeating: " ", count: padded.count) + more) }
    }
    return lines.joined(separator: "\n")
  }

  /// Reads `arguments` against this command's options.
  func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
    try ParsedArguments(arguments, spec: self)
  }
}

/// Hand-written argument reading for one subcommand: positional words, `--flag value` and
/// `--flag=value` options, `--switch` booleans, and `--` before positional words that look
/// like options. A value may start with "-" (`--seed -1` is read, then refused as a seed).
/// Unknown options are errors that list the command's options, with a "did you mean".
struct ParsedArguments {
  var positional: [String] = []
  var options: [String: String] = [:]
  /// Every value of each option, in order (for repeatable options).
  var values: [String: [String]] = [:]
  var switches: Set<String> = []

  init(_ arguments: [String], spec: CommandSpec) throws(UsageError) {
    let command = spec.name
    let byName = Dictionary(spec.allOptions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      if word == "--" {
        positional += arguments[index...]
        break
      }
      guard word.hasPrefix("-"), word.count > 1, Double(word) == nil else {
        positional.append(word)
        continue
      }
      var name = word
      var inlineValue: String?
      if let equals = word.firstIndex(of: "=") {
        name = String(word[..<equals])
        inlineValue = String(word[word.index(after: equals)...])
      }
      guard let option = byName[name] else {
        let known = spec.allOptions.map(\.name)
        var message = "drill \(command): unknown option \"\(name)\"; \(command) takes " + known.joined(separator: ", ")
        if let near = Suggestion.nearest(to: name, among: known) { message += ". Did you mean \"\(near)\"?" }
        throw UsageError(message: message)
      }
      if option.value == nil {
        guard inlineValue == nil else { throw UsageError(message: "drill \(command): \(name) takes no value (got \"\(inlineValue!)\")") }
        switches.insert(name)
        continue
      }
      guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
        throw UsageError(message: "drill \(command): \(name) needs a value (\(option.value!))")
      }
      if inlineValue == nil { index += 1 }
      if options[name] != nil && !option.repeatable {
        throw UsageError(message: "drill \(command): \(name) is given twice (\"\(options[name]!)\" and \"\(value)\"); give it once")
      }
      options[name] = value
      values[name, default: []].append(value)
    }
  }

  /// The value of `--name` as a whole number in `range`, or `defaultValue` when absent.
  func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>, command: String) throws(UsageError) -> Int {
    guard let text = options[name] else { return defaultValue }
    guard let value = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
      throw UsageError(
        message: "drill \(command): \(name) \"\(text)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return value
  }

  /// The value of `--seed`: any unsigned 64-bit number.
  func seed(default defaultValue: UInt64, command: String) throws(UsageError) -> UInt64 {
    guard let text = options["--seed"] else { return defaultValue }
    guard let value = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
      throw UsageError(message: "drill \(command): --seed \"\(text)\" is not a whole number from 0 to \(UInt64.max)")
    }
    return value
  }

  /// The value of `--jobs`: threads, 1 to 1024; default the cores available.
  func jobs(command: String) throws(UsageError) -> Int {
    try integer("--jobs", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...1024, command: command)
  }
}

extension OptionSpec {
  /// `--set PATH=VALUE`, on every command that reads one scenario file: a what-if without a
  /// copied file. Checked as the file is: a misspelt path gets "did you mean".
  static let set = OptionSpec(
    "--set", "PATH=VALUE", repeatable: true, "change one key without editing the file (--set dns.ttl=30s); repeatable")
}

extension ParsedArguments {
  /// The `--set` changes in order, each value as JSON5 text (`30s` is read as text).
  func settings(command: String) throws(UsageError) -> [(String, String)] {
    var result: [(String, String)] = []
    for text in values["--set"] ?? [] {
      guard let setting = Scenario.setting(text) else {
        throw UsageError(message: "drill \(command): --set \"\(text)\" is not PATH=VALUE; for example --set dns.ttl=30s")
      }
      result.append((setting.path, setting.value))
    }
    return result
  }
}
