import OutpostCore

/// Evaluates PromQL over a `Queryable` with Prometheus 3.5 semantics.
///
/// Timestamps are milliseconds since the epoch. Both entry points are synchronous and check
/// `Task.isCancelled` and the timeout between evaluation steps (or series, when a range query is
/// evaluated series by series).
public struct Engine: Sendable {
    public let queryable: any Queryable
    public let options: EngineOptions

    public init(queryable: any Queryable, options: EngineOptions = EngineOptions()) {
        self.queryable = queryable
        self.options = options
    }

    /// Evaluates `query` at one instant (`/api/v1/query`).
    public func instantQuery(_ query: String, at time: Int64) throws(QueryError) -> QueryResult {
        try instantQuery(parse(query), at: time)
    }

    /// Evaluates an already parsed expression at one instant.
    public func instantQuery(_ expr: Expr, at time: Int64) throws(QueryError) -> QueryResult {
        var evaluator = Evaluator(queryable: queryable, options: options, start: time, end: time, interval: 0)
        try evaluator.prepare(expr)
        let value = try evaluator.evalTopLevel(expr, at: time)
        let result: QueryValue
        switch value {
        case .scalar(let v): result = .scalar(t: time, value: v)
        case .string(let s): result = .string(t: time, value: s)
        case .vector(let samples):
            result = .vector(samples.map { VectorSample(labels: $0.finalLabels, t: time, value: $0.value) })
        case .matrix(let range):
            var series: [MatrixSeries] = []
            for s in range.series {
                series.append(MatrixSeries(labels: s.dropName ? s.labels.removing(EvalSample.nameLabels) : s.labels, points: Array(s.points)))
            }
            try Evaluator.checkUnique(series.map(\.labels))
            result = .matrix(series.sorted { $0.labels < $1.labels })
        }
        return QueryResult(value: result, annotations: evaluator.annotations)
    }

    /// Evaluates `query` at each step from `start` to `end` inclusive (`/api/v1/query_range`).
    public func rangeQuery(_ query: String, start: Int64, end: Int64, step: Int64) throws(QueryError) -> QueryResult {
        try rangeQuery(parse(query), start: start, end: end, step: step)
    }

    /// Evaluates an already parsed expression over a range of steps.
    public func rangeQuery(_ expr: Expr, start: Int64, end: Int64, step: Int64) throws(QueryError) -> QueryResult {
        guard step > 0 else { throw .execution("zero or negative query resolution step widths are not accepted. Try a positive integer") }
        guard end >= start else { throw .execution("end timestamp must not be before start time") }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, span / step <= 11_000 else {
            throw .execution("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        guard expr.type == .scalar || expr.type == .vector else {
            throw .execution("invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        var evaluator = Evaluator(queryable: queryable, options: options, start: start, end: end, interval: step)
        try evaluator.prepare(expr)
        var steps: [Int64] = []
        var t = start
        while t <= end {
            steps.append(t)
            let (next, overflow) = t.addingReportingOverflow(step)
            if overflow { break }
            t = next
        }
        if let matrix = try evaluator.evalSteps(expr, steps) {
            let series = try matrix.resultSeries(steps: steps, maxSamples: options.maxSamples)
            return QueryResult(value: .matrix(series.sorted { $0.labels < $1.labels }), annotations: evaluator.annotations)
        }
        var indexByLabels: [Labels: Int] = [:]
        var series: [MatrixSeries] = []
        for t in steps {
            let value = try evaluator.evalTopLevel(expr, at: t)
            switch value {
            case .scalar(let v):
                if series.isEmpty { series.append(MatrixSeries(labels: Labels(), points: [])) }
                series[0].points.append(Point(t: t, value: v))
            case .vector(let samples):
                for sample in samples {
                    let labels = sample.finalLabels
                    if let index = indexByLabels[labels] {
                        series[index].points.append(Point(t: t, value: sample.value))
                    } else {
                        indexByLabels[labels] = series.count
                        series.append(MatrixSeries(labels: labels, points: [Point(t: t, value: sample.value)]))
                    }
                }
            case .string, .matrix:
                throw .execution("invalid expression type for range query")
            }
        }
        return QueryResult(value: .matrix(series.sorted { $0.labels < $1.labels }), annotations: evaluator.annotations)
    }

    /// Parses a query, wrapping syntax errors as `QueryError.parse` (`bad_data`).
    public func parse(_ query: String) throws(QueryError) -> Expr {
        do { return try Parser.parse(query) } catch { throw .parse(error) }
    }
}
