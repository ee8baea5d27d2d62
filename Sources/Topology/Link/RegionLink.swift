import SimCore

/// The network between the regions: whether a message gets through, and how long it takes
/// (half a round-trip draw, plus a fault's added latency or slowdown, plus a retransmission
/// per loss). Owns its fault and a random stream per kind of traffic. Whether a region is dark is the
/// model's to say; the link is down between a dark region and any other.
struct RegionLink {
  let config: RegionLinkConfig?
  /// A fault on the link, in one direction (from that region) or both (nil).
  var fault: FaultMode?
  var faultFrom: RegionID?
  /// One stream per kind of traffic, so more of one (more health checks, say) shifts no
  /// other's delays.
  var random: StateArray<Xoshiro256StarStar>

  init(config: RegionLinkConfig?, streams: RandomStreams) {
    self.config = config
    random = StateArray(Traffic.allCases.map { streams.stream(named: "link.\($0.rawValue)") })
  }

  /// Gives the streams storage of their own if a copy shares them (``StateArray``).
  mutating func makeUnique() { random.makeUnique() }

  /// What crosses the link.
  enum Traffic: String, CaseIterable {
    case queries, replies, wal, feedback, checks
  }

  /// Whether a message from region `a` to region `b` gets through now.
  func isUp(from a: RegionID, to b: RegionID, regionDown: [Bool]) -> Bool {
    if a == b { return true }
    if regionDown[Int(a)] || regionDown[Int(b)] { return false }
    if case .crash = fault, faultFrom == nil || faultFrom == a { return false }
    if case .hang = fault, faultFrom == nil || faultFrom == a { return false }
    return true
  }

  /// One-way delay of a message from `a` to `b` (0 within a region).
  mutating func oneWay(from a: RegionID, to b: RegionID, carrying traffic: Traffic) -> SimDuration {
    guard a != b, let config else { return .zero }
    let k = traffic.index
    var delay = config.roundTrip(Int(a), Int(b)).sampleDuration(&random[k]) / 2
    let applies = faultFrom == nil || faultFrom == a
    if applies, case .latency(let extra) = fault { delay += extra }
    if applies, case .slow(let factor) = fault { delay = delay * factor }
    if applies, case .errors(let rate) = fault {
      while random[k].nextUnit() < rate { delay += config.retransmitTimeout }
    }
    return delay
  }

  /// Serialising `bytes` on the link's bandwidth (0 within a region).
  func transmission(_ bytes: Double, from a: RegionID, to b: RegionID) -> SimDuration {
    guard a != b, let config else { return .zero }
    return SimDuration(seconds: bytes / config.bandwidth)
  }

  /// A fault on the link begins (a mode) or ends (nil).
  mutating func setFault(_ mode: FaultMode?, from region: Int?) {
    fault = mode
    faultFrom = region.map { RegionID($0) }
  }
}

extension RegionLink.Traffic {
  /// Its slot among the link's streams.
  var index: Int { RegionLink.Traffic.allCases.firstIndex(of: self)! }
}
