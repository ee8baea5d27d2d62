import Foundation
import SimCore
import Testing

@testable import Scenarios
@testable import Topology

/// More than two regions: a round trip per pair, deployments without one region, region keys.
@Suite("More than two regions")
struct RegionTests {
  static let three = """
    { version: 1, base: "documented", duration: "20m", clients: { rate: "20/s" },
      regions: { mumbai: { new: true } },
      dns: { weights: { mumbai: 30 } },
      databases: { mumbai: { role: "replica", upstream: "delhi" } },
      monitors: { mumbai: {} },
      link: { roundTrip: "40ms", roundTrips: { mumbai: { delhi: "30ms", chennai: "24ms" } } },
      faults: [{ at: "10m", target: "mumbai.database", mode: "crash", duration: "1m" },
               { at: "11m", target: "chennai", mode: "crash", duration: "1m" }],
      actions: [{ at: "15m", do: "set-weight", region: "mumbai", weight: 0 }] }
    """

  @Test("each pair of regions takes its own round trip; pairs not named take link.roundTrip")
  func roundTripMatrix() throws {
    let config = try Scenario.parse(Self.three, file: "three.json5").config
    var link = RegionLink(config: config.dataPath!.link, streams: RandomStreams(seed: 1))
    let (delhi, chennai, mumbai) = (RegionID(0), RegionID(1), RegionID(2))
    #expect(link.oneWay(from: delhi, to: chennai, carrying: .queries) == .milliseconds(20))
    #expect(link.oneWay(from: mumbai, to: delhi, carrying: .wal) == .milliseconds(15))
    #expect(link.oneWay(from: delhi, to: mumbai, carrying: .replies) == .milliseconds(15))
    #expect(link.oneWay(from: chennai, to: mumbai, carrying: .checks) == .milliseconds(12))
    #expect(link.oneWay(from: mumbai, to: mumbai, carrying: .queries) == .zero)
  }

  @Test("a write's commit waits one round trip to its synchronous standby: the pair's, not the default")
  func synchronousCommitPaysThePairRoundTrip() throws {
    func writeP50(_ roundTrips: String) throws -> Double {
      let scenario = try Scenario.parse(
        """
        { version: 1, base: "documented", duration: "5m", clients: { rate: "20/s", mix: { pageLoad: 0, apiRead: 0, apiWrite: 1 } },
          regions: { mumbai: { new: true } }, dns: { weights: { chennai: 0, mumbai: 0 } },
          databases: { chennai: { role: "standalone" }, mumbai: { role: "replica", upstream: "delhi" },
                       delhi: { writeTime: "2ms", localFlush: "0s" } },
          replication: { synchronousStandby: true, synchronousCommit: "remote_write" },
          link: { roundTrip: "40ms", roundTrips: \(roundTrips) } }
        """, file: "sync.json5")
      let result = TopologyModel.run(scenario.config)
      return try #require(result.latencyByKind[.apiWrite]?.quantile(0.5))
    }
    let slow = try writeP50("{ delhi: { mumbai: \"100ms\" } }")
    let fast = try writeP50("{ delhi: { mumbai: \"10ms\" } }")
    // Delhi's only standby is Mumbai's node: 90 ms less round trip, give or take the histogram's 1%.
    #expect(abs((slow - fast) - 0.090) < 0.003, "\(slow - fast)")
  }

  @Test("removing a region renumbers what stays: replicas follow the primary, faults, monitors, actions and weights move")
  func removing() throws {
    let config = try Scenario.parse(Self.three, file: "three.json5").config
    let withoutChennai = config.removing(region: 1)
    #expect(withoutChennai.regions.map(\.name) == ["delhi", "mumbai"])
    #expect(withoutChennai.dns!.weights == [50, 30])
    let data = try #require(withoutChennai.dataPath)
    #expect(data.databases.map(\.role) == [.primary, .replica])
    #expect(data.databases[1].upstream == 0)
    #expect(data.monitors.map(\.region) == [0, 1])
    #expect(data.automation == nil)  // it promoted Chennai, which is gone
    #expect(data.link.pairRoundTrips == [RegionPair(0, 1): .constant(.milliseconds(30))])
    #expect(withoutChennai.faults.count == 1)
    #expect(withoutChennai.faults[0].target == .database(region: 1))
    #expect(data.actions.map(\.kind) == [.setWeight(region: 1, weight: 0)])
    // Without Mumbai, Chennai's standby and the automation stay as written.
    let withoutMumbai = config.removing(region: 2)
    #expect(withoutMumbai.dataPath!.automation?.promoteRegion == 1)
    #expect(withoutMumbai.dataPath!.actions.isEmpty)
    #expect(withoutMumbai.faults.map(\.target) == [.region(1)])
    // Without the primary's region, the first region left holds the primary; the other
    // standby follows it.
    let withoutDelhi = config.removing(region: 0)
    #expect(withoutDelhi.dataPath!.databases.map(\.role) == [.primary, .replica])
    #expect(withoutDelhi.dataPath!.databases[1].upstream == 0)
    #expect(withoutDelhi.dataPath!.automation == nil)
  }

  @Test("bad round-trip matrices are refused with the path and a suggestion")
  func badMatrix() {
    func problems(_ link: String) -> [String] {
      do {
        _ = try Scenario.parse(
          Self.three.replacingOccurrences(
            of: #"link: { roundTrip: "40ms", roundTrips: { mumbai: { delhi: "30ms", chennai: "24ms" } } },"#, with: link), file: "bad.json5"
        )
        return []
      } catch {
        return error.diagnostics.map { "\($0.path ?? ""): \($0.message)" }
      }
    }
    #expect(problems(#"link: { roundTrips: { mumbay: { delhi: "30ms" } } },"#).contains { $0.contains("Did you mean \"mumbai\"") })
    #expect(problems(#"link: { roundTrips: { mumbai: { mumbai: "30ms" } } },"#).contains { $0.contains("to itself") })
    #expect(
      problems(#"link: { roundTrips: { mumbai: { delhi: "30ms" }, delhi: { mumbai: "31ms" } } },"#).contains {
        $0.hasPrefix("link.roundTrips.delhi.mumbai") && $0.contains("given twice")
      })
    #expect(problems(#"link: { roundTrips: { mumbai: { delhi: "fast" } } },"#).contains { $0.hasPrefix("link.roundTrips.mumbai.delhi") })
  }
}
