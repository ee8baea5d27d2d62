import Foundation
import Testing

@testable import Scenarios

@Suite("Diagnostics")
struct DiagnosticTests {
  @Test("byte offsets become 1-based lines and character columns")
  func locations() {
    let text = "{\n  // comment\n  \"ttl\": \"6o s\",\n  \"name\": \"Chennai – backup\"\n}\n"
    let ttl = text.utf8.count - text[text.range(of: "\"6o s\"")!.lowerBound...].utf8.count
    #expect(SourceLocation(offset: ttl, in: text) == SourceLocation(line: 3, column: 10))
    #expect(SourceLocation(offset: 0, in: text) == SourceLocation(line: 1, column: 1))
    // Columns count characters, not bytes: "–" is three bytes.
    let brace = text.utf8.count - 2
    #expect(SourceLocation(offset: brace, in: text) == SourceLocation(line: 5, column: 1))
  }

  @Test("diagnostics print as file:line:col: error: path: message")
  func format() {
    let d = Diagnostic(
      file: "scenarios/x.json5", location: SourceLocation(line: 12, column: 7), path: "faults[0].target",
      message: "\"delhi.frontnd\" is not a part of the topology. Did you mean \"delhi.frontend\"?")
    #expect(
      d.description
        == "scenarios/x.json5:12:7: error: faults[0].target: \"delhi.frontnd\" is not a part of the topology. Did you mean \"delhi.frontend\"?"
    )
    #expect(Diagnostic(file: "a.json5", message: "empty file").description == "a.json5: error: empty file")
  }
}
