import Foundation

/// Charts drawn as SVG text by Drill itself: axes with units, a legend, and series that stay
/// distinguishable for colour-blind readers and in greyscale (Okabe–Ito colours, each with
/// its own dash pattern). Everything is inline: no fonts, scripts or images are loaded.
public struct SVGChart: Sendable {
  /// One series: a name for the legend and (x, y) points.
  public struct Series: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    /// A confidence band around the line, as (x, low, high).
    public var band: [(x: Double, low: Double, high: Double)]

    public init(name: String, points: [(x: Double, y: Double)], band: [(x: Double, low: Double, high: Double)] = []) {
      self.name = name
      self.points = points
      self.band = band
    }
  }

  public enum Kind: Sendable {
    case lines
    /// Series stacked on one another, filled.
    case stackedAreas
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var kind: Kind
  public var series: [Series]
  /// Vertical markers (x, label), such as milestones.
  public var markers: [(x: Double, label: String)]
  /// Horizontal reference lines (y, label), such as an SLO.
  public var levels: [(y: Double, label: String)] = []
  /// Whole-number ticks only (counts: instances, a varied integer parameter).
  public var integerX = false
  public var integerY = false
  /// Whether the y axis starts at zero; false zooms to the data (availability near 1).
  public var yFromZero = true
  /// Dots at every point, for few points (a sweep's grid): the line between them was not simulated.
  public var pointMarkers = false
  public var width = 760.0
  public var height = 320.0

  public init(
    title: String, xLabel: String, yLabel: String, kind: Kind = .lines, series: [Series], markers: [(x: Double, label: String)] = []
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.kind = kind
    self.series = series
    self.markers = markers
  }

  /// Okabe–Ito colours (distinguishable with every common colour-vision deficiency).
  public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
  /// Dash patterns, so lines differ in greyscale too.
  public static let dashes = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", "4 4", "3 6"]

  /// "Nice" axis ticks (1, 2 or 5 × 10ᵏ apart) covering [low, high]; whole numbers only
  /// when `integer` (a step of at least 1).
  public static func ticks(_ low: Double, _ high: Double, count: Int = 6, integer: Bool = false) -> [Double] {
    guard high > low, low.isFinite, high.isFinite else { return [low] }
    let raw = integer ? max(1, (high - low) / Double(count)) : (high - low) / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var ticks: [Double] = []
    var t = ceil(low / step) * step
    while t <= high + step * 1e-9 {
      ticks.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    return ticks
  }

  static func label(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e9 { return String(Int64(v)) }
    return String(format: abs(v) < 1 ? "%.3g" : "%.1f", v)
  }

  /// Text made safe inside SVG or HTML markup.
  public static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// The chart as a standalone SVG document.
  public func svg() -> String {
    // As many legend columns as the longest label allows (1 to 3).
    let longest = Double(series.map(\.name.count).max() ?? 0)
    let columns = max(1, min(3, Int((width - 90) / (longest * 8.7 + 44))))
    let left = 78.0
    let right = 20.0
    let top = 44.0
    let bottom = 56.0 + 20.0 * Double((series.count + columns - 1) / columns)
    let plotW = width - left - right
    let plotH = height - top - bottom
    // Data ranges (stacked areas add up).
    var xs: [Double] = series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
    var ys: [Double] = yFromZero ? [0] : []
    switch kind {
    case .lines:
      ys += series.flatMap { s in s.points.map(\.y) + s.band.flatMap { [$0.low, $0.high] } }
    case .stackedAreas:
      let count = series.map(\.points.count).max() ?? 0
      for i in 0..<count { ys.append(series.reduce(0) { $0 + (i < $1.points.count ? $1.points[i].y : 0) }) }
    }
    xs = xs.filter(\.isFinite)
    ys = (ys + levels.map(\.y)).filter(\.isFinite)
    let xMin = xs.min() ?? 0
    let xMax = max((xs.max() ?? 1), (xs.min() ?? 0) + 1e-9)
    // A flat series (all zero, say) still gets a readable axis: at least one unit tall.
    let yLow = ys.min() ?? 0
    let yHigh = max(ys.max() ?? 1, yLow + ((ys.max() ?? 0) - yLow < 1e-9 ? 1 : 1e-9))
    let yTicks = Self.ticks(yLow, yHigh, integer: integerY)
    let yMin = min(yLow, yTicks.first ?? 0)
    let yMax = max(yHigh, yTicks.last ?? 1)
    func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
    func py(_ y: Double) -> Double { top + plotH - (y - yMin) / max(yMax - yMin, 1e-12) * plotH }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }

    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
      font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="14" role="img" aria-label="\(Self.escape(title))">
      <title>\(Self.escape(title))</title>
      <rect width="100%" height="100%" fill="#ffffff"/>
      <text x="\(f(left))" y="24" font-size="17" font-weight="bold">\(Self.escape(title))</text>

      """
    // Grid and axes.
    for t in yTicks {
      out += "<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(t)))\" stroke=\"#dddddd\"/>"
      out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Self.label(t))</text>\n"
    }
    for t in Self.ticks(xMin, xMax, count: 8, integer: integerX) {
      out += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333333\"/>"
      out += "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Self.label(t))</text>\n"
    }
    out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>\n"
    out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>\n"
    out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 38))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
    out += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>\n"
    // Series.
    switch kind {
    case .lines:
      for (i, s) in series.enumerated() {
        let colour = Self.palette[i % Self.palette.count]
        if !s.band.isEmpty {
          let upper = s.band.map { "\(f(px($0.x))),\(f(py($0.high)))" }
          let lower = s.band.reversed().map { "\(f(px($0.x))),\(f(py($0.low)))" }
          out +=
            "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        let path = s.points.filter { $0.y.isFinite }.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
        let dash = Self.dashes[i % Self.dashes.count]
        if pointMarkers {
          for p in s.points where p.y.isFinite {
            out += "<circle class=\"point\" cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"4\" fill=\"\(colour)\"/>"
          }
        }
        out +=
          "<polyline class=\"series\" data-series=\"\(Self.escape(s.name))\" points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\""
          + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "><title>\(Self.escape(s.name))</title></polyline>\n"
      }
    case .stackedAreas:
      let count = series.map(\.points.count).max() ?? 0
      var base = [Double](repeating: 0, count: count)
      for (i, s) in series.enumerated() {
        let colour = Self.palette[i % Self.palette.count]
        var top: [String] = []
        var bottomPoints: [String] = []
        for k in 0..<min(count, s.points.count) {
          let x = s.points[k].x
          top.append("\(f(px(x))),\(f(py(base[k] + s.points[k].y)))")
          bottomPoints.append("\(f(px(x))),\(f(py(base[k])))")
        }
        for k in 0..<min(count, s.points.count) { base[k] += s.points[k].y }
        let pattern = i == 0 ? "" : " stroke=\"#ffffff\" stroke-width=\"0.5\""
        out +=
          "<polygon class=\"series\" data-series=\"\(Self.escape(s.name))\" points=\"\((top + bottomPoints.reversed()).joined(separator: " "))\" "
          + "fill=\"\(colour)\" fill-opacity=\"\(i == 0 ? "0.55" : "0.85")\"\(pattern)><title>\(Self.escape(s.name))</title></polygon>\n"
      }
    }
    // Levels: a horizontal line each, labelled at the right end.
    for level in levels where level.y.isFinite {
      let y = py(level.y)
      out +=
        "<line class=\"level\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#333333\" stroke-dasharray=\"8 4\"/>"
      let w = LabelLayout.width(of: level.label, fontSize: 14)
      out +=
        "<text class=\"level-label\" x=\"\(f(left + plotW - w - 4))\" y=\"\(f(y - 5))\" font-size=\"14\" fill=\"#333333\" stroke=\"#ffffff\" "
        + "stroke-width=\"4\" paint-order=\"stroke\">\(Self.escape(level.label))</text>\n"
    }
    // Markers: a dashed line each; labels in rows from the top of the plot, none overlapping
    // or cut (LabelLayout), on a white halo so that lines under them do not hide them.
    let shownMarkers = markers.filter(\.x.isFinite)
    let markerSize = 14.0
    let markerLayout = LabelLayout.place(
      shownMarkers.map { (x: px($0.x) + 3, text: $0.label) }, fontSize: markerSize, minX: left + 2, maxX: left + plotW - 2)
    for m in shownMarkers {
      let x = px(m.x)
      out +=
        "<line class=\"marker\" x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"#555555\" stroke-dasharray=\"3 3\"/>"
    }
    for (k, m) in shownMarkers.enumerated() {
      let place = markerLayout[k]
      out +=
        "<text class=\"marker-label\" x=\"\(f(place.x))\" y=\"\(f(top + markerSize + Double(place.row) * (markerSize + 4)))\" "
        + "font-size=\"\(Int(markerSize))\" fill=\"#333333\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\" "
        + "data-width=\"\(f(place.width))\">\(Self.escape(m.label))</text>\n"
    }
    // Legend.
    for (i, s) in series.enumerated() {
      let col = Double(i % columns)
      let row = Double(i / columns)
      let x = left + col * (plotW / Double(columns))
      let y = top + plotH + 60 + row * 20
      let colour = Self.palette[i % Self.palette.count]
      let dash = Self.dashes[i % Self.dashes.count]
      if kind == .stackedAreas {
        out += "<rect x=\"\(f(x))\" y=\"\(f(y - 9))\" width=\"22\" height=\"10\" fill=\"\(colour)\"/>"
      } else {
        out +=
          "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 22))\" y2=\"\(f(y - 4))\" stroke=\"\(colour)\" stroke-width=\"2\""
          + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
      }
      out += "<text class=\"legend\" x=\"\(f(x + 28))\" y=\"\(f(y))\">\(Self.escape(s.name))</text>\n"
    }
    return out + "</svg>\n"
  }
}

extension SVGChart.Kind: Equatable {}
