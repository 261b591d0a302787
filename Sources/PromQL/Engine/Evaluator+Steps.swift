import OutpostCore
import TSDB

/// Range queries series by series: a selector, a range function over a matrix selector, and an
/// aggregation of either are evaluated over all steps at once, sliding a window over each
/// fetched series instead of searching it again at every step. Results are the same as step by
/// step, including the order in which aggregations add samples and annotations are raised.
extension Evaluator {
    /// `expr` at each of `steps` (ascending), or nil when some part of it has no whole-range form
    /// and the caller must evaluate step by step.
    mutating func evalSteps(_ expr: Expr, _ steps: [Int64]) throws(QueryError) -> StepMatrix? {
        guard !steps.isEmpty, Evaluator.hasStepForm(expr, inAggregate: false) else { return nil }
        try checkCanceled()
        return try stepValues(expr, steps)
    }

    /// Aggregations take only selectors and range functions: the order of their output differs
    /// from step to step, which would change the order an outer aggregation adds in.
    private static func hasStepForm(_ expr: Expr, inAggregate: Bool) -> Bool {
        switch expr {
        case .paren(let inner, _): return hasStepForm(inner, inAggregate: inAggregate)
        case .vectorSelector: return true
        case .call(let c):
            guard RangeFunction(name: c.function.name) != nil else { return false }
            for arg in c.args {
                if arg.type == .matrix {
                    guard case .matrixSelector = arg.withoutParens else { return false }
                } else if constant(arg) == nil {
                    return false
                }
            }
            return true
        case .aggregate(let a):
            guard !inAggregate, a.parameter == nil else { return false }
            switch a.op {
            case .sum, .avg, .count, .min, .max, .group, .stddev, .stdvar: return hasStepForm(a.expr, inAggregate: true)
            default: return false
            }
        default: return false
        }
    }

    /// A number literal, possibly in parentheses.
    private static func constant(_ expr: Expr) -> Double? {
        switch expr {
        case .number(let value, _): value
        case .paren(let inner, _): constant(inner)
        default: nil
        }
    }

    private mutating func stepValues(_ expr: Expr, _ steps: [Int64]) throws(QueryError) -> StepMatrix {
        switch expr {
        case .paren(let inner, _): return try stepValues(inner, steps)
        case .vectorSelector(let s): return try selectorSteps(s, steps)
        case .call(let c): return try rangeFunctionSteps(c, steps)
        case .aggregate(let a): return try aggregateSteps(a, steps)
        default: throw .execution("no whole-range evaluation for this expression")
        }
    }

    private func checkCanceled() throws(QueryError) {
        if Task.isCancelled { throw .canceled }
        if ContinuousClock.now > deadline { throw .timeout }
    }

    /// The index of the first point after `t`, moving `index` forward (or searching again when
    /// `t` went backwards, which only an overflowing offset can do).
    private static func advance(_ points: [Point], _ index: inout Int, past t: Int64) {
        if index > 0 && points[index - 1].t > t {
            index = upperBound(points, t)
            return
        }
        while index < points.count && points[index].t <= t { index += 1 }
    }

    private func selectorSteps(_ s: VectorSelector, _ steps: [Int64]) throws(QueryError) -> StepMatrix {
        var result: [StepSeries] = []
        for (n, series) in (data[s.id] ?? []).enumerated() {
            if n % 1024 == 1023 { try checkCanceled() }
            let points = series.points
            var out = StepSeries(labels: series.labels, dropName: false)
            var next = 0
            for (step, t) in steps.enumerated() {
                let ref = resolve(s.at, t) &- s.offset
                Evaluator.advance(points, &next, past: ref)
                guard next > 0 else { continue }
                let point = points[next - 1]
                guard point.t > ref &- options.lookbackDelta, !StaleMarker.isStale(point.value) else { continue }
                out.append(step: step, point.value)
            }
            if !out.steps.isEmpty { result.append(out) }
        }
        return StepMatrix(series: result)
    }

