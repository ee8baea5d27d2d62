import Foundation
import Testing

@testable import drill

/// Every command's declared options, by name.
let allSpecs: [CommandSpec] = [
  RunCommand.spec, ExperimentCommand.sweepSpec, ExperimentCommand.mergeSpec, ExplainCommand.spec, CostCommand.spec,
  ValidateCommand.spec, ListCommand.spec, ReferenceCommand.spec, SampleCommand.spec,
]

@Suite("argument parsing, in process")
struct ArgumentParserTests {
  @Test("--name value and --name=value read the same; switches and positional words keep their order")
  func forms() throws {
    let a = try RunCommand.spec.parse(["file.json5", "--seed", "7", "--json", "--csv=out.csv"])
    #expect(a.positional == ["file.json5"])
    #expect(a.options["--seed"] == "7" && a.options["--csv"] == "out.csv")
    #expect(a.switches == ["--json"])
    let b = try RunCommand.spec.parse(["--seed=7", "file.json5"])
    #expect(b.options == ["--seed": "7"] && b.positional == ["file.json5"])
  }

  @Test("after -- every word is positional, even one that looks like an option")
  func doubleDash() throws {
    let parsed = try ValidateCommand.spec.parse(["a.json5", "--", "--odd-name.json5", "-x"])
    #expect(parsed.positional == ["a.json5", "--odd-name.json5", "-x"])
  }

  @Test("negative numbers: a value may start with a minus; a bare negative number is a positional word")
  func negativeNumbers() throws {
    let seed = try SampleCommand.spec.parse(["exp(mean: 1s)", "--seed", "-1"])
    #expect(seed.options["--seed"] == "-1")
    #expect(throws: UsageError.self) { try seed.seed(default: 1, command: "sample") }
    let positional = try ValidateCommand.spec.parse(["-1.5"])
    #expect(positional.positional == ["-1.5"])
  }

  @Test("an unknown option lists every option of the command and suggests the nearest")
  func unknown() throws {
    do {
      _ = try CostCommand.spec.parse(["f.json5", "--lods", "1/s"])
      Issue.record("expected an error")
    } catch {
      #expect(error.message.contains("unknown option \"--lods\""))
      for option in CostCommand.spec.allOptions { #expect(error.message.contains(option.name), "\(option.name)") }
      #expect(error.message.contains("Did you mean \"--loads\"?"))
    }
  }

  @Test("a switch takes no value; a value option needs one; an option given twice is refused unless it repeats")
  func misuse() throws {
    #expect(throws: UsageError.self) { try RunCommand.spec.parse(["f", "--json=yes"]) }
    #expect(throws: UsageError.self) { try RunCommand.spec.parse(["f", "--seed"]) }
    #expect(throws: UsageError.self) { try RunCommand.spec.parse(["f", "--seed", "1", "--seed", "2"]) }
    let sweep = try ExperimentCommand.sweepSpec.parse(["f", "--vary", "a=1,2", "--vary=b=3,4"])
    #expect(sweep.values["--vary"] == ["a=1,2", "b=3,4"])
  }

  @Test("every command's --help is generated from its option table and lists each option with its help")
  func helpFromTable() throws {
    for spec in allSpecs {
      let help = spec.help
      #expect(help.hasPrefix("usage: drill \(spec.name)"), "\(spec.name)")
      for option in spec.allOptions {
        #expect(help.contains("  " + option.name + (option.value.map { " " + $0 } ?? "")), "\(spec.name) \(option.name)")
        #expect(help.contains(option.help.split(separator: "\n").first.map(String.init) ?? ""), "\(spec.name) \(option.name)")
      }
      #expect(try spec.parse(["--help"]).switches.contains("--help"))
    }
  }

  @Test("drill COMMAND --help prints exactly the generated help, for every command", arguments: allSpecs.map(\.name))
  func helpProcess(command: String) throws {
    let spec = allSpecs.first { $0.name == command }!
    let result = try DrillProcess.run([command, "--help"])
    #expect(result.status == 0)
    #expect(result.stdout == spec.help + "\n")
  }
}

@Suite("studies run in parallel with the same results")
struct ParallelStudyTests {
  @Test("explain and cost print the same bytes with --jobs 1 and --jobs 3")
  func jobsInvariant() throws {
    let file = try ExperimentCLITests.smallScenario()
    for command in [["explain", file], ["cost", file, "--loads", "5/s,20/s", "--readings", "--json"]] {
      let one = try DrillProcess.run(command + ["--jobs", "1"])
      let three = try DrillProcess.run(command + ["--jobs", "3"])
      #expect(one.status == 0, "\(one.stderr)")
      #expect(one.stdout == three.stdout && !one.stdout.isEmpty)
    }
  }
}
