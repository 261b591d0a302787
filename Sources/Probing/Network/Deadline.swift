import NIOCore
import NIOPosix
import Synchronization

/// Thrown when a probe step runs past the probe's deadline.
struct DeadlineExceeded: Error {}

/// Runs `body` but gives up at `deadline`, cancelling it; the probe never outlives its timeout.
///
/// The body runs in one task and a timer on an event loop cancels it, which costs far less
/// per probe than racing it against a sleeping task in a task group. As with a group, the
/// call returns only once `body` has finished.
func withDeadline<T: Sendable>(_ deadline: MonotonicTime, on loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let remaining = deadline.duration(since: .now())
    guard remaining > .zero else { throw DeadlineExceeded() }
    let work = Task { try await body() }
    let expiry = DeadlineExpiry()
    let timer = loop.scheduleTask(in: .nanoseconds(remaining.nanosecondsClamped)) {
        expiry.fired.store(true, ordering: .releasing)
        work.cancel()
    }
    let outcome = await withTaskCancellationHandler {
        await work.result
    } onCancel: {
        work.cancel()
    }
    timer.cancel()
    if expiry.fired.load(ordering: .acquiring) { throw DeadlineExceeded() }
    return try outcome.get()
}

/// Whether the deadline timer went off, shared by the timer and the waiting call.
private final class DeadlineExpiry: Sendable {
    let fired = Atomic<Bool>(false)
}

extension Duration {
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + attoseconds / 1_000_000_000
    }
}
