import Synchronization

/// Tells listener threads to finish; they look at it between blocking calls.
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    func stop() { stopped.store(true, ordering: .relaxed) }
}
