#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CStatsD
import OutpostCore

/// Reads one datagram socket (UDP or Unix) on its own thread, a batch of datagrams per
/// system call, and feeds them to an `IngestWorker`.
enum DatagramReader {
    /// Datagrams taken per recvmmsg call.
    static let batchSize = 64
    /// After a call that drained the socket, wait this long so the next call finds a full
    /// batch: at high rates this halves the CPU per line spent waking up and in system
    /// calls, and StatsD can wait a millisecond. The receive buffer holds the backlog.
    static let drainedPauseMicroseconds: UInt32 = 1000
    /// Room per datagram: the largest UDP payload fits.
    static let slotSize = 65_536

    static func run(fd: Int32, resolver: SeriesResolver, transport: StatsDMetrics.Transport, stop: StopSignal) {
        var worker = IngestWorker(resolver: resolver, transport: transport)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: batchSize * slotSize, alignment: 64)
        let lengths = UnsafeMutableBufferPointer<Int>.allocate(capacity: batchSize)
        defer {
            buffer.deallocate()
            lengths.deallocate()
        }
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while !stop.isStopped {
            let received = outpost_statsd_recv_batch(fd, base, slotSize, UInt32(batchSize), lengths.baseAddress!)
            guard received > 0 else {
                if received < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { usleep(10_000) }
                continue
            }
            worker.beginBatch(now: resolver.clock.now())
            for index in 0..<Int(received) {
                let packet = UnsafeRawBufferPointer(start: buffer.baseAddress! + index * slotSize, count: lengths[index])
                worker.ingest(packet: packet)
            }
            worker.endBatch()
            if received < batchSize { usleep(drainedPauseMicroseconds) }
        }
    }
}
