/// Grafana's variable resolution: each query variable's values come from the data source's
/// /api/v1/label/.../values, as Grafana asks for them.
extension GrafanaDashboard {
    public struct EmptyVariable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The value sets to try: multi-value variables take their "All" regex; a single-value
    /// variable takes each of its values in turn (a target detail panel for HTTP has no data
    /// for a TCP target, so a panel is answered when one of the sets has data).
    public func variableValueSets(from api: PrometheusAPIClient, datasource: String) async throws -> [[String: String]] {
        var sets: [[String: String]] = [["datasource": datasource]]
        for variable in templating.list where variable.type == "query" {
            guard let definition = variable.definition, let query = LabelValuesQuery(definition) else {
                throw EmptyVariable(description: "\(title): variable \(variable.name) is not a label_values query")
            }
            if variable.includeAll == true, let all = variable.allValue {
                sets = sets.map { $0.merging([variable.name: all]) { $1 } }
                continue
            }
            var expanded: [[String: String]] = []
            for values in sets {
                let selector = try query.selector.map { try GrafanaTemplate.substitute($0, values: values) }
                let found = try await api.labelValues(query.label, selector: selector)
                guard !found.isEmpty else { throw EmptyVariable(description: "\(title): variable \(variable.name) has no values") }
                expanded += found.map { values.merging([variable.name: $0]) { $1 } }
            }
            sets = expanded
        }
        return sets
    }
}
