/// A JSON5 parser (json5.org): comments, trailing commas, unquoted keys, single-quoted
/// strings, hexadecimal, leading or trailing decimal points, +/−, Infinity and NaN.
///
/// Written here rather than using Foundation's JSON5 decoding because every value must
/// keep its line and column for error messages.
public struct JSON5Parser {
  private let scalars: [Unicode.Scalar]
  private let source: String
  private var index = 0
  private var line = 1
  private var column = 1
  /// Objects and lists open around the value being read.
  private var depth = 0
  /// The keys and list positions leading to the value being read, for error messages.
  private var path: [String] = []
  /// How deep objects and lists may nest: a scenario needs four or five levels; this bound
  /// keeps the recursive reading (here and in every walk of the tree) far from the stack's end.
  public static let maximumDepth = 100

  /// A parse error at a place in the text, with the key path it was under (`regions.delhi`).
  public struct Error: Swift.Error, Sendable {
    public var span: SourceSpan
    public var message: String
    public var path: String = ""
  }

  /// Parses `text`; `source` names it in spans and errors.
  public static func parse(_ text: String, source: String) throws(Error) -> JSON5Value {
    var parser = JSON5Parser(text: text, source: source)
    parser.skipTrivia()
    let value = try parser.parseValue()
    parser.skipTrivia()
    if parser.index < parser.scalars.count {
      throw parser.error("unexpected \(parser.describe(parser.scalars[parser.index])) after the end of the document")
    }
    return value
  }

  private init(text: String, source: String) {
    scalars = Array(text.unicodeScalars)
    self.source = source
    if scalars.first == "\u{FEFF}" { index = 1 }
  }

  private var here: SourceSpan { SourceSpan(source: source, location: SourceLocation(line: line, column: column)) }

  private func error(_ message: String, at span: SourceSpan? = nil) -> Error {
    Error(span: span ?? here, message: message, path: path.reduce("") { $0.isEmpty || $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 })
  }

  private func describe(_ c: Unicode.Scalar) -> String {
    switch c {
    case "\n": return "end of line"
    case "\"": return "'\"'"
    default: return "\"\(c)\""
    }
  }

  private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

  private mutating func advance() {
    if scalars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  private mutating func skipTrivia() {
    while let c = current {
      if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{FEFF}" || c == "\u{2028}" || c == "\u{2029}" || c == "\u{A0}" {
        advance()
      } else if c == "/" && index + 1 < scalars.count && scalars[index + 1] == "/" {
        while let d = current, d != "\n" { advance() }
      } else if c == "/" && index + 1 < scalars.count && scalars[index + 1] == "*" {
        advance()
        advance()
        while let d = current, !(d == "*" && index + 1 < scalars.count && scalars[index + 1] == "/") { advance() }
        if current != nil {
          advance()
          advance()
        }
      } else {
        return
      }
    }
  }

  private mutating func parseValue() throws(Error) -> JSON5Value {
    let start = here
    guard let c = current else { throw error("the document ends where a value should be") }
    switch c {
    case "{", "[":
      depth += 1
      defer { depth -= 1 }
      guard depth <= Self.maximumDepth else {
        throw error("objects and lists nest deeper than \(Self.maximumDepth) levels here; a scenario needs a handful")
      }
      return c == "{" ? try parseObject() : try parseArray()
    case "\"", "'": return .string(try parseString(), start)
    case "-", "+", ".", "0"..."9": return .number(try parseNumber(), start)
    default:
      if c.properties.isAlphabetic || c == "_" || c == "$" {
        let word = parseIdentifier()
        switch word {
        case "true": return .bool(true, start)
        case "false": return .bool(false, start)
        case "null": return .null(start)
        case "Infinity": return .number(.infinity, start)
        case "NaN": return .number(.nan, start)
        default:
          throw error("\"\(word)\" is not a value; a text value needs quotes: \"\(word)\"", at: start)
        }
      }
      throw error("unexpected \(describe(c)); expected a value (an object, a list, a string, a number, true, false or null)")
    }
  }

  private mutating func parseObject() throws(Error) -> JSON5Value {
    let start = here
    advance()  // {
    var members: [JSON5Member] = []
    // Where each key was first seen: a duplicate is found in O(1), so a file with many keys
    // parses in linear time.
    var seen: [String: Int] = [:]
    while true {
      skipTrivia()
      guard let c = current else {
        throw error("the object opened at line \(start.location.line), column \(start.location.column) is never closed", at: start)
      }
      if c == "}" {
        advance()
        return .object(members, start)
      }
      let keySpan = here
      let key: String
      if c == "\"" || c == "'" {
        key = try parseString()
      } else if c.properties.isAlphabetic || c == "_" || c == "$" {
        key = parseIdentifier()
      } else {
        throw error("unexpected \(describe(c)); expected a key or \"}\"")
      }
      skipTrivia()
      guard current == ":" else { throw error("expected \":\" after the key \"\(key)\"") }
      advance()
      skipTrivia()
      path.append(key)
      if let first = seen[key] {
        throw error("the key \"\(key)\" appears twice (first at line \(members[first].keySpan.location.line))", at: keySpan)
      }
      let value = try parseValue()
      path.removeLast()
      seen[key] = members.count
      members.append(JSON5Member(key: key, keySpan: keySpan, value: value))
      skipTrivia()
      if current == "," {
        advance()
      } else if current != "}" {
        if let c = current { throw error("unexpected \(describe(c)); expected \",\" or \"}\"") }
      }
    }
  }

