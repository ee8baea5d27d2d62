import Foundation

/// A progress line on standard error for commands that run many simulations, shown only on a
/// terminal (scripts and CI see nothing), and cleared before the results print.
enum Progress {
  /// A progress callback for a terminal, or nil when standard error is not one.
  static func bar() -> (@Sendable (Int, Int) -> Void)? {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    let started = Date()
    return { done, total in draw(done, total, started) }
  }

  /// Clears the progress line (on a terminal).
  static func clear() {
    if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  static func draw(_ done: Int, _ total: Int, _ started: Date) {
    let elapsed = Date().timeIntervalSince(started)
    let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
    let width = 30
    let filled = total > 0 ? width * done / total : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    FileHandle.standardError.write(Data(String(format: "\r[%@] %d/%d runs  ETA %.0f s ", bar, done, total, eta).utf8))
  }
}
