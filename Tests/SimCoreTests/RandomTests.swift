import Testing

@testable import SimCore

@Suite("Random numbers")
struct RandomTests {
  @Test("SplitMix64 matches the reference splitmix64.c outputs for seed 1234567")
  func splitMixReference() {
    var g = SplitMix64(seed: 1_234_567)
    #expect(
      (0..<5).map { _ in g.next() } == [
        6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
        4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
      ])
  }

  @Test("xoshiro256** matches the reference xoshiro256starstar.c from state {1, 2, 3, 4} and from seed 42")
  func xoshiroReference() {
    var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
    #expect(
      (0..<6).map { _ in g.next() } == [
        11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360, 607_988_272_756_665_600,
      ])
    var seeded = Xoshiro256StarStar(seed: 42)
    #expect((0..<3).map { _ in seeded.next() } == [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009])
  }

  @Test("unit draws lie in [0, 1) and (0, 1) and average one half")
  func unitRange() {
    var g = Xoshiro256StarStar(seed: 7)
    var stats = RunningStatistics()
    for _ in 0..<100_000 {
      let u = g.nextUnit()
      let v = g.nextOpenUnit()
      #expect(u >= 0 && u < 1 && v > 0 && v < 1)
      stats.record(u)
    }
    #expect(abs(stats.mean - 0.5) < 5 * (1.0 / 12).squareRoot() / 100_000.0.squareRoot())
  }

  @Test("a named stream is the same sequence every time; other names and other seeds differ")
  func streams() {
    let streams = RandomStreams(seed: 2026)
    var a1 = streams.stream(named: "dns.checker.0")
    var a2 = RandomStreams(seed: 2026).stream(named: "dns.checker.0")
    var b = streams.stream(named: "dns.checker.1")
    var c = RandomStreams(seed: 2027).stream(named: "dns.checker.0")
    let x1 = (0..<100).map { _ in a1.next() }
    #expect(x1 == (0..<100).map { _ in a2.next() })
    let xb = (0..<100).map { _ in b.next() }
    let xc = (0..<100).map { _ in c.next() }
    #expect(Set(x1).isDisjoint(with: xb))
    #expect(Set(x1).isDisjoint(with: xc))
  }

  @Test("drawing from one stream does not change another (adding a component leaves the others alone)")
  func independence() {
    let streams = RandomStreams(seed: 9)
    var lb = streams.stream(named: "lb")
    let alone = (0..<10).map { _ in lb.next() }
    var extra = streams.stream(named: "new-component")
    _ = (0..<1000).map { _ in extra.next() }
    var lbAgain = streams.stream(named: "lb")
    #expect((0..<10).map { _ in lbAgain.next() } == alone)
  }

  @Test("stream names hash with FNV-1a 64, stable across runs and machines")
  func stableHash() {
    #expect(RandomStreams.stableHash("") == 0xCBF2_9CE4_8422_2325)
    #expect(RandomStreams.stableHash("a") == 0xAF63_DC4C_8601_EC8C)
    #expect(RandomStreams.stableHash("foobar") == 0x8594_4171_F739_67E8)
  }

  @Test("replication seeds are distinct and do not depend on the replication count")
  func replicationSeeds() {
    let streams = RandomStreams(seed: 1)
    let seeds = (0..<1000).map(streams.replicationSeed)
    #expect(Set(seeds).count == 1000)
    #expect(streams.replicationSeed(17) == RandomStreams(seed: 1).replicationSeed(17))
  }
}
