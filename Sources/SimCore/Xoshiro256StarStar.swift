/// xoshiro256** 1.0 (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
/// 2021; reference code at prng.di.unimi.it): Drill's random number generator.
///
/// 256 bits of state, period 2^256 − 1, passes BigCrush, a few nanoseconds a draw. A value
/// type, so a component owns its stream and copying a generator forks it. Seeded through
/// ``SplitMix64`` so that any 64-bit seed (even 0) gives a well-mixed state.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// A generator whose state is expanded from `seed` by ``SplitMix64``.
  public init(seed: UInt64) {
    var expander = SplitMix64(seed: seed)
    self.init(state: (expander.next(), expander.next(), expander.next(), expander.next()))
  }

  /// A generator with exactly this state (for reproducing reference outputs).
  ///
  /// - Precondition: the state is not all zero.
  public init(state: (UInt64, UInt64, UInt64, UInt64)) {
    precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
    (s0, s1, s2, s3) = state
  }

  /// The next 64 random bits.
  @inlinable @inline(__always) public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// A uniform double in [0, 1), from the top 53 bits (every value a multiple of 2^-53).
  @inlinable @inline(__always) public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in (0, 1): never 0, so `log` of it is finite.
  @inlinable @inline(__always) public mutating func nextOpenUnit() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// Masking shifts (k is 7 or 45), which LLVM turns into one rotate instruction; the
  /// standard shifts check for shifts of 64 or more first.
  @inlinable @inline(__always) func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x &<< k) | (x &>> (64 &- k)) }
}
