#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Wall-clock time in milliseconds since the Unix epoch, the timestamp unit Prometheus uses.
public typealias UnixMillis = Int64

/// Where components read the time and wait for it, so tests can drive time by hand.
public protocol WallClock: Sendable {
    func now() -> UnixMillis
    /// Suspends until the clock reads at least `deadline`; throws on task cancellation.
    func sleep(until deadline: UnixMillis) async throws
}

extension WallClock {
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now() + duration.milliseconds)
    }

    public func nowSeconds() -> Double { Double(now()) / 1000 }
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> UnixMillis {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    public func sleep(until deadline: UnixMillis) async throws {
        let remaining = deadline - now()
        if remaining > 0 { try await Task.sleep(for: .milliseconds(remaining)) }
    }
}

/// A clock that moves only when told to; sleepers wake as `advance` passes their deadline.
public final class ManualClock: WallClock {
    private struct State {
        var now: UnixMillis
        var sleepers: [(deadline: UnixMillis, id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(now: UnixMillis = 0) {
        state = Mutex(State(now: now))
    }

    public func now() -> UnixMillis { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock, so a test can wait until a loop has parked.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func advance(by duration: Duration) { advance(to: now() + duration.milliseconds) }

    public func advance(to time: UnixMillis) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = max(state.now, time)
            let now = state.now
            let ready = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return ready.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    public func sleep(until deadline: UnixMillis) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.now >= deadline || Task.isCancelled { return true }
                    state.sleepers.append((deadline, id, continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }
}
