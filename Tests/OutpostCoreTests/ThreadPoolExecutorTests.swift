import Foundation
import OutpostCore
import Synchronization
import Testing

@Suite struct ThreadPoolExecutorTests {
    /// Work that blocks every thread it runs on, more of it than the cooperative pool has
    /// threads, must leave that pool free: a plain task still runs at once.
    @Test func blockingWorkOnItsThreadsLeavesTheCooperativePoolFree() async throws {
        let blockers = ProcessInfo.processInfo.activeProcessorCount + 1
        let executor = ThreadPoolExecutor(threads: blockers, name: "test-blocking")
        let gate = Gate()
        let clock = ContinuousClock()
        let begin = clock.now
        let work = (0..<blockers).map { _ in
            Task.detached(executorPreference: executor) {
                gate.started.add(1, ordering: .relaxed)
                gate.release.wait()
            }
        }
        // A safety valve: were the blockers on the cooperative pool, this task could not resume
        // until they were released, and the measured delay would show it.
        DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
            for _ in 0..<blockers { gate.release.signal() }
        }
        try await Task.sleep(for: .milliseconds(100))
        await Task.detached { await Task.yield() }.value
        let delay = clock.now - begin
        #expect(delay < .seconds(1), "a plain task waited \(delay) behind blocking work")
        #expect(gate.started.load(ordering: .relaxed) == blockers, "all blocking tasks run at once, on the executor's threads")
        for task in work { await task.value }
    }

    @Test func tasksOnItSeeCancellation() async throws {
        let executor = ThreadPoolExecutor(threads: 1, name: "test-cancel")
        let task = Task.detached(executorPreference: executor) { () -> Bool in
            while !Task.isCancelled { usleep(1000) }
            return true
        }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value)
    }
}

/// Holds the blocking tasks until released. DispatchSemaphore is thread-safe but not marked Sendable.
private final class Gate: @unchecked Sendable {
    let started = Atomic<Int>(0)
    let release = DispatchSemaphore(value: 0)
}
