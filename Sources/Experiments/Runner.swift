import Dispatch
import Foundation
import SimCore
import Topology

/// One run's numbers: metric name → value (nil when the run did not produce it, such as
/// an RTO when nothing failed).
public typealias MetricRow = [String: Double?]

/// Runs (configuration × replication) tasks on `jobs` threads. Each task depends only on its
/// indices: replication r of every configuration uses the same seed (common random numbers),
/// derived from the run seed and r alone. Results are stored by index, so they are
/// identical, byte for byte, whatever the number of threads or how tasks interleave.
public struct Runner: Sendable {
  public var configurations: [TopologyConfig]
  public var replications: Int
  public var seed: UInt64
  public var jobs: Int
  /// Run only tasks whose index ≡ shard.index − 1 (mod shard.count).
  public var shard: Shard?

  public init(configurations: [TopologyConfig], replications: Int, seed: UInt64, jobs: Int, shard: Shard? = nil) {
    self.configurations = configurations
    self.replications = replications
    self.seed = seed
    self.jobs = max(1, jobs)
    self.shard = shard
  }

  /// The seed of replication `r` (the same for every configuration).
  public func seed(replication r: Int) -> UInt64 { RandomStreams(seed: seed).replicationSeed(r) }

  /// The tasks this process runs, as (configuration, replication).
  public var tasks: [(configuration: Int, replication: Int)] {
    var all: [(Int, Int)] = []
    for c in configurations.indices { for r in 0..<replications { all.append((c, r)) } }
    guard let shard else { return all }
    return all.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
  }

  /// Runs every task; `metrics` turns a run into its row; `progress` is called with the
  /// number done after each task (from worker threads).
  public func run(
    metrics: @escaping @Sendable (Int, RunResult) -> MetricRow, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> [TaskResult] {
    let tasks = self.tasks
    let configurations = self.configurations
    let runner = self
    return ParallelRuns.map(tasks.count, jobs: jobs, progress: progress) { k in
      let (c, r) = tasks[k]
      var config = configurations[c]
      config.seed = runner.seed(replication: r)
      return TaskResult(configuration: c, replication: r, metrics: metrics(c, TopologyModel.run(config)))
    }
  }
}

/// The share of the tasks a process runs: `index` of `count`, 1-based.
public struct Shard: Sendable, Hashable {
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Reads `K/N`, or `auto`: Slurm job arrays (SLURM_ARRAY_TASK_ID from SLURM_ARRAY_TASK_MIN,
  /// SLURM_ARRAY_TASK_COUNT) or Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX, with the
  /// count in DRILL_SHARD_COUNT, since Kubernetes does not expose it).
  public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<Shard, ShardError>
  {
    if text == "auto" {
      if let id = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init), let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init)
      {
        let low = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
        return validate(Shard(index: id - low + 1, count: count), text)
      }
      if let index = environment["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
        guard let count = environment["DRILL_SHARD_COUNT"].flatMap(Int.init) else {
          return .failure(
            ShardError(
              message: "--shard auto found JOB_COMPLETION_INDEX (Kubernetes) but not DRILL_SHARD_COUNT; set it to the Job's completions"))
        }
        return validate(Shard(index: index + 1, count: count), text)
      }
      return .failure(ShardError(message: "--shard auto found neither SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT nor JOB_COMPLETION_INDEX"))
    }
    let parts = text.split(separator: "/")
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      return .failure(ShardError(message: "--shard \"\(text)\" is not K/N (for example 2/8) or auto"))
    }
    return validate(Shard(index: k, count: n), text)
  }

  static func validate(_ shard: Shard, _ text: String) -> Result<Shard, ShardError> {
    guard shard.count >= 1, shard.index >= 1, shard.index <= shard.count else {
      return .failure(ShardError(message: "--shard \"\(text)\" gives shard \(shard.index) of \(shard.count); expected 1 ≤ K ≤ N"))
    }
    return .success(shard)
  }
}

public struct ShardError: Error, Sendable {
  public var message: String
}

/// One task's outcome.
public struct TaskResult: Sendable {
  public var configuration: Int
  public var replication: Int
  public var metrics: MetricRow
}
