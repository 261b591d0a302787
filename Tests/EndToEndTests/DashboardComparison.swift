import Foundation
import OutpostTestSupport

/// Runs every panel query of grafana/dashboards against Outpost and Prometheus, variables
/// resolved from Outpost as Grafana resolves them, and reports where the two disagree.
struct DashboardComparison {
    /// One panel query, with its variables substituted, and the series each side returned.
    struct Outcome {
        var panel: String
        var query: String
        var outpost: Set<String>
        var prometheus: Set<String>
        var outpostHasData: Bool
        var prometheusHasData: Bool

        var agrees: Bool { outpost == prometheus && outpostHasData == prometheusHasData }
    }

    var outpost: PrometheusAPIClient
    var prometheus: PrometheusAPIClient

    /// For each dashboard query: the first variable value set where both sides have data and
    /// the same series, else the last disagreement seen, else the answer without data. Series appear on each side at
    /// their own scrape and evaluation ticks, so a disagreement is asked again a few times.
    func run() async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for url in try RepositoryFiles.files(in: "grafana/dashboards", suffix: ".json") {
            let dashboard = try GrafanaDashboard.load(url)
            let candidates = try await dashboard.variableValueSets(from: outpost, datasource: "outpost")
            for (panel, expr) in dashboard.queries {
                var chosen: Outcome?
                for values in candidates {
                    let query = try GrafanaTemplate.substitute(expr, values: values)
                    let outcome = try await compare(query, panel: "\(url.lastPathComponent)/\(panel.title)")
                    if outcome.agrees && outcome.outpostHasData {
                        chosen = outcome
                        break
                    }
                    if chosen == nil || !outcome.agrees { chosen = outcome }
                }
                if let chosen { outcomes.append(chosen) }
            }
        }
        return outcomes
    }

    private func compare(_ query: String, panel: String) async throws -> Outcome {
        var attempt = 0
        while true {
            let mine = try await outpost.query(query)
            let theirs = try await prometheus.query(query)
            let outcome = Outcome(panel: panel, query: query, outpost: Self.labelSets(mine), prometheus: Self.labelSets(theirs),
                                  outpostHasData: mine.hasData, prometheusHasData: theirs.hasData)
            attempt += 1
            if outcome.agrees || attempt == 4 { return outcome }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Each series' labels as one comparable string, such as `{instance="a", job="b"}`.
    static func labelSets(_ result: PrometheusAPIClient.QueryResult) -> Set<String> {
        Set(result.series.map { labels in
            "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
        })
    }
}
