/// What happens at the databases: queries, replies, WAL, feedback, promotion, fencing. Small
/// payloads (typed IDs, a request reference), so events stay inline in the kernel's queue.
public enum DatabaseEvent: Sendable {
  /// The data tier answered a request's call.
  case dataReply(RequestRef)
  /// A query reaches its database node.
  case dbArrive(RequestRef)
  /// A database node finished a query's statement (and, for a write, its local commit).
  case dbDone(RequestRef, node: NodeEpoch)
  /// WAL up to `lsn` reaches a standby.
  case walArrive(node: DatabaseID, lsn: WALPosition)
  /// The standby has flushed WAL up to `lsn`.
  case walFlushed(node: DatabaseID, lsn: WALPosition)
  /// The standby has replayed WAL up to `lsn`.
  case walReplayed(node: DatabaseID, lsn: WALPosition)
  /// A standby's report that it has reached `lsn` (at the sync level) reaches its primary.
  case standbyFeedback(primary: DatabaseID, lsn: WALPosition)
  /// A promotion finishes.
  case promotionDone(node: DatabaseID, promotion: Int32)
  /// A node's fencing (power-off) takes effect.
  case fenceDone(node: DatabaseID)
}

/// The model's events of this mechanism, written as before: `.dataReply(…)` builds
/// ``ModelEvent/databases(_:)``.
extension ModelEvent {
  @inline(__always) static func dataReply(_ a0: RequestRef) -> ModelEvent { .databases(.dataReply(a0)) }
  @inline(__always) static func dbArrive(_ a0: RequestRef) -> ModelEvent { .databases(.dbArrive(a0)) }
  @inline(__always) static func dbDone(_ a0: RequestRef, node: NodeEpoch) -> ModelEvent { .databases(.dbDone(a0, node: node)) }
  @inline(__always) static func walArrive(node: DatabaseID, lsn: WALPosition) -> ModelEvent { .databases(.walArrive(node: node, lsn: lsn)) }
  @inline(__always) static func walFlushed(node: DatabaseID, lsn: WALPosition) -> ModelEvent {
    .databases(.walFlushed(node: node, lsn: lsn))
  }
  @inline(__always) static func walReplayed(node: DatabaseID, lsn: WALPosition) -> ModelEvent {
    .databases(.walReplayed(node: node, lsn: lsn))
  }
  @inline(__always) static func standbyFeedback(primary: DatabaseID, lsn: WALPosition) -> ModelEvent {
    .databases(.standbyFeedback(primary: primary, lsn: lsn))
  }
  @inline(__always) static func promotionDone(node: DatabaseID, promotion: Int32) -> ModelEvent {
    .databases(.promotionDone(node: node, promotion: promotion))
  }
  @inline(__always) static func fenceDone(node: DatabaseID) -> ModelEvent { .databases(.fenceDone(node: node)) }
}
