import OutpostCore
import OutpostMetrics
import Testing
import OutpostTestSupport
@testable import Probing

@Suite struct ProbeHandlerTests {
    func handler(_ yaml: String, registry: MetricsRegistry = MetricsRegistry()) throws -> ProbeHandler {
        let outpost = try ConfigDecoder(file: "t.yml").decode(OutpostConfig.self, from: yaml)
        return try ProbeHandler(runner: ProbeRunner(), config: try ProbingConfig(outpost, file: "t.yml"), registry: registry)
    }

    @Test func unknownModuleIs400AndCounted() async throws {
        let registry = MetricsRegistry()
        let probe = try handler("modules:\n  tcp:\n    prober: tcp\n", registry: registry)
        let response = await probe.handle(query: ["target": "127.0.0.1:1", "module": "nope"], headers: [:])
        #expect(response.status == 400)
        let counter = registry.snapshot().first { $0.name == "outpost_module_unknown_total" }
        #expect(counter?.series.first?.value == .scalar(1))
    }

    @Test func onlyListedOrAllowedTargetsAreProbed() async throws {
        let server = try await TestTCPServer { _, _ in }
        defer { server.stop() }
        let listed = try handler("modules:\n  tcp:\n    prober: tcp\ntargets:\n  - address: 127.0.0.1:\(server.port)\n    module: tcp\n")
        let denied = await listed.handle(query: ["target": "127.0.0.2:\(server.port)", "module": "tcp"], headers: [:])
        #expect(denied.status == 403)
        let allowed = await listed.handle(query: ["target": "127.0.0.1:\(server.port)", "module": "tcp"], headers: [:])
        #expect(allowed.status == 200)
        #expect(allowed.body.contains("probe_success 1\n"))
        #expect(allowed.contentType.hasPrefix("text/plain; version=0.0.4"))

        let byCIDR = try handler("modules:\n  tcp:\n    prober: tcp\nprobe_endpoint:\n  allowed_targets: [127.0.0.0/8]\n")
        let response = await byCIDR.handle(query: ["target": "127.0.0.1:\(server.port)", "module": "tcp"], headers: [:])
        #expect(response.status == 200)
        let outside = await byCIDR.handle(query: ["target": "10.0.0.1:\(server.port)", "module": "tcp"], headers: [:])
        #expect(outside.status == 403)
        let byName = await byCIDR.handle(query: ["target": "localhost:\(server.port)", "module": "tcp"], headers: [:])
        #expect(byName.status == 403)

        let byRegex = try handler("modules:\n  tcp:\n    prober: tcp\nprobe_endpoint:\n  allowed_targets: ['127\\.0\\.0\\.1:\\d+']\n")
        #expect(await byRegex.handle(query: ["target": "127.0.0.1:\(server.port)", "module": "tcp"], headers: [:]).status == 200)
        #expect(await byRegex.handle(query: ["target": "127.0.0.1:\(server.port)x", "module": "tcp"], headers: [:]).status == 403)
    }

    @Test func scrapeTimeoutHeaderCapsTheProbe() async throws {
        let server = try await TestTCPServer { inbound, _ in for try await _ in inbound {} }
        defer { server.stop() }
        let probe = try handler("""
            modules:
              slow:
                prober: tcp
                timeout: 10s
                tcp:
                  query_response: [{expect: never}]
            probe_endpoint:
              allowed_targets: [127.0.0.1/32]
            """)
        let started = ContinuousClock.now
        let response = await probe.handle(query: ["target": "127.0.0.1:\(server.port)", "module": "slow"],
                                          headers: ["X-Prometheus-Scrape-Timeout-Seconds": "1"])
        let elapsed = ContinuousClock.now - started
        #expect(response.body.contains("probe_success 0\n"))
        // The module allows 10s; the header leaves 1s - 0.5s.
        #expect(elapsed >= .milliseconds(400) && elapsed < .milliseconds(2000))
        let bad = await probe.handle(query: ["target": "127.0.0.1:1", "module": "slow"], headers: ["x-prometheus-scrape-timeout-seconds": "soon"])
        #expect(bad.status == 400)
    }

    @Test func debugShowsLogMetricsAndConfigWithoutSecrets() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(body: "ok") }
        defer { server.stop() }
        let probe = try handler("""
            modules:
              web:
                prober: http
                timeout: 5s
                http:
                  headers: {Authorization: Bearer topsecret, X-Plain: visible}
                  basic_auth: {username: bob, password: hunter2}
            probe_endpoint:
              allowed_targets: [127.0.0.1/32]
            """)
        let response = await probe.handle(query: ["target": server.url + "/", "module": "web", "debug": "true"], headers: [:])
        #expect(response.status == 200)
        #expect(response.body.contains("Logs for the probe:"))
        #expect(response.body.contains("Metrics that would have been returned:"))
        #expect(response.body.contains("probe_http_status_code 200"))
        #expect(response.body.contains("Module configuration:"))
        #expect(response.body.contains("X-Plain: visible"))
        #expect(response.body.contains("username: bob"))
        #expect(!response.body.contains("hunter2"))
        #expect(!response.body.contains("topsecret"))
    }
}
