import Foundation
import Logging
import OutpostCore
import Synchronization

/// Keeps the head fed, trimmed and saved: it records a source of samples every interval (as if
/// Prometheus scraped Outpost), drops samples older than the retention, and writes a snapshot
/// under the storage path periodically and when it stops. Every append commit also goes to a
/// write-ahead log in `wal/`, fsynced each interval and replayed at start on top of the
/// snapshot, so a killed process keeps what it had committed.
public final class LocalStorageService: Sendable {
    public static let walDirectoryName = "wal"

    public let head: Head
    /// What the WAL replay at start read, skipped and found damaged.
    public let walReplay: WALReplayResult
    private let appender: ScrapeAppender
    private let source: @Sendable () -> [(labels: Labels, value: Double)]
    /// The recording interval and the retention; a reload changes them (`update`).
    private let settings: Mutex<(interval: Duration, retention: Duration)>
    private let directory: URL
    private let snapshotEvery: Duration
    private let clock: any WallClock
    private let logger: Logger

    /// Restores the head from the snapshot in `directory` and the WAL segments after it, then
    /// starts a new WAL segment. A corrupt snapshot is logged and replaced by an empty head (the
    /// WAL is still replayed); damaged WAL records are logged and end their segment.
    public init(directory: URL, interval: Duration, retention: Duration, snapshotEvery: Duration = .seconds(60),
                clock: any WallClock, logger: Logger, source: @escaping @Sendable () -> [(labels: Labels, value: Double)]) {
        let head: Head
        var walStart = 0
        do {
            (head, walStart) = try HeadSnapshot.restore(from: directory)
        } catch {
            logger.error("Could not read the stored head; starting empty", metadata: ["err": "\(error)"])
            head = Head()
        }
        let walDirectory = directory.appendingPathComponent(Self.walDirectoryName)
        let replay = WALReplay.replay(directory: walDirectory, from: walStart, into: head)
        for corruption in replay.corruptions {
            logger.error("Damaged WAL record; kept the records before it", metadata: ["err": "\(corruption)"])
        }
        if replay.records > 0 {
            logger.info("Replayed the WAL", metadata: [
                "segments": "\(replay.segments)", "series": "\(replay.series)", "samples": "\(replay.samples)",
                "skipped": "\(replay.skippedSamples)", "duration": "\(replay.duration)",
            ])
        }
        head.truncate(before: clock.now() - retention.milliseconds)
        do {
            try head.attachWAL(directory: walDirectory)
        } catch {
            logger.error("Could not open the WAL; samples after the last snapshot will not survive a crash", metadata: ["err": "\(error)"])
        }
        self.head = head
        walReplay = replay
        appender = ScrapeAppender(head: head)
        self.source = source
        settings = Mutex((interval, retention))
        self.directory = directory
        self.snapshotEvery = snapshotEvery
        self.clock = clock
        self.logger = logger
    }

    /// Applies a reloaded `global.scrape_interval` and `storage.retention`: the next recording
    /// follows the new interval, and the next trim the new retention.
    public func update(interval: Duration, retention: Duration) {
        settings.withLock { $0 = (interval, retention) }
    }

    private var retention: Duration { settings.withLock { $0.retention } }

    /// Records one sample set now (one WAL commit).
    public func recordOnce() {
        let now = clock.now()
        let rejected = appender.append(source(), at: now)
        if rejected > 0 { logger.debug("Samples refused by the head", metadata: ["count": "\(rejected)"]) }
    }

    /// Drops samples past retention, writes a snapshot and deletes the WAL segments it covers.
    public func persist() {
        head.truncate(before: clock.now() - retention.milliseconds)
        do {
            let covered = try HeadSnapshot.write(head, to: directory)
            WALSegments.remove(before: covered, in: directory.appendingPathComponent(Self.walDirectoryName))
        } catch {
            logger.error("Could not write the head snapshot", metadata: ["err": "\(error)"])
        }
    }

    /// Records every interval, on interval-aligned times, fsyncing the WAL after each, until
    /// cancelled; then persists.
    public func run() async {
        var lastPersist = clock.now()
        while !Task.isCancelled {
            let step = max(1, settings.withLock { $0.interval }.milliseconds)
            let next = (clock.now() / step + 1) * step
            do { try await clock.sleep(until: next) } catch { break }
            recordOnce()
            head.syncWAL()
            if clock.now() - lastPersist >= snapshotEvery.milliseconds {
                persist()
                lastPersist = clock.now()
            }
        }
        persist()
    }
}
