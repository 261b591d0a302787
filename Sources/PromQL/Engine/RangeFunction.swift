/// A function that reduces one series' window of a range vector to a value, resolved from its
/// name once per call rather than once per series and step.
enum RangeFunction {
    case rate, increase, delta, irate, idelta, deriv, predictLinear
    case avg, sum, count, min, max, last, first, stddev, stdvar, mad, quantile, present
    case changes, resets, tsOfLast, tsOfFirst, tsOfMin, tsOfMax, doubleExponentialSmoothing

    init?(name: String) {
        switch name {
        case "rate": self = .rate
        case "increase": self = .increase
        case "delta": self = .delta
        case "irate": self = .irate
        case "idelta": self = .idelta
        case "deriv": self = .deriv
        case "predict_linear": self = .predictLinear
        case "avg_over_time": self = .avg
        case "sum_over_time": self = .sum
        case "count_over_time": self = .count
        case "min_over_time": self = .min
        case "max_over_time": self = .max
        case "last_over_time": self = .last
        case "first_over_time": self = .first
        case "stddev_over_time": self = .stddev
        case "stdvar_over_time": self = .stdvar
        case "mad_over_time": self = .mad
        case "quantile_over_time": self = .quantile
        case "present_over_time": self = .present
        case "changes": self = .changes
        case "resets": self = .resets
        case "ts_of_last_over_time": self = .tsOfLast
        case "ts_of_first_over_time": self = .tsOfFirst
        case "ts_of_min_over_time": self = .tsOfMin
        case "ts_of_max_over_time": self = .tsOfMax
        case "double_exponential_smoothing": self = .doubleExponentialSmoothing
        default: return nil
        }
    }

    /// rate and increase read their input as a counter, and say so when the name does not look like one.
    var readsCounter: Bool { self == .rate || self == .increase }

    /// Only these keep the metric name of their input (when it is not already pending removal).
    var keepsName: Bool { self == .last || self == .first }

    /// The function's value over `points`, the non-stale samples in (rangeStart, rangeEnd]
    /// (never empty), evaluated at step `t`; nil when it has none (too few samples).
    /// `mayHaveResets` false lets rate and increase skip looking for counter resets.
    func value(_ points: ArraySlice<Point>, rangeStart: Int64, rangeEnd: Int64, at t: Int64, scalars: [Double], mayHaveResets: Bool = true) -> Double? {
        var values: [Double] { points.map(\.value) }
        switch self {
        case .rate:
            return RangeFunctions.extrapolatedRate(points, rangeStart: rangeStart, rangeEnd: rangeEnd, isCounter: true, isRate: true, mayHaveResets: mayHaveResets)
        case .increase:
            return RangeFunctions.extrapolatedRate(points, rangeStart: rangeStart, rangeEnd: rangeEnd, isCounter: true, isRate: false, mayHaveResets: mayHaveResets)
        case .delta: return RangeFunctions.extrapolatedRate(points, rangeStart: rangeStart, rangeEnd: rangeEnd, isCounter: false, isRate: false)
        case .irate: return RangeFunctions.instantValue(points, isRate: true)
        case .idelta: return RangeFunctions.instantValue(points, isRate: false)
        case .deriv:
            return points.count < 2 ? nil : RangeFunctions.linearRegression(points, interceptTime: points[points.startIndex].t).slope
        case .predictLinear:
            guard points.count >= 2 else { return nil }
            let (slope, intercept) = RangeFunctions.linearRegression(points, interceptTime: t)
            return slope * scalars[0] + intercept
        case .avg: return RangeFunctions.average(values)
        case .sum: return RangeFunctions.sum(values)
        case .count: return Double(points.count)
        case .min: return RangeFunctions.minimum(values)
        case .max: return RangeFunctions.maximum(values)
        case .last: return points.last?.value
        case .first: return points.first?.value
        case .stddev: return RangeFunctions.variance(values).squareRoot()
        case .stdvar: return RangeFunctions.variance(values)
        case .mad: return RangeFunctions.medianAbsoluteDeviation(values)
        case .quantile: return PromQL.quantile(scalars[0], values)
        case .present: return 1
        case .changes: return RangeFunctions.changes(values)
        case .resets: return RangeFunctions.resets(values)
        case .tsOfLast: return points.last.map { Double($0.t) / 1000 }
        case .tsOfFirst: return points.first.map { Double($0.t) / 1000 }
        case .tsOfMin, .tsOfMax:
            let wantMax = self == .tsOfMax
            var best = points[points.startIndex]
            for point in points.dropFirst() {
                if best.value.isNaN || (wantMax ? point.value >= best.value : point.value <= best.value) { best = point }
            }
            return Double(best.t) / 1000
        case .doubleExponentialSmoothing:
            return RangeFunctions.doubleExponentialSmoothing(values, smoothing: scalars[0], trend: scalars[1])
        }
    }
}
