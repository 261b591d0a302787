#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Probing

@Suite struct SocketReactorTests {
    let reactor = SocketReactor.shared

    /// A connected pair of Unix stream sockets, closed by `close()`.
    struct Pair {
        let ours: Int32
        let theirs: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
            ours = fds[0]
            theirs = fds[1]
        }

        func close() {
            Glibc.close(ours)
            Glibc.close(theirs)
        }
    }

    @Test func waitEndsWhenTheSocketIsReady() async throws {
        let pair = try Pair()
        defer { pair.close() }
        let theirs = pair.theirs
        Task {
            try await Task.sleep(for: .milliseconds(50))
            _ = write(theirs, "x", 1)
        }
        let started = ContinuousClock.now
        try await reactor.wait(pair.ours, until: .readable, deadline: MonotonicTime.now().adding(.seconds(5)))
        #expect(ContinuousClock.now - started < .seconds(4))
        var byte: UInt8 = 0
        #expect(read(pair.ours, &byte, 1) == 1)
    }

    @Test func waitEndsAtTheDeadline() async throws {
        let pair = try Pair()
        defer { pair.close() }
        let started = ContinuousClock.now
        await #expect(throws: DeadlineExceeded.self) {
            try await reactor.wait(pair.ours, until: .readable, deadline: MonotonicTime.now().adding(.milliseconds(100)))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(100) && elapsed < .seconds(2))
    }

    @Test func cancellingTheTaskEndsTheWait() async throws {
        let pair = try Pair()
        defer { pair.close() }
        let fd = pair.ours
        let started = ContinuousClock.now
        let wait = Task { [reactor] in
            try await reactor.wait(fd, until: .readable, deadline: MonotonicTime.now().adding(.seconds(30)))
        }
        try await Task.sleep(for: .milliseconds(50))
        wait.cancel()
        await #expect(throws: CancellationError.self) { try await wait.value }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// A task preferring the reactor runs on its thread, waits there, and is resumed there
    /// when its socket is ready.
    @Test func tasksPreferringTheReactorRunOnItsThread() async throws {
        let pair = try Pair()
        defer { pair.close() }
        let fd = pair.ours
        let theirs = pair.theirs
        Task {
            try await Task.sleep(for: .milliseconds(20))
            _ = write(theirs, "x", 1)
        }
        let threads = try await Task(executorPreference: reactor) { [reactor] () async throws -> [String?] in
            let before = currentThreadName()
            try await reactor.wait(fd, until: .readable, deadline: MonotonicTime.now().adding(.seconds(5)))
            return [before, currentThreadName()]
        }.value
        #expect(threads == ["outpost-sockets", "outpost-sockets"])
    }
}

@Suite struct CurlMultiLoopExecutorTests {
    @Test func tasksPreferringTheLoopRunOnItsThread() async {
        let loop = CurlMultiLoop()
        defer { loop.shutdown() }
        let name = await Task(executorPreference: loop) { currentThreadName() }.value
        #expect(name == "outpost-curl")
    }

    /// Jobs that reach the loop after it stopped run on the global executor, rather than
    /// leaving their tasks suspended for ever.
    @Test func jobsAfterShutdownStillRun() async throws {
        let loop = CurlMultiLoop()
        loop.shutdown()
        try await Task.sleep(for: .milliseconds(50))
        let task = Task(executorPreference: loop) { () async -> String? in
            await Task.yield()
            return currentThreadName()
        }
        let name = await task.value
        #expect(name != "outpost-curl")
    }
}

/// The running thread's name as the kernel knows it (what `top -H` shows).
private func currentThreadName() -> String? {
    (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
}
