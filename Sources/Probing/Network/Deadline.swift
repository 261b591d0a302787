/// Thrown when a probe step runs past the probe's deadline.
struct DeadlineExceeded: Error {}

/// Runs `body` but gives up at `deadline`, cancelling it; the probe never outlives its timeout.
func withDeadline<T: Sendable>(_ deadline: MonotonicTime, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            let remaining = deadline.duration(since: .now())
            if remaining > .zero { try await Task.sleep(for: remaining) }
            throw DeadlineExceeded()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded() }
        return first
    }
}
