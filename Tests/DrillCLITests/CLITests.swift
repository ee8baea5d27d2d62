import Foundation
import Testing

/// Runs the built `drill` binary and captures what it prints.
struct DrillProcess {
  var status: Int32
  var stdout: String
  var stderr: String

  /// The `drill` executable next to this test bundle (SwiftPM builds both into one folder).
  static var executable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("drill")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    // Fall back to the package's own build folder.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/drill")
  }

  static func run(_ arguments: [String]) throws -> DrillProcess {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return DrillProcess(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
  }
}

@Suite("drill command line")
struct CLITests {
  @Test("no arguments prints the overview and succeeds")
  func overview() throws {
    let result = try DrillProcess.run([])
    #expect(result.status == 0)
    #expect(result.stdout.contains("usage: drill COMMAND"))
  }

  @Test("an unknown command is a usage error with a suggestion, exit code 2")
  func unknownCommand() throws {
    let result = try DrillProcess.run(["sampel"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("unknown command \"sampel\"") && result.stderr.contains("Did you mean \"sample\"?"))
    #expect(result.stdout.isEmpty)
  }

  @Test("sample prints exact and sampled figures; the same seed prints the same bytes")
  func sampleDeterminism() throws {
    let args = ["sample", "lognormal(mean: 120ms, p99: 900ms)", "--samples", "20000", "--seed", "7"]
    let first = try DrillProcess.run(args)
    let second = try DrillProcess.run(args)
    #expect(first.status == 0)
    #expect(first.stdout == second.stdout)
    #expect(first.stdout.contains("seed          7"))
    #expect(first.stdout.contains("p99           900ms"))
    let other = try DrillProcess.run(["sample", "lognormal(mean: 120ms, p99: 900ms)", "--samples", "20000", "--seed", "8"])
    #expect(other.stdout != first.stdout)
  }

  @Test("sample --json parses and carries the seed")
  func sampleJSON() throws {
    let result = try DrillProcess.run(["sample", "exp(mean: 80ms)", "--json", "--samples", "1000", "--seed", "3"])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    #expect(object["seed"] as? Int == 3)
    #expect((object["exact"] as! [String: Any])["mean"] as? Double == 0.08)
  }

  @Test(
    "bad input gives the bad value in quotes and exit code 2",
    arguments: [
      (["sample", "lognorml(mean: 1s, p99: 2s)"], "Did you mean \"lognormal(mean: 1s, p99: 2s)\"?"),
      (["sample", "exp(mean: 80ms)", "--samles", "5"], "Did you mean \"--samples\"?"),
      (["sample", "exp(mean: 80ms)", "--samples", "lots"], "--samples \"lots\" is not a whole number"),
      (["sample", "exp(mean: 80ms)", "--seed", "-1"], "--seed \"-1\" is not a whole number"),
      (["sample"], "give exactly one distribution"),
      (["sample", "exp(mean: 80ms)", "--samples"], "--samples needs a value"),
    ])
  func badInput(arguments: [String], message: String) throws {
    let result = try DrillProcess.run(arguments)
    #expect(result.status == 2)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }
}
