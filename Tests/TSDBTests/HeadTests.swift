import OutpostCore
import Testing
import TSDB

@Suite struct HeadTests {
    func makeHead() throws -> Head {
        let head = Head()
        for job in ["api", "db", "web"] {
            for instance in 0..<3 {
                let labels: Labels = ["__name__": "up", "job": job, "instance": "i\(instance)"]
                for step in 0..<300 { try head.append(labels, Int64(step) * 15_000, Double(step)) }
            }
        }
        try head.append(["__name__": "other"], 0, 1)
        return head
    }

    func select(_ head: Head, _ matchers: [LabelMatcher]) -> [String] {
        head.select(matchers, mint: 0, maxt: .max).map { $0.labels.description }
    }

    @Test func selectsWithAllMatcherKinds() throws {
        let head = try makeHead()
        let name = try LabelMatcher(.equal, "__name__", "up")
        #expect(select(head, [name, try LabelMatcher(.equal, "job", "db")]).count == 3)
        #expect(select(head, [name, try LabelMatcher(.notEqual, "job", "db")]).count == 6)
        #expect(select(head, [name, try LabelMatcher(.regexMatch, "job", "a.*|w.b")]).count == 6)
        #expect(select(head, [name, try LabelMatcher(.regexNoMatch, "instance", "i[01]")]) == [
            "up{instance=\"i2\", job=\"api\"}", "up{instance=\"i2\", job=\"db\"}", "up{instance=\"i2\", job=\"web\"}",
        ])
        // A missing label is the empty string: `job!="db"` also matches a series without `job`.
        #expect(select(head, [try LabelMatcher(.notEqual, "job", "db")]).count == 7)
        #expect(select(head, [try LabelMatcher(.equal, "job", "")]) == ["other{}"])
        #expect(select(head, [try LabelMatcher(.regexMatch, "job", "d")]).isEmpty)
    }

    @Test func rejectsInvalidRegex() {
        #expect(throws: LabelMatcherError.self) { try LabelMatcher(.regexMatch, "a", "(") }
    }

    @Test func returnsSamplesWithinRangeOnly() throws {
        let head = try makeHead()
        let series = head.select([try LabelMatcher(.equal, "instance", "i1"), try LabelMatcher(.equal, "job", "api")], mint: 30_000, maxt: 2_000_000)
        #expect(series.count == 1)
        let samples = Array(series[0].samples())
        #expect(samples.first?.t == 30_000)
        #expect(samples.last?.t == 1_995_000)
        #expect(samples.count == (1_995_000 - 30_000) / 15_000 + 1)
        #expect(samples.map(\.v) == samples.map { Double($0.t / 15_000) })
    }

    @Test func rejectsOutOfOrderAndDuplicates() throws {
        let head = Head()
        let ref = try head.append(["a": "1"], 1_000, 1)
        #expect(throws: AppendError.outOfOrder) { try head.append(ref: ref, 999, 1) }
        #expect(throws: AppendError.duplicateTimestamp) { try head.append(["a": "1"], 1_000, 2) }
        #expect(throws: AppendError.unknownSeries) { try head.append(ref: 42, 2_000, 1) }
        try head.append(ref: ref, 2_000, 2)
        #expect(head.stats.samples == 2)
    }

    @Test func retentionDropsOldChunksAndEmptySeries() throws {
        let head = try makeHead()
        #expect(head.stats.series == 10)
        head.truncate(before: 1)
        // "other" had only a sample at 0 and disappears; the rest keep their recent chunks.
        #expect(head.stats.series == 9)
        #expect(head.labelValues("__name__") == ["up"])
        // Whole chunks go: of 300 samples (chunks of 120), only the last 60 start at or after 240.
        head.truncate(before: 240 * 15_000)
        let stats = head.stats
        #expect(stats.samples == 9 * 60)
        #expect(!head.select([try LabelMatcher(.equal, "job", "web")], mint: 0, maxt: .max).isEmpty)
        head.truncate(before: .max)
        #expect(head.stats.series == 0)
        #expect(head.labelNames().isEmpty)
    }
}

@Suite struct HeadBatchTests {
    @Test func batchAppendCountsRejections() throws {
        let head = Head()
        let rejected = head.append(batch: [(["a": "1"], 1, 1), (["a": "1"], 2, 2), (["a": "1"], 1, 3), (["b": "1"], 1, 1)])
        #expect(rejected == 1)
        #expect(head.stats.series == 2)
        #expect(head.stats.samples == 3)
    }
}
