/// SplitMix64 (Steele, Lea and Flood, 2014; constants as in Vigna's reference `splitmix64.c`).
///
/// A 64-bit-state generator used here only to expand one seed into the 256-bit state of
/// ``Xoshiro256StarStar``, as that generator's authors recommend: consecutive outputs are
/// well mixed even for seeds 0, 1, 2…
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// A generator whose first output derives from `seed`.
  @inlinable public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
