import Foundation
import Testing
import OutpostTestSupport
@testable import Probing

@Suite struct HTTPProberTests {
    let runner = ProbeRunner()

    @Test func successfulGetReportsStatusVersionAndTimings() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(headers: [("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")], body: "hello") }
        defer { server.stop() }
        let result = await runner.run(target: server.url + "/", module: try module("prober: http\ntimeout: 5s"))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_success") == 1)
        #expect(result.value("probe_http_status_code") == 200)
        #expect(result.value("probe_http_version") == 1.1)
        #expect(result.value("probe_http_content_length") == 5)
        #expect(result.value("probe_http_uncompressed_body_length") == 5)
        #expect(result.value("probe_http_ssl") == 0)
        #expect(result.value("probe_ip_protocol") == 4)
        #expect(result.value("probe_http_last_modified_timestamp_seconds") == 1_445_412_480)
        for phase in ["resolve", "connect", "tls", "processing", "transfer"] {
            #expect(result.value("probe_http_duration_seconds", ["phase": phase]) != nil)
        }
        #expect(result.value("probe_failure_info") == nil)
    }

    @Test func followsRedirectsAndCountsThem() async throws {
        let server = try await TestHTTPServer { request in
            switch request.path {
            case "/a": TestHTTPResponse(status: 302, headers: [("Location", "/b")])
            case "/b": TestHTTPResponse(status: 301, headers: [("Location", "/c")])
            default: TestHTTPResponse(body: "done")
            }
        }
        defer { server.stop() }
        let result = await runner.run(target: server.url + "/a", module: try module("prober: http\ntimeout: 5s"))
        #expect(result.success)
        #expect(result.value("probe_http_redirects") == 2)
        #expect(result.value("probe_http_status_code") == 200)

        let noFollow = await runner.run(target: server.url + "/a", module: try module("""
            prober: http
            timeout: 5s
            http:
              follow_redirects: false
              valid_status_codes: [302]
            """))
        #expect(noFollow.success)
        #expect(noFollow.value("probe_http_status_code") == 302)
    }

    @Test func endlessRedirectsStopAfterTen() async throws {
        let server = try await TestHTTPServer { request in
            let next = (Int(request.path.dropFirst()) ?? 0) + 1
            return TestHTTPResponse(status: 302, headers: [("Location", "/\(next)")])
        }
        defer { server.stop() }
        let result = await runner.run(target: server.url + "/0", module: try module("prober: http\ntimeout: 5s"))
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "redirects"]) == 1)
    }

    @Test func failingStatusIsAStatusCodeFailure() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(status: 503, body: "down") }
        defer { server.stop() }
        let result = await runner.run(target: server.url, module: try module("prober: http\ntimeout: 5s"))
        #expect(!result.success)
        #expect(result.value("probe_http_status_code") == 503)
        #expect(result.value("probe_failure_info", ["reason": "status_code"]) == 1)
    }

    @Test func slowServerTimesOutWithinTheTimeout() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(delay: .seconds(5)) }
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = await runner.run(target: server.url, module: try module("prober: http\ntimeout: 300ms"))
        let elapsed = ContinuousClock.now - started
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "timeout"]) == 1)
        #expect(elapsed < .seconds(3))
    }

    @Test func refusedConnectionAndUnresolvableHost() async throws {
        let closed = try await TestHTTPServer { _ in TestHTTPResponse() }
        let port = closed.port
        closed.stop()
        try await Task.sleep(for: .milliseconds(50))
        let refused = await runner.run(target: "http://127.0.0.1:\(port)/", module: try module("prober: http\ntimeout: 2s"))
        #expect(refused.value("probe_failure_info", ["reason": "connect"]) == 1)
        let unknown = await runner.run(target: "http://no-such-host.invalid/", module: try module("prober: http\ntimeout: 2s"))
        #expect(unknown.value("probe_failure_info", ["reason": "dns"]) == 1)
        #expect(unknown.value("probe_http_status_code") == 0)
        #expect(unknown.value("probe_http_duration_seconds", ["phase": "connect"]) == 0)
        #expect(unknown.value("probe_ip_protocol") == nil)
        #expect(unknown.log.contains("no ip6 address; trying ip4"))
    }

    /// As blackbox: addresses of the preferred family only, the other family only as an
    /// allowed fallback; the virtual host does not change where the connection goes.
    @Test func preferredFamilyAndFallback() async throws {
        let seen = RequestLog()
        let server = try await TestHTTPServer { request in
            seen.append(request)
            return TestHTTPResponse(body: "ok")
        }
        defer { server.stop() }
        let ip4 = await runner.run(target: "http://localhost:\(server.port)/",
                                   module: try module("prober: http\ntimeout: 5s\nhttp: {preferred_ip_protocol: ip4}"),
                                   hostname: "example.test")
        #expect(ip4.success, "\(ip4.log)")
        #expect(ip4.value("probe_ip_protocol") == 4)
        #expect(ip4.value("probe_ip_addr_hash") == IPAddressHash.fnv32a("127.0.0.1"))
        #expect(seen.requests.last?.headers["host"]?.hasPrefix("example.test") == true)
        // The default prefers ip6 and may fall back: an IPv4 target is probed over IPv4.
        let fallback = await runner.run(target: server.url + "/", module: try module("prober: http\ntimeout: 5s"))
        #expect(fallback.success, "\(fallback.log)")
        #expect(fallback.value("probe_ip_protocol") == 4)
        let strict = await runner.run(target: server.url + "/", module: try module(
            "prober: http\ntimeout: 5s\nhttp: {preferred_ip_protocol: ip6, ip_protocol_fallback: false}"))
        #expect(strict.value("probe_failure_info", ["reason": "dns"]) == 1, "\(strict.log)")
        #expect(seen.requests.count == 2)
    }

    /// Body regexps read Go's syntax: `$` without `m` is the end of the body, not a line end before it.
    @Test func bodyRegexpsEndAtTheEndOfTheBody() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(body: "status: ok\n") }
        defer { server.stop() }
        let atEnd = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_body_not_matches_regexp: ["ok$"]
            """))
        #expect(!atEnd.success)
        #expect(atEnd.value("probe_failure_info", ["reason": "regex"]) == 1)
        let atLineEnd = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_body_not_matches_regexp: ["(?m)^status: ok$"]
            """))
        #expect(atLineEnd.success)
    }

    /// The body comes from the target: one crafted against a backtracking-prone pattern is
    /// checked in linear time, as blackbox's RE2 checks it, instead of pinning a thread for hours.
    @Test func hostileBodyAgainstANestedRepetitionIsCheckedAtOnce() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(body: String(repeating: "a", count: 60) + "!") }
        defer { server.stop() }
        let result = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_body_matches_regexp: ['^(\\w+\\s?)*$']
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_failed_due_to_regex") == 0)
    }

    @Test func bodyAndHeaderRegexps() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(headers: [("X-Mode", "maintenance")], body: "status: degraded") }
        defer { server.stop() }
        let bodyMatch = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_body_matches_regexp: ["degr.ded"]
            """))
        #expect(!bodyMatch.success)
        #expect(bodyMatch.value("probe_failed_due_to_regex") == 1)
        #expect(bodyMatch.value("probe_failure_info", ["reason": "regex"]) == 1)

        let bodyOK = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_body_not_matches_regexp: ["^status: "]
            """))
        #expect(bodyOK.success)
        #expect(bodyOK.value("probe_failed_due_to_regex") == 0)


        let header = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_header_matches:
                - header: x-mode
                  regexp: maint
              fail_if_header_not_matches:
                - header: X-Missing
                  regexp: anything
                  allow_missing: true
            """))
        #expect(!header.success)
        #expect(header.value("probe_failure_info", ["reason": "header"]) == 1)
    }

    @Test func sendsMethodBodyHeadersAndHostname() async throws {
        let seen = RequestLog()
        let server = try await TestHTTPServer { request in
            seen.append(request)
            return TestHTTPResponse()
        }
        defer { server.stop() }
        let result = await runner.run(target: server.url + "/submit", module: try module("""
            prober: http
            timeout: 5s
            http:
              method: PUT
              body: '{"a":1}'
              headers:
                X-Probe: yes
              basic_auth:
                username: user
                password: hunter2
            """), hostname: "example.test", verbose: true)
        #expect(result.success, "\(result.log)")
        let request = try #require(seen.requests.first)
        #expect(request.method == "PUT")
        #expect(request.path == "/submit")
        #expect(request.body == #"{"a":1}"#)
        #expect(request.headers["x-probe"] == "yes")
        #expect(request.headers["host"]?.hasPrefix("example.test") == true)
        #expect(request.headers["authorization"] == "Basic " + Data("user:hunter2".utf8).base64EncodedString())
        #expect(!result.log.joined().contains("hunter2"))
        #expect(!result.log.joined().contains(Data("user:hunter2".utf8).base64EncodedString()))
    }

    /// Easy handles are reused between probes; a plain GET after a PUT with a body, headers
    /// and credentials must carry none of them, and keeps nothing of the earlier response.
    @Test func reusedHandlesKeepNothingOfTheLastProbe() async throws {
        let seen = RequestLog()
        let server = try await TestHTTPServer { request in
            seen.append(request)
            return request.method == "PUT"
                ? TestHTTPResponse(status: 201, headers: [("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT")], body: "created")
                : TestHTTPResponse(body: "ok")
        }
        defer { server.stop() }
        let put = try module("""
            prober: http
            timeout: 5s
            http:
              method: PUT
              body: 'payload'
              headers: {X-Probe: "yes"}
              basic_auth: {username: user, password: hunter2}
              valid_status_codes: [201]
            """)
        let get = try module("prober: http\ntimeout: 5s")
        for _ in 0..<3 {
            let first = await runner.run(target: server.url + "/put", module: put)
            #expect(first.success, "\(first.log)")
            let second = await runner.run(target: server.url + "/get", module: get)
            #expect(second.success, "\(second.log)")
            #expect(second.value("probe_http_content_length") == 2)
            #expect(second.value("probe_http_last_modified_timestamp_seconds") == nil)
        }
        let gets = seen.requests.filter { $0.path == "/get" }
        #expect(gets.count == 3)
        for request in gets {
            #expect(request.method == "GET")
            #expect(request.body.isEmpty)
            #expect(request.headers["x-probe"] == nil)
            #expect(request.headers["authorization"] == nil)
        }
    }

    @Test func bodySizeLimitFailsHugeBodies() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(body: String(repeating: "x", count: 200_000)) }
        defer { server.stop() }
        let result = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              body_size_limit: 1KB
            """))
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "body_size"]) == 1)
    }

    @Test func garbageResponseFails() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(raw: "\u{1}\u{2}garbage\r\n\r\n") }
        defer { server.stop() }
        let result = await runner.run(target: server.url, module: try module("prober: http\ntimeout: 2s"))
        #expect(!result.success)
        #expect(result.value("probe_failure_info") == 1)
    }

    @Test func jsonAssertions() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(body: #"{"status":"UP","items":[1,2],"ok":true}"#) }
        defer { server.stop() }
        let passing = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              json_assertions: ['$.status == "UP"', '$.items.length() > 0', '$.ok == true', '$.items[1] >= 2']
            """))
        #expect(passing.success, "\(passing.log)")
        let failing = await runner.run(target: server.url, module: try module("""
            prober: http
            timeout: 5s
            http:
              json_assertions: ['$.items.length() > 5']
            """))
        #expect(!failing.success)
        #expect(failing.value("probe_failure_info", ["reason": "json"]) == 1)
    }

    @Test func manyConcurrentProbesShareOneLoop() async throws {
        let server = try await TestHTTPServer { _ in TestHTTPResponse(body: "ok") }
        defer { server.stop() }
        let probeModule = try module("prober: http\ntimeout: 10s")
        let successes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { await runner.run(target: server.url, module: probeModule).success }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 200)
    }
}

final class RequestLog: Sendable {
    private let storage = Mutex<[TestHTTPRequest]>([])
    func append(_ request: TestHTTPRequest) { storage.withLock { $0.append(request) } }
    var requests: [TestHTTPRequest] { storage.withLock { $0 } }
}

import Synchronization
