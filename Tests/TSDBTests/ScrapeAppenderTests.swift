import OutpostCore
import Testing
import TSDB

@Suite struct ScrapeAppenderTests {
    func samples(_ head: Head, _ name: String) throws -> [(Int64, Double)] {
        head.select([try LabelMatcher(.equal, "__name__", name)], mint: .min, maxt: .max)
            .flatMap { Array($0.samples()) }.map { ($0.t, $0.v) }
    }

    @Test func marksDisappearedSeriesStaleOnce() throws {
        let head = Head()
        let appender = ScrapeAppender(head: head)
        appender.append([(["__name__": "a"], 1), (["__name__": "b"], 2)], at: 1_000)
        appender.append([(["__name__": "a"], 3)], at: 2_000)
        appender.append([(["__name__": "a"], 4)], at: 3_000)
        let b = try samples(head, "b")
        #expect(b.count == 2)
        #expect(b.first?.1 == 2)
        #expect(b.last.map { StaleMarker.isStale($0.1) } == true)
        #expect(b.last?.0 == 2_000)
        #expect(try samples(head, "a").map(\.1) == [1, 3, 4])
        appender.markAllStale(at: 4_000)
        #expect(try samples(head, "a").last.map { StaleMarker.isStale($0.1) } == true)
    }

    @Test func countsRejectedSamples() {
        let head = Head()
        let appender = ScrapeAppender(head: head)
        #expect(appender.append([(["__name__": "a"], 1)], at: 5_000) == 0)
        #expect(appender.append([(["__name__": "a"], 1)], at: 4_000) == 1)
    }
}
