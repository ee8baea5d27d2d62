import Foundation

/// An amount of Indian rupees held as a whole number of paise, so sums and prorations
/// never pass through binary floating point where a rupee could go missing.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var paise: Int64

  public init(paise: Int64) { self.paise = paise }
  public static func rupees(_ r: Int64) -> Money { Money(paise: r * 100) }
  public static let zero = Money(paise: 0)

  public static func + (a: Money, b: Money) -> Money { Money(paise: a.paise + b.paise) }
  public static func - (a: Money, b: Money) -> Money { Money(paise: a.paise - b.paise) }
  public static func * (a: Money, k: Int64) -> Money { Money(paise: a.paise * k) }
  public static func < (a: Money, b: Money) -> Bool { a.paise < b.paise }

  /// `self × numerator / denominator`, exact in 128 bits, rounded half away from zero to a paisa.
  public func scaled(by numerator: Int64, over denominator: Int64) -> Money {
    precondition(denominator > 0, "scaling money by a zero or negative denominator")
    let negative = (paise < 0) != (numerator < 0)
    let product = paise.magnitude.multipliedFullWidth(by: numerator.magnitude)
    let (quotient, remainder) = denominator.magnitude.dividingFullWidth(product)
    var result = Int64(quotient)
    if remainder * 2 >= denominator.magnitude { result += 1 }
    return Money(paise: negative ? -result : result)
  }

  /// `₹9,500`, `₹23.15`, `-₹1,200.50`: Indian digit grouping (lakh, crore), paise when not whole.
  public var description: String {
    let sign = paise < 0 ? "-" : ""
    let magnitude = paise.magnitude
    let rupees = magnitude / 100
    let rest = magnitude % 100
    var digits = String(rupees)
    var grouped = ""
    if digits.count > 3 {
      grouped = "," + digits.suffix(3)
      digits.removeLast(3)
      while digits.count > 2 {
        grouped = "," + digits.suffix(2) + grouped
        digits.removeLast(2)
      }
    }
    grouped = digits + grouped
    return sign + "₹" + grouped + (rest == 0 ? "" : "." + (rest < 10 ? "0" : "") + String(rest))
  }

  /// Reads `"₹2,000"`, `"2000"`, `"₹23.15"`, `"10 lakh"`, `"1.5 crore"` (rupees), with an error message when it cannot.
  public init?(parsing text: String) {
    var t = text.replacingOccurrences(of: "₹", with: "").replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "Rs.", with: "")
      .trimmingCharacters(in: .whitespaces)
    var multiplier: Int64 = 1
    for (word, factor) in [("lakhs", Int64(100_000)), ("lakh", 100_000), ("crores", 10_000_000), ("crore", 10_000_000)]
    where t.hasSuffix(word) {
      multiplier = factor
      t = String(t.dropLast(word.count)).trimmingCharacters(in: .whitespaces)
      break
    }
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0 else { return nil }
    var fraction: Int64 = 0
    var scale: Int64 = 1
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].count <= 9, let f = Int64(parts[1]) else { return nil }
      fraction = f
      for _ in 0..<parts[1].count { scale *= 10 }
    }
    // (whole + fraction/scale) × multiplier rupees, in paise; must be whole paise, and an
    // amount too large for the arithmetic is no amount (nil), never an overflow.
    let (scaled, o1) = whole.multipliedReportingOverflow(by: scale)
    let (units, o2) = scaled.addingReportingOverflow(fraction)
    let (rupees, o3) = units.multipliedReportingOverflow(by: multiplier)
    let (paiseNumerator, o4) = rupees.multipliedReportingOverflow(by: 100)
    guard !(o1 || o2 || o3 || o4), paiseNumerator % scale == 0 else { return nil }
    self.paise = paiseNumerator / scale
  }
}

