#if canImport(Glibc)
import Glibc
#endif
import CEpoll
import Foundation
import OutpostCore
import Synchronization

/// Waits for many non-blocking sockets at once on one thread with epoll, so a probe costs
/// a few system calls and one task resumption per wait instead of a channel pipeline.
/// Each wait ends when its socket is ready, at its deadline (`DeadlineExceeded`) or when
/// the waiting task is cancelled.
///
/// The reactor is also a task executor: a probe that prefers it runs on this thread between
/// events (see `LoopJobQueue`), so a ready socket resumes it without waking another thread.
final class SocketReactor: TaskExecutor, Sendable {
    static let shared = SocketReactor()

    enum Readiness {
        case readable
        case writable

        var events: UInt32 { self == .readable ? EPOLLIN.rawValue : EPOLLOUT.rawValue }
    }

    private struct Waiter {
        var continuation: CheckedContinuation<Void, any Error>
        var fd: Int32
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        /// Deadlines by time, with the waiter they belong to; entries whose waiter already
        /// finished are dropped when they come up.
        var deadlines: [(deadline: MonotonicTime, token: UInt64)] = []
        var nextToken: UInt64 = 1
    }

    private let epoll: Int32
    /// Written to when a new deadline may be earlier than the one the thread sleeps until.
    private let wakeup: Int32
    private let state = Mutex(State())
    private let jobs: LoopJobQueue

    private init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeup = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: 0))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
        jobs = LoopJobQueue(wakeup: wakeup)
        NamedThread.start("outpost-sockets") { [self] in run() }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        jobs.push(UnownedJob(job))
    }

    /// Suspends until `fd` is ready (or errored, which the next operation on it reports).
    func wait(_ fd: Int32, until readiness: Readiness, deadline: MonotonicTime) async throws {
        try Task.checkCancellation()
        let token = state.withLock { state -> UInt64 in
            defer { state.nextToken += 1 }
            return state.nextToken
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let earliest = state.withLock { state -> Bool in
                    state.waiters[token] = Waiter(continuation: continuation, fd: fd)
                    let index = state.deadlines.partitioningIndex { $0.deadline > deadline }
                    state.deadlines.insert((deadline, token), at: index)
                    return index == 0
                }
                // One-shot: the registration fires once and the token says for which wait. A
                // socket is added on its first wait and modified on later ones.
                var event = epoll_event(events: readiness.events | EPOLLONESHOT.rawValue | EPOLLRDHUP.rawValue, data: epoll_data_t(u64: token))
                if epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0, errno != EEXIST || epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event) != 0 {
                    finish(token, with: .failure(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EBADF)))
                    return
                }
                if earliest { signalWakeup() }
                // A cancellation that came before the waiter existed found nothing to end.
                if Task.isCancelled { finish(token, with: .failure(CancellationError())) }
            }
        } onCancel: {
            finish(token, with: .failure(CancellationError()))
        }
    }

    /// Resumes the waiter of `token` unless something else already did.
    private func finish(_ token: UInt64, with result: Result<Void, any Error>) {
        guard let waiter = state.withLock({ $0.waiters.removeValue(forKey: token) }) else { return }
        if case .failure = result {
            // Disarm, so a late event cannot reach a later wait on a reused descriptor.
            epoll_ctl(epoll, EPOLL_CTL_DEL, waiter.fd, nil)
        }
        waiter.continuation.resume(with: result)
    }

    private func signalWakeup() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while true {
            let timeout = expireDeadlines()
            let count = epoll_wait(epoll, &events, Int32(events.count), jobs.prepareToSleep() ? timeout : 0)
            jobs.runQueuedJobs(on: asUnownedTaskExecutor())
            guard count >= 0 else { continue }
            for event in events[..<Int(count)] {
                if event.data.u64 == 0 {
                    var value: UInt64 = 0
                    _ = read(wakeup, &value, 8)
                } else {
                    finish(event.data.u64, with: .success(()))
                }
            }
            jobs.runQueuedJobs(on: asUnownedTaskExecutor())
        }
    }

    /// Fails the waits whose deadline passed; returns milliseconds until the next one (-1: none).
    private func expireDeadlines() -> Int32 {
        let now = MonotonicTime.now()
        var expired: [UInt64] = []
        let next = state.withLock { state -> MonotonicTime? in
            var index = 0
            while index < state.deadlines.count {
                let entry = state.deadlines[index]
                if entry.deadline <= now {
                    expired.append(entry.token)
                } else if state.waiters[entry.token] != nil {
                    break
                }
                // Deadlines of finished waits need not wake the thread.
                index += 1
            }
            state.deadlines.removeFirst(index)
            return state.deadlines.first?.deadline
        }
        for token in expired { finish(token, with: .failure(DeadlineExceeded())) }
        guard let next else { return -1 }
        let milliseconds = (next.nanoseconds - MonotonicTime.now().nanoseconds + 999_999) / 1_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}

private extension Array {
    /// The first index whose element satisfies `belongsAfter`, for an array partitioned by it.
    func partitioningIndex(where belongsAfter: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
