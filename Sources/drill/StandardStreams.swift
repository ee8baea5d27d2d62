import Foundation

/// Where the tool writes: standard output and standard error.
struct StandardStreams {
  func out(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
  /// Writes `text` exactly, with no newline added (for generated files).
  func raw(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
  func err(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
