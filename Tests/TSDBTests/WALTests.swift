import Foundation
import Logging
import OutpostCore
import Synchronization
import Testing
@testable import TSDB

/// The write-ahead log under `storage.path/wal/`: what a killed process keeps, damaged tails,
/// and how it combines with snapshots and retention.
@Suite struct WALTests {
    /// A storage directory and a source whose samples the test sets before each recording.
    final class Fixture: Sendable {
        let directory: URL
        let clock: ManualClock
        let current = Mutex<[(labels: Labels, value: Double)]>([])

        init(now: UnixMillis = 1_000_000) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-wal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            clock = ManualClock(now: now)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        var walDirectory: URL { directory.appendingPathComponent(LocalStorageService.walDirectoryName) }

        func open(retention: Duration = .seconds(3_600)) -> LocalStorageService {
            LocalStorageService(directory: directory, interval: .seconds(15), retention: retention,
                                clock: clock, logger: Logger(label: "test")) { [self] in current.withLock { $0 } }
        }

        /// Sets the source to `samples` and records them at `t`.
        func record(_ service: LocalStorageService, at t: UnixMillis, _ samples: [(labels: Labels, value: Double)]) {
            clock.advance(to: t)
            current.withLock { $0 = samples }
            service.recordOnce()
        }

        func segmentFiles() -> [URL] {
            WALSegments.list(in: walDirectory).map { walDirectory.appendingPathComponent(WALSegments.name($0)) }
        }
    }

    static let up: Labels = ["__name__": "up", "job": "a"]
    static let gone: Labels = ["__name__": "gone", "job": "a"]

    private func samples(_ head: Head, _ labels: Labels) -> [(t: Int64, bits: UInt64)] {
        let matchers = labels.map { try! LabelMatcher(.equal, $0.name, $0.value) }
        return head.select(matchers, mint: .min, maxt: .max).flatMap { Array($0.samples()).map { ($0.t, $0.v.bitPattern) } }
    }

