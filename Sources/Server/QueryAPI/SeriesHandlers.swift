import OutpostCore
import TSDB

/// `/api/v1/series`, `/api/v1/labels`, `/api/v1/label/<name>/values` and
/// `/api/v1/status/buildinfo`: look-ups in the head that need no PromQL evaluation.
struct SeriesHandlers: Sendable {
    static let truncationWarning = "results truncated due to limit"

    let service: QueryService

    func series(_ parameters: FormParameters) throws(APIError) -> [UInt8] {
        guard !parameters.all("match[]").isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let limit = try QueryParameters.limit(parameters)
        let (start, end) = try timeRange(parameters)
        let found = Set(try matching(QueryParameters.selectors(parameters, engine: service.engine), start, end))
        let (sorted, warnings) = truncated(found.sorted(), to: limit)
        return PrometheusJSON.success(warnings: warnings) { json in
            json.array(sorted) { json, labels in json.labels(labels) }
        }
    }

    func labelNames(_ parameters: FormParameters) throws(APIError) -> [UInt8] {
        let limit = try QueryParameters.limit(parameters)
        let (start, end) = try timeRange(parameters)
        let selectors = try QueryParameters.selectors(parameters, engine: service.engine)
        let names: [String]
        if selectors.isEmpty {
            names = service.head.labelNames()
        } else {
            names = Set(matching(selectors, start, end).flatMap { $0.map(\.name) }).sorted()
        }
        return strings(truncated(names, to: limit))
    }

    func labelValues(_ parameters: FormParameters, name: String) throws(APIError) -> [UInt8] {
        guard !name.isEmpty else { throw APIError(.badData, "invalid label name: \"\(name)\"") }
        let limit = try QueryParameters.limit(parameters)
        let (start, end) = try timeRange(parameters)
        let selectors = try QueryParameters.selectors(parameters, engine: service.engine)
        let values: [String]
        if selectors.isEmpty {
            values = service.head.labelValues(name)
        } else {
            values = Set(matching(selectors, start, end).compactMap { $0[name] }).sorted()
        }
        return strings(truncated(values, to: limit))
    }

    func buildInfo() -> [UInt8] {
        let info = service.buildInfo
        let fields = [("version", info.version), ("revision", info.revision), ("branch", info.branch),
                      ("buildUser", info.buildUser), ("buildDate", info.buildDate), ("goVersion", info.goVersion)]
        return PrometheusJSON.success { json in
            json.raw("{")
            for (index, field) in fields.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(field.0)
                json.raw(":")
                json.string(field.1)
            }
            json.raw("}")
        }
    }

    /// The label sets of the series any of `selectors` matches with samples in [start, end].
    private func matching(_ selectors: [[LabelMatcher]], _ start: Int64, _ end: Int64) -> [Labels] {
        selectors.flatMap { matchers in
            let found: [QueriedSeries] = service.head.select(matchers, mint: start, maxt: end)
            return found.map(\.labels)
        }
    }

    private func timeRange(_ parameters: FormParameters) throws(APIError) -> (start: Int64, end: Int64) {
        let start = try QueryParameters.time(parameters, "start", default: QueryParameters.minTime)
        let end = try QueryParameters.time(parameters, "end", default: QueryParameters.maxTime)
        return (start, end)
    }

    private func truncated<Element>(_ elements: [Element], to limit: Int?) -> ([Element], [String]) {
        guard let limit, elements.count > limit else { return (elements, []) }
        return (Array(elements.prefix(limit)), [Self.truncationWarning])
    }

    private func strings(_ result: ([String], [String])) -> [UInt8] {
        PrometheusJSON.success(warnings: result.1) { json in json.strings(result.0) }
    }
}
