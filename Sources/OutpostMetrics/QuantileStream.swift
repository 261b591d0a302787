/// Streaming quantile estimation with per-quantile error targets (Cormode, Korn,
/// Muthukrishnan and Srivastava, "Effective computation of biased quantiles over data
/// streams"), the algorithm Prometheus client libraries use for summaries.
struct QuantileStream {
    struct Target {
        var quantile: Double
        var error: Double
    }

    private struct Sample {
        var value: Double
        var width: Double
        var delta: Double
    }

    private let targets: [Target]
    private var samples: [Sample] = []
    private var buffer: [Double] = []
    private var count: Double = 0
    private let bufferCapacity = 500

    init(targets: [Target]) {
        self.targets = targets
        buffer.reserveCapacity(bufferCapacity)
    }

    var isEmpty: Bool { buffer.isEmpty && samples.isEmpty }

    mutating func insert(_ value: Double) {
        buffer.append(value)
        if buffer.count == bufferCapacity { flush() }
    }

    mutating func reset() {
        samples.removeAll(keepingCapacity: true)
        buffer.removeAll(keepingCapacity: true)
        count = 0
    }

    mutating func query(_ quantile: Double) -> Double {
        guard !isEmpty else { return .nan }
        flush()
        let rank = (quantile * count).rounded(.up)
        let target = rank + (allowedError(rank: rank) / 2).rounded(.up)
        var previous = samples[0]
        var cumulative = 0.0
        for sample in samples.dropFirst() {
            cumulative += previous.width
            if cumulative + sample.width + sample.delta > target { return previous.value }
            previous = sample
        }
        return previous.value
    }

    /// The rank error allowed at `rank`: the tightest of the targets' bounds.
    private func allowedError(rank: Double) -> Double {
        var smallest = Double.greatestFiniteMagnitude
        for target in targets {
            let bound = target.quantile * count <= rank
                ? 2 * target.error * rank / target.quantile
                : 2 * target.error * (count - rank) / (1 - target.quantile)
            smallest = min(smallest, bound)
        }
        return smallest
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.sort()
        var rank = 0.0
        var index = 0
        for value in buffer {
            while index < samples.count, samples[index].value <= value {
                rank += samples[index].width
                index += 1
            }
            let delta = index == samples.count ? 0 : max(0, (allowedError(rank: rank)).rounded(.down) - 1)
            samples.insert(Sample(value: value, width: 1, delta: delta), at: index)
            index += 1
            count += 1
            rank += 1
        }
        buffer.removeAll(keepingCapacity: true)
        compress()
    }

    private mutating func compress() {
        guard samples.count >= 2 else { return }
        var mergedInto = samples.count - 1
        var rank = count - 1 - samples[mergedInto].width
        var index = samples.count - 2
        while index >= 0 {
            let current = samples[index]
            let last = samples[mergedInto]
            if current.width + last.width + last.delta <= allowedError(rank: rank) {
                samples[mergedInto].width += current.width
                samples.remove(at: index)
                mergedInto -= 1
            } else {
                mergedInto = index
            }
            rank -= current.width
            index -= 1
        }
    }
}
