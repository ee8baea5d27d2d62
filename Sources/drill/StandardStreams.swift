import Foundation

/// Where the tool writes: standard output and standard error.
struct StandardStreams {
  func out(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
  func err(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
