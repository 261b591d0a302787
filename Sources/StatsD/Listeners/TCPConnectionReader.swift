#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OutpostCore

/// Serves one StatsD TCP connection: newline-separated lines, each at most `maxLineLength`
/// bytes. A longer line is counted and the connection closed, as statsd_exporter does.
enum TCPConnectionReader {
    static func run(fd: Int32, resolver: SeriesResolver, maxLineLength: Int, stop: StopSignal) {
        defer { close(fd) }
        var worker = IngestWorker(resolver: resolver, transport: .tcp)
        let capacity = max(maxLineLength + 1, 65_536)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while !stop.isStopped {
            let count = read(fd, buffer.baseAddress! + filled, capacity - filled)
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                resolver.metrics.tcpConnectionErrors.increment()
                return
            }
            if count == 0 {
                // The peer closed: a last line without newline still counts.
                if filled > 0 { ingest(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), worker: &worker, resolver: resolver) }
                return
            }
            filled += count
            guard let lastNewline = lastIndex(of: 0x0A, in: UnsafeRawBufferPointer(rebasing: buffer[0..<filled])) else {
                if filled > maxLineLength {
                    resolver.metrics.tcpTooLongLines.increment()
                    return
                }
                continue
            }
            let complete = UnsafeRawBufferPointer(rebasing: buffer[0...lastNewline])
            if longestLine(in: complete) > maxLineLength {
                resolver.metrics.tcpTooLongLines.increment()
                return
            }
            ingest(complete, worker: &worker, resolver: resolver)
            let rest = filled - lastNewline - 1
            if rest > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + lastNewline + 1, rest) }
            filled = rest
            if filled > maxLineLength {
                resolver.metrics.tcpTooLongLines.increment()
                return
            }
        }
    }

    private static func ingest(_ bytes: UnsafeRawBufferPointer, worker: inout IngestWorker, resolver: SeriesResolver) {
        worker.beginBatch(now: resolver.clock.now())
        worker.ingest(packet: bytes)
        worker.endBatch()
    }

    private static func lastIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = bytes.count - 1
        while index >= 0 {
            if bytes[index] == byte { return index }
            index -= 1
        }
        return nil
    }

    private static func longestLine(in bytes: UnsafeRawBufferPointer) -> Int {
        var longest = 0
        var start = 0
        while start < bytes.count {
            guard let newline = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) else {
                return max(longest, bytes.count - start)
            }
            let end = bytes.baseAddress!.distance(to: UnsafeRawPointer(newline))
            longest = max(longest, end - start)
            start = end + 1
        }
        return longest
    }
}
