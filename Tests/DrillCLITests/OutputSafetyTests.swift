import Foundation
import Testing

@testable import drill

/// A fresh folder under the system's temporary folder.
func scratchFolder(_ label: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("drill-\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Every entry under `folder`, relative, sorted, with each file's contents.
func snapshot(of folder: URL) throws -> [String: String] {
  var result: [String: String] = [:]
  let enumerator = FileManager.default.enumerator(atPath: folder.path)!
  while let relative = enumerator.nextObject() as? String {
    let url = folder.appendingPathComponent(relative)
    var isDirectory: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
    result[relative] = isDirectory.boolValue ? "<folder>" : (try? String(contentsOf: url, encoding: .utf8)) ?? "<binary>"
  }
  return result
}

@Suite("output safety: never delete a folder, all files or none")
struct OutputSafetyTests {
  static let scenario = ScenarioCLITests.path("scenarios/both-regions-down.json5")

  /// A folder holding a file the user cares about.
  static func precious() throws -> URL {
    let folder = try scratchFolder("precious")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("mine"), withIntermediateDirectories: true)
    try Data("keep me\n".utf8).write(to: folder.appendingPathComponent("mine/thesis.txt"))
    return folder
  }

  @Test(
    "an output option aimed at an existing folder is refused with exit 2 and the folder is untouched",
    arguments: [
      ["run", scenario, "--html", "mine"],
      ["run", scenario, "--csv", "mine"],
      ["run", scenario, "--svg", "mine/thesis.txt"],
      ["run", scenario, "--html", "mine/"],
      ["run", scenario, "--html", "mine/thesis.txt/report.html"],
      ["run", scenario, "--replications", "2", "--csv", "mine"],
      ["run", scenario, "--replications", "2", "--html", "mine"],
      ["run", scenario, "--replications", "2", "--shard", "1/2", "--out", "mine"],
      ["sweep", scenario, "--vary", "dns.ttl=30s,60s", "--replications", "1", "--csv", "mine"],
      ["cost", scenario, "--loads", "10/s", "--svg", "mine/thesis.txt"],
    ])
  func folderRefused(arguments: [String]) throws {
    let folder = try Self.precious()
    let before = try snapshot(of: folder)
    let result = try DrillProcess.run(arguments, in: folder)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("\"mine"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(try snapshot(of: folder) == before)
  }

  @Test("--html \"\" and --html . are refused and the current folder is untouched", arguments: ["", ".", "./", ".."])
  func currentFolder(path: String) throws {
    let folder = try Self.precious()
    let before = try snapshot(of: folder)
    let result = try DrillProcess.run(["run", Self.scenario, "--html", path], in: folder)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("--html \"\(path)\""))
    #expect(try snapshot(of: folder) == before)
  }

  @Test("an existing file at a file path is replaced, as users expect of an output option")
  func replacesFile() throws {
    let folder = try scratchFolder("replace")
    let html = folder.appendingPathComponent("report.html")
    try Data("old".utf8).write(to: html)
    let result = try DrillProcess.run(["run", Self.scenario, "--quiet", "--html", "report.html", "--csv", "series.csv"], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOf: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    #expect(try Set(FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["report.html", "series.csv"])
  }

  @Test("when one output cannot be written, none is left behind: no CSV, no charts, no temporary files, no new folders")
  func oneFailsNoneStays() throws {
    let folder = try scratchFolder("fails")
    // Nobody, not even root, can create a folder under /proc.
    let result = try DrillProcess.run(
      [
        "run", Self.scenario, "--quiet", "--csv", "out/series.csv", "--svg", "charts", "--html",
        "/proc/drill-test-\(UUID().uuidString)/report.html",
      ],
      in: folder)
    #expect(result.status == 1)
    #expect(
      result.stderr.contains("cannot create the folder \"/proc/drill-test-") && result.stderr.contains("nothing was written"),
      "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(try snapshot(of: folder) == [:])
  }

  @Test("a failure while renaming puts back every file already replaced and removes the rest")
  func rollBackAfterRenames() throws {
    let folder = try scratchFolder("rename")
    let a = folder.appendingPathComponent("a.txt").path
    let b = folder.appendingPathComponent("sub/b.txt").path
    let c = folder.appendingPathComponent("c.txt").path
    try Data("old a".utf8).write(to: URL(fileURLWithPath: a))
    struct Injected: Error {}
    let files = OutputTransaction()
    files.add("new a", at: a)
    files.add("new b", at: b)
    files.add("new c", at: c)
    files.beforeRename = { index in if index == 2 { throw Injected() } }
    #expect(throws: Injected.self) { try files.commit() }
    #expect(try snapshot(of: folder) == ["a.txt": "old a"])

    let again = OutputTransaction()
    again.add("new a", at: a)
    again.add("new b", at: b)
    try again.commit()
    #expect(try snapshot(of: folder) == ["a.txt": "new a", "sub": "<folder>", "sub/b.txt": "new b"])
  }

  @Test(
    "SIGINT or SIGTERM while the files are written removes them all and exits 130 or 143",
    arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
  func interrupted(signal: Int32, status: Int32) throws {
    let folder = try scratchFolder("signal")
    try Data("old".utf8).write(to: folder.appendingPathComponent("report.html"))
    let process = Process()
    process.executableURL = DrillProcess.executable
    process.arguments = ["run", Self.scenario, "--quiet", "--html", "report.html", "--csv", "series.csv", "--svg", "charts"]
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(["DRILL_TEST_PAUSE_BEFORE_RENAME": "30"]) { $1 }
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    try process.run()
    // Wait until every temporary file is written (the run pauses before renaming them).
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      let charts = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("charts").path)) ?? []
      if names.contains(where: { $0.hasPrefix(".series.csv.drill-") }) && names.contains(where: { $0.hasPrefix(".report.html.drill-") })
        && charts.contains(where: { $0.hasPrefix(".instances.svg.drill-") })
      {
        // Any chart after it (queues, when there are any) is written within moments.
        Thread.sleep(forTimeInterval: 0.5)
        break
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    #expect(process.terminationStatus == status)
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(message.contains("interrupted; no output file was written"))
    #expect(try snapshot(of: folder) == ["report.html": "old"])
  }
}

@Suite("an internal error is never a report")
struct InternalErrorTests {
  @Test(
    "a run whose accounting breaks prints an internal error naming it, exits 70 and prints no report",
    arguments: [
      ["run", OutputSafetyTests.scenario], ["run", OutputSafetyTests.scenario, "--replications", "2", "--jobs", "1"],
    ])
  func exit70(arguments: [String]) throws {
    let result = try DrillProcess.run(arguments, environment: ["DRILL_TEST_BREAK_INVARIANT": "1"])
    #expect(result.status == 70)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("internal error") && result.stderr.contains("broken on purpose"), "\(result.stderr)")
  }
}
