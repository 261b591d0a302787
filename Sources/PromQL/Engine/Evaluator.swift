import Foundation
import OutpostCore
import TSDB

/// Evaluates an expression one step at a time over series fetched once per selector; range
/// queries go series by series instead where `evalSteps` can (Evaluator+Steps.swift).
struct Evaluator {
    let queryable: any Queryable
    let options: EngineOptions
    /// The query's own start and end, which `@ start()` and `@ end()` refer to.
    let start: Int64
    let end: Int64
    let interval: Int64
    let deadline: ContinuousClock.Instant
    var annotations = Annotations()
    /// Fetched series per selector id.
    private(set) var data: [Int: [FetchedSeries]] = [:]
    /// How many series were fetched; series ids run from 0 to this.
    private(set) var seriesCount = 0
    /// Per aggregation (by source position), the group of each fetched series, reused across steps.
    var groupCaches: [Int: GroupCache] = [:]
    /// Metric names already reported as possibly not counters, so each is checked once per query.
    var reportedNonCounters: Set<String> = []
    private var bounds: [Int: (mint: Int64, maxt: Int64)] = [:]
    private var matchersByID: [Int: [LabelMatcher]] = [:]

    init(queryable: any Queryable, options: EngineOptions, start: Int64, end: Int64, interval: Int64) {
        self.queryable = queryable
        self.options = options
        self.start = start
        self.end = end
        self.interval = interval
        deadline = ContinuousClock.now.advanced(by: options.timeout)
    }

    // MARK: Fetching

    /// Works out the time range each selector needs over the whole query, then fetches it once;
    /// fails when more than `maxSamples` samples would be loaded.
    mutating func prepare(_ expr: Expr) throws(QueryError) {
        collectBounds(expr, from: start, to: end)
        var nextSeriesID: Int32 = 0
        var loaded = 0
        for (id, range) in bounds {
            var fetched: [FetchedSeries] = []
            for stored in queryable.select(matchersByID[id] ?? [], mint: range.mint, maxt: range.maxt) {
                loaded += stored.timestamps.count
                if loaded > options.maxSamples { throw .tooManySamples }
                fetched.append(FetchedSeries(stored, id: nextSeriesID))
                nextSeriesID &+= 1
            }
            data[id] = fetched
        }
        seriesCount = Int(nextSeriesID)
    }

    func resolve(_ at: AtModifier?, _ t: Int64) -> Int64 {
        switch at {
        case .none: t
        case .timestamp(let value): value
        case .start: start
        case .end: end
        }
    }

    private mutating func addBounds(_ id: Int, _ matchers: [LabelMatcher], _ mint: Int64, _ maxt: Int64) {
        matchersByID[id] = matchers
        if let existing = bounds[id] {
            bounds[id] = (min(existing.mint, mint), max(existing.maxt, maxt))
        } else {
            bounds[id] = (mint, maxt)
        }
    }

    private mutating func collectBounds(_ expr: Expr, from: Int64, to: Int64) {
        switch expr {
        case .number, .string: break
        case .vectorSelector(let s):
            let lo = (s.at == nil ? from : resolve(s.at, from)) &- s.offset
            let hi = (s.at == nil ? to : resolve(s.at, to)) &- s.offset
            addBounds(s.id, s.matchers, lo &- options.lookbackDelta, hi)
        case .matrixSelector(let m):
            let s = m.selector
            let lo = (s.at == nil ? from : resolve(s.at, from)) &- s.offset
            let hi = (s.at == nil ? to : resolve(s.at, to)) &- s.offset
            addBounds(s.id, s.matchers, lo &- m.range, hi)
        case .subquery(let sq):
            let lo = (sq.at == nil ? from : resolve(sq.at, from)) &- sq.offset
            let hi = (sq.at == nil ? to : resolve(sq.at, to)) &- sq.offset
            collectBounds(sq.expr, from: lo &- sq.range, to: hi)
        case .call(let call):
            for arg in call.args { collectBounds(arg, from: from, to: to) }
        case .aggregate(let a):
            collectBounds(a.expr, from: from, to: to)
            if let p = a.parameter { collectBounds(p, from: from, to: to) }
        case .binary(let b):
            collectBounds(b.lhs, from: from, to: to)
            collectBounds(b.rhs, from: from, to: to)
        case .unary(_, let e, _), .paren(let e, _):
            collectBounds(e, from: from, to: to)
        }
    }

