import Foundation
import OutpostCore
import Testing
@testable import TSDB

@Suite struct HeadSnapshotTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("outpost-head-\(UUID().uuidString)")
    }

    @Test func restoresSeriesAndSamplesAndKeepsAppending() throws {
        let head = Head()
        for step in 0..<300 {
            try head.append(["__name__": "a", "job": "x"], Int64(step) * 1_000, Double(step) * 1.5)
        }
        try head.append(["__name__": "b"], 5, .nan)
        try head.markStale(["__name__": "b"], at: 10)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try HeadSnapshot.write(head, to: directory)
        let restored = try HeadSnapshot.read(from: directory)
        #expect(restored.stats == head.stats)
        let all = try LabelMatcher(.regexMatch, "__name__", ".+")
        let before = head.select([all], mint: .min, maxt: .max).map { ($0.labels, Array($0.samples()).map { [$0.t, Int64(bitPattern: $0.v.bitPattern)] }) }
        let after = restored.select([all], mint: .min, maxt: .max).map { ($0.labels, Array($0.samples()).map { [$0.t, Int64(bitPattern: $0.v.bitPattern)] }) }
        #expect(before.map(\.0) == after.map(\.0))
        #expect(before.map(\.1) == after.map(\.1))
        try restored.append(["__name__": "a", "job": "x"], 300_000, 1)
        #expect(throws: AppendError.outOfOrder) { try restored.append(["__name__": "a", "job": "x"], 1, 1) }
    }

    @Test func missingSnapshotGivesEmptyHeadAndCorruptionIsReported() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try HeadSnapshot.read(from: directory).stats.series == 0)
        let head = Head()
        try head.append(["a": "1"], 1, 1)
        try HeadSnapshot.write(head, to: directory)
        let file = directory.appendingPathComponent(HeadSnapshot.fileName)
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[bytes.count / 2] ^= 0xff
        try Data(bytes).write(to: file)
        #expect(throws: HeadSnapshot.CorruptSnapshot.self) { try HeadSnapshot.read(from: directory) }
        try Data(bytes.prefix(10)).write(to: file)
        #expect(throws: HeadSnapshot.CorruptSnapshot.self) { try HeadSnapshot.read(from: directory) }
    }
}
