import Foundation
import Testing

@testable import SimCore

@Suite("Durations and instants")
struct DurationTextTests {
  @Test("readable construction gives exact nanoseconds")
  func construction() {
    #expect(SimDuration.seconds(30).nanoseconds == 30_000_000_000)
    #expect(SimDuration.milliseconds(40).nanoseconds == 40_000_000)
    #expect(SimDuration.minutes(5) == .seconds(300))
    #expect(SimDuration.hours(1) + .minutes(30) == .minutes(90))
    #expect(SimDuration(seconds: 0.1).nanoseconds == 100_000_000)
    #expect(SimTime.zero + .seconds(10) - SimTime.zero == .seconds(10))
    // Thirty 10-second intervals add up to exactly five minutes: no drift.
    var t = SimTime.zero
    for _ in 0..<30 { t += .seconds(10) }
    #expect(t == SimTime.at(.minutes(5)))
  }

  @Test(
    "parsing readable text",
    arguments: [
      ("30s", 30 * SimDuration.Unit.second), ("1h30m", 90 * SimDuration.Unit.minute), ("40ms", 40 * SimDuration.Unit.millisecond),
      ("1.5s", 1_500_000_000), ("0.1s", 100_000_000), ("250us", 250_000), ("250µs", 250_000), ("7ns", 7),
      ("2d", 2 * SimDuration.Unit.day), ("1h 2m 3s", 3_723_000_000_000), ("0", 0), ("-5s", -5_000_000_000),
      ("5m15s", 315_000_000_000), (" 10s ", 10_000_000_000), ("1.000000001s", 1_000_000_001),
    ] as [(String, Int64)])
  func parsing(text: String, nanoseconds: Int64) throws {
    #expect(try SimDuration(parsing: text).nanoseconds == nanoseconds)
  }

  @Test(
    "formatting is compact and exact",
    arguments: [
      (SimDuration.zero, "0s"), (.milliseconds(40), "40ms"), (.seconds(30), "30s"), (.milliseconds(1500), "1.5s"),
      (.minutes(62), "1h02m"), (.seconds(315), "5m15s"), (.seconds(305), "5m05s"), (.seconds(3605), "1h00m05s"),
      (.hours(51), "2d03h"), (.microseconds(250), "250us"), (.nanoseconds(7), "7ns"), (.seconds(-5), "-5s"),
      (.nanoseconds(1_000_000_001), "1.000000001s"), (.minutes(5), "5m"), (.days(1), "1d"),
    ] as [(SimDuration, String)])
  func formatting(duration: SimDuration, text: String) {
    #expect(duration.description == text)
  }

  @Test("format then parse gives back the same duration, for 10,000 random durations (seed 20261126)")
  func roundTrip() throws {
    var rng = Xoshiro256StarStar(seed: 20_261_126)
    for _ in 0..<10_000 {
      // Magnitudes from nanoseconds to weeks.
      let scale = Int64(1) << Int64(rng.next() % 50)
      let value = Int64(rng.next() % UInt64(scale)) * (rng.next() % 2 == 0 ? 1 : -1)
      let duration = SimDuration(nanoseconds: value)
      #expect(try SimDuration(parsing: duration.description) == duration, "\(duration)")
    }
  }

  @Test(
    "bad duration text says what is wrong and what is accepted",
    arguments: [
      ("", "it is empty", nil), ("30", "has no unit", nil), ("5min", "\"min\" is not a unit", "5m"),
      ("10 secs", "\"secs\" is not a unit", "10 s"), ("30x", "\"x\" is not a unit", nil), ("1m1h", "largest to smallest", nil),
      ("abc", "expected a number", nil), ("0.5ns", "finer than a nanosecond", nil),
      ("99999999999d", "too long", nil), ("10hrs", "\"hrs\" is not a unit", "10h"),
    ] as [(String, String, String?)])
  func errors(text: String, problem: String, suggestion: String?) {
    #expect {
      try SimDuration(parsing: text)
    } throws: { error in
      let e = error as! TextError
      return e.value == text && e.problem.contains(problem) && e.suggestion == suggestion
        && e.accepted.contains("s\"")
    }
  }

  @Test("the error message quotes the value and offers a correction")
  func errorMessage() {
    do {
      _ = try SimDuration(parsing: "5min")
      Issue.record("5min parsed")
    } catch {
      #expect(
        error.description
          == "\"5min\" is not valid: \"min\" is not a unit; expected a duration such as \"30s\", \"1h30m\", \"40ms\" or \"1.5s\" (units: d, h, m, s, ms, us, ns). Did you mean \"5m\"?"
      )
    }
  }

  @Test("instants print as the case study's T+m:ss, relative to the first fault")
  func offsets() {
    let fault = SimTime.at(.minutes(10))
    #expect((fault + .seconds(315)).offsetDescription(from: fault) == "T+5:15")
    #expect(fault.offsetDescription(from: fault) == "T+0:00")
    // To the nearest second, as the reports' clock times.
    #expect((fault + .seconds(90) + .milliseconds(499)).offsetDescription(from: fault) == "T+1:30")
    #expect((fault + .seconds(90) + .milliseconds(500)).offsetDescription(from: fault) == "T+1:31")
    #expect((fault + .seconds(3915)).offsetDescription(from: fault) == "T+1:05:15")
    #expect((fault - .seconds(30)).offsetDescription(from: fault) == "T-0:30")
  }
}