    @Test func checksumMatchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    @Test func killedProcessKeepsCommittedSamplesSeriesAndStalenessMarkers() throws {
        let fixture = try Fixture()
        do {
            let service = fixture.open()
            fixture.record(service, at: 1_015_000, [(Self.up, 1), (Self.gone, 7)])
            fixture.record(service, at: 1_030_000, [(Self.up, 0)])
            fixture.record(service, at: 1_045_000, [(Self.up, 1)])
            // Dropped without persist(): no snapshot exists, as after kill -9.
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent(HeadSnapshot.fileName).path))
        let reopened = fixture.open()
        #expect(reopened.walReplay.corruptions.isEmpty)
        #expect(reopened.walReplay.series == 2)
        #expect(reopened.walReplay.samples == 5)
        #expect(samples(reopened.head, Self.up).map(\.t) == [1_015_000, 1_030_000, 1_045_000])
        #expect(samples(reopened.head, Self.up).map(\.bits) == [1, 0, 1].map { Double($0).bitPattern })
        let gone = samples(reopened.head, Self.gone)
        #expect(gone.map(\.t) == [1_015_000, 1_030_000])
        #expect(gone.first?.bits == Double(7).bitPattern)
        #expect(gone.last.map { StaleMarker.isStale(Double(bitPattern: $0.bits)) } == true)
        // Appending goes on after the replay, to series the WAL brought back.
        fixture.record(reopened, at: 1_060_000, [(Self.up, 5)])
        #expect(samples(reopened.head, Self.up).count == 4)
    }

    @Test func truncatedTailRecordIsDetectedAndThePrefixKept() throws {
        let fixture = try Fixture()
        do {
            let service = fixture.open()
            for step in 1...3 { fixture.record(service, at: 1_000_000 + Int64(step) * 15_000, [(Self.up, Double(step))]) }
        }
        let segment = try #require(fixture.segmentFiles().last)
        let bytes = [UInt8](try Data(contentsOf: segment))
        // Cut the last record (the third commit) in the middle of its payload.
        try Data(bytes.dropLast(5)).write(to: segment)

        let reopened = fixture.open()
        #expect(reopened.walReplay.corruptions.count == 1)
        #expect(reopened.walReplay.corruptions.first?.contains("torn record") == true)
        #expect(samples(reopened.head, Self.up).map(\.t) == [1_015_000, 1_030_000])
        // The damaged segment was cut back to its valid prefix, so the next start reports nothing.
        #expect(try Data(contentsOf: segment).count < bytes.count - 5)
        fixture.record(reopened, at: 1_060_000, [(Self.up, 9)])
        let again = fixture.open()
        #expect(again.walReplay.corruptions.isEmpty)
        #expect(samples(again.head, Self.up).map(\.t) == [1_015_000, 1_030_000, 1_060_000])
    }

    @Test func flippedByteFailsTheChecksumAndEndsTheSegment() throws {
        let fixture = try Fixture()
        do {
            let service = fixture.open()
            for step in 1...4 { fixture.record(service, at: 1_000_000 + Int64(step) * 15_000, [(Self.up, Double(step))]) }
        }
        let segment = try #require(fixture.segmentFiles().last)
        var bytes = [UInt8](try Data(contentsOf: segment))
        // The last record is a samples record of one sample: 9 header bytes and 8 value bytes at the end.
        bytes[bytes.count - 3] ^= 0x40
        try Data(bytes).write(to: segment)

        let reopened = fixture.open()
        #expect(reopened.walReplay.corruptions.count == 1)
        #expect(reopened.walReplay.corruptions.first?.contains("checksum mismatch") == true)
        #expect(samples(reopened.head, Self.up).map(\.t) == [1_015_000, 1_030_000, 1_045_000])
    }

    @Test func garbageAfterTheLastRecordIsReportedNotFatal() throws {
        let fixture = try Fixture()
        do {
            let service = fixture.open()
            fixture.record(service, at: 1_015_000, [(Self.up, 1)])
        }
        let segment = try #require(fixture.segmentFiles().last)
        let handle = try FileHandle(forWritingTo: segment)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]))
        try handle.close()
        let reopened = fixture.open()
        #expect(reopened.walReplay.corruptions.count == 1)
        #expect(samples(reopened.head, Self.up).map(\.t) == [1_015_000])
    }

    @Test func snapshotAndWALCombineWithoutDuplicates() throws {
        let fixture = try Fixture()
        var coveredSegments: [(URL, Data)] = []
        do {
            let service = fixture.open()
            for step in 1...3 { fixture.record(service, at: 1_000_000 + Int64(step) * 15_000, [(Self.up, Double(step))]) }
            coveredSegments = try fixture.segmentFiles().map { ($0, try Data(contentsOf: $0)) }
            service.persist()
            // The snapshot covers those segments; they are gone.
            #expect(fixture.segmentFiles().allSatisfy { url in !coveredSegments.contains { $0.0 == url } })
            for step in 4...5 { fixture.record(service, at: 1_000_000 + Int64(step) * 15_000, [(Self.up, Double(step))]) }
        }
        // As if the process died between writing the snapshot and deleting the old segments.
        for (url, data) in coveredSegments { try data.write(to: url) }
        let reopened = fixture.open()
        #expect(reopened.walReplay.samples == 2)
        #expect(reopened.walReplay.skippedSamples == 0)
        #expect(samples(reopened.head, Self.up).map(\.t) == (1...5).map { 1_000_000 + Int64($0) * 15_000 })
        #expect(reopened.head.stats.series == 1)
    }

    @Test func refsStayStableWhenRetentionDroppedASeriesBeforeTheSnapshot() throws {
        let fixture = try Fixture()
        let fresh: Labels = ["__name__": "fresh"]
        do {
            let service = fixture.open(retention: .seconds(60))
            fixture.record(service, at: 1_015_000, [(Self.gone, 1), (Self.up, 1)])
            fixture.record(service, at: 1_030_000, [(Self.up, 2)])
            fixture.record(service, at: 1_390_000, [(Self.up, 3)])
            // Retention drops `gone` (last sample: its staleness marker at 1_030_000), leaving a hole in the refs.
            fixture.clock.advance(to: 1_400_000)
            service.persist()
            #expect(samples(service.head, Self.gone).isEmpty)
            fixture.record(service, at: 1_415_000, [(Self.up, 4), (fresh, 42)])
        }
        let reopened = fixture.open(retention: .seconds(600))
        #expect(samples(reopened.head, fresh).map(\.bits) == [Double(42).bitPattern])
        #expect(samples(reopened.head, Self.up).map(\.t) == [1_015_000, 1_030_000, 1_390_000, 1_415_000])
        #expect(samples(reopened.head, Self.gone).isEmpty)
    }

    @Test func retentionAppliesToReplayedSamples() throws {
        let fixture = try Fixture()
        let old: Labels = ["__name__": "old"]
        do {
            let service = fixture.open(retention: .seconds(60))
            fixture.record(service, at: 1_015_000, [(old, 1)])
            fixture.record(service, at: 1_030_000, [(old, 2)])
        }
        fixture.clock.advance(to: 1_500_000)
        let reopened = fixture.open(retention: .seconds(60))
        #expect(reopened.walReplay.samples == 2)
        #expect(samples(reopened.head, old).isEmpty)
        #expect(reopened.head.stats.series == 0)
    }

    @Test func segmentsRollOverAndReplayInOrder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let head = Head()
        try head.attachWAL(directory: directory, segmentSize: 4_096)
        let labels = (0..<50).map { Labels(["__name__": "m", "i": String($0)]) }
        for step in 0..<40 {
            head.append(batch: labels.enumerated().map { (labels: $0.element, t: Int64(step) * 1_000, v: Double($0.offset * step)) })
        }
        #expect(WALSegments.list(in: directory).count > 3)
        let replayed = Head()
        let result = WALReplay.replay(directory: directory, from: 0, into: replayed)
        #expect(result.corruptions.isEmpty)
        #expect(result.samples == 50 * 40)
        #expect(replayed.stats == head.stats)
        let all = try LabelMatcher(.equal, "__name__", "m")
        #expect(replayed.select([all], mint: .min, maxt: .max).map { Array($0.samples()).map(\.v) }
            == head.select([all], mint: .min, maxt: .max).map { Array($0.samples()).map(\.v) })
    }

    @Test func recordsRoundTrip() throws {
        var framed: [UInt8] = []
        WALRecord.frame(type: WALRecord.seriesType, payload: WALRecord.seriesPayload(ref: 300, labels: Self.up), into: &framed)
        let payload = framed[WALRecord.headerSize...]
        #expect(WALRecord.decode(type: framed[0], payload: payload) == .series(ref: 300, labels: Self.up))
        #expect(Int(framed[1]) << 24 | Int(framed[2]) << 16 | Int(framed[3]) << 8 | Int(framed[4]) == payload.count)
    }
}
