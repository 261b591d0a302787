import Foundation
import OutpostCore

extension Evaluator {
    mutating func evalAggregate(_ a: Aggregate, at t: Int64) throws(QueryError) -> EvalValue {
        var parameter: Double = 0
        var labelParameter = ""
        if let p = a.parameter {
            if a.op == .countValues {
                labelParameter = try evalString(p, at: t)
            } else {
                parameter = try evalScalar(p, at: t)
            }
        }
        let input = try evalVector(a.expr, at: t)
        let grouping = a.grouping
        let without = a.without

        func groupKey(_ labels: Labels) -> Labels { Evaluator.groupKey(labels, grouping, without: without) }

        switch a.op {
        case .topk, .bottomk, .limitk, .limitRatio:
            return .vector(try selectK(a, parameter, input, groupKey))
        case .countValues:
            guard isValidLabelName(labelParameter) else { throw .execution("invalid label name \(goQuote(labelParameter))") }
            var counts: [Labels: Double] = [:]
            var order: [Labels] = []
            for sample in input {
                var key = groupKey(sample.labels)
                key[labelParameter] = formatGoFloat(sample.value)
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            return .vector(order.map { EvalSample(labels: $0, value: counts[$0] ?? 0) })
        case .quantile:
            if parameter.isNaN || parameter < 0 || parameter > 1 {
                annotations.warn("quantile value should be between 0 and 1, got \(formatGoG(parameter))")
            }
            var groups: [Labels: [Double]] = [:]
            var order: [Labels] = []
            for sample in input {
                let key = groupKey(sample.labels)
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(sample.value)
            }
            return .vector(order.map { EvalSample(labels: $0, value: quantile(parameter, groups[$0] ?? [])) })
        default:
            let cache: GroupCache
            if let existing = groupCaches[a.position.start] {
                cache = existing
            } else {
                cache = GroupCache(seriesCount: seriesCount)
                groupCaches[a.position.start] = cache
            }
            // Position of each stable group in this step's output, or -1.
            var slots: [Int] = Array(repeating: -1, count: cache.keys.count)
            var keys: [Labels] = []
            var accumulators: [AggregateAccumulator] = []
            for sample in input {
                let id = Int(sample.seriesID)
                let group: Int
                if id >= 0, id < cache.groupOfSeries.count, cache.groupOfSeries[id] >= 0 {
                    group = Int(cache.groupOfSeries[id])
                } else {
                    group = cache.index(of: groupKey(sample.labels))
                    if id >= 0, id < cache.groupOfSeries.count { cache.groupOfSeries[id] = Int32(group) }
                }
                if group >= slots.count { slots.append(contentsOf: repeatElement(-1, count: group - slots.count + 1)) }
                let index: Int
                if slots[group] >= 0 {
                    index = slots[group]
                    accumulators[index].add(sample.value, a.op)
                } else {
                    index = accumulators.count
                    slots[group] = index
                    keys.append(cache.keys[group])
                    accumulators.append(AggregateAccumulator(first: sample.value))
                }
                let key = cache.keys[group]
                // `by (__name__)` keeps a name that is only pending removal; the group stays marked.
                if sample.dropName, key.name != nil { accumulators[index].dropName = true }
            }
            return .vector(zip(keys, accumulators).map { key, acc in
                EvalSample(labels: key, value: acc.result(a.op), dropName: acc.dropName)
            })
        }
    }

    /// The labels of the group a sample with `labels` falls into.
    static func groupKey(_ labels: Labels, _ grouping: [String], without: Bool) -> Labels {
        // Grouping lists are short: a linear scan beats hashing every label name.
        var kept: [Label] = []
        kept.reserveCapacity(without ? labels.count : grouping.count)
        for label in labels {
            let listed = grouping.contains(label.name)
            if without ? !listed && label.name != Labels.metricName : listed { kept.append(label) }
        }
        return Labels(sortedUnique: kept)
    }

    private mutating func selectK(_ a: Aggregate, _ parameter: Double, _ input: [EvalSample], _ groupKey: (Labels) -> Labels) throws(QueryError) -> [EvalSample] {
        var k = 0
        var ratio = 0.0
        switch a.op {
        case .limitRatio:
            guard !parameter.isNaN else { throw .execution("Ratio value is NaN") }
            ratio = parameter
            if ratio < -1 || ratio > 1 {
                let capped = ratio < -1 ? -1.0 : 1.0
                annotations.warn("ratio value should be between -1 and 1, got \(formatGoG(ratio)), capping to \(formatGoG(capped))")
                ratio = capped
            }
        default:
            guard !parameter.isNaN else { throw .execution("Parameter value is NaN") }
            if parameter >= 9.2e18 { k = Int.max } else if parameter < 1 { return [] } else { k = Int(parameter) }
        }
        var groups: [Labels: [EvalSample]] = [:]
        var order: [Labels] = []
        for sample in input {
            let key = groupKey(sample.labels)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(sample)
        }
        var result: [EvalSample] = []
        for key in order {
            let members = groups[key] ?? []
            switch a.op {
            case .topk, .bottomk:
                let top = a.op == .topk
                let sorted = members.sorted { x, y in
                    // NaN is always the least wanted value.
                    if x.value.isNaN { return false }
                    if y.value.isNaN { return true }
                    return top ? x.value > y.value : x.value < y.value
                }
                result.append(contentsOf: sorted.prefix(k))
            case .limitk:
                result.append(contentsOf: members.sorted { $0.labels < $1.labels }.prefix(k))
            default:
                result.append(contentsOf: members.filter { sample in
                    let offset = ratioOffset(sample.labels)
                    return ratio >= 0 ? offset < ratio : offset >= 1 + ratio
                })
            }
        }
        return result
    }

    /// A stable position in [0, 1) per label set, so `limit_ratio(r)` and `limit_ratio(r - 1)` complement.
    private func ratioOffset(_ labels: Labels) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for label in labels {
            for byte in label.name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x100_0000_01b3
            for byte in label.value.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xfe) &* 0x100_0000_01b3
        }
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }
}

