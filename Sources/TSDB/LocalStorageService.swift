import Foundation
import Logging
import OutpostCore

/// Keeps the head fed, trimmed and saved: it records a source of samples every interval (as if
/// Prometheus scraped Outpost), drops samples older than the retention, and writes a snapshot
/// under the storage path periodically and when it stops, so a restart keeps recent history.
public final class LocalStorageService: Sendable {
    public let head: Head
    private let appender: ScrapeAppender
    private let source: @Sendable () -> [(labels: Labels, value: Double)]
    private let interval: Duration
    private let retention: Duration
    private let directory: URL
    private let snapshotEvery: Duration
    private let clock: any WallClock
    private let logger: Logger

    /// Restores the head from `directory`; a corrupt snapshot is logged and replaced by an empty head.
    public init(directory: URL, interval: Duration, retention: Duration, snapshotEvery: Duration = .seconds(60),
                clock: any WallClock, logger: Logger, source: @escaping @Sendable () -> [(labels: Labels, value: Double)]) {
        let head: Head
        do {
            head = try HeadSnapshot.read(from: directory)
        } catch {
            logger.error("Could not read the stored head; starting empty", metadata: ["err": "\(error)"])
            head = Head()
        }
        self.head = head
        appender = ScrapeAppender(head: head)
        self.source = source
        self.interval = interval
        self.retention = retention
        self.directory = directory
        self.snapshotEvery = snapshotEvery
        self.clock = clock
        self.logger = logger
    }

    /// Records one sample set now.
    public func recordOnce() {
        let now = clock.now()
        let rejected = appender.append(source(), at: now)
        if rejected > 0 { logger.debug("Samples refused by the head", metadata: ["count": "\(rejected)"]) }
    }

    /// Drops samples past retention and writes a snapshot.
    public func persist() {
        head.truncate(before: clock.now() - retention.milliseconds)
        do {
            try HeadSnapshot.write(head, to: directory)
        } catch {
            logger.error("Could not write the head snapshot", metadata: ["err": "\(error)"])
        }
    }

    /// Records every interval, on interval-aligned times, until cancelled; then persists.
    public func run() async {
        let step = max(1, interval.milliseconds)
        var lastPersist = clock.now()
        while !Task.isCancelled {
            let next = (clock.now() / step + 1) * step
            do { try await clock.sleep(until: next) } catch { break }
            recordOnce()
            if clock.now() - lastPersist >= snapshotEvery.milliseconds {
                persist()
                lastPersist = clock.now()
            }
        }
        persist()
    }
}
