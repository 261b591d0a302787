import Foundation
import Hummingbird
import Logging
import OutpostCore
import OutpostMetrics
import Server
import ServiceLifecycle
import Synchronization
import OutpostTestSupport
import Testing

/// Runs the real HTTP application on an ephemeral loopback port for the length of `body`.
func withRunningServer(_ dependencies: ServerDependencies, _ body: (LoopbackHTTPClient) async throws -> Void) async throws {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let application = HTTPServer.makeApplication(
        router: HTTPServer.makeRouter(dependencies), address: try #require(ListenAddress("127.0.0.1:0")),
        logger: Logger(label: "test")
    ) { port in continuation.yield(port) }
    let group = ServiceGroup(services: [application], logger: Logger(label: "test"))
    let server = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next())
    let outcome = await Result(catching: { try await body(LoopbackHTTPClient(port: port)) })
    await group.triggerGracefulShutdown()
    try await server.value
    try outcome.get()
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

@Suite struct HTTPServerTests {
    private func dependencies(reloadError: String? = nil, ready: Bool = true) throws -> ServerDependencies {
        let registry = MetricsRegistry()
        try registry.counter("served_total", help: "Served.").labels(["code": "200"]).increment(by: 7)
        return ServerDependencies(registry: registry, reload: { reloadError }, isReady: { ready })
    }

    @Test func servesMetricsInTheNegotiatedFormat() async throws {
        try await withRunningServer(try dependencies()) { client in
            let text = try await client.request("GET", "/metrics")
            #expect(text.status == 200)
            #expect(text.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(text.text.contains("served_total{code=\"200\"} 7\n"))
            let openMetrics = try await client.request("GET", "/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0"])
            #expect(openMetrics.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(openMetrics.text.hasSuffix("# EOF\n"))
        }
    }

    @Test func gzipsWhenAsked() async throws {
        try await withRunningServer(try dependencies()) { client in
            let response = try await client.request("GET", "/metrics", headers: ["Accept-Encoding": "gzip, deflate"])
            #expect(response.headers["content-encoding"] == "gzip")
            #expect(Array(response.body.prefix(2)) == [0x1f, 0x8b])
            let plain = try await client.request("GET", "/metrics", headers: ["Accept-Encoding": "gzip;q=0"])
            #expect(plain.headers["content-encoding"] == nil)
        }
    }

    @Test func answersHealthReadinessAndUnknownPaths() async throws {
        try await withRunningServer(try dependencies(ready: false)) { client in
            let healthy = try await client.request("GET", "/-/healthy")
            let ready = try await client.request("GET", "/-/ready")
            let unknown = try await client.request("GET", "/no/such/path")
            #expect(healthy.status == 200)
            #expect(ready.status == 503)
            #expect(unknown.status == 404)
        }
    }

    @Test func reloadReportsFailure() async throws {
        try await withRunningServer(try dependencies(reloadError: "outpost.yml:3:1: bad")) { client in
            let response = try await client.request("POST", "/-/reload")
            #expect(response.status == 500)
            #expect(response.text.contains("outpost.yml:3:1: bad"))
        }
        try await withRunningServer(try dependencies()) { client in
            let response = try await client.request("POST", "/-/reload")
            #expect(response.status == 200)
        }
    }
}
