import Foundation

/// Asks `probe` every half second until it answers something, for at most `timeout`; nil
/// when it never did. A probe that throws counts as no answer yet (a server still starting).
func poll<T>(for timeout: Duration, _ probe: () async throws -> T?) async -> T? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let answer = try? await probe() { return answer }
        try? await Task.sleep(for: .milliseconds(500))
    }
    return nil
}
