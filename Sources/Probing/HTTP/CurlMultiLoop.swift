import CCurl
import Foundation
import Synchronization

/// Runs libcurl transfers on one multi handle driven by one thread.
///
/// Probes hand in configured easy handles (`CurlTransfer`) and await completion; the thread
/// polls every socket at once with `curl_multi_poll`, so thousands of probes in flight cost
/// one thread. `curl_multi_wakeup` interrupts the poll when work arrives.
final class CurlMultiLoop: Sendable {
    private struct State {
        var incoming: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
    }

    // The multi handle is touched only by the loop thread, apart from the thread-safe
    // `curl_multi_wakeup`; the pointer itself never changes.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let state = Mutex(State())
    private let stopped = Mutex(false)

    init() {
        CurlGlobal.initialize()
        multi = curl_multi_init()
        let thread = Thread { [self] in run() }
        thread.name = "outpost-curl"
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Runs `transfer` to completion, or until the calling task is cancelled.
    func perform(_ transfer: CurlTransfer) async -> CURLcode {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<CURLcode, Never>) in
                transfer.continuation = continuation
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.incoming.append(transfer)
                    return true
                }
                if accepted {
                    curl_multi_wakeup(multi)
                } else {
                    transfer.finish(CURLE_ABORTED_BY_CALLBACK)
                }
            }
        } onCancel: {
            state.withLock { $0.cancelled.append(transfer) }
            curl_multi_wakeup(multi)
        }
    }

    /// Ends the loop thread; transfers still running finish as aborted.
    func shutdown() {
        state.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var running: Int32 = 0
        while true {
            let (incoming, cancelled, stopping) = state.withLock { state in
                defer {
                    state.incoming.removeAll(keepingCapacity: true)
                    state.cancelled.removeAll(keepingCapacity: true)
                }
                return (state.incoming, state.cancelled, state.stopping)
            }
            for transfer in incoming {
                active[transfer.easy] = transfer
                curl_multi_add_handle(multi, transfer.easy)
            }
            for transfer in cancelled where active.removeValue(forKey: transfer.easy) != nil {
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.finish(CURLE_ABORTED_BY_CALLBACK)
            }
            if stopping {
                for transfer in active.values {
                    curl_multi_remove_handle(multi, transfer.easy)
                    transfer.finish(CURLE_ABORTED_BY_CALLBACK)
                }
                return
            }
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                active.removeValue(forKey: easy)?.finish(code)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}

/// `curl_global_init` must run once before any other libcurl call.
enum CurlGlobal {
    private static let once: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func initialize() {
        _ = once
    }
}
