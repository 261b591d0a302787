import NIOCore
import OutpostTestSupport
import Testing
@testable import Probing

@Suite struct TCPProberTests {
    let runner = ProbeRunner()

    /// Greets with a banner, then answers each line `x` with `echo x`.
    func bannerServer() async throws -> TestTCPServer {
        try await TestTCPServer { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "SSH-2.0-OpenSSH_9.2 Debian\r\n"))
            var pending = ""
            for try await chunk in inbound {
                pending += String(buffer: chunk)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = pending[..<newline]
                    pending = String(pending[pending.index(after: newline)...])
                    try await outbound.write(ByteBuffer(string: "echo \(line)\n"))
                }
            }
        }
    }

    @Test func connectOnly() async throws {
        let server = try await bannerServer()
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("prober: tcp\ntimeout: 2s"))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_ip_protocol") == 4)
    }

    @Test func queryResponseWithCapturesAndLabels() async throws {
        let server = try await bannerServer()
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module(#"""
            prober: tcp
            timeout: 2s
            tcp:
              query_response:
                - expect: "^SSH-2.0-([^ ]+)"
                  labels:
                    - name: ssh_version
                      value: "${1}"
                  send: "hello ${1}"
                - expect: "^echo hello (.+)$"
                - send: "raw"
                - expect_bytes: "echo raw"
            """#))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_expect_info", ["ssh_version": "OpenSSH_9.2"]) == 1)
        #expect(result.value("probe_failed_due_to_regex") == 0)
    }

    @Test func sendExpandsOnlyItsOwnStepsMatch() async throws {
        let server = try await bannerServer()
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module(#"""
            prober: tcp
            timeout: 2s
            tcp:
              query_response:
                - expect: "^SSH-2.0-([^ ]+)"
                - send: "again ${1}"
                - expect: "^echo again (.*)$"
                  labels:
                    - name: sent
                      value: "${1}"
            """#))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_expect_info", ["sent": "${1}"]) == 1, "a step without expect sends its text as is")
    }

    @Test func unmatchedExpectFailsAsRegex() async throws {
        let server = try await TestTCPServer { _, outbound in
            try await outbound.write(ByteBuffer(string: "220 smtp ready\r\n"))
        }
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: tcp
            timeout: 2s
            tcp:
              query_response:
                - expect: "^SSH-"
            """))
        #expect(!result.success)
        #expect(result.value("probe_failed_due_to_regex") == 1)
        #expect(result.value("probe_failure_info", ["reason": "regex"]) == 1)
    }

    @Test func silentServerTimesOut() async throws {
        let server = try await TestTCPServer { inbound, _ in
            for try await _ in inbound {}
        }
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: tcp
            timeout: 300ms
            tcp:
              query_response:
                - expect: "never"
            """))
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(result.value("probe_failure_info", ["reason": "timeout"]) == 1)
    }

    @Test func refusedAndBadTargets() async throws {
        let server = try await bannerServer()
        let port = server.port
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        let refused = await runner.run(target: "127.0.0.1:\(port)", module: try module("prober: tcp\ntimeout: 2s"))
        #expect(refused.value("probe_failure_info", ["reason": "connect"]) == 1)
        let unresolvable = await runner.run(target: "no-such-host.invalid:22", module: try module("prober: tcp\ntimeout: 2s"))
        #expect(unresolvable.value("probe_failure_info", ["reason": "dns"]) == 1)
        let noPort = await runner.run(target: "127.0.0.1", module: try module("prober: tcp\ntimeout: 2s"))
        #expect(noPort.value("probe_failure_info", ["reason": "config"]) == 1)
    }
}

@Suite struct UDPProberTests {
    let runner = ProbeRunner()

    @Test func echoReplyMatches() async throws {
        let server = try await TestUDPServer { Array("pong ".utf8) + $0 }
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: udp
            timeout: 2s
            udp:
              payload: ping
              expect: "^pong ping$"
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_failed_due_to_regex") == 0)
    }

    @Test func wrongReplyAndNoReply() async throws {
        let server = try await TestUDPServer { _ in Array("nope".utf8) }
        defer { server.stop() }
        let wrong = await runner.run(target: "127.0.0.1:\(server.port)", module: try module("""
            prober: udp
            timeout: 2s
            udp:
              payload: ping
              expect_bytes: pong
            """))
        #expect(wrong.value("probe_failure_info", ["reason": "expect"]) == 1)
        let silent = try await TestUDPServer { _ in nil }
        defer { silent.stop() }
        let started = ContinuousClock.now
        let none = await runner.run(target: "127.0.0.1:\(silent.port)", module: try module("""
            prober: udp
            timeout: 300ms
            udp:
              payload: ping
              expect: pong
            """))
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(none.value("probe_failure_info", ["reason": "timeout"]) == 1)
    }
}
