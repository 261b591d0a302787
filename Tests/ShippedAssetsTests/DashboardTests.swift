import Foundation
import PromQL
import Testing
import OutpostTestSupport

/// grafana/dashboards: valid JSON for current Grafana, a data-source variable, no hard-coded
/// data-source UIDs, and PromQL that Outpost's parser accepts once variables are filled in.
@Suite struct DashboardTests {
    static let expected = ["outpost-alerts.json", "outpost-internals.json", "outpost-statsd.json", "outpost-target-detail.json", "outpost-targets.json"]

    static func dashboards() throws -> [(file: String, dashboard: GrafanaDashboard)] {
        try RepositoryFiles.files(in: "grafana/dashboards", suffix: ".json").map { ($0.lastPathComponent, try GrafanaDashboard.load($0)) }
    }

    @Test func everyDashboardIsShippedAndParses() throws {
        let loaded = try Self.dashboards()
        #expect(loaded.map(\.file) == Self.expected)
        #expect(Set(loaded.map(\.dashboard.uid)).count == loaded.count, "dashboard UIDs must be unique")
        for (file, dashboard) in loaded {
            #expect(dashboard.schemaVersion >= 39, "\(file)")
            #expect(dashboard.title.hasPrefix("Outpost / "), "\(file)")
            #expect(!dashboard.queries.isEmpty, "\(file)")
            #expect(Set(dashboard.allPanels.map(\.id)).count == dashboard.allPanels.count, "\(file): panel ids must be unique")
        }
    }

    @Test func everyDashboardSelectsItsDataSourceThroughAVariable() throws {
        for (file, dashboard) in try Self.dashboards() {
            let variable = dashboard.templating.list.first { $0.name == "datasource" }
            #expect(variable?.type == "datasource", "\(file): no datasource variable")
            for panel in dashboard.allPanels where panel.type != "row" {
                #expect(panel.datasource?.type == "prometheus" && panel.datasource?.uid == "${datasource}", "\(file): panel \(panel.title)")
                for target in panel.targets ?? [] {
                    #expect(target.datasource?.uid == "${datasource}", "\(file): panel \(panel.title) query \(target.refId)")
                }
            }
            for variable in dashboard.templating.list where variable.type == "query" {
                #expect(variable.datasource?.uid == "${datasource}", "\(file): variable \(variable.name)")
            }
        }
    }

    /// Every `datasource` object anywhere in the JSON (panels, queries, variables,
    /// annotations) refers to the variable or to Grafana's built-in source, never to a UID of
    /// one installation; and no `${DS_...}` import placeholders are left.
    @Test func noDashboardHardCodesADataSourceUID() throws {
        for url in try RepositoryFiles.files(in: "grafana/dashboards", suffix: ".json") {
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(!text.contains("${DS_"), "\(url.lastPathComponent)")
            #expect(!text.contains("__inputs"), "\(url.lastPathComponent)")
            var uids: [String] = []
            collectDataSourceUIDs(try JSONSerialization.jsonObject(with: Data(text.utf8)), into: &uids)
            #expect(!uids.isEmpty)
            for uid in uids {
                #expect(["${datasource}", "-- Grafana --"].contains(uid), "\(url.lastPathComponent): data source uid \(uid)")
            }
        }
    }

    @Test func everyPanelQueryParsesWithOutpostsParser() throws {
        var parsed = 0
        for (file, dashboard) in try Self.dashboards() {
            let values = try placeholderValues(dashboard)
            for (panel, expr) in dashboard.queries {
                let query = try GrafanaTemplate.substitute(expr, values: values)
                do {
                    _ = try Parser.parse(query)
                    parsed += 1
                } catch {
                    Issue.record("\(file): panel \"\(panel.title)\": \(query): \(error)")
                }
            }
        }
        #expect(parsed > 50)
    }

    /// Each variable's query is valid too: `label_values(selector, label)` needs a selector
    /// Outpost parses.
    @Test func everyVariableQueryIsLabelValuesOfAValidSelector() throws {
        for (file, dashboard) in try Self.dashboards() {
            let values = try placeholderValues(dashboard)
            for variable in dashboard.templating.list where variable.type == "query" {
                let definition = try #require(variable.definition, "\(file): \(variable.name)")
                let query = try #require(LabelValuesQuery(definition), "\(file): \(definition)")
                if let selector = query.selector {
                    #expect(throws: Never.self, "\(file): \(definition)") { try Parser.parse(try GrafanaTemplate.substitute(selector, values: values)) }
                }
            }
        }
    }

    /// Values standing in for the dashboard's variables: a multi-value variable's "All"
    /// regex, an example value otherwise.
    private func placeholderValues(_ dashboard: GrafanaDashboard) throws -> [String: String] {
        var values: [String: String] = [:]
        for variable in dashboard.templating.list {
            values[variable.name] = variable.includeAll == true ? try #require(variable.allValue) : "example"
        }
        return values
    }

    private func collectDataSourceUIDs(_ node: Any, into uids: inout [String]) {
        if let object = node as? [String: Any] {
            for (key, value) in object {
                if key == "datasource", let reference = value as? [String: Any] {
                    uids.append(reference["uid"] as? String ?? "<none>")
                } else {
                    collectDataSourceUIDs(value, into: &uids)
                }
            }
        } else if let array = node as? [Any] {
            for element in array { collectDataSourceUIDs(element, into: &uids) }
        }
    }
}
