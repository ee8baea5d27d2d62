// A libFuzzer target over the scenario loader and a short run: any input must give either
// diagnostics or a run that ends, never a trap. Built and run by Scripts/fuzz.sh.
import Foundation
import Scenarios
import SimCore
import Topology

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(bytes: data, count: size)
  guard let text = String(data: bytes, encoding: .utf8) else { return 0 }
  guard var scenario = try? Scenario.parse(text, file: "fuzz.json5") else { return 0 }
  // A few simulated seconds after the first fault: enough to exercise every mechanism the
  // file configures, short enough for a million executions.
  scenario.config.duration = min(scenario.config.duration, .seconds(20))
  scenario.config.faults = scenario.config.faults.map { fault in
    var f = fault
    f.at = min(f.at, .seconds(5))
    return f
  }
  for index in scenario.config.populations.indices {
    scenario.config.populations[index].arrivals = .constant(rate: 20)
  }
  let result = TopologyModel.run(scenario.config)
  if !result.invariantViolations.isEmpty { fatalError("invariant broken: \(result.invariantViolations)") }
  return 0
}
