import OutpostCore
import Synchronization

/// Lets a loop sleep until a deadline on an injected clock and be woken early when new work
/// arrives; a wake that comes while the loop is busy is remembered for its next sleep.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func sleep(until deadline: UnixMillis, on clock: any WallClock) async {
        let sleeper = Task { _ = try? await clock.sleep(until: deadline) }
        let wokenAlready = state.withLock { state -> Bool in
            if state.pending {
                state.pending = false
                return true
            }
            state.sleeper = sleeper
            return false
        }
        if wokenAlready { sleeper.cancel() }
        await withTaskCancellationHandler {
            await sleeper.value
        } onCancel: {
            sleeper.cancel()
        }
        state.withLock { $0.sleeper = nil }
    }

    func wake() {
        let sleeper = state.withLock { state -> Task<Void, Never>? in
            guard let sleeper = state.sleeper else {
                state.pending = true
                return nil
            }
            state.sleeper = nil
            return sleeper
        }
        sleeper?.cancel()
    }
}