@Suite("Time arithmetic at the clock's limits")
struct ClockLimitTests {
  @Test("durations saturate at ±2^62 ns instead of trapping; instants saturate at the distant future")
  func saturation() {
    #expect(SimDuration(seconds: 1e300) == SimDuration.limit)
    #expect(SimDuration(seconds: -1e300) == -SimDuration.limit)
    #expect(SimDuration(seconds: .infinity) == SimDuration.limit)
    #expect(SimDuration(seconds: .nan) == SimDuration.limit)
    #expect(SimDuration.limit + SimDuration.limit == SimDuration.limit)
    #expect(SimDuration.limit * Int64(1_000) == SimDuration.limit)
    #expect(-SimDuration.limit - SimDuration.limit == -SimDuration.limit)
    #expect(SimTime.distantFuture + .seconds(1) == .distantFuture)
    #expect(SimTime.at(.days(366)) + SimDuration.limit > SimTime.at(.days(366)))
    // Ordinary values are exact as before.
    #expect(SimDuration(seconds: 1.5) == .milliseconds(1_500))
    #expect(SimTime.at(.seconds(10)) + .seconds(5) == .at(.seconds(15)))
  }

  @Test("seconds round to the nearest nanosecond, halves away from zero, exactly as Double.rounded()")
  func roundingMatchesTheStandardLibrary() {
    func expected(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
    // Halves in both directions, whole values, values just beside a half, and values so
    // large that every Double is whole.
    var cases: [Double] = [0, -0.0, 0.5e-9, -0.5e-9, 1.5e-9, -1.5e-9, 2.5e-9, 1e-10, 4.9999e-10, 5.0001e-10, 1e9, 4.5e9, -4.5e9]
    let twoTo53: Double = 9_007_199_254_740_992
    let large: [Double] = [(twoTo53 + 2) / 1e9, -(twoTo53 + 2) / 1e9, 0x1.fffffffffffffp52 / 1e9, 123_456.000_000_000_5]
    cases += large
    var rng = Xoshiro256StarStar(seed: 7)
    for _ in 0..<20_000 {
      let magnitude = pow(10, Double(Int(rng.next() % 22)) - 12)
      cases.append((rng.nextUnit() * 2 - 1) * magnitude)
      cases.append((Double(Int64(rng.next() % 1_000_000)) + 0.5) / 1e9)
    }
    // Exact ties (seconds · 1e9 lands on a half), both signs, small and near 2^51, where the
    // rounding switches method.
    for _ in 0..<20_000 {
      let whole = Double(rng.next() % (1 << UInt64(1 + rng.next() % 50)))
      for scaled in [whole + 0.5, -(whole + 0.5)] where (scaled / 1e9) * 1e9 == scaled { cases.append(scaled / 1e9) }
    }
    for scaled in [0x1p51, 0x1p51 - 0.5, 0x1p51 - 1, 0x1p51 + 1, -0x1p51, -0x1p51 + 0.5, 0x1p52 + 1] {
      cases += [scaled / 1e9, (scaled / 1e9).nextUp, (scaled / 1e9).nextDown]
    }
    #expect(cases.filter { ($0 * 1e9).rounded(.towardZero) + 0.5 == $0 * 1e9 && $0 > 0 }.count > 1_000, "ties are tested")
    for seconds in cases {
      #expect(SimDuration(seconds: seconds).nanoseconds == expected(seconds), "\(seconds) s")
    }
  }
}
