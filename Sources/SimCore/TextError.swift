/// A value written as text (a duration, a rate, a distribution) that could not be read.
///
/// Its description quotes the bad value, says what was wrong and what is accepted, and
/// offers a corrected spelling when one is close: the pieces a scenario error needs,
/// to which the scenario layer adds the file, line, column and JSON path.
public struct TextError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The text as the user wrote it.
  public var value: String
  /// What is wrong with it, in plain words.
  public var problem: String
  /// What would be accepted instead.
  public var accepted: String
  /// A corrected spelling to suggest ("did you mean"), when there is a close one.
  public var suggestion: String?

  /// Creates an error about `value`.
  public init(value: String, problem: String, accepted: String, suggestion: String? = nil) {
    self.value = value
    self.problem = problem
    self.accepted = accepted
    self.suggestion = suggestion
  }

  public var description: String {
    var text = "\"\(value)\" is not valid: \(problem); expected \(accepted)"
    if let suggestion { text += ". Did you mean \"\(suggestion)\"?" }
    return text
  }
}
