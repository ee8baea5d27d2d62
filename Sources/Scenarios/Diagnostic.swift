/// A place in a text file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// The line and column of UTF-8 byte `offset` in `text` (columns count characters).
  public init(offset: Int, in text: String) {
    var line = 1
    var lineStart = text.utf8.startIndex
    let target = text.utf8.index(text.utf8.startIndex, offsetBy: min(max(0, offset), text.utf8.count))
    var index = text.utf8.startIndex
    while index < target {
      if text.utf8[index] == UInt8(ascii: "\n") {
        line += 1
        lineStart = text.utf8.index(after: index)
      }
      index = text.utf8.index(after: index)
    }
    let column = text[lineStart..<target].count + 1
    self.init(line: line, column: column)
  }
}

/// One problem found in an input file, printed the way compilers print them:
/// `scenarios/x.json5:12:7: error: faults[0].target: "delhi.frontnd" is not …`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file as the user named it.
  public var file: String
  /// Where in the file, when known.
  public var location: SourceLocation?
  /// The JSON path of the bad value (`faults[0].target`), when there is one.
  public var path: String?
  /// What is wrong, quoting the bad value and saying what is accepted.
  public var message: String

  public init(file: String, location: SourceLocation? = nil, path: String? = nil, message: String) {
    self.file = file
    self.location = location
    self.path = path
    self.message = message
  }

  public var description: String {
    var text = file
    if let location { text += ":\(location.line):\(location.column)" }
    text += ": error: "
    if let path, !path.isEmpty { text += "\(path): " }
    return text + message
  }
}