/// Running state of one aggregation group.
struct AggregateAccumulator {
    var sum: Double
    var compensation = 0.0
    var count = 1.0
    var minimum: Double
    var maximum: Double
    var mean: Double
    var m2 = 0.0
    var incrementalMean = false
    var dropName = false

    init(first: Double) {
        sum = first
        minimum = first
        maximum = first
        mean = first
    }

    mutating func add(_ value: Double, _ op: AggregateOperator) {
        count += 1
        switch op {
        case .sum, .avg:
            if op == .avg {
                addToMean(value)
            } else {
                (sum, compensation) = kahanSumInc(value, sum, compensation)
            }
        case .min:
            if minimum > value || minimum.isNaN { minimum = value }
        case .max:
            if maximum < value || maximum.isNaN { maximum = value }
        case .stddev, .stdvar:
            let delta = value - mean
            mean += delta / count
            m2 += delta * (value - mean)
        default:
            break
        }
    }

    /// Kahan-compensated sum, falling back to an incremental mean when the sum overflows.
    private mutating func addToMean(_ value: Double) {
        if !incrementalMean {
            let (newSum, newC) = kahanSumInc(value, sum, compensation)
            if !newSum.isInfinite {
                (sum, compensation) = (newSum, newC)
                return
            }
            incrementalMean = true
            mean = sum / (count - 1)
            compensation /= count - 1
        }
        if mean.isInfinite {
            if value.isInfinite && (mean > 0) == (value > 0) { return }
            if !value.isInfinite && !value.isNaN { return }
        }
        let q = (count - 1) / count
        (mean, compensation) = kahanSumInc(value / count, q * mean, q * compensation)
    }

    func result(_ op: AggregateOperator) -> Double {
        switch op {
        case .sum: return sum + compensation
        case .avg: return incrementalMean ? mean + compensation : (sum + compensation) / count
        case .count: return count
        case .min: return minimum
        case .max: return maximum
        case .group: return 1
        case .stdvar: return count == 1 && !sum.isFinite ? .nan : m2 / count
        case .stddev: return count == 1 && !sum.isFinite ? .nan : (m2 / count).squareRoot()
        default: return .nan
        }
    }
}

func kahanSumInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + inc
    var c = c
    if t.isInfinite {
        c = 0
    } else if abs(sum) >= abs(inc) {
        c += (sum - t) + inc
    } else {
        c += (inc - t) + sum
    }
    return (t, c)
}

/// Prometheus's quantile over values: linear interpolation between closest ranks, NaN first.
func quantile(_ q: Double, _ values: [Double]) -> Double {
    if values.isEmpty || q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    let sorted = values.sorted { a, b in a.isNaN ? !b.isNaN : a < b }
    let n = Double(sorted.count)
    let rank = q * (n - 1)
    let lower = max(0, rank.rounded(.down))
    let upper = min(n - 1, lower + 1)
    let weight = rank - rank.rounded(.down)
    return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
}
