import SimCore

/// A usage error: what was wrong with the command line, printed with a pointer to --help.
struct UsageError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Hand-written argument reading for one subcommand: positional words, `--flag value`
/// options and `--switch` booleans. Unknown options are errors with a "did you mean".
struct ParsedArguments {
  var positional: [String] = []
  var options: [String: String] = [:]
  var switches: Set<String> = []

  /// Reads `arguments` for `command`, which takes the `valueOptions` (each with a value)
  /// and the `switchOptions` (without).
  init(_ arguments: [String], command: String, valueOptions: [String], switchOptions: [String]) throws(UsageError) {
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
      if switchOptions.contains(name) && inlineValue == nil {
        switches.insert(name)
      } else if valueOptions.contains(name) {
        guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
          throw UsageError(message: "drill \(command): \(name) needs a value")
        }
        if inlineValue == nil { index += 1 }
        options[name] = value
      } else {
        let known = Set(valueOptions + switchOptions + ["--help"]).sorted()
        var message = "drill \(command): unknown option \"\(name)\"; \(command) takes " + known.joined(separator: ", ")
        if let near = Suggestion.nearest(to: name, among: known) { message += ". Did you mean \"\(near)\"?" }
        throw UsageError(message: message)
      }
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
}
