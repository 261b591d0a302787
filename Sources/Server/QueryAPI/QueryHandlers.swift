import PromQL

/// `/api/v1/query` and `/api/v1/query_range`.
struct QueryHandlers: Sendable {
    static let maxPointsPerSeries: Int64 = 11_000

    let service: QueryService

    func instant(_ parameters: FormParameters) async throws(APIError) -> [UInt8] {
        let time = try QueryParameters.time(parameters, "time", default: service.clock.now())
        let engine = service.engine(timeout: try QueryParameters.timeout(parameters),
                                    lookbackDelta: try QueryParameters.lookbackDelta(parameters))
        let expr = try parse(parameters["query"], engine)
        return try await service.run { () throws(APIError) -> [UInt8] in
            do throws(QueryError) { return encode(try engine.instantQuery(expr, at: time)) } catch { throw APIError(error) }
        }
    }

    func range(_ parameters: FormParameters) async throws(APIError) -> [UInt8] {
        let start = try QueryParameters.time(parameters, "start", default: nil)
        let end = try QueryParameters.time(parameters, "end", default: nil)
        guard end >= start else { throw APIError(.badData, "end timestamp must not be before start time") }
        let step = try QueryParameters.duration(parameters, "step")
        guard step > 0 else {
            throw APIError(.badData, "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, span / step <= Self.maxPointsPerSeries else {
            throw APIError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let engine = service.engine(timeout: try QueryParameters.timeout(parameters),
                                    lookbackDelta: try QueryParameters.lookbackDelta(parameters))
        let expr = try parse(parameters["query"], engine)
        guard expr.type == .scalar || expr.type == .vector else {
            throw .invalidParameter("query", "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        return try await service.run { () throws(APIError) -> [UInt8] in
            do throws(QueryError) { return encode(try engine.rangeQuery(expr, start: start, end: end, step: step)) } catch { throw APIError(error) }
        }
    }

    private func parse(_ query: String, _ engine: Engine) throws(APIError) -> Expr {
        do { return try engine.parse(query) } catch { throw .invalidParameter("query", error.description) }
    }

    private func encode(_ result: QueryResult) -> [UInt8] {
        PrometheusJSON.success(warnings: result.annotations.warnings, infos: result.annotations.infos) { json in
            json.queryValue(result.value)
        }
    }
}
