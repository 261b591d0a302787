import OutpostTestSupport
import Synchronization

/// An HTTP probe target whose answer a test switches, to induce an outage.
final class SwitchableTarget: Sendable {
    /// The status every request gets, shared with the server's handler.
    private final class Status: Sendable {
        let code = Atomic<Int>(200)
    }

    private let status: Status
    private let server: TestHTTPServer

    var url: String { server.url + "/" }

    init() async throws {
        let status = Status()
        server = try await TestHTTPServer { _ in TestHTTPResponse(status: status.code.load(ordering: .relaxed), body: "ok") }
        self.status = status
    }

    func answer(_ code: Int) { status.code.store(code, ordering: .relaxed) }

    func stop() { server.stop() }
}
