/// A JSON5 value with where it came from, so every error can point at its line and column.
public indirect enum JSON5Value: Sendable {
  case null(SourceSpan)
  case bool(Bool, SourceSpan)
  case number(Double, SourceSpan)
  case string(String, SourceSpan)
  case array([JSON5Value], SourceSpan)
  /// Members in file order; each key keeps its own span.
  case object([JSON5Member], SourceSpan)

  /// Where the value starts.
  public var span: SourceSpan {
    switch self {
    case .null(let s), .bool(_, let s), .number(_, let s), .string(_, let s), .array(_, let s), .object(_, let s): return s
    }
  }

  /// The value as it would be written (for quoting in errors).
  public var text: String {
    switch self {
    case .null: return "null"
    case .bool(let b, _): return b ? "true" : "false"
    case .number(let d, _): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    case .string(let s, _): return s
    case .array(let items, _): return "[" + items.map(\.text).joined(separator: ", ") + "]"
    case .object(let members, _): return "{" + members.map { "\($0.key): \($0.value.text)" }.joined(separator: ", ") + "}"
    }
  }

  /// A short name of the value's type, for "expected a duration, found an object".
  public var kindName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "a list"
    case .object: return "an object"
    }
  }
}

/// One `key: value` of an object.
public struct JSON5Member: Sendable {
  public var key: String
  public var keySpan: SourceSpan
  public var value: JSON5Value
}

/// A place in a named source: which text, and the line and column there.
public struct SourceSpan: Sendable, Hashable {
  /// The file path, or the name of a built-in text (`reading case-study`).
  public var source: String
  public var location: SourceLocation

  public init(source: String, location: SourceLocation) {
    self.source = source
    self.location = location
  }
}
