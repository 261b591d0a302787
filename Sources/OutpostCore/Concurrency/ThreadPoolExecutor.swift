import Foundation
import Synchronization

/// A task executor with threads of its own, for long synchronous work: PromQL queries and rule
/// evaluations run as tasks preferring it (`Task(executorPreference:)`), so they never hold the
/// few threads of Swift's cooperative pool that probing, alert routing and the HTTP server
/// share, while `Task.isCancelled` keeps working inside them. The kernel shares the cores
/// between its threads and everyone else's.
///
/// The threads live as long as the process; create one per kind of work at startup.
public final class ThreadPoolExecutor: TaskExecutor, Sendable {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var head = 0

        mutating func pop() -> UnownedJob? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }
    }

    private let queue = Mutex(Queue())
    /// Counts queued jobs; each worker takes one per signal.
    private let available = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - threads: how many jobs run at once.
    ///   - name: the threads' name, as tools such as `top -H` show it.
    public init(threads: Int, name: String) {
        for _ in 0..<max(1, threads) {
            NamedThread.start(name) { [self] in work() }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.jobs.append(job) }
        available.signal()
    }

    private func work() {
        while true {
            available.wait()
            guard let job = queue.withLock({ $0.pop() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
