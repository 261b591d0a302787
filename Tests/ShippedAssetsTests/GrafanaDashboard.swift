import Foundation

/// The parts of a Grafana dashboard JSON model these tests read.
struct GrafanaDashboard: Decodable {
    struct DataSourceRef: Decodable {
        var type: String?
        var uid: String?
    }

    struct Variable: Decodable {
        var name: String
        var type: String
        /// For query variables, the query as Grafana shows it, such as `label_values(up, job)`.
        var definition: String?
        var datasource: DataSourceRef?
        var multi: Bool?
        var includeAll: Bool?
        var allValue: String?
    }

    struct Target: Decodable {
        var expr: String?
        var refId: String
        var datasource: DataSourceRef?
    }

    struct Panel: Decodable {
        var id: Int
        var type: String
        var title: String
        var datasource: DataSourceRef?
        var targets: [Target]?
        /// Panels inside a collapsed row.
        var panels: [Panel]?
    }

    struct Templating: Decodable {
        var list: [Variable]
    }

    var uid: String
    var title: String
    var schemaVersion: Int
    var templating: Templating
    var panels: [Panel]

    /// Every panel, those inside rows included.
    var allPanels: [Panel] { panels.flatMap { [$0] + ($0.panels ?? []) } }

    /// Every query of every panel, with the panel it belongs to.
    var queries: [(panel: Panel, expr: String)] {
        allPanels.flatMap { panel in (panel.targets ?? []).compactMap { target in target.expr.map { (panel, $0) } } }
    }

    static func load(_ url: URL) throws -> GrafanaDashboard {
        try JSONDecoder().decode(GrafanaDashboard.self, from: Data(contentsOf: url))
    }
}
