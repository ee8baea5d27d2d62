/// The seed deployment, built in, in three readings (DESIGN.md, "Three readings of the
/// seed"). Each is a JSON5 overlay on the seed's shape; every value says where it comes
/// from. A scenario names one as its `base` and states only what differs.
public enum Readings {
  /// The readings, by name.
  public static let names = ["documented", "case-study", "as-coded"]

  /// What each reading is, in one line.
  public static let summaries: [String: String] = [
    "documented": "the same deployment with each mechanism as its vendor documents it (docs/mechanisms.md)",
    "case-study": "the parameters that reproduce the case study's published T+0:00 … T+5:15 timeline",
    "as-coded": "what the repository's Terraform deploys: single VMs, no PgPool, a standalone second database",
  ]

  /// The overlay text of a reading.
  public static func overlay(_ name: String) -> String? {
    switch name {
    case "documented": return documented
    case "case-study": return caseStudy
    case "as-coded": return asCoded
    default: return nil
    }
  }

  /// The seed's shape, common to all readings: two regions, each a frontend and a backend
  /// tier behind load balancers, PostgreSQL in each, Delhi primary (case-study.md,
  /// "Architecture"; seed-repository.md §1).
  static let seed = """
    // The seed: the two-region deployment of the case study (seed/case-study.md).
    {
      regions: {
        delhi: { frontend: {}, backend: {} },   // case-study.md "Architecture": LB → autoscaled Caddy, LB → autoscaled Node.js
        chennai: { frontend: {}, backend: {} },
      },
      dns: { weights: { delhi: 50, chennai: 50 } },  // case-study.md Phase 4: weighted A records, 50/50
      databases: {
        delhi: { role: "primary" },                    // three-tier-primary-db
        chennai: { role: "replica", upstream: "delhi" },  // three-tier-replica-db, streaming replication
      },
      monitors: { delhi: {}, chennai: {} },          // UptimeRobot, one monitor per frontend LB
      automation: { watch: "delhi", promote: "chennai" },  // failover-automation.py: Delhi down → promote Chennai
    }
    """

  /// Each mechanism as its vendor documents it. The reader's defaults are already the
  /// documented values (mechanisms.md §1–§6), so this overlay only adds what the seed
  /// itself configures.
  static let documented = """
    // documented: the seed, every mechanism as its vendor documents it.
    {
      regions: {
        delhi: {
          frontend: { instances: 1, min: 1, max: 5 },  // case-study.md: autoscaling_min = 1, autoscaling_max = 5
          backend: { instances: 1, min: 1, max: 5 },
        },
        chennai: {
          frontend: { instances: 1, min: 1, max: 5 },
          backend: { instances: 1, min: 1, max: 5 },
        },
      },
      dns: {
        ttl: "60s",                            // seed-repository.md §2: TTL 60 s
        healthCheck: { interval: "30s", failureThreshold: 3 },  // case-study.md Phase 4: 30 s, threshold 3
      },
      pgpool: {
        healthCheckPeriod: "10s", healthCheckTimeout: "20s", healthCheckMaxRetries: 3,  // case-study.md PgPool config
        failoverCommand: "none",               // seed-repository.md §4.2: failover.sh only curls an endpoint
      },
      monitors: {
        delhi: { interval: "5m", threshold: "0s" },    // free plan: 5-minute checks, threshold must be 0 (mechanisms.md §2.1)
        chennai: { interval: "5m", threshold: "0s" },
      },
    }
    """

