import OutpostMetrics

/// `/api/v1/metadata`: HELP and TYPE of the metrics Outpost records into its head, read from its
/// registry (the families `/metrics` exposes, StatsD and probe families included), in
/// Prometheus's shape `{"<metric>":[{"type":…,"help":…,"unit":""}]}`. Series written by recording
/// rules carry no metadata, as in Prometheus, where metadata comes only from scrapes.
///
/// Parameters as in Prometheus: `metric` keeps one metric name; `limit` caps how many metrics are
/// returned (negative or absent: all, `0`: none); `limit_per_metric` caps the entries per metric
/// when positive, and is checked, but never removes one: the registry joins families that
/// share a name, so each metric has exactly one entry.
struct MetadataHandler: Sendable {
    let registry: MetricsRegistry

    func metadata(_ parameters: FormParameters) throws(APIError) -> [UInt8] {
        let limit = try Self.number(parameters, "limit")
        _ = try Self.number(parameters, "limit_per_metric")
        let metric = parameters["metric"]
        // The snapshot comes sorted by name with one family per name.
        var families = registry.snapshot().filter { metric.isEmpty || $0.name == metric }
        if limit >= 0 { families = Array(families.prefix(limit)) }
        return PrometheusJSON.success { json in
            json.raw("{")
            for (index, family) in families.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(family.name)
                json.raw(":[{\"type\":")
                json.string(Self.typeName(family.type))
                json.raw(",\"help\":")
                json.string(family.help)
                json.raw(",\"unit\":\"\"}]")
            }
            json.raw("}")
        }
    }

    /// Prometheus's metadata type names; an untyped family is `unknown`, as Prometheus records it.
    static func typeName(_ type: MetricType) -> String {
        type == .untyped ? "unknown" : type.rawValue
    }

    /// An integer parameter, -1 when absent.
    private static func number(_ parameters: FormParameters, _ name: String) throws(APIError) -> Int {
        let text = parameters[name]
        guard !text.isEmpty else { return -1 }
        guard let value = Int(text) else { throw APIError(.badData, "\(name) must be a number") }
        return value
    }
}
