import Foundation
import Logging
import OutpostCore
import Synchronization
import Testing
import TSDB

@Suite struct LocalStorageServiceTests {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private func samples(_ head: Head, _ name: String) throws -> [(t: Int64, v: Double)] {
        let series = head.select([try LabelMatcher(.equal, "__name__", name)], mint: .min, maxt: .max)
        return series.flatMap { Array($0.samples()) }
    }

    @Test func recordsOnAlignedTicksMarksVanishedSeriesStaleAndSurvivesARestart() async throws {
        let directory = try temporaryDirectory()
        let clock = ManualClock(now: 1_000)
        let current = Mutex<[(labels: Labels, value: Double)]>([(["__name__": "up", "job": "a"], 1), (["__name__": "gone", "job": "a"], 7)])
        let service = LocalStorageService(directory: directory, interval: .seconds(15), retention: .seconds(3_600),
                                          snapshotEvery: .seconds(3_600), clock: clock, logger: Logger(label: "test")) {
            current.withLock { $0 }
        }
        let loop = Task { await service.run() }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(to: 15_000)
        while try clock.sleeperCount == 0 || samples(service.head, "up").isEmpty { await Task.yield() }
        current.withLock { $0 = [(["__name__": "up", "job": "a"], 0)] }
        clock.advance(to: 30_000)
        while (try samples(service.head, "up")).count < 2 { await Task.yield() }

        #expect(try samples(service.head, "up").map(\.t) == [15_000, 30_000])
        #expect(try samples(service.head, "up").map(\.v) == [1, 0])
        let gone = try samples(service.head, "gone")
        #expect(gone.count == 2)
        #expect(gone[0].v == 7)
        #expect(StaleMarker.isStale(gone[1].v))

        loop.cancel()
        await loop.value
        let restored = try HeadSnapshot.read(from: directory)
        #expect(try samples(restored, "up").map(\.v) == [1, 0])
    }

    @Test func dropsSamplesPastRetentionWhenPersisting() throws {
        let directory = try temporaryDirectory()
        let clock = ManualClock(now: 0)
        let service = LocalStorageService(directory: directory, interval: .seconds(10), retention: .seconds(60),
                                          clock: clock, logger: Logger(label: "test")) {
            [(labels: Labels(["__name__": "x"]), value: Double(clock.now()))]
        }
        for time in stride(from: 0, through: 3_000_000, by: 10_000) {
            clock.advance(to: UnixMillis(time))
            service.recordOnce()
        }
        service.persist()
        // Retention drops whole chunks (120 samples here), as Prometheus's head does.
        let kept = try samples(service.head, "x").map(\.t)
        #expect(kept.count < 301)
        #expect(try #require(kept.first) >= 3_000_000 - 60_000 - 1_200_000)
        #expect(kept.last == 3_000_000)
    }

    /// A reload's new interval and retention apply to the running service.
    @Test func updateChangesTheIntervalAndRetention() async throws {
        let directory = try temporaryDirectory()
        let clock = ManualClock(now: 1_000)
        let service = LocalStorageService(directory: directory, interval: .seconds(15), retention: .seconds(3_600),
                                          snapshotEvery: .seconds(3_600), clock: clock, logger: Logger(label: "test")) {
            [(labels: Labels(["__name__": "x"]), value: Double(clock.now()))]
        }
        let loop = Task { await service.run() }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(to: 15_000)
        while try samples(service.head, "x").isEmpty { await Task.yield() }
        service.update(interval: .seconds(5), retention: .seconds(3_600))
        // The sleep under way still ends at 30 s; from there the service records every 5 s.
        for time in stride(from: 30_000, through: 45_000, by: 5_000) {
            while clock.sleeperCount == 0 { await Task.yield() }
            clock.advance(to: UnixMillis(time))
            // Bounded, so a service that kept the old interval fails here instead of hanging.
            var yields = 0
            while try samples(service.head, "x").last?.t != Int64(time), yields < 100_000 {
                await Task.yield()
                yields += 1
            }
        }
        #expect(try samples(service.head, "x").map(\.t) == [15_000, 30_000, 35_000, 40_000, 45_000])
        loop.cancel()
        await loop.value

        // A shorter retention trims at the next persist (whole chunks of 120 samples).
        for time in stride(from: 100_000, through: 3_100_000, by: 10_000) {
            clock.advance(to: UnixMillis(time))
            service.recordOnce()
        }
        service.persist()
        let before = try samples(service.head, "x").count
        #expect(before == 5 + 301)
        service.update(interval: .seconds(5), retention: .seconds(60))
        service.persist()
        let after = try samples(service.head, "x")
        #expect(after.count < before - 120)
        #expect(after.last?.t == 3_100_000)
    }
}
