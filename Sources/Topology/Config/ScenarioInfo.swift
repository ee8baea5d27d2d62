import SimCore

/// What a scenario says besides the model it runs: its name and story, the objectives it is
/// judged by, milestones a source published, and the money it is priced with. Scenario files
/// state it (`Scenario.info`); reports and experiments read it.
public struct ScenarioInfo: Sendable {
  public var name: String
  public var description: String
  /// The reading of the seed the scenario starts from.
  public var base: String
  /// Availability objective (0…1) for error-budget reports.
  public var availabilityObjective: Double
  /// The run's targets, as the case study states them (RTO < 15 min, RPO < 1 min).
  public var rtoTarget: SimDuration?
  public var rpoTarget: SimDuration?
  /// Milestones the scenario's source published (after the first fault), to set beside the run's.
  public var published: [(String, SimDuration)]
  /// Prices, revenue and penalties for the cost report.
  public var money: MoneyConfig
  /// Fault processes and the incident-window settings of the year-scale study.
  public var availability = AvailabilityConfig()

  public init(
    name: String, description: String, base: String, availabilityObjective: Double = 0.999, rtoTarget: SimDuration? = nil,
    rpoTarget: SimDuration? = nil, published: [(String, SimDuration)] = [], money: MoneyConfig = MoneyConfig()
  ) {
    self.name = name
    self.description = description
    self.base = base
    self.availabilityObjective = availabilityObjective
    self.rtoTarget = rtoTarget
    self.rpoTarget = rpoTarget
    self.published = published
    self.money = money
  }
}
