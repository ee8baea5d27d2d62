/// Independent random streams for one run, each named after the component that draws from it.
///
/// A stream's generator is seeded from the run seed and a stable 64-bit hash of its name
/// (FNV-1a, not Swift's per-process `Hasher`), so:
/// - components draw without disturbing one another: adding a checker does not change the
///   draws of the load balancer;
/// - two configurations run with one seed share their random inputs stream by stream
///   (common random numbers), so their difference is the effect of the change, not noise;
/// - the same seed gives the same draws on every machine and every run.
public struct RandomStreams: Sendable {
  /// The run seed every stream derives from.
  public let seed: UInt64

  /// Streams for the run seeded with `seed`.
  public init(seed: UInt64) { self.seed = seed }

  /// The generator for the stream called `name` (for example `"dns.checker.7"`).
  public func stream(named name: String) -> Xoshiro256StarStar {
    Xoshiro256StarStar(seed: Self.derive(seed, Self.stableHash(name)))
  }

  /// The seed of replication `index` of a run seeded with `seed`: replications are
  /// independent runs whose seeds do not depend on how many there are.
  public func replicationSeed(_ index: Int) -> UInt64 {
    Self.derive(seed, Self.stableHash("replication") &+ UInt64(truncatingIfNeeded: index))
  }

  /// FNV-1a 64-bit hash of the UTF-8 bytes of `text`: stable across runs, machines and
  /// Swift versions.
  public static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// Mixes two 64-bit values through SplitMix64 so nearby inputs give unrelated outputs.
  static func derive(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var first = SplitMix64(seed: a)
    var second = SplitMix64(seed: first.next() ^ b)
    return second.next()
  }
}
