/// What a timeline entry records: one kind of state change. The raw value is the stable
/// name that JSON, CSV and tests use (`"dns_record_unhealthy"`); Swift code matches the cases,
/// never the strings.
public enum TimelineKind: String, CaseIterable, Hashable, Sendable {
  /// A scheduled fault takes effect.
  case faultBegan = "fault_began"
  /// A fault is repaired.
  case faultEnded = "fault_ended"
  /// A Route 53 health checker counts another consecutive failed probe (up to the threshold).
  case dnsCheckFailed = "dns_check_failed"
  /// Route 53 decides a record is unhealthy (too few checkers see it healthy).
  case dnsRecordUnhealthy = "dns_record_unhealthy"
  /// Route 53 decides a record is healthy again.
  case dnsRecordHealthy = "dns_record_healthy"
  /// DNS answers stop naming a region (after the propagation delay).
  case dnsUnhealthy = "dns_unhealthy"
  /// DNS answers name a region again.
  case dnsAnswersRestored = "dns_answers_restored"
  /// Every record is unhealthy: Route 53 answers all of them by weight.
  case dnsFailOpen = "dns_fail_open"
  /// The last cached answer pointing at a region expired.
  case dnsCachesDrained = "dns_caches_drained"
  /// Some clients cache a region forever and will never leave it.
  case dnsCachesNeverDrain = "dns_caches_never_drain"
  /// An operator changed a record's DNS weight.
  case dnsWeightChanged = "dns_weight_changed"
  /// A load balancer's queue is full: new requests get 503.
  case lbQueueOverflowBegan = "lb_queue_overflow_began"
  /// A load balancer refused nothing for a full queue for a whole bucket.
  case lbQueueOverflowEnded = "lb_queue_overflow_ended"
  /// A load balancer marks a target healthy.
  case lbTargetHealthy = "lb_target_healthy"
  /// A load balancer marks a target unhealthy.
  case lbTargetUnhealthy = "lb_target_unhealthy"
  /// An autoscaling group launches an instance.
  case instanceLaunched = "instance_launched"
  /// A launched instance finished booting.
  case instanceBooted = "instance_booted"
  /// An instance is registered with its load balancer and in service.
  case instanceInService = "instance_in_service"
  /// An instance is terminated.
  case instanceTerminated = "instance_terminated"
  /// An autoscaling group replaces an instance its load balancer reports unhealthy.
  case instanceReplaced = "instance_replaced"
  /// An application process exits (the seed's pool error handler) and waits for systemd.
  case processExited = "process_exited"
  /// A restarted process cannot start (its database is gone): it crash-loops.
  case processCrashLoop = "process_crash_loop"
  /// An exited process starts and listens again.
  case processStarted = "process_started"
  /// An autoscaling group decides to add instances.
  case scaleOut = "scale_out"
  /// An autoscaling group decides to remove instances.
  case scaleIn = "scale_in"
  /// A monitor declares a region DOWN.
  case monitorDown = "monitor_down"
  /// A monitor declares a region UP again.
  case monitorUp = "monitor_up"
  /// A monitor alerts its contacts (the first alert of an episode).
  case monitorAlert = "monitor_alert"
  /// A monitor repeats its alert while the region stays down.
  case monitorAlertRepeat = "monitor_alert_repeat"
  /// The monitor dispatches the automation's webhook.
  case webhookSent = "webhook_sent"
  /// The webhook got no answer: no automation ran.
  case webhookLost = "webhook_lost"
  /// The automation function receives the alert.
  case automationReceived = "automation_received"
  /// The automation function failed.
  case automationFailed = "automation_failed"
  /// The automation ignores an alert about a region it does not watch.
  case automationIgnored = "automation_ignored"
  /// The automation checked the primary first and found it writable.
  case automationDeclined = "automation_declined"
  /// The automation asks for the old primary to be fenced.
  case fenceCalled = "fence_called"
  /// A database node is fenced (powered off) and accepts nothing until failback.
  case fenced = "fenced"
  /// The automation calls the cloud API to promote the standby.
  case promoteCalled = "promote_called"
  /// The promote API call failed.
  case promoteApiFailed = "promote_api_failed"
  /// A standby starts its promotion.
  case promotionStarted = "promotion_started"
  /// A promotion was asked of a node that needs none.
  case promotionNoop = "promotion_noop"
  /// A promotion could not start or complete.
  case promotionFailed = "promotion_failed"
  /// A standby is now a primary on a new timeline.
  case dbPromoted = "db_promoted"
  /// Two primaries accept writes.
  case splitBrainBegan = "split_brain_began"
  /// Only one primary accepts writes again.
  case splitBrainEnded = "split_brain_ended"
  /// Synchronous commits wait for a standby that cannot confirm them.
  case syncCommitsStranded = "sync_commits_stranded"
  /// PgPool detaches a backend it found down.
  case pgpoolDetached = "pgpool_detached"
  /// PgPool runs its failover_command.
  case pgpoolFailoverCommand = "pgpool_failover_command"
  /// PgPool found no primary within search_primary_node_timeout.
  case pgpoolNoPrimary = "pgpool_no_primary"
  /// PgPool sends writes to a new primary.
  case pgpoolSwitched = "pgpool_switched"
  /// PgPool dropped its sessions to a failed backend.
  case pgpoolSessionsKilled = "pgpool_sessions_killed"
  /// PgPool stops sending reads to a standby past delay_threshold.
  case pgpoolStandbyLagging = "pgpool_standby_lagging"
  /// PgPool sends reads to a standby again.
  case pgpoolStandbyCaughtUp = "pgpool_standby_caught_up"
  /// An operator promotes a standby.
  case operatorPromote = "operator_promote"
  /// An operator fences a database node.
  case operatorFence = "operator_fence"
  /// Failback found the node already primary.
  case failbackSkipped = "failback_skipped"
  /// Failback waits for the old primary to come back.
  case failbackWaiting = "failback_waiting"
  /// Failback re-syncs the old primary (pg_rewind or a re-clone).
  case failbackResyncStarted = "failback_resync_started"
  /// The old primary streams from the current one as its standby.
  case failbackResynced = "failback_resynced"
  /// Failback switches the roles back.
  case failbackSwitchover = "failback_switchover"
  /// Failback is complete: roles, PgPools and DNS weights restored.
  case failbackComplete = "failback_complete"
  /// Something a runbook waits for happened: the on-call operator is paged.
  case runbookTriggered = "runbook_triggered"
  /// The page reaches the on-call operator.
  case runbookPaged = "runbook_paged"
  /// The operator acknowledges the page.
  case runbookAcknowledged = "runbook_acknowledged"
  /// The operator has diagnosed the incident and starts the runbook's steps.
  case runbookDiagnosed = "runbook_diagnosed"
  /// The operator starts a runbook step.
  case runbookStepStarted = "runbook_step_started"
  /// A runbook step failed.
  case runbookStepFailed = "runbook_step_failed"
  /// The operator gave up on a runbook after a step failed too often.
  case runbookAbandoned = "runbook_abandoned"
  /// A runbook's last step is done.
  case runbookCompleted = "runbook_completed"
  /// A region rebuilt by terraform apply is back.
  case regionRebuilt = "region_rebuilt"
  /// A tier's processes restart (systemctl restart).
  case tierRestarted = "tier_restarted"
  /// An alert rule's condition holds; it waits out its `for` duration.
  case alertRulePending = "alert_rule_pending"
  /// An alert rule fires and notifies.
  case alertRuleFiring = "alert_rule_firing"
  /// Alertmanager notifies a firing rule's contacts (after its group wait).
  case alertRuleNotified = "alert_rule_notified"
  /// A firing alert rule's condition no longer holds.
  case alertRuleResolved = "alert_rule_resolved"
}
