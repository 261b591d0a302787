import Testing
@testable import TSDB

@Suite struct XORChunkTests {
    @Test func roundTripsIrregularTimestampsAndValues() {
        var chunk = XORChunk()
        var expected: [(Int64, Double)] = []
        var t: Int64 = -5_000
        var generator = SystemRandomNumberGenerator()
        for index in 0..<120 {
            // Gaps from 1ms to about 3 days exercise every delta-of-delta bucket.
            let gaps: [Int64] = [15_000, 15_001, 1, 70_000, 259_200_000, 15_000]
            t += gaps[index % gaps.count]
            let value: Double = switch index % 5 {
            case 0: Double(index)
            case 1: Double.random(in: -1e9...1e9, using: &generator)
            case 2: .nan
            case 3: StaleMarker.value
            default: -0.0
            }
            expected.append((t, value))
            chunk.append(t, value)
        }
        var iterator = chunk.makeIterator()
        var decoded: [(Int64, Double)] = []
        while let sample = iterator.next() { decoded.append(sample) }
        #expect(decoded.count == expected.count)
        for (got, want) in zip(decoded, expected) {
            #expect(got.0 == want.0)
            #expect(got.1.bitPattern == want.1.bitPattern)
        }
    }

    @Test func regularCountersCompressWell() {
        var chunk = XORChunk()
        for index in 0..<120 { chunk.append(Int64(index) * 15_000, Double(index * 10)) }
        #expect(chunk.count == 120)
        #expect(chunk.byteCount < 120 * 3)
        #expect(chunk.minTime == 0)
        #expect(chunk.maxTime == 119 * 15_000)
    }

    @Test func staleMarkerIsDistinctFromOrdinaryNaN() {
        #expect(StaleMarker.isStale(StaleMarker.value))
        #expect(!StaleMarker.isStale(.nan))
        #expect(StaleMarker.value.isNaN)
    }
}
