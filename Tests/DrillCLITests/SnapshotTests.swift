import Foundation
import Testing

/// Every shipped scenario's text, `--json` and `--csv` output, byte for byte, against the
/// copies in Tests/Snapshots/. A change that moves any figure fails here; if the change is
/// meant, `Scripts/update-snapshots.sh` records the new output and the commit says why.
@Suite("snapshots of the shipped scenarios")
struct SnapshotTests {
  static let snapshots = ScenarioCLITests.root.appendingPathComponent("Tests/Snapshots")

  static let scenarios: [String] = {
    let folder = ScenarioCLITests.root.appendingPathComponent("scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".json5") }.map { String($0.dropLast(6)) }.sorted()
  }()

  /// The first line where two texts differ, for a readable failure.
  static func firstDifference(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
      return "line \(i + 1):\n  expected: \(i < a.count ? String(a[i]) : "<end>")\n  actual:   \(i < b.count ? String(b[i]) : "<end>")"
    }
    return "same lines"
  }

  @Test("every shipped scenario has a snapshot")
  func complete() throws {
    #expect(Self.scenarios.count == 12)
    for name in Self.scenarios {
      for suffix in ["txt", "json", "csv"] {
        #expect(
          FileManager.default.fileExists(atPath: Self.snapshots.appendingPathComponent("\(name).\(suffix)").path), "\(name).\(suffix)")
      }
    }
  }

  @Test("text, --json and --csv are byte-identical to the snapshot", arguments: scenarios)
  func matches(name: String) throws {
    let file = ScenarioCLITests.path("scenarios/\(name).json5")
    let folder = try scratchFolder("snapshot")
    let csvPath = folder.appendingPathComponent("series.csv").path
    let text = try DrillProcess.run(["run", file, "--csv", csvPath])
    #expect(text.status == 0, "\(text.stderr)")
    let json = try DrillProcess.run(["run", file, "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let outputs = [("txt", text.stdout), ("json", json.stdout), ("csv", try String(contentsOfFile: csvPath, encoding: .utf8))]
    for (suffix, actual) in outputs {
      let expected = try String(contentsOf: Self.snapshots.appendingPathComponent("\(name).\(suffix)"), encoding: .utf8)
      #expect(actual == expected, "\(name).\(suffix) differs at \(Self.firstDifference(expected, actual))")
    }
  }
}