  private mutating func parseArray() throws(Error) -> JSON5Value {
    let start = here
    advance()  // [
    var items: [JSON5Value] = []
    while true {
      skipTrivia()
      guard let c = current else {
        throw error("the list opened at line \(start.location.line), column \(start.location.column) is never closed", at: start)
      }
      if c == "]" {
        advance()
        return .array(items, start)
      }
      path.append("[\(items.count)]")
      items.append(try parseValue())
      path.removeLast()
      skipTrivia()
      if current == "," {
        advance()
      } else if current != "]" {
        if let c = current { throw error("unexpected \(describe(c)); expected \",\" or \"]\"") }
      }
    }
  }

  private mutating func parseIdentifier() -> String {
    var word = ""
    while let c = current, c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "$" {
      word.unicodeScalars.append(c)
      advance()
    }
    return word
  }

  private mutating func parseString() throws(Error) -> String {
    let start = here
    let quote = current!
    advance()
    var text = ""
    while true {
      guard let c = current else { throw error("the string that starts here is never closed", at: start) }
      if c == quote {
        advance()
        return text
      }
      if c == "\n" {
        throw error("a string cannot run over the end of a line; close it with \(quote == "\"" ? "'\"'" : "\"'\"")", at: start)
      }
      if c == "\\" {
        advance()
        guard let e = current else { throw error("the string that starts here is never closed", at: start) }
        advance()
        switch e {
        case "n": text += "\n"
        case "t": text += "\t"
        case "r": text += "\r"
        case "b": text += "\u{8}"
        case "f": text += "\u{C}"
        case "v": text += "\u{B}"
        case "0": text += "\0"
        case "\n": break  // line continuation
        case "u", "x":
          // \uHHHH, and JSON5's \xHH.
          let digits = e == "u" ? 4 : 2
          var hex = ""
          for _ in 0..<digits {
            guard let h = current, h.properties.isASCIIHexDigit else {
              throw error("\\\(e) needs \(digits == 4 ? "four" : "two") hexadecimal digits")
            }
            hex.unicodeScalars.append(h)
            advance()
          }
          if let scalar = Unicode.Scalar(UInt32(hex, radix: 16)!) { text.unicodeScalars.append(scalar) }
        default: text.unicodeScalars.append(e)
        }
        continue
      }
      text.unicodeScalars.append(c)
      advance()
    }
  }

  private mutating func parseNumber() throws(Error) -> Double {
    let start = here
    var text = ""
    var sign = 1.0
    if current == "+" || current == "-" {
      if current == "-" { sign = -1 }
      advance()
    }
    if current == "I" {
      let word = parseIdentifier()
      guard word == "Infinity" else { throw error("\"\(word)\" is not a number", at: start) }
      return sign * .infinity
    }
    if current == "N" {
      let word = parseIdentifier()
      guard word == "NaN" else { throw error("\"\(word)\" is not a number", at: start) }
      return .nan
    }
    if current == "0", index + 1 < scalars.count, scalars[index + 1] == "x" || scalars[index + 1] == "X" {
      advance()
      advance()
      while let c = current, c.properties.isASCIIHexDigit {
        text.unicodeScalars.append(c)
        advance()
      }
      guard let value = UInt64(text, radix: 16) else { throw error("\"0x\(text)\" is not a hexadecimal number", at: start) }
      return sign * Double(value)
    }
    while let c = current,
      c.properties.numericType == .decimal || c == "." || c == "e" || c == "E"
        || ((c == "+" || c == "-") && (text.hasSuffix("e") || text.hasSuffix("E")))
    {
      text.unicodeScalars.append(c)
      advance()
    }
    if let c = current, c.properties.isAlphabetic {
      // "30s" without quotes: a common slip in scenario files.
      let word = text + parseIdentifier()
      throw error("\(word) needs quotes: write \"\(word)\"", at: start)
    }
    var normalised = text
    if normalised.hasPrefix(".") { normalised = "0" + normalised }
    if normalised.hasSuffix(".") { normalised += "0" }
    guard let value = Double(normalised) else { throw error("\"\(text)\" is not a number", at: start) }
    return sign * value
  }
}
