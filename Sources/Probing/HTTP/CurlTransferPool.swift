import CCurl
import Synchronization

/// Easy handles kept for the next probes. A fresh handle allocates libcurl's buffers and
/// state every time, about a tenth of a plain HTTP probe's CPU; a reset one keeps them.
/// Connections are never shared: every probe still asks for a fresh one (`FRESH_CONNECT`,
/// `FORBID_REUSE`) and no TLS session is kept between probes.
final class CurlTransferPool: Sendable {
    private let idle = Mutex<[CurlTransfer]>([])
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func take() -> CurlTransfer? {
        if let transfer = idle.withLock({ $0.popLast() }) { return transfer }
        return CurlTransfer()
    }

    /// Takes back a transfer that has finished; beyond `capacity` it is freed instead.
    func give(_ transfer: CurlTransfer) {
        transfer.reset()
        idle.withLock { idle in
            if idle.count < capacity { idle.append(transfer) }
        }
    }
}
