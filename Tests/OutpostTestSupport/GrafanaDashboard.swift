import Foundation

/// The parts of a Grafana dashboard JSON model these tests read.
public struct GrafanaDashboard: Decodable {
    public struct DataSourceRef: Decodable {
        public var type: String?
        public var uid: String?
    }

    public struct Variable: Decodable {
        public var name: String
        public var type: String
        /// For query variables, the query as Grafana shows it, such as `label_values(up, job)`.
        public var definition: String?
        public var datasource: DataSourceRef?
        public var multi: Bool?
        public var includeAll: Bool?
        public var allValue: String?
    }

    public struct Target: Decodable {
        public var expr: String?
        public var refId: String
        public var datasource: DataSourceRef?
    }

    public struct Panel: Decodable {
        public var id: Int
        public var type: String
        public var title: String
        public var datasource: DataSourceRef?
        public var targets: [Target]?
        /// Panels inside a collapsed row.
        public var panels: [Panel]?
    }

    public struct Templating: Decodable {
        public var list: [Variable]
    }

    public var uid: String
    public var title: String
    public var schemaVersion: Int
    public var templating: Templating
    public var panels: [Panel]

    /// Every panel, those inside rows included.
    public var allPanels: [Panel] { panels.flatMap { [$0] + ($0.panels ?? []) } }

    /// Every query of every panel, with the panel it belongs to.
    public var queries: [(panel: Panel, expr: String)] {
        allPanels.flatMap { panel in (panel.targets ?? []).compactMap { target in target.expr.map { (panel, $0) } } }
    }

    public static func load(_ url: URL) throws -> GrafanaDashboard {
        try JSONDecoder().decode(GrafanaDashboard.self, from: Data(contentsOf: url))
    }
}
