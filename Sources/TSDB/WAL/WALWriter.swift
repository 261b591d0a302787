import Foundation
import OutpostCore

/// Appends records to the WAL's current segment. Samples are encoded into an open record as
/// they are appended; a commit closes the record and hands the buffered bytes to the kernel
/// with one write(2), so a killed process loses nothing committed. fsync runs on a period
/// (`syncDescriptor`) and when a segment is cut, never per sample.
///
/// Not thread-safe: the head calls it under its lock, which also keeps series records ahead
/// of the samples that use them.
final class WALWriter {
    /// A record is closed when its payload reaches this size even without a commit.
    static let recordLimit = 32 * 1024
    /// Buffered records are written out when they reach this size even without a commit.
    static let bufferLimit = 256 * 1024
    static let defaultSegmentSize = 16 * 1024 * 1024

    let directory: URL
    let segmentSize: Int
    private(set) var segment: Int
    private var descriptor: Int32
    private var segmentBytes = 0
    private var buffer: [UInt8] = []
    /// The open sample record's payload, written with plain stores: appending byte by byte to
    /// an array doubled the cost of an append.
    private let pending = UnsafeMutableRawPointer.allocate(byteCount: recordLimit + 64, alignment: 8)
    private var pendingCount = 0
    private var baseRef: SeriesRef = 0
    private var baseTime: Int64 = 0
    private(set) var stats = WALStats()

    /// Opens a new segment after the highest one in `directory` (creating it), so appends never
    /// follow a torn record of an earlier run.
    init(directory: URL, segmentSize: Int = defaultSegmentSize) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.segmentSize = segmentSize
        segment = (WALSegments.list(in: directory).last ?? -1) + 1
        descriptor = try Self.create(directory.appendingPathComponent(WALSegments.name(segment)))
        buffer.reserveCapacity(Self.bufferLimit + Self.recordLimit)
        stats.segment = segment
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        pending.deallocate()
    }

    func logSeries(ref: SeriesRef, labels: Labels) {
        WALRecord.frame(type: WALRecord.seriesType, payload: WALRecord.seriesPayload(ref: ref, labels: labels), into: &buffer)
    }

    func logSample(ref: SeriesRef, t: Int64, v: Double) {
        if pendingCount == 0 {
            baseRef = ref
            baseTime = t
            appendUvarint(UInt64(ref))
            appendUvarint(zigzag(t))
        }
        appendUvarint(zigzag(Int64(ref &- baseRef)))
        appendUvarint(zigzag(t &- baseTime))
        pending.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: pendingCount, as: UInt64.self)
        pendingCount += 8
        // At most 48 bytes per sample (two headers, two deltas, the value) fit past the limit.
        if pendingCount >= Self.recordLimit {
            closeRecord()
            if buffer.count >= Self.bufferLimit { flush() }
        }
    }

    /// Closes the open sample record and writes every buffered record to the segment.
    func flush() {
        closeRecord()
        writeBuffer()
        if segmentBytes >= segmentSize { cut() }
    }

    /// Flushes, fsyncs and closes the current segment and starts the next; returns its index.
    @discardableResult
    func cut() -> Int {
        closeRecord()
        writeBuffer()
        if descriptor >= 0 {
            if fsync(descriptor) != 0 { stats.syncFailures += 1 }
            close(descriptor)
            descriptor = -1
        }
        segment += 1
        segmentBytes = 0
        stats.segment = segment
        reopen()
        return segment
    }

    /// Flushes and returns a duplicate of the segment's descriptor, for an fsync outside the
    /// head's lock; the caller closes it.
    func syncDescriptor() -> Int32? {
        flush()
        guard descriptor >= 0 else { return nil }
        let duplicate = dup(descriptor)
        return duplicate >= 0 ? duplicate : nil
    }

    func recordSync(success: Bool) {
        if success { stats.syncs += 1 } else { stats.syncFailures += 1 }
    }

    private func writeBuffer() {
        guard !buffer.isEmpty else { return }
        if descriptor < 0 { reopen() }
        let written = descriptor >= 0 && buffer.withUnsafeBytes { Self.writeAll(descriptor, $0) }
        if written {
            segmentBytes += buffer.count
            stats.bytesWritten += buffer.count
        } else {
            stats.writeFailures += 1
        }
        // A failed write drops the records rather than growing the buffer without bound.
        buffer.removeAll(keepingCapacity: true)
    }

    private func closeRecord() {
        guard pendingCount > 0 else { return }
        WALRecord.frame(type: WALRecord.samplesType, payload: UnsafeRawBufferPointer(start: pending, count: pendingCount), into: &buffer)
        pendingCount = 0
    }

    private func reopen() {
        do {
            descriptor = try Self.create(directory.appendingPathComponent(WALSegments.name(segment)))
        } catch {
            // The next write retries and counts the failure.
            descriptor = -1
        }
    }

    @inline(__always)
    private func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    @inline(__always)
    private func appendUvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            pending.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: pendingCount, as: UInt8.self)
            pendingCount += 1
            rest >>= 7
        }
        pending.storeBytes(of: UInt8(rest), toByteOffset: pendingCount, as: UInt8.self)
        pendingCount += 1
    }

    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    private static func create(_ url: URL) throws -> Int32 {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OpenError(description: "\(url.path): \(String(cString: strerror(errno)))") }
        return descriptor
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let result = write(descriptor, base + offset, bytes.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += result
        }
        return true
    }
}