    private mutating func rangeFunctionSteps(_ c: Call, _ steps: [Int64]) throws(QueryError) -> StepMatrix {
        var scalars: [Double] = []
        var selector: MatrixSelector?
        for arg in c.args {
            if case .matrixSelector(let m) = arg.withoutParens { selector = m } else { scalars.append(Evaluator.constant(arg) ?? .nan) }
        }
        guard let m = selector else { throw .execution("expected range vector") }
        let function = try checkRangeFunction(c.function.name, scalars)
        let s = m.selector
        var result: [StepSeries] = []
        // Per series with samples in some window: the first such step, to raise annotations in step order.
        var firstSteps: [(step: Int, labels: Labels)] = []
        for (n, series) in (data[s.id] ?? []).enumerated() {
            if n % 1024 == 1023 { try checkCanceled() }
            let points = series.hasStale ? series.points.filter { !StaleMarker.isStale($0.value) } : series.points
            // Drops before each point, counted once, so windows without a counter reset skip the scan for one.
            var dropsUpTo: [Int32] = []
            if function.readsCounter {
                dropsUpTo.reserveCapacity(points.count)
                var drops: Int32 = 0
                for (index, point) in points.enumerated() {
                    if index > 0 && point.value < points[index - 1].value { drops += 1 }
                    dropsUpTo.append(drops)
                }
            }
            var out = StepSeries(labels: series.labels, dropName: !function.keepsName)
            var low = 0
            var high = 0
            var firstStep: Int?
            for (step, t) in steps.enumerated() {
                let ref = resolve(s.at, t) &- s.offset
                let rangeStart = ref &- m.range
                Evaluator.advance(points, &low, past: rangeStart)
                Evaluator.advance(points, &high, past: ref)
                guard low < high else { continue }
                if firstStep == nil { firstStep = step }
                let mayHaveResets = !function.readsCounter || dropsUpTo[high - 1] != dropsUpTo[low]
                if let value = function.value(points[low..<high], rangeStart: rangeStart, rangeEnd: ref, at: t, scalars: scalars, mayHaveResets: mayHaveResets) {
                    out.append(step: step, value)
                }
            }
            if let firstStep { firstSteps.append((firstStep, series.labels)) }
            if !out.steps.isEmpty { result.append(out) }
        }
        if function.readsCounter {
            var checked: String?
            for (_, labels) in firstSteps.enumerated().sorted(by: { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }).map(\.element) {
                noteIfNotCounter(labels, checked: &checked)
            }
        }
        return StepMatrix(series: result)
    }

    /// Aggregates step by step, each group adding its samples in input order as the step-by-step
    /// evaluation does. The input's samples are first bucketed by step (a counting sort, stable in
    /// series order), so each step reads only its own samples, from flat arrays.
    private mutating func aggregateSteps(_ a: Aggregate, _ steps: [Int64]) throws(QueryError) -> StepMatrix {
        let input = try stepValues(a.expr, steps).series
        var groupIndex: [Labels: Int] = [:]
        var keys: [Labels] = []
        var groupOfSeries: [Int] = []
        groupOfSeries.reserveCapacity(input.count)
        for series in input {
            let key = Evaluator.groupKey(series.labels, a.grouping, without: a.without)
            if let index = groupIndex[key] {
                groupOfSeries.append(index)
            } else {
                groupIndex[key] = keys.count
                groupOfSeries.append(keys.count)
                keys.append(key)
            }
        }
        // `by (__name__)` keeps a name only pending removal: such a sample marks its group's output.
        let marksGroup = input.indices.map { input[$0].dropName && keys[groupOfSeries[$0]].name != nil }

        var bucketStart = Array(repeating: 0, count: steps.count + 1)
        for series in input { for step in series.steps { bucketStart[Int(step) + 1] += 1 } }
        for step in steps.indices { bucketStart[step + 1] += bucketStart[step] }
        var fill = bucketStart
        var bucketSeries = Array(repeating: 0, count: bucketStart[steps.count])
        var bucketValues = Array(repeating: 0.0, count: bucketStart[steps.count])
        for (n, series) in input.enumerated() {
            for (step, value) in zip(series.steps, series.values) {
                let position = fill[Int(step)]
                bucketSeries[position] = n
                bucketValues[position] = value
                fill[Int(step)] = position + 1
            }
        }

        // A group's output series can differ by step in whether the name goes: one slot per group and dropName.
        var outputOfGroup = Array(repeating: -1, count: keys.count * 2)
        var output: [StepSeries] = []
        var accumulators = Array(repeating: AggregateAccumulator(first: 0), count: keys.count)
        var lastStep = Array(repeating: -1, count: keys.count)
        var touched: [Int] = []
        for step in steps.indices {
            if step % 64 == 63 { try checkCanceled() }
            for position in bucketStart[step]..<bucketStart[step + 1] {
                let n = bucketSeries[position]
                let group = groupOfSeries[n]
                let value = bucketValues[position]
                if lastStep[group] == step {
                    accumulators[group].add(value, a.op)
                } else {
                    lastStep[group] = step
                    accumulators[group] = AggregateAccumulator(first: value)
                    touched.append(group)
                }
                if marksGroup[n] { accumulators[group].dropName = true }
            }
            for group in touched {
                let accumulator = accumulators[group]
                let slot = group * 2 + (accumulator.dropName ? 1 : 0)
                if outputOfGroup[slot] < 0 {
                    outputOfGroup[slot] = output.count
                    output.append(StepSeries(labels: keys[group], dropName: accumulator.dropName))
                }
                output[outputOfGroup[slot]].append(step: step, accumulator.result(a.op))
            }
            touched.removeAll(keepingCapacity: true)
        }
        return StepMatrix(series: output)
    }
}

extension Expr {
    /// The expression inside any parentheses.
    var withoutParens: Expr {
        if case .paren(let inner, _) = self { return inner.withoutParens }
        return self
    }
}