  /// The parameters that reproduce the published timeline exactly (case-study.md,
  /// "Failover Timeline"): checkers and monitor aligned with the outage, probes that fail
  /// at once, one second per automation step, and the case study's belief that PgPool
  /// notices the new primary.
  static let caseStudy = """
    // case-study: the values that reproduce T+0:00 … T+5:15 to the second.
    {
      regions: {
        delhi: { frontend: { instances: 1, min: 1, max: 5 }, backend: { instances: 1, min: 1, max: 5 } },
        chennai: { frontend: { instances: 1, min: 1, max: 5 }, backend: { instances: 1, min: 1, max: 5 } },
      },
      dns: {
        ttl: "60s",
        propagationDelay: "0s",                // "T+1:30 marks Delhi unhealthy, routes 100% to Chennai": same second
        overcachingShare: 0,                   // the case study ignores DNS caching (mechanisms.md §9 item 2)
        healthCheck: {
          interval: "30s", failureThreshold: 3,  // checks #1, #2, #3 at T+0:30, 1:00, 1:30
          phase: "0s",                         // every checker probes at whole half-minutes: aligned with the fault
          roundTrip: "0s", connectTimeout: "0s", responseTimeout: "0s",  // a failed probe is known at once
        },
      },
      clients: { dnsCache: "ttl" },            // no client-side cache beyond the TTL
      pgpool: {
        healthCheckPeriod: "10s", healthCheckTimeout: "20s", healthCheckMaxRetries: 3,
        healthCheckPhase: "5s",                // a check at T+5:15, five seconds after the promotion
        followsExternalPromotion: true,        // "T+5:15 PgPool detects new primary" (real pgpool would not)
      },
      databases: {
        // API call T+5:03 → promoted T+5:10: the case study's 7 s include the standby's own
        // writing, flushing and replaying of what it received.
        chennai: { promotionTime: "7s", standbyWrite: "0s", standbyFlush: "0s", replayPerWrite: "0s" },
      },
      monitors: {
        delhi: { interval: "5m", phase: "0s", confirmWithin: "0s", roundTrip: "0s", timeout: "0s" },  // "T+5:00 UptimeRobot detects"
        chennai: { interval: "5m", phase: "0s", confirmWithin: "0s", roundTrip: "0s", timeout: "0s" },
      },
      automation: {
        notificationDelay: "1s",               // T+5:01 webhook sent
        webhookDelay: "1s", coldStartProbability: 0,  // T+5:02 Lambda receives alert
        functionTime: "1s",                    // T+5:03 Lambda calls the E2E API
        apiCall: "0s",                         // the promotion's 7 s cover the rest
      },
      published: {                             // case-study.md "Failover Timeline"
        dns_unhealthy: "1m30s", monitor_alert: "5m", webhook_sent: "5m01s", automation_received: "5m02s",
        promote_called: "5m03s", db_promoted: "5m10s", pgpool_switched: "5m15s", failover_complete: "5m15s",
      },
    }
    """

  /// What the repository's Terraform deploys at HEAD (seed-repository.md §1–§4, §8).
  static let asCoded = """
    // as-coded: what terraform/ actually creates.
    {
      regions: {
        delhi: {
          // §1.3: "HEAD has no autoscaling. Each tier is one e2e_node."
          frontend: { instances: 1, min: 1, max: 1, autoscaling: { policy: "none" },
                      // §1.4: cloud-init provisions a VM in "~5-10 minutes" (docs/ARCHITECTURE.md)
                      bootTime: "uniform(min: 5m, max: 10m)",
                      // §1.2: E2E LBs are HAProxy; interval/rise/fall unknown, HAProxy defaults assumed
                      loadBalancer: { healthCheck: { interval: "2s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 2 } } },
          backend: { instances: 1, min: 1, max: 1, autoscaling: { policy: "none" }, bootTime: "uniform(min: 5m, max: 10m)",
                     loadBalancer: { healthCheck: { interval: "2s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 2 } },
                     // §5.1: node-postgres with its defaults (10 connections, no timeouts), exit on a pool error, RestartSec=10
                     databasePool: {} },
        },
        chennai: {
          frontend: { instances: 1, min: 1, max: 1, autoscaling: { policy: "none" }, bootTime: "uniform(min: 5m, max: 10m)",
                      loadBalancer: { healthCheck: { interval: "2s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 2 } } },
          backend: { instances: 1, min: 1, max: 1, autoscaling: { policy: "none" }, bootTime: "uniform(min: 5m, max: 10m)",
                     loadBalancer: { healthCheck: { interval: "2s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 2 } },
                     // §5.1: node-postgres with its defaults (10 connections, no timeouts), exit on a pool error, RestartSec=10
                     databasePool: {} },
        },
      },
      dns: { ttl: "60s", healthCheck: { interval: "30s", failureThreshold: 3 } },  // §2: set by hand in the console
      pgpool: null,                            // §4.2: the PgPool VM was deleted at 77bfd6a; DATABASE_URL points at the DB
      databases: { chennai: { role: "standalone" } },  // §4.1: "The Chennai instance is not a replica in code."
      monitors: {
        delhi: { interval: "5m", threshold: "3m" },    // §3.1: interval 300, threshold = 3 (minutes after DOWN)
        chennai: { interval: "5m", threshold: "3m" },
      },
      automation: { webhookFailure: 1 },       // §3.1: webhook URL defaults to https://example.com/webhook: nothing listens
    }
    """
}
