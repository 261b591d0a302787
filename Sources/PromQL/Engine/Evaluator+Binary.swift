import Foundation
import OutpostCore

extension Evaluator {
    mutating func evalBinary(_ b: Binary, at t: Int64) throws(QueryError) -> EvalValue {
        let lhs = try eval(b.lhs, at: t)
        let rhs = try eval(b.rhs, at: t)
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            let (value, keep) = Evaluator.apply(b.op, l, r)
            if b.op.isComparison { return .scalar(keep ? 1 : 0) }
            return .scalar(value)
        case (.vector(let l), .scalar(let r)):
            return .vector(vectorScalar(b, l, r, swap: false))
        case (.scalar(let l), .vector(let r)):
            return .vector(vectorScalar(b, r, l, swap: true))
        case (.vector(let l), .vector(let r)):
            let matching = b.matching ?? VectorMatching()
            switch b.op {
            case .and: return .vector(setAnd(l, r, matching))
            case .or: return .vector(setOr(l, r, matching))
            case .unless: return .vector(setUnless(l, r, matching))
            default: return .vector(try vectorVector(b, l, r, matching))
            }
        default:
            throw .execution("binary expression on unsupported types")
        }
    }

    /// The arithmetic or comparison result and, for comparisons, whether the pair is kept.
    static func apply(_ op: BinaryOperator, _ l: Double, _ r: Double) -> (Double, Bool) {
        switch op {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .mod: return (fmod(l, r), true)
        case .pow: return (pow(l, r), true)
        case .atan2: return (atan2(l, r), true)
        case .eql: return (l, l == r)
        case .neq: return (l, l != r)
        case .gtr: return (l, l > r)
        case .lss: return (l, l < r)
        case .gte: return (l, l >= r)
        case .lte: return (l, l <= r)
        case .and, .or, .unless: return (l, true)
        }
    }

    private func vectorScalar(_ b: Binary, _ vector: [EvalSample], _ scalar: Double, swap: Bool) -> [EvalSample] {
        var result: [EvalSample] = []
        result.reserveCapacity(vector.count)
        for sample in vector {
            let (l, r) = swap ? (scalar, sample.value) : (sample.value, scalar)
            var (value, keep) = Evaluator.apply(b.op, l, r)
            // A comparison keeps the vector element's value even when the scalar is on the left.
            if b.op.isComparison && swap { value = sample.value }
            if b.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var out = sample
            out.value = value
            out.sampleTime = nil
            if !b.op.isComparison || b.returnBool { out.dropName = true }
            result.append(out)
        }
        return result
    }

    /// The labels two samples are matched on.
    static func signature(_ labels: Labels, _ matching: VectorMatching) -> Labels {
        if matching.on { return labels.keeping(Set(matching.labels)) }
        var drop = Set(matching.labels)
        drop.insert(Labels.metricName)
        return labels.removing(drop)
    }

    private func setAnd(_ l: [EvalSample], _ r: [EvalSample], _ m: VectorMatching) -> [EvalSample] {
        let right = Set(r.map { Evaluator.signature($0.labels, m) })
        return l.filter { right.contains(Evaluator.signature($0.labels, m)) }
    }

    private func setOr(_ l: [EvalSample], _ r: [EvalSample], _ m: VectorMatching) -> [EvalSample] {
        let left = Set(l.map { Evaluator.signature($0.labels, m) })
        return l + r.filter { !left.contains(Evaluator.signature($0.labels, m)) }
    }

    private func setUnless(_ l: [EvalSample], _ r: [EvalSample], _ m: VectorMatching) -> [EvalSample] {
        let right = Set(r.map { Evaluator.signature($0.labels, m) })
        return l.filter { !right.contains(Evaluator.signature($0.labels, m)) }
    }

    private func vectorVector(_ b: Binary, _ lhsIn: [EvalSample], _ rhsIn: [EvalSample], _ m: VectorMatching) throws(QueryError) -> [EvalSample] {
        let swapped = m.cardinality == .oneToMany
        let (lhs, rhs) = swapped ? (rhsIn, lhsIn) : (lhsIn, rhsIn)
        var rightBySignature: [Labels: EvalSample] = [:]
        for sample in rhs {
            let sig = Evaluator.signature(sample.labels, m)
            if let existing = rightBySignature[sig] {
                let side = swapped ? "left" : "right"
                throw .execution("found duplicate series for the match group \(sig) on the \(side) hand-side of the operation: [\(existing.finalLabels), \(sample.finalLabels)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            rightBySignature[sig] = sample
        }
        var matchedOneToOne: Set<Labels> = []
        var inserted: Set<Labels> = []
        var result: [EvalSample] = []
        for sample in lhs {
            let sig = Evaluator.signature(sample.labels, m)
            guard let other = rightBySignature[sig] else { continue }
            let (l, r) = swapped ? (other.value, sample.value) : (sample.value, other.value)
            var (value, keep) = Evaluator.apply(b.op, l, r)
            if b.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var out = EvalSample(labels: resultLabels(sample.labels, other.labels, m), value: value)
            out.dropName = sample.dropName
            if !b.op.isComparison || b.returnBool { out.dropName = true }
            if m.cardinality == .oneToOne {
                if !matchedOneToOne.insert(sig).inserted {
                    throw .execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else if !inserted.insert(out.labels).inserted {
                throw .execution("multiple matches for labels: grouping labels must ensure unique matches")
            }
            result.append(out)
        }
        return result
    }

    private func resultLabels(_ lhs: Labels, _ rhs: Labels, _ m: VectorMatching) -> Labels {
        var labels = lhs
        if m.cardinality == .oneToOne {
            if m.on {
                labels = labels.keeping(Set(m.labels))
            } else {
                labels = labels.removing(Set(m.labels))
            }
        }
        for name in m.include {
            labels[name] = rhs[name]
        }
        return labels
    }
}
