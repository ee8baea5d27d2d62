import Dispatch
import Foundation

/// Runs independent tasks on `jobs` threads and returns their results in task order, so the
/// output is the same, byte for byte, for any number of threads. Each task must depend only
/// on its index (a configuration with its own seed, say).
public enum ParallelRuns {
  /// `body(k)` for k in 0..<count; `progress(done, count)` after each (from worker threads).
  public static func map<T: Sendable>(
    _ count: Int, jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil, _ body: @escaping @Sendable (Int) -> T
  ) -> [T] {
    let store = SlotStore<T>(count: count)
    let workers = min(max(1, jobs), max(1, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var k = worker
      while k < count {
        store.set(k, body(k))
        progress?(store.increment(), count)
        k += workers
      }
    }
    return store.results()
  }
}

/// Results written by index from worker threads.
final class SlotStore<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [T?]
  private var done = 0

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: T) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    done += 1
    return done
  }

  func results() -> [T] { slots.map { $0! } }
}
