import OutpostCore

/// An instant-vector expression evaluated at every step of a range query at once: one entry per
/// series with the steps it has a value at, so labels are handled once per series, not per step.
struct StepMatrix {
    var series: [StepSeries]
}

struct StepSeries {
    var labels: Labels
    /// As `EvalSample.dropName`: `__name__` is removed when the query's result is built.
    var dropName: Bool
    /// Indexes into the query's steps, ascending, and the value at each.
    var steps: [Int32] = []
    var values: [Double] = []

    init(labels: Labels, dropName: Bool) {
        self.labels = labels
        self.dropName = dropName
    }

    mutating func append(step: Int, _ value: Double) {
        steps.append(Int32(step))
        values.append(value)
    }

    var finalLabels: Labels { dropName ? labels.removing(EvalSample.nameLabels) : labels }
}

extension StepMatrix {
    /// The range query's result series, with the checks step-by-step evaluation makes at each
    /// step: at most `maxSamples` samples per step, and no two with the same labels at one step.
    /// Series whose labels become equal once `__name__` is dropped merge, as they do step by step.
    func resultSeries(steps: [Int64], maxSamples: Int) throws(QueryError) -> [MatrixSeries] {
        if series.count > maxSamples {
            var counts = Array(repeating: 0, count: steps.count)
            for s in series { for step in s.steps { counts[Int(step)] += 1 } }
            if counts.contains(where: { $0 > maxSamples }) { throw .tooManySamples }
        }
        var indexByLabels: [Labels: Int] = [:]
        var merged: [(labels: Labels, members: [Int])] = []
        for (index, s) in series.enumerated() {
            let labels = s.finalLabels
            if let existing = indexByLabels[labels] {
                merged[existing].members.append(index)
            } else {
                indexByLabels[labels] = merged.count
                merged.append((labels, [index]))
            }
        }
        var result: [MatrixSeries] = []
        result.reserveCapacity(merged.count)
        for (labels, members) in merged {
            var points: [(step: Int32, value: Double)] = []
            for member in members {
                let s = series[member]
                points.append(contentsOf: zip(s.steps, s.values).map { ($0, $1) })
            }
            if members.count > 1 {
                points.sort { $0.step < $1.step }
                for (previous, next) in zip(points, points.dropFirst()) where previous.step == next.step {
                    throw .execution("vector cannot contain metrics with the same labelset")
                }
            }
            result.append(MatrixSeries(labels: labels, points: points.map { Point(t: steps[Int($0.step)], value: $0.value) }))
        }
        return result
    }
}
