// swift-tools-version:6.0
// Drill: a discrete-event simulator of an active/active two-region web deployment.
// No package dependencies: the Swift toolchain (Foundation, Dispatch, Swift Testing) is all it needs.
import PackageDescription

// The simulation's hot code is compiled with optimisation even in debug builds: an unoptimised
// simulator is about 30 times slower (a 40-minute scenario takes 90 s instead of 3 s), which
// made `swift run drill …` and `swift test` wait on it. Debug builds keep -enable-testing and
// assertions (-O keeps preconditions), so tests and `@testable import` work as before.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// Release executables on Linux link the Swift runtime, standard library and Foundation
// statically (what `swift build --static-swift-stdlib` does, made the default here): calls into
// the runtime, such as the uniqueness check before each array write (about 70 per simulated
// request), are then direct calls instead of jumps through the dynamic linker's table, which
// makes the standard case about 5% faster. The binaries are larger (about 80 MB) and run
// without the toolchain's libraries. lld, which ships with the toolchain, links them (the
// system linker warns about a `mktemp` inside the static Foundation).
let staticRuntime = "-static-stdlib"
let staticRuntimeCompiling: [SwiftSetting] = [
  .unsafeFlags([staticRuntime], .when(platforms: [.linux], configuration: .release))
]
let staticRuntimeLinking: [LinkerSetting] = [
  .unsafeFlags([staticRuntime, "-use-ld=lld"], .when(platforms: [.linux], configuration: .release))
]

let package = Package(
  name: "Drill",
  products: [
    .executable(name: "drill", targets: ["drill"]),
    .executable(name: "drill-bench", targets: ["drill-bench"]),
    .library(name: "SimCore", targets: ["SimCore"]),
    .library(name: "Topology", targets: ["Topology"]),
    .library(name: "Scenarios", targets: ["Scenarios"]),
    .library(name: "Reports", targets: ["Reports"]),
    .library(name: "Experiments", targets: ["Experiments"]),
  ],
  targets: [
    // The discrete-event kernel: time, event queue, run loop, seeded random streams,
    // distributions and streaming statistics. Knows nothing of DNS or databases.
    .target(name: "SimCore", swiftSettings: optimisedInDebug),
    // The modelled system, built on the kernel.
    .target(name: "Topology", dependencies: ["SimCore"], swiftSettings: optimisedInDebug),
    // Scenario files: parsing, validation with precise errors, building a Topology
    // configuration and the scenario's information (story, objectives, prices) it states.
    .target(name: "Scenarios", dependencies: ["SimCore", "Topology"]),
    // What a run produces: timeline text, summaries, JSON and CSV writers.
    .target(name: "Reports", dependencies: ["SimCore", "Topology"]),
    // Many runs: replications with confidence intervals, parameter sweeps with common
    // random numbers, parallel and sharded execution, years of incidents (optimised in
    // debug too: the year study steps the model bucket by bucket).
    .target(name: "Experiments", dependencies: ["SimCore", "Topology", "Scenarios", "Reports"], swiftSettings: optimisedInDebug),
    // The command-line tool: thin, parses arguments and calls the libraries.
    .executableTarget(
      name: "drill", dependencies: ["SimCore", "Topology", "Scenarios", "Reports", "Experiments"],
      swiftSettings: staticRuntimeCompiling, linkerSettings: staticRuntimeLinking),
    // Benchmarks, run in release: `swift run -c release drill-bench kernel`.
    .executableTarget(
      name: "drill-bench", dependencies: ["SimCore", "Topology", "Scenarios", "Reports", "Experiments"], path: "Benchmarks/drill-bench",
      swiftSettings: staticRuntimeCompiling, linkerSettings: staticRuntimeLinking),

    .testTarget(name: "SimCoreTests", dependencies: ["SimCore"]),
    .testTarget(name: "TopologyTests", dependencies: ["SimCore", "Topology"]),
    .testTarget(name: "ScenariosTests", dependencies: ["SimCore", "Topology", "Scenarios", "Reports"]),
    .testTarget(name: "ReportsTests", dependencies: ["SimCore", "Topology", "Reports"]),
    .testTarget(name: "ExperimentsTests", dependencies: ["SimCore", "Topology", "Scenarios", "Reports", "Experiments"]),
    .testTarget(name: "DrillCLITests", dependencies: ["drill"]),
  ]
)
