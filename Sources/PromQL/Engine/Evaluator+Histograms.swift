import OutpostCore

/// One classic histogram bucket: upper bound (`le`) and cumulative count.
struct Bucket {
    var upperBound: Double
    var count: Double
}

extension Evaluator {
    /// histogram_quantile and histogram_fraction over classic `_bucket` series grouped by all labels but `le`.
    mutating func histogramFunction(_ c: Call, at t: Int64) throws(QueryError) -> [EvalSample] {
        let isQuantile = c.function.name == "histogram_quantile"
        var scalars: [Double] = []
        for arg in c.args.dropLast() { scalars.append(try evalScalar(arg, at: t)) }
        let samples = try evalVector(c.args[c.args.count - 1], at: t)
        if isQuantile, let q = scalars.first, q.isNaN || q < 0 || q > 1 {
            annotations.warn("quantile value should be between 0 and 1, got \(formatGoG(q))")
        }
        var groups: [Labels: [Bucket]] = [:]
        var order: [Labels] = []
        for sample in samples {
            let le = sample.labels["le"]
            guard let le, let bound = parseNumber(le.trimmingCharacters(in: .whitespaces)) else {
                annotations.warn("bucket label \"le\" is missing or has a malformed value of \(goQuote(le ?? "")) for metric name \(goQuote(sample.labels.name ?? ""))")
                continue
            }
            // The name stays in the group key, pending removal, so two histograms of
            // different names but equal labels collide as in Prometheus.
            let key = sample.labels.removing(["le"])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(Bucket(upperBound: bound, count: sample.value))
        }
        var result: [EvalSample] = []
        for key in order {
            guard var buckets = groups[key] else { continue }
            let value: Double
            if isQuantile {
                let (quantileValue, forcedMonotonic) = bucketQuantile(scalars[0], &buckets)
                if forcedMonotonic {
                    annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \(goQuote(samples.first?.labels.name ?? ""))")
                }
                value = quantileValue
            } else {
                value = bucketFraction(scalars[0], scalars[1], &buckets)
            }
            result.append(EvalSample(labels: key, value: value, dropName: true))
        }
        return result
    }

    /// Sorts by bound, merges equal bounds, requires a +Inf bucket.
    private func normalize(_ buckets: inout [Bucket]) -> Bool {
        buckets.sort { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return false }
        var merged: [Bucket] = []
        for bucket in buckets {
            if let previous = merged.last, previous.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        buckets = merged
        return true
    }

    private func bucketQuantile(_ q: Double, _ buckets: inout [Bucket]) -> (Double, Bool) {
        if q.isNaN { return (.nan, false) }
        if q < 0 { return (-.infinity, false) }
        if q > 1 { return (.infinity, false) }
        guard normalize(&buckets) else { return (.nan, false) }
        var forced = false
        var previous = buckets[0].count
        for i in 1..<buckets.count {
            let current = buckets[i].count
            if current == previous { continue }
            if almostEqual(previous, current, tolerance: 1e-12) {
                buckets[i].count = previous
            } else if current < previous {
                buckets[i].count = previous
                forced = true
            } else {
                previous = current
            }
        }
        guard buckets.count >= 2 else { return (.nan, forced) }
        let observations = buckets[buckets.count - 1].count
        guard observations > 0 else { return (.nan, forced) }
        var rank = q * observations
        var b = buckets.count - 1
        for i in 0..<(buckets.count - 1) where buckets[i].count >= rank {
            b = i
            break
        }
        if b == buckets.count - 1 { return (buckets[buckets.count - 2].upperBound, forced) }
        if b == 0 && buckets[0].upperBound <= 0 { return (buckets[0].upperBound, forced) }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return (bucketStart + (bucketEnd - bucketStart) * (rank / count), forced)
    }

    private func bucketFraction(_ lower: Double, _ upper: Double, _ buckets: inout [Bucket]) -> Double {
        guard normalize(&buckets) else { return .nan }
        let count = buckets[buckets.count - 1].count
        if count == 0 || lower.isNaN || upper.isNaN { return .nan }
        if lower >= upper { return 0 }
        var rank = 0.0, lowerRank = 0.0, upperRank = 0.0
        var lowerSet = false, upperSet = false
        for (i, bucket) in buckets.enumerated() {
            let lowerBound = i > 0 ? buckets[i - 1].upperBound : (bucket.upperBound > 0 ? 0 : -.infinity)
            let upperBound = bucket.upperBound
            func interpolate(_ v: Double) -> Double {
                if lowerBound == -.infinity { return rank }
                if upperBound == .infinity { return bucket.count }
                return rank + (bucket.count - rank) * (v - lowerBound) / (upperBound - lowerBound)
            }
            if !lowerSet && lowerBound >= lower {
                lowerRank = rank
                lowerSet = true
            }
            if !upperSet && lowerBound >= upper {
                upperRank = rank
                upperSet = true
            }
            if lowerSet && upperSet { break }
            if !lowerSet && lowerBound < lower && upperBound > lower {
                lowerRank = interpolate(lower)
                lowerSet = true
            }
            if !upperSet && lowerBound < upper && upperBound > upper {
                upperRank = interpolate(upper)
                upperSet = true
            }
            if lowerSet && upperSet { break }
            rank = bucket.count
        }
        if !lowerSet || lowerRank > count { lowerRank = count }
        if !upperSet || upperRank > count { upperRank = count }
        return (upperRank - lowerRank) / count
    }

    private func almostEqual(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
        if a == b { return true }
        let diff = abs(a - b)
        if a == 0 || b == 0 || diff < Double.leastNormalMagnitude { return diff < tolerance * Double.leastNormalMagnitude }
        return diff / min(abs(a) + abs(b), Double.greatestFiniteMagnitude) < tolerance
    }
}