    // MARK: Evaluation

    /// One step of the query, with the checks Prometheus makes on the final result.
    mutating func evalTopLevel(_ expr: Expr, at t: Int64) throws(QueryError) -> EvalValue {
        if Task.isCancelled { throw .canceled }
        if ContinuousClock.now > deadline { throw .timeout }
        let value = try eval(expr, at: t)
        if case .vector(let samples) = value {
            if samples.count > options.maxSamples { throw .tooManySamples }
            try Evaluator.checkUnique(samples.map(\.finalLabels))
        }
        return value
    }

    static func checkUnique(_ labels: [Labels]) throws(QueryError) {
        guard labels.count > 1 else { return }
        var seen = Set<Labels>(minimumCapacity: labels.count)
        for l in labels where !seen.insert(l).inserted {
            throw .execution("vector cannot contain metrics with the same labelset")
        }
    }

    mutating func eval(_ expr: Expr, at t: Int64) throws(QueryError) -> EvalValue {
        switch expr {
        case .number(let v, _): return .scalar(v)
        case .string(let s, _): return .string(s)
        case .paren(let inner, _): return try eval(inner, at: t)
        case .vectorSelector(let s): return .vector(selectInstant(s, at: t))
        case .matrixSelector(let m): return .matrix(selectRange(m, at: t))
        case .subquery(let sq): return .matrix(try evalSubquery(sq, at: t))
        case .unary(_, let operand, _):
            switch try eval(operand, at: t) {
            case .scalar(let v): return .scalar(-v)
            case .vector(let samples):
                return .vector(samples.map { EvalSample(labels: $0.labels, value: -$0.value, dropName: true) })
            default: throw .execution("unary minus on unsupported type")
            }
        case .binary(let b): return try evalBinary(b, at: t)
        case .aggregate(let a): return try evalAggregate(a, at: t)
        case .call(let c): return try evalCall(c, at: t)
        }
    }

    func selectInstant(_ s: VectorSelector, at t: Int64) -> [EvalSample] {
        let ref = resolve(s.at, t) &- s.offset
        let floor = ref &- options.lookbackDelta
        var result: [EvalSample] = []
        for series in data[s.id] ?? [] {
            let index = Evaluator.upperBound(series.points, ref) - 1
            guard index >= 0, series.points[index].t > floor else { continue }
            let point = series.points[index]
            if StaleMarker.isStale(point.value) { continue }
            result.append(EvalSample(labels: series.labels, value: point.value, sampleTime: point.t, seriesID: series.id))
        }
        return result
    }

    func selectRange(_ m: MatrixSelector, at t: Int64) -> RangeValue {
        let ref = resolve(m.selector.at, t) &- m.selector.offset
        let rangeStart = ref &- m.range
        var result: [RangeSeries] = []
        for series in data[m.selector.id] ?? [] {
            let lo = Evaluator.upperBound(series.points, rangeStart)
            let hi = Evaluator.upperBound(series.points, ref)
            guard lo < hi else { continue }
            var points = series.points[lo..<hi]
            if series.hasStale {
                points = ArraySlice(points.filter { !StaleMarker.isStale($0.value) })
            }
            if !points.isEmpty { result.append(RangeSeries(labels: series.labels, points: points, seriesID: series.id)) }
        }
        return RangeValue(series: result, rangeStart: rangeStart, rangeEnd: ref)
    }

