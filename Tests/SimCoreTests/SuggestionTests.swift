import Testing

@testable import SimCore

@Suite("Did you mean")
struct SuggestionTests {
  @Test("close misspellings are suggested; distant words are not")
  func nearest() {
    let keys = ["interval", "threshold", "timeout", "checkers", "ttl"]
    #expect(Suggestion.nearest(to: "intervall", among: keys) == "interval")
    #expect(Suggestion.nearest(to: "treshold", among: keys) == "threshold")
    #expect(Suggestion.nearest(to: "timeuot", among: keys) == "timeout")  // transposition
    #expect(Suggestion.nearest(to: "TTL", among: keys) == "ttl")
    #expect(Suggestion.nearest(to: "checkr", among: keys) == "checkers")
    #expect(Suggestion.nearest(to: "banana", among: keys) == nil)
    #expect(Suggestion.nearest(to: "interval", among: keys) == nil)
    #expect(Suggestion.editDistance("kitten", "sitting") == 3)
  }
}

@Suite("Counted nouns")
struct CountedTests {
  @Test("one write, two writes, no writes; irregular plurals given")
  func counts() {
    #expect(counted(1, "write") == "1 write")
    #expect(counted(2, "write") == "2 writes")
    #expect(counted(0, "write") == "0 writes")
    #expect(counted(3, "query", plural: "queries") == "3 queries")
  }
}
