import Foundation
import SimCore
import Testing

@testable import Reports
@testable import Topology

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Collects element names and attributes of an XML document, failing on malformed XML.
final class XMLCollector: NSObject, XMLParserDelegate {
  var elements: [(name: String, attributes: [String: String])] = []
  var text = ""

  static func parse(_ xml: String) -> XMLCollector? {
    let collector = XMLCollector()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = collector
    return parser.parse() ? collector : nil
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    elements.append((name, attributes))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite("Charts and the HTML report")
struct ChartTests {
  static func run() -> RunResult {
    let tier = TierConfig(
      loadBalancer: LoadBalancerConfig(concurrencyPerTarget: 4, queueLimit: 20, queueTimeout: .seconds(2)),
      group: GroupConfig(initial: 1, min: 1, max: 1, workers: 1, bootTime: .constant(.seconds(30))),
      cpuTime: [.apiRead: try! .exponential(mean: 0.02)])
    let config = TopologyConfig(
      regions: [RegionConfig(name: "delhi", frontend: nil, backend: tier)], dns: nil,
      populations: [
        PopulationConfig(name: "u", arrivals: .constant(rate: 30), mix: [.apiRead: 1], clients: 1, clientCache: .none, timeout: .seconds(5))
      ],
      faults: [FaultSpec(target: .tier(region: 0, tier: .backend), mode: .crash, at: .minutes(2), duration: .minutes(1))],
      duration: .minutes(5), bucket: .seconds(10), seed: 2)
    return TopologyModel.run(config)
  }

  @Test("every chart of a run is well-formed XML with its title, axis units, legend and series")
  func runCharts() throws {
    let report = RunReport(result: Self.run(), context: ScenarioInfo(name: "t", description: "", base: "documented"))
    let charts = report.charts()
    #expect(
      charts.map(\.name) == [
        "timeline", "requests", "traffic-share", "failures-by-region", "latency", "latency-by-region", "instances", "queues",
      ])
    for chart in charts {
      let xml = try #require(XMLCollector.parse(chart.svg), "\(chart.name) is not well-formed XML")
      #expect(xml.elements.first?.name == "svg")
      #expect(xml.elements.contains { $0.name == "title" })
    }
    let requests = XMLCollector.parse(charts[1].svg)!
    let series = requests.elements.compactMap { $0.attributes["data-series"] }
    #expect(series.contains("success") && series.contains("load balancer 5xx"))
    #expect(requests.text.contains("requests per second") && requests.text.contains("minutes after the first fault"))
    let latency = XMLCollector.parse(charts.first { $0.name == "latency" }!.svg)!
    #expect(latency.elements.compactMap { $0.attributes["data-series"] } == ["p50", "p95", "p99"])
    #expect(latency.text.contains("milliseconds"))
    // Series differ by dash pattern as well as colour (greyscale).
    let dashes = latency.elements.filter { $0.attributes["class"] == "series" }.map { $0.attributes["stroke-dasharray"] ?? "solid" }
    #expect(Set(dashes).count == 3)
    let timeline = XMLCollector.parse(charts[0].svg)!
    #expect(timeline.elements.filter { $0.attributes["class"] == "lane" }.count >= 2)
    #expect(timeline.text.contains("fault") && timeline.text.contains("load-balancer"))
  }

  @Test("a chart with a confidence band draws it; ticks are round numbers")
  func bands() throws {
    let chart = SVGChart(
      title: "x", xLabel: "servers", yLabel: "seconds",
      series: [
        SVGChart.Series(name: "mean", points: [(1, 2), (2, 3)], band: [(1, 1.5, 2.5), (2, 2.5, 3.5)])
      ])
    let xml = try #require(XMLCollector.parse(chart.svg()))
    #expect(xml.elements.contains { $0.attributes["class"] == "band" })
    #expect(SVGChart.ticks(0, 97) == [0, 20, 40, 60, 80])
    #expect(SVGChart.ticks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
  }

  @Test("the HTML report is one self-contained file: nothing loaded from the network, every SVG inline")
  func htmlSelfContained() throws {
    let result = Self.run()
    let report = RunReport(
      result: result, context: ScenarioInfo(name: "t", description: "d", base: "documented", published: [("dns_unhealthy", .seconds(90))]))
    let html = HTMLReport.run(report, cost: nil)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    // The only URL allowed is the SVG namespace name, which browsers never fetch.
    let stripped = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    for external in ["http://", "https://", "src=", "<link", "@import", "url(", "<script"] {
      #expect(!stripped.contains(external), "the report references \(external)")
    }
    #expect(html.components(separatedBy: "<svg ").count - 1 == report.charts().count)
    #expect(html.contains("Milestones") && html.contains("Timeline") && html.contains("published"))
  }
}

@Suite("Chart axes for the projector")
struct ChartAxisTests {
  @Test("whole-number axes get whole-number ticks; few points get dots; an objective gets a line; availability zooms")
  func axes() {
    #expect(SVGChart.ticks(0, 3, integer: true).allSatisfy { $0 == $0.rounded() })
    #expect(SVGChart.ticks(0, 3).contains { $0 != $0.rounded() }, "without the option, 0.5 steps appear")
    var chart = SVGChart(
      title: "availability", xLabel: "max", yLabel: "availability",
      series: [SVGChart.Series(name: "a", points: [(2, 0.82), (3, 0.968), (4, 0.968)])])
    chart.pointMarkers = true
    chart.integerX = true
    chart.yFromZero = false
    chart.levels = [(0.999, "objective 99.9%")]
    let svg = chart.svg()
    #expect(svg.components(separatedBy: "class=\"point\"").count - 1 == 3)
    #expect(svg.contains("class=\"level\"") && svg.contains("objective 99.9%"))
    // Zoomed: no tick at 0 on the y axis.
    #expect(!svg.contains(">0</text>"))
  }
}