/// Prices, built in from the case study's "Cost Analysis" (E2E Networks, per month), with
/// USD services converted at `rupeesPerDollar`. Overridable in a scenario's `money.prices`.
public struct PriceTable: Sendable {
  /// C3.8GB (4 vCPU, 8 GB): frontend and backend VMs.
  public var vm = Money.rupees(2_000)
  /// C2.4GB: the PgPool VM.
  public var pgpoolVM = Money.rupees(1_500)
  /// Load balancer, Starter plan, each.
  public var loadBalancer = Money.rupees(500)
  /// PostgreSQL DBaaS, DBS.8GB.
  public var database = Money.rupees(3_000)
  /// Route 53 ("~$1-2/month"): the midpoint, in US cents.
  public var route53Cents: Int64 = 150
  /// UptimeRobot: free tier $0; Pro $7/month for 1-minute checks (in US cents).
  public var uptimeRobotCents: Int64 = 0
  /// Exchange rate, paise per US dollar (₹83.00).
  public var paisePerDollar: Int64 = 8_300
  /// Hours in a billing month (the cloud convention: 730).
  public var hoursPerMonth: Int64 = 730
  /// E2E Object Storage (EOS), where backups are kept: a flat price up to `objectStorageFlatGB`
  /// of peak use in a month, and beyond it a price per GB of the peak (E2E's EOS pricing:
  /// ₹625 up to 250 GB, ₹2.5 per GB beyond, excluding GST).
  public var objectStorageFlat = Money.rupees(625)
  public var objectStorageFlatGB: Double = 250
  public var objectStoragePerGB = Money(paise: 250)

  public init() {}

  /// A USD amount in cents, in rupees.
  public func dollars(cents: Int64) -> Money { Money(paise: cents * paisePerDollar).scaled(by: 1, over: 100) }
}

/// The seed's backup jobs (docs/OPERATIONS.md: `pg_dump -F c`, then copied off-host; E2E's
/// DBaaS backups "typically" daily, 7–30 days kept): a dump of every writable database per
/// period, the last `copies` kept in object storage. Billed, not simulated.
public struct BackupJobs: Sendable {
  /// Dumps kept (7 daily ones: a week).
  public var copies: Int
  /// A compressed dump's size as a share of the data directory (pg_dump's custom format is
  /// zlib-compressed and leaves out indexes: a judgement of 0.3).
  public var compressedShare: Double

  public init(copies: Int = 7, compressedShare: Double = 0.3) {
    self.copies = copies
    self.compressedShare = compressedShare
  }

  /// Gigabytes kept for databases of `dataBytes` each.
  public func storedGB(_ dataBytes: [Double]) -> Double {
    dataBytes.reduce(0) { $0 + $1 / 1e9 } * compressedShare * Double(copies)
  }
}

/// What downtime costs (mechanisms.md §7): lost revenue, optionally a value per failed
/// request and an SLA penalty.
public struct MoneyConfig: Sendable {
  public var prices = PriceTable()
  /// Backup jobs billed with the infrastructure; nil: none.
  public var backups: BackupJobs?
  /// Revenue per month (the case study's example: ₹10 lakh).
  public var revenuePerMonth = Money.rupees(1_000_000)
  /// Share of revenue that depends on the service, in percent (0–100).
  public var revenueSharePercent: Int64 = 100
  /// Optional value of one failed request (on top of lost revenue).
  public var valuePerFailedRequest = Money.zero
  /// SLA: below this availability (per million), this penalty is owed for the month.
  public var slaAvailabilityPerMillion: Int64? = nil
  public var slaPenalty = Money.zero
  /// Days in a month for revenue per minute (30).
  public var daysPerMonth: Int64 = 30

  public init() {}

  /// Revenue per minute: revenue / (days × 24 × 60), times the dependent share.
  public var revenuePerMinute: Money {
    revenuePerMonth.scaled(by: revenueSharePercent, over: daysPerMonth * 24 * 60 * 100)
  }
}
