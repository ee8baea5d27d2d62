import Foundation
import Testing

@testable import Reports

@Suite("JSON writer")
struct JSONValueTests {
  @Test("keys keep their order and the text parses back with Foundation")
  func orderAndValidity() throws {
    let doc = JSONValue.object([
      ("seed", .int(42)), ("metrics", .object([("availability", .double(0.9995)), ("rto_seconds", .double(315))])),
      ("timeline", .array([.object([("at", .double(90)), ("text", .string("DNS marked \"delhi\" unhealthy\n\t\u{1}"))])])),
      ("missing", .null), ("ok", .bool(true)), ("nan", .double(.nan)),
    ])
    let text = doc.serialized()
    #expect(text.hasPrefix("{\"seed\":42,\"metrics\":{\"availability\":0.9995,\"rto_seconds\":315},"))
    #expect(text.contains("\\\"delhi\\\" unhealthy\\n\\t\\u0001"))
    #expect(text.hasSuffix("\"missing\":null,\"ok\":true,\"nan\":null}"))
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    #expect(parsed["seed"] as? Int == 42)
    let pretty = doc.serialized(pretty: true)
    #expect(pretty.contains("\n  \"metrics\": {\n    \"availability\": 0.9995"))
    #expect(try JSONSerialization.jsonObject(with: Data(pretty.utf8)) is [String: Any])
  }

  @Test("numbers print the same way every time: integers bare, others shortest round-trip")
  func numbers() {
    #expect(JSONValue.double(3).serialized() == "3")
    #expect(JSONValue.double(0.1).serialized() == "0.1")
    #expect(JSONValue.double(-2.5e-7).serialized() == "-2.5e-07")
    #expect(JSONValue.double(.infinity).serialized() == "null")
    #expect(JSONValue.array([]).serialized() == "[]" && JSONValue.object([]).serialized() == "{}")
  }
}
