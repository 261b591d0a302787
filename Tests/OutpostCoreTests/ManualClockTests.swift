import OutpostCore
import Testing

@Suite struct ManualClockTests {
    @Test func sleepersWakeOnlyWhenTimePassesTheirDeadline() async throws {
        let clock = ManualClock(now: 1_000)
        let woke = Task { () -> UnixMillis in
            try await clock.sleep(until: 5_000)
            return clock.now()
        }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(to: 4_999)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        #expect(try await woke.value == 5_000)
    }

    @Test func cancellationEndsASleep() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(until: 10_000) }
        while clock.sleeperCount == 0 { await Task.yield() }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }
}
