import Foundation
import OutpostCore
import TSDB

extension Evaluator {
    mutating func evalCall(_ c: Call, at t: Int64) throws(QueryError) -> EvalValue {
        let name = c.function.name
        switch name {
        case "time": return .scalar(Double(t) / 1000)
        case "pi": return .scalar(Double.pi)
        case "vector": return .vector([EvalSample(labels: Labels(), value: try evalScalar(c.args[0], at: t))])
        case "scalar":
            let samples = try evalVector(c.args[0], at: t)
            return .scalar(samples.count == 1 ? samples[0].value : .nan)
        case "absent":
            let samples = try evalVector(c.args[0], at: t)
            return .vector(samples.isEmpty ? [EvalSample(labels: absentLabels(c.args[0]), value: 1)] : [])
        case "absent_over_time":
            let range = try evalRange(c.args[0], at: t)
            return .vector(range.series.isEmpty ? [EvalSample(labels: absentLabels(c.args[0]), value: 1)] : [])
        case "timestamp":
            let samples = try evalVector(c.args[0], at: t)
            return .vector(samples.map { s in
                EvalSample(labels: s.labels, value: Double(s.sampleTime ?? t) / 1000, dropName: true)
            })
        case "label_replace": return .vector(try labelReplace(c, at: t))
        case "label_join": return .vector(try labelJoin(c, at: t))
        case "sort", "sort_desc":
            let descending = name == "sort_desc"
            let samples = try evalVector(c.args[0], at: t)
            return .vector(samples.sorted { x, y in
                if x.value.isNaN { return false }
                if y.value.isNaN { return true }
                return descending ? x.value > y.value : x.value < y.value
            })
        case "sort_by_label", "sort_by_label_desc":
            return .vector(try sortByLabel(c, descending: name == "sort_by_label_desc", at: t))
        case "histogram_quantile", "histogram_fraction":
            return .vector(try histogramFunction(c, at: t))
        case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar":
            // Only native histograms have these; float samples yield nothing.
            _ = try evalVector(c.args[0], at: t)
            return .vector([])
        case "minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year":
            return .vector(try dateFunction(c, at: t))
        case "clamp", "clamp_min", "clamp_max", "round":
            return .vector(try clampOrRound(c, at: t))
        default:
            break
        }
        if let math = Evaluator.mathFunctions[name] {
            let samples = try evalVector(c.args[0], at: t)
            return .vector(samples.map { EvalSample(labels: $0.labels, value: math($0.value), dropName: true, seriesID: $0.seriesID) })
        }
        return .vector(try rangeFunction(c, at: t))
    }

