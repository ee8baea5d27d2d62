/// A count with its noun, singular or plural as English wants: "1 write", "2 writes", "0 writes".
///
/// - Parameters:
///   - plural: the plural when it is not `singular` + "s".
public func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
  "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
