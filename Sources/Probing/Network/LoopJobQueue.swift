#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// The jobs of a task executor whose single thread is an epoll loop (the curl loop, the
/// socket reactor).
///
/// A probe whose task prefers such an executor runs its Swift code on the loop thread between
/// events: when its socket is ready the loop resumes it in place, instead of handing it to
/// Swift's thread pool and waking a thread there, and a probe that starts a wait from the loop
/// needs no wake-up either. The loop thread is woken (through its eventfd) only when a job
/// arrives from another thread while it sleeps.
final class LoopJobQueue: Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var sleeping = false
        var stopped = false

        /// Whether the loop sleeps and so needs a signal; it counts as awake from here on,
        /// so one signal serves every arrival until it sleeps again.
        mutating func takeSleeping() -> Bool {
            defer { sleeping = false }
            return sleeping
        }
    }

    private let state = Mutex(State())
    private let wakeup: Int32

    /// - Parameter wakeup: the loop's eventfd, which its `epoll_wait` watches.
    init(wakeup: Int32) {
        self.wakeup = wakeup
    }

    func push(_ job: UnownedJob) {
        let wake = state.withLock { state -> Bool? in
            guard !state.stopped else { return nil }
            state.jobs.append(job)
            return state.takeSleeping()
        }
        switch wake {
        case nil: Self.runElsewhere([job])
        case true?: signal()
        case false?: break
        }
    }

    /// Called by the loop thread as it ends: queued and later jobs run on Swift's global
    /// executor, so no task that still prefers the loop's executor waits forever.
    func stop() {
        let pending = state.withLock { state -> [UnownedJob] in
            state.stopped = true
            defer { state.jobs = [] }
            return state.jobs
        }
        Self.runElsewhere(pending)
    }

    private static func runElsewhere(_ jobs: [UnownedJob]) {
        guard !jobs.isEmpty else { return }
        DispatchQueue.global().async {
            for job in jobs { job.runSynchronously(on: globalConcurrentExecutor.asUnownedTaskExecutor()) }
        }
    }

    /// Wakes the loop if it sleeps, for work it keeps outside this queue.
    func wakeIfSleeping() {
        if state.withLock({ $0.takeSleeping() }) { signal() }
    }

    /// Called by the loop right before it blocks: false, and the loop must not block, when
    /// jobs are queued or `hasOtherWork` says so; otherwise the loop counts as sleeping until
    /// `runQueuedJobs`. Checking under the lock is what keeps a wake-up from being lost.
    func prepareToSleep(unless hasOtherWork: () -> Bool = { false }) -> Bool {
        state.withLock { state in
            guard state.jobs.isEmpty, !hasOtherWork() else { return false }
            state.sleeping = true
            return true
        }
    }

    /// Runs the jobs queued so far, oldest first, on the loop thread as `executor`; the loop is
    /// awake from here on.
    func runQueuedJobs(on executor: UnownedTaskExecutor) {
        let queued = state.withLock { state -> [UnownedJob] in
            state.sleeping = false
            guard !state.jobs.isEmpty else { return [] }
            defer { state.jobs.removeAll(keepingCapacity: true) }
            return state.jobs
        }
        for job in queued { job.runSynchronously(on: executor) }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
    }
}
