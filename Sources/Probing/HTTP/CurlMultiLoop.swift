import CCurl
import CEpoll
import Foundation
import OutpostCore
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Runs libcurl transfers on one multi handle driven by one thread's epoll loop.
///
/// Probes hand in configured easy handles (`CurlTransfer`) and await completion. libcurl
/// names the sockets and the timeout it waits for (`CurlSocketWatch`), and the loop hands
/// back each ready socket with `curl_multi_socket_action`, so an event costs the work of its
/// own transfer only, however many are in flight (`curl_multi_perform` and `curl_multi_poll`
/// walk every transfer on every wake-up). An eventfd wakes the loop when work arrives.
///
/// The loop is also a task executor: a probe that prefers it runs its Swift code on this
/// thread between events (see `LoopJobQueue`), so starting and finishing a transfer wakes no
/// other thread.
final class CurlMultiLoop: TaskExecutor, Sendable {
    private struct State {
        var incoming: [CurlTransfer] = []
        var cancelled: [(transfer: CurlTransfer, use: Int)] = []
        var stopping = false
    }

    // The multi handle is touched only by the loop thread; the pointer itself never changes.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    private let wakeup: Int32
    private let state = Mutex(State())
    private let jobs: LoopJobQueue
    /// The longest the loop blocks with nothing to do, in milliseconds.
    private static let idleWait: Int32 = 1000

    init() {
        CurlGlobal.initialize()
        multi = curl_multi_init()
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeup = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        outpost_epoll_watch(epoll, EPOLL_CTL_ADD, wakeup, EPOLLIN.rawValue)
        jobs = LoopJobQueue(wakeup: wakeup)
        NamedThread.start("outpost-curl") { [self] in run() }
    }

    deinit {
        curl_multi_cleanup(multi)
        close(wakeup)
        close(epoll)
    }

    /// Runs `transfer` to completion, or until the calling task is cancelled.
    func perform(_ transfer: CurlTransfer) async -> CURLcode {
        // Read here, on the probe's side: the cancellation handler may run on any thread.
        let use = transfer.use
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<CURLcode, Never>) in
                transfer.continuation = continuation
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.incoming.append(transfer)
                    return true
                }
                if accepted {
                    jobs.wakeIfSleeping()
                } else {
                    transfer.finish(CURLE_ABORTED_BY_CALLBACK)
                }
            }
        } onCancel: {
            state.withLock { $0.cancelled.append((transfer, use)) }
            jobs.wakeIfSleeping()
        }
    }

    /// Ends the loop thread; transfers still running finish as aborted, and jobs of tasks
    /// that still prefer this executor run on Swift's global executor from then on.
    func shutdown() {
        state.withLock { $0.stopping = true }
        jobs.wakeIfSleeping()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        jobs.push(UnownedJob(job))
    }

    private func run() {
        let watch = CurlSocketWatch(epoll: epoll)
        watch.attach(to: multi)
        defer { watch.detach(from: multi) }
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var readySockets = [Int32](repeating: 0, count: 256)
        var readyEvents = [UInt32](repeating: 0, count: 256)
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
            for (transfer, use) in cancelled where transfer.use == use && active.removeValue(forKey: transfer.easy) != nil {
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.finish(CURLE_ABORTED_BY_CALLBACK)
            }
            if stopping {
                for transfer in active.values {
                    curl_multi_remove_handle(multi, transfer.easy)
                    transfer.finish(CURLE_ABORTED_BY_CALLBACK)
                }
                jobs.stop()
                return
            }
            let mayBlock = jobs.prepareToSleep(unless: {
                state.withLock { !$0.incoming.isEmpty || !$0.cancelled.isEmpty || $0.stopping }
            })
            let ready = outpost_epoll_wait(epoll, &readySockets, &readyEvents, Int32(readySockets.count),
                                           mayBlock ? watch.waitMilliseconds(cap: Self.idleWait) : 0)
            jobs.runQueuedJobs(on: asUnownedTaskExecutor())
            for index in 0..<Int(max(0, ready)) {
                let socket = readySockets[index]
                if socket == wakeup {
                    var count: UInt64 = 0
                    _ = read(wakeup, &count, MemoryLayout<UInt64>.size)
                    continue
                }
                curl_multi_socket_action(multi, socket, Self.curlFlags(readyEvents[index]), &running)
            }
            if watch.takeExpiredTimeout() {
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running)
            }
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                active.removeValue(forKey: easy)?.finish(code)
            }
            jobs.runQueuedJobs(on: asUnownedTaskExecutor())
        }
    }

    /// epoll's readiness bits as libcurl's `CURL_CSELECT_*`; a hang-up reads as readable so
    /// libcurl sees the end of the stream.
    private static func curlFlags(_ events: UInt32) -> Int32 {
        var flags: Int32 = 0
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 { flags |= CURL_CSELECT_IN }
        if events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
        if events & EPOLLERR.rawValue != 0 { flags |= CURL_CSELECT_ERR }
        return flags
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
