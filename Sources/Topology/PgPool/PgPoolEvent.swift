/// What PgPool does on its own schedule: health checks, failover, primary search, sr_check. Small
/// payloads (typed IDs, a request reference), so events stay inline in the kernel's queue.
public enum PgPoolEvent: Sendable {
  /// A PgPool health-check attempt on a backend starts, and its result arrives.
  case pgpoolCheck(pool: PoolID, node: DatabaseID, attempt: Int32)
  case pgpoolCheckResult(pool: PoolID, node: DatabaseID, attempt: Int32, passed: Bool)
  /// PgPool's failover_command finished.
  case pgpoolFailoverCommandDone(pool: PoolID, node: DatabaseID)
  /// PgPool polls its backends for a primary (every second during a failover).
  case pgpoolSearch(pool: PoolID)
  /// PgPool samples replication delay (sr_check_period).
  case pgpoolSRCheck(pool: PoolID)
}

/// The model's events of this mechanism, written as before: `.pgpoolCheck(…)` builds
/// ``ModelEvent/pgpool(_:)``.
extension ModelEvent {
  @inline(__always) static func pgpoolCheck(pool: PoolID, node: DatabaseID, attempt: Int32) -> ModelEvent {
    .pgpool(.pgpoolCheck(pool: pool, node: node, attempt: attempt))
  }
  @inline(__always) static func pgpoolCheckResult(pool: PoolID, node: DatabaseID, attempt: Int32, passed: Bool) -> ModelEvent {
    .pgpool(.pgpoolCheckResult(pool: pool, node: node, attempt: attempt, passed: passed))
  }
  @inline(__always) static func pgpoolFailoverCommandDone(pool: PoolID, node: DatabaseID) -> ModelEvent {
    .pgpool(.pgpoolFailoverCommandDone(pool: pool, node: node))
  }
  @inline(__always) static func pgpoolSearch(pool: PoolID) -> ModelEvent { .pgpool(.pgpoolSearch(pool: pool)) }
  @inline(__always) static func pgpoolSRCheck(pool: PoolID) -> ModelEvent { .pgpool(.pgpoolSRCheck(pool: pool)) }
}
