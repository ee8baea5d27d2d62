import Foundation
import Topology

/// A run whose numbers do not add up: Drill names the invariant and the figures, exits 70
/// (EX_SOFTWARE) and prints no report, rather than a wrong number.
enum InternalError {
  static let exitCode: Int32 = 70

  /// The run's violations (tests can force one with DRILL_TEST_BREAK_INVARIANT).
  static func violations(of result: RunResult) -> [String] {
    var violations = result.invariantViolations
    if ProcessInfo.processInfo.environment["DRILL_TEST_BREAK_INVARIANT"] != nil {
      violations.append("requests: broken on purpose by DRILL_TEST_BREAK_INVARIANT")
    }
    return violations
  }

  /// Prints the internal error; returns the exit code.
  static func report(_ violations: [String], seed: UInt64, command: String, output: StandardStreams) -> Int32 {
    output.err("drill \(command): internal error: the run with seed \(seed) breaks its accounting; no report is printed.")
    for violation in violations { output.err("  \(violation)") }
    output.err("Please report this with the scenario file and the seed.")
    return exitCode
  }
}

/// Violations found by worker threads of a many-run command, kept for the end.
final class ViolationLog: @unchecked Sendable {
  private let lock = NSLock()
  private var found: [(seed: UInt64, violations: [String])] = []

  func check(_ result: RunResult) {
    let violations = InternalError.violations(of: result)
    guard !violations.isEmpty else { return }
    lock.lock()
    found.append((result.seed, violations))
    lock.unlock()
  }

  /// The first run that broke an invariant (by seed, so the message does not depend on threads).
  var first: (seed: UInt64, violations: [String])? {
    lock.lock()
    defer { lock.unlock() }
    return found.min { $0.seed < $1.seed }
  }
}
