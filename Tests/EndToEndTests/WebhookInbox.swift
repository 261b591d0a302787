import Foundation
import OutpostTestSupport
import Synchronization

/// A webhook receiver that keeps every POSTed body.
final class WebhookInbox: Sendable {
    private final class Bodies: Sendable {
        let list = Mutex<[String]>([])
    }

    private let bodies: Bodies
    private let server: TestHTTPServer

    var url: String { server.url + "/hook" }

    init() async throws {
        let bodies = Bodies()
        server = try await TestHTTPServer { request in
            bodies.list.withLock { $0.append(request.body) }
            return TestHTTPResponse(status: 200)
        }
        self.bodies = bodies
    }

    /// The notifications received so far, oldest first, as JSON objects (a body that is not
    /// one reads as an empty object).
    var notifications: [[String: Any]] {
        bodies.list.withLock { $0 }.map { body in
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
        }
    }

    func stop() { server.stop() }
}