    mutating func evalSubquery(_ sq: Subquery, at t: Int64) throws(QueryError) -> RangeValue {
        let ref = resolve(sq.at, t) &- sq.offset
        let step = sq.step > 0 ? sq.step : options.defaultSubqueryStep
        let rangeStart = ref &- sq.range
        // The first step strictly after the range start that is a multiple of the step.
        var first = step * (rangeStart / step)
        if first <= rangeStart { first &+= step }
        var indexByLabels: [Labels: Int] = [:]
        var series: [RangeSeries] = []
        var stepTime = first
        var steps = 0
        var loaded = 0
        while stepTime <= ref && first > rangeStart {
            steps += 1
            if steps % 1000 == 0 {
                if Task.isCancelled { throw .canceled }
                if ContinuousClock.now > deadline { throw .timeout }
            }
            switch try eval(sq.expr, at: stepTime) {
            case .scalar(let v):
                if series.isEmpty { series.append(RangeSeries(labels: Labels(), points: [])) }
                series[0].points.append(Point(t: stepTime, value: v))
            case .vector(let samples):
                loaded += samples.count
                if loaded > options.maxSamples { throw .tooManySamples }
                for sample in samples {
                    if let index = indexByLabels[sample.labels] {
                        series[index].points.append(Point(t: stepTime, value: sample.value))
                        series[index].dropName = series[index].dropName || sample.dropName
                    } else {
                        indexByLabels[sample.labels] = series.count
                        series.append(RangeSeries(labels: sample.labels, points: [Point(t: stepTime, value: sample.value)], dropName: sample.dropName))
                    }
                }
            default:
                throw .execution("subquery over unsupported type")
            }
            let (next, overflow) = stepTime.addingReportingOverflow(step)
            if overflow { break }
            stepTime = next
        }
        return RangeValue(series: series, rangeStart: rangeStart, rangeEnd: ref)
    }

    /// First index whose timestamp is greater than `t`.
    static func upperBound(_ points: [Point], _ t: Int64) -> Int {
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].t <= t { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Vector-valued operand helpers.
    mutating func evalVector(_ expr: Expr, at t: Int64) throws(QueryError) -> [EvalSample] {
        switch try eval(expr, at: t) {
        case .vector(let samples): return samples
        case .scalar(let v): return [EvalSample(labels: Labels(), value: v)]
        default: throw .execution("expected instant vector")
        }
    }

    mutating func evalScalar(_ expr: Expr, at t: Int64) throws(QueryError) -> Double {
        switch try eval(expr, at: t) {
        case .scalar(let v): return v
        default: throw .execution("expected scalar")
        }
    }

    mutating func evalString(_ expr: Expr, at t: Int64) throws(QueryError) -> String {
        switch try eval(expr, at: t) {
        case .string(let s): return s
        default: throw .execution("expected string")
        }
    }

    mutating func evalRange(_ expr: Expr, at t: Int64) throws(QueryError) -> RangeValue {
        switch try eval(expr, at: t) {
        case .matrix(let range): return range
        default: throw .execution("expected range vector")
        }
    }
}

/// A fetched series as the evaluator reads it: points in time order, stale markers included.
struct FetchedSeries {
    let id: Int32
    let labels: Labels
    let points: [Point]
    let hasStale: Bool

    init(_ stored: StoredSeries, id: Int32) {
        self.id = id
        labels = stored.labels
        var points: [Point] = []
        points.reserveCapacity(stored.timestamps.count)
        var hasStale = false
        for (t, v) in zip(stored.timestamps, stored.values) {
            points.append(Point(t: t, value: v))
            if StaleMarker.isStale(v) { hasStale = true }
        }
        self.points = points
        self.hasStale = hasStale
    }
}

/// Group keys an aggregation has seen, numbered stably, and the group of each fetched series.
final class GroupCache {
    var keys: [Labels] = []
    var indexByKey: [Labels: Int] = [:]
    var groupOfSeries: [Int32]

    init(seriesCount: Int) { groupOfSeries = Array(repeating: -1, count: seriesCount) }

    func index(of key: Labels) -> Int {
        if let index = indexByKey[key] { return index }
        indexByKey[key] = keys.count
        keys.append(key)
        return keys.count - 1
    }
}
