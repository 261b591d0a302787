import OutpostCore
import OutpostMetrics
import Testing

@Suite struct MetricKindsTests {
    @Test func countersOnlyGoUp() {
        let counter = Counter()
        counter.increment()
        counter.increment(by: 2.5)
        counter.increment(by: -10)
        #expect(counter.value == 3.5)
    }

    @Test func gaugesSetAndAdd() {
        let gauge = Gauge()
        gauge.set(10)
        gauge.add(-2.5)
        #expect(gauge.value == 7.5)
    }

    @Test func concurrentIncrementsAreNotLost() async {
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<10_000 { counter.increment() } }
            }
        }
        #expect(counter.value == 80_000)
    }

    @Test func histogramBucketsAreCumulativeWithInf() {
        let histogram = Histogram(buckets: [1, 0.5, 2])
        for value in [0.1, 0.5, 0.7, 1.5, 3, 100] { histogram.observe(value) }
        histogram.observe(0.2, weight: 4)
        let sample = histogram.sample
        #expect(sample.upperBounds == [0.5, 1, 2, .infinity])
        #expect(sample.cumulativeCounts == [6, 7, 8, 10])
        #expect(sample.count == 10)
        #expect(abs(sample.sum - (0.1 + 0.5 + 0.7 + 1.5 + 3 + 100 + 0.8)) < 1e-9)
    }

    @Test func summaryQuantilesStayWithinTheirErrors() {
        let clock = ManualClock(now: 0)
        let summary = Summary(objectives: [(0.5, 0.05), (0.9, 0.01), (0.99, 0.001)], clock: clock)
        for value in 1...10_000 { summary.observe(Double(value)) }
        let sample = summary.sample
        #expect(sample.count == 10_000)
        #expect(sample.sum == 50_005_000)
        let byQuantile = Dictionary(uniqueKeysWithValues: sample.quantiles.map { ($0.quantile, $0.value) })
        #expect(abs(byQuantile[0.5]! - 5_000) <= 500)
        #expect(abs(byQuantile[0.9]! - 9_000) <= 100)
        #expect(abs(byQuantile[0.99]! - 9_900) <= 10)
    }

    @Test func summaryReadsFollowNewObservations() {
        let clock = ManualClock(now: 0)
        let summary = Summary(objectives: [(0.5, 0.05), (0.99, 0.001)], clock: clock)
        #expect(summary.sample.quantiles.allSatisfy { $0.value.isNaN })
        summary.observe(7)
        let first = summary.sample
        #expect(first.quantiles.map(\.value) == [7, 7])
        #expect(summary.sample == first)
        for value in 100...199 { summary.observe(Double(value)) }
        let second = summary.sample
        #expect(second.count == 101)
        #expect(second.quantiles[1].value >= 190)
        // A sample already taken keeps its values.
        #expect(first.quantiles.map(\.value) == [7, 7])
    }

    @Test func summaryForgetsObservationsOlderThanMaxAge() {
        let clock = ManualClock(now: 0)
        let summary = Summary(objectives: [(0.5, 0.05)], maxAge: .seconds(60), ageBuckets: 3, clock: clock)
        summary.observe(100)
        #expect(summary.sample.quantiles[0].value == 100)
        clock.advance(by: .seconds(61))
        #expect(summary.sample.quantiles[0].value.isNaN)
        #expect(summary.sample.count == 1)
    }
}