    static let mathFunctions: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "ceil": { $0.rounded(.up) }, "floor": { $0.rounded(.down) },
        "exp": { Foundation.exp($0) }, "sqrt": { $0.squareRoot() }, "ln": { Foundation.log($0) },
        "log2": { Foundation.log2($0) }, "log10": { Foundation.log10($0) },
        "sgn": { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 },
        "deg": { $0 * 180 / Double.pi }, "rad": { $0 * Double.pi / 180 },
        "sin": { Foundation.sin($0) }, "cos": { Foundation.cos($0) }, "tan": { Foundation.tan($0) },
        "asin": { Foundation.asin($0) }, "acos": { Foundation.acos($0) }, "atan": { Foundation.atan($0) },
        "sinh": { Foundation.sinh($0) }, "cosh": { Foundation.cosh($0) }, "tanh": { Foundation.tanh($0) },
        "asinh": { Foundation.asinh($0) }, "acosh": { Foundation.acosh($0) }, "atanh": { Foundation.atanh($0) },
    ]

    /// Labels for `absent()`: the selector's equality matchers, except names set twice.
    private func absentLabels(_ arg: Expr) -> Labels {
        var inner = arg
        while case .paren(let e, _) = inner { inner = e }
        let matchers: [LabelMatcher]
        switch inner {
        case .vectorSelector(let s): matchers = s.matchers
        case .matrixSelector(let m): matchers = m.selector.matchers
        default: return Labels()
        }
        var labels = Labels()
        var seen: Set<String> = []
        var duplicated: Set<String> = []
        for matcher in matchers where matcher.name != Labels.metricName {
            if !seen.insert(matcher.name).inserted { duplicated.insert(matcher.name) }
            if matcher.kind == .equal { labels[matcher.name] = matcher.value }
        }
        return labels.removing(duplicated)
    }

    private mutating func clampOrRound(_ c: Call, at t: Int64) throws(QueryError) -> [EvalSample] {
        let samples = try evalVector(c.args[0], at: t)
        var scalars: [Double] = []
        for arg in c.args.dropFirst() { scalars.append(try evalScalar(arg, at: t)) }
        let transform: (Double) -> Double
        switch c.function.name {
        case "clamp":
            let (low, high) = (scalars[0], scalars[1])
            if high < low { return [] }
            transform = { goMax(low, goMin(high, $0)) }
        case "clamp_min": transform = { [m = scalars[0]] in goMax($0, m) }
        case "clamp_max": transform = { [m = scalars[0]] in goMin($0, m) }
        default:
            let inverse = 1 / (scalars.first ?? 1)
            transform = { ($0 * inverse + 0.5).rounded(.down) / inverse }
        }
        return samples.map { EvalSample(labels: $0.labels, value: transform($0.value), dropName: true) }
    }

    private mutating func dateFunction(_ c: Call, at t: Int64) throws(QueryError) -> [EvalSample] {
        let samples: [EvalSample]
        if c.args.isEmpty {
            samples = [EvalSample(labels: Labels(), value: Double(t) / 1000)]
        } else {
            samples = try evalVector(c.args[0], at: t)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return samples.compactMap { sample in
            guard sample.value.isFinite, abs(sample.value) < 1e15 else {
                return EvalSample(labels: sample.labels, value: .nan, dropName: true)
            }
            let date = Date(timeIntervalSince1970: sample.value.rounded(.towardZero))
            let parts = calendar.dateComponents([.minute, .hour, .weekday, .day, .month, .year], from: date)
            let value: Double
            switch c.function.name {
            case "minute": value = Double(parts.minute ?? 0)
            case "hour": value = Double(parts.hour ?? 0)
            case "day_of_week": value = Double((parts.weekday ?? 1) - 1)
            case "day_of_month": value = Double(parts.day ?? 0)
            case "day_of_year": value = Double(calendar.ordinality(of: .day, in: .year, for: date) ?? 0)
            case "days_in_month": value = Double(calendar.range(of: .day, in: .month, for: date)?.count ?? 0)
            case "month": value = Double(parts.month ?? 0)
            default: value = Double(parts.year ?? 0)
            }
            return EvalSample(labels: sample.labels, value: value, dropName: true)
        }
    }

    private mutating func sortByLabel(_ c: Call, descending: Bool, at t: Int64) throws(QueryError) -> [EvalSample] {
        let samples = try evalVector(c.args[0], at: t)
        var names: [String] = []
        for arg in c.args.dropFirst() { names.append(try evalString(arg, at: t)) }
        return samples.sorted { x, y in
            for name in names {
                let order = naturalCompare(x.labels[name] ?? "", y.labels[name] ?? "")
                if order != 0 { return descending ? order > 0 : order < 0 }
            }
            return descending ? y.labels < x.labels : x.labels < y.labels
        }
    }

    private mutating func rangeFunction(_ c: Call, at t: Int64) throws(QueryError) -> [EvalSample] {
        var scalars: [Double] = []
        var rangeArg = c.args[0]
        for arg in c.args {
            if arg.type == .matrix { rangeArg = arg } else { scalars.append(try evalScalar(arg, at: t)) }
        }
        let range = try evalRange(rangeArg, at: t)
        let function = try checkRangeFunction(c.function.name, scalars)
        var result: [EvalSample] = []
        result.reserveCapacity(range.series.count)
        var checkedName: String?
        for series in range.series {
            if function.readsCounter { noteIfNotCounter(series.labels, checked: &checkedName) }
            guard let value = function.value(series.points, rangeStart: range.rangeStart, rangeEnd: range.rangeEnd, at: t, scalars: scalars) else { continue }
            result.append(EvalSample(labels: series.labels, value: value, dropName: function.keepsName ? series.dropName : true, seriesID: series.seriesID))
        }
        return result
    }

    /// Resolves a range function and checks its scalar arguments as Prometheus does at each step.
    mutating func checkRangeFunction(_ name: String, _ scalars: [Double]) throws(QueryError) -> RangeFunction {
        guard let function = RangeFunction(name: name) else { throw .execution("function \"\(name)\" is not supported") }
        switch function {
        case .quantile:
            if let q = scalars.first, q.isNaN || q < 0 || q > 1 {
                annotations.warn("quantile value should be between 0 and 1, got \(formatGoG(q))")
            }
        case .doubleExponentialSmoothing:
            let (sf, tf) = (scalars[0], scalars[1])
            guard sf > 0 && sf < 1 else { throw .execution("invalid smoothing factor. Expected: 0 < sf < 1, got: \(formatGoFloat(sf))") }
            guard tf > 0 && tf < 1 else { throw .execution("invalid trend factor. Expected: 0 < tf < 1, got: \(formatGoFloat(tf))") }
        default:
            break
        }
        return function
    }

    /// Notes once per query each metric that rate or increase reads but whose name is not a counter's;
    /// `checked` skips the lookup for runs of series of one metric.
    mutating func noteIfNotCounter(_ labels: Labels, checked: inout String?) {
        let metric = labels.name
        if let metric, metric != checked, !Evaluator.looksLikeCounter(metric), reportedNonCounters.insert(metric).inserted {
            annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \(goQuote(metric))")
        }
        checked = metric
    }

    static func looksLikeCounter(_ name: String) -> Bool {
        name.hasSuffix("_total") || name.hasSuffix("_sum") || name.hasSuffix("_count") || name.hasSuffix("_bucket")
    }
}

/// Go's math.Max and math.Min: NaN wins.
func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

/// Compares strings with digit runs by numeric value ("2" before "10"), as sort_by_label does.
func naturalCompare(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    var i = 0
    var j = 0
    func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            var ei = i
            while ei < x.count && isDigit(x[ei]) { ei += 1 }
            var ej = j
            while ej < y.count && isDigit(y[ej]) { ej += 1 }
            let left = String(String.UnicodeScalarView(x[i..<ei])).drop { $0 == "0" }
            let right = String(String.UnicodeScalarView(y[j..<ej])).drop { $0 == "0" }
            if left.count != right.count { return left.count < right.count ? -1 : 1 }
            if left != right { return left < right ? -1 : 1 }
            i = ei
            j = ej
        } else {
            if x[i] != y[j] { return x[i].value < y[j].value ? -1 : 1 }
            i += 1
            j += 1
        }
    }
    if x.count - i != y.count - j { return x.count - i < y.count - j ? -1 : 1 }
    return 0
}
