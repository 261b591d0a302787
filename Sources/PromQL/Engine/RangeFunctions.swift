import Foundation

/// The `*_over_time` family and the other functions that reduce one series' window to a value.
enum RangeFunctions {
    /// rate, increase and delta with Prometheus's extrapolation to the range boundaries.
    /// `mayHaveResets` false says the caller knows no value in `points` drops, so the scan for
    /// counter resets is skipped.
    static func extrapolatedRate(_ points: ArraySlice<Point>, rangeStart: Int64, rangeEnd: Int64, isCounter: Bool, isRate: Bool, mayHaveResets: Bool = true) -> Double? {
        guard points.count >= 2, let first = points.first, let last = points.last else { return nil }
        var result = last.value - first.value
        if isCounter && mayHaveResets {
            var previous = first.value
            for point in points.dropFirst() {
                if point.value < previous { result += previous }
                previous = point.value
            }
        }
        var durationToStart = Double(first.t - rangeStart) / 1000
        var durationToEnd = Double(rangeEnd - last.t) / 1000
        let sampledInterval = Double(last.t - first.t) / 1000
        let averageInterval = sampledInterval / Double(points.count - 1)
        let threshold = averageInterval * 1.1
        if durationToStart >= threshold { durationToStart = averageInterval / 2 }
        if isCounter && result > 0 && first.value >= 0 {
            // A counter cannot go below zero: stop extrapolating where it would reach zero.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
        var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
        if isRate { factor /= Double(rangeEnd - rangeStart) / 1000 }
        return result * factor
    }

    /// irate and idelta: from the last two samples only.
    static func instantValue(_ points: ArraySlice<Point>, isRate: Bool) -> Double? {
        guard points.count >= 2 else { return nil }
        let last = points[points.endIndex - 1]
        let previous = points[points.endIndex - 2]
        var result = last.value - previous.value
        if isRate && last.value < previous.value { result = last.value }
        let interval = last.t - previous.t
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares slope and intercept at `interceptTime`, Kahan-summed.
    static func linearRegression(_ points: ArraySlice<Point>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0, sumX = 0.0, cX = 0.0, sumY = 0.0, cY = 0.0, sumXY = 0.0, cXY = 0.0, sumX2 = 0.0, cX2 = 0.0
        let initY = points[points.startIndex].value
        var constY = true
        for (i, point) in points.enumerated() {
            if constY && i > 0 && point.value != initY { constY = false }
            n += 1
            let x = Double(point.t - interceptTime) / 1000
            (sumX, cX) = kahanSumInc(x, sumX, cX)
            (sumY, cY) = kahanSumInc(point.value, sumY, cY)
            (sumXY, cXY) = kahanSumInc(x * point.value, sumXY, cXY)
            (sumX2, cX2) = kahanSumInc(x * x, sumX2, cX2)
        }
        if constY {
            if initY.isInfinite { return (.nan, .nan) }
            return (0, initY)
        }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    static func average(_ values: [Double]) -> Double {
        var acc = AggregateAccumulator(first: values[0])
        for value in values.dropFirst() { acc.add(value, .avg) }
        return acc.result(.avg)
    }

    static func sum(_ values: [Double]) -> Double {
        var sum = 0.0, c = 0.0
        for value in values { (sum, c) = kahanSumInc(value, sum, c) }
        return sum + c
    }

    static func variance(_ values: [Double]) -> Double {
        var count = 0.0, mean = 0.0, cMean = 0.0, aux = 0.0, cAux = 0.0
        for value in values {
            count += 1
            let delta = value - (mean + cMean)
            (mean, cMean) = kahanSumInc(delta / count, mean, cMean)
            (aux, cAux) = kahanSumInc(delta * (value - (mean + cMean)), aux, cAux)
        }
        return (aux + cAux) / count
    }

    static func minimum(_ values: [Double]) -> Double {
        var result = values[0]
        for value in values.dropFirst() where value < result || result.isNaN { result = value }
        return result
    }

    static func maximum(_ values: [Double]) -> Double {
        var result = values[0]
        for value in values.dropFirst() where value > result || result.isNaN { result = value }
        return result
    }

    static func changes(_ values: [Double]) -> Double {
        var count = 0.0
        for (previous, current) in zip(values, values.dropFirst()) where current != previous && !(current.isNaN && previous.isNaN) {
            count += 1
        }
        return count
    }

    static func resets(_ values: [Double]) -> Double {
        var count = 0.0
        for (previous, current) in zip(values, values.dropFirst()) where current < previous { count += 1 }
        return count
    }

    static func medianAbsoluteDeviation(_ values: [Double]) -> Double {
        let median = quantile(0.5, values)
        return quantile(0.5, values.map { abs($0 - median) })
    }

    static func doubleExponentialSmoothing(_ values: [Double], smoothing sf: Double, trend tf: Double) -> Double? {
        guard values.count >= 2 else { return nil }
        var s0 = 0.0
        var s1 = values[0]
        var b = values[1] - values[0]
        for i in 1..<values.count {
            let x = sf * values[i]
            if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }
}
