import Foundation
import NIOCore
import OutpostCore
import OutpostTestSupport
import Testing
@testable import Probing

@Suite(.serialized) struct TCPTLSProberTests {
    let runner = ProbeRunner()

    func tlsModule(_ tlsConfig: String, timeout: String = "5s", tls: Bool = true, steps: String = "") throws -> ModuleConfig {
        try module("""
            prober: tcp
            timeout: \(timeout)
            tcp:
              preferred_ip_protocol: ip4
              tls: \(tls)
              tls_config: {\(tlsConfig)}
            \(steps)
            """)
    }

    @Test func tlsConversationReportsTheCertificate() async throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try TestTLSLineServer(certificate: certificate, mode: .tls)
        defer { server.stop() }
        let result = await runner.run(target: "localhost:\(server.port)", module: try tlsModule("ca_file: \(certificate.certificatePath)", steps: """
              query_response:
                - expect: "^220 ready$"
                - send: "hello"
                - expect: "^echo hello$"
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_failed_due_to_regex") == 0)
        let notAfter = try certificate.notAfter()
        #expect(result.value("probe_ssl_earliest_cert_expiry") == notAfter)
        #expect(result.value("probe_ssl_last_chain_expiry_timestamp_seconds") == notAfter)
        let info = try #require(result.labels("probe_ssl_last_chain_info"))
        #expect(info["subject"] == "CN=localhost,O=Outpost Test")
        #expect(info["issuer"] == "CN=localhost,O=Outpost Test")
        #expect(info["subjectalternative"] == "localhost")
        #expect(info["fingerprint_sha256"] == (try certificate.fingerprint()))
        #expect(info["serialnumber"]?.isEmpty == false)
        #expect(result.labels("probe_tls_version_info")?["version"] == "TLS 1.3")
        #expect(result.labels("probe_tls_cipher_info")?["cipher"]?.hasPrefix("TLS_") == true)
    }

    @Test func tcpAndHTTPGiveIdenticalSeriesForOneCertificate() async throws {
        let server = try TLSTestServer(expired: false)
        defer { server.stop() }
        let http = await runner.run(target: "https://localhost:\(server.port)/", module: try module("""
            prober: http
            timeout: 5s
            http:
              preferred_ip_protocol: ip4
              tls_config: {ca_file: \(server.certificatePath)}
            """))
        let tcp = await runner.run(target: "localhost:\(server.port)", module: try tlsModule("ca_file: \(server.certificatePath)"))
        #expect(http.success, "\(http.log)")
        #expect(tcp.success, "\(tcp.log)")
        for name in ["probe_ssl_earliest_cert_expiry", "probe_ssl_last_chain_expiry_timestamp_seconds", "probe_ssl_last_chain_info",
                     "probe_tls_version_info", "probe_tls_cipher_info"] {
            #expect(tcp.labels(name) != nil, "\(name)")
            #expect(tcp.labels(name) == http.labels(name), "\(name)")
            #expect(tcp.value(name) == http.value(name), "\(name)")
        }
    }

    @Test func expiredCertificateFailsButReportsItsExpiry() async throws {
        let certificate = try TestCertificate(expired: true)
        defer { certificate.remove() }
        let server = try TestTLSLineServer(certificate: certificate, mode: .tls)
        defer { server.stop() }
        let result = await runner.run(target: "localhost:\(server.port)", module: try tlsModule("ca_file: \(certificate.certificatePath)"))
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "tls"]) == 1)
        let expiry = try #require(result.value("probe_ssl_earliest_cert_expiry"))
        #expect(expiry == (try certificate.notAfter()))
        #expect(expiry < Date().timeIntervalSince1970)
        #expect(result.log.contains { $0.contains("expired") }, "\(result.log)")
    }

    @Test func untrustedCertificateFailsUnlessVerificationIsSkipped() async throws {
        let certificate = try TestCertificate()
        let otherCA = try TestCertificate()
        defer {
            certificate.remove()
            otherCA.remove()
        }
        let server = try TestTLSLineServer(certificate: certificate, mode: .tls)
        defer { server.stop() }
        let steps = "  query_response:\n    - expect: \"^220 ready$\""
        let wrongCA = await runner.run(target: "localhost:\(server.port)",
                                       module: try tlsModule("ca_file: \(otherCA.certificatePath)", steps: steps))
        #expect(!wrongCA.success)
        #expect(wrongCA.value("probe_failure_info", ["reason": "tls"]) == 1)
        #expect(wrongCA.labels("probe_ssl_last_chain_info")?["fingerprint_sha256"] == (try certificate.fingerprint()))
        let skipped = await runner.run(target: "localhost:\(server.port)",
                                       module: try tlsModule("ca_file: \(otherCA.certificatePath), insecure_skip_verify: true", steps: steps))
        #expect(skipped.success, "\(skipped.log)")
        #expect(skipped.value("probe_ssl_earliest_cert_expiry") == (try certificate.notAfter()))
    }

    @Test func serverNameMustMatchTheCertificate() async throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try TestTLSLineServer(certificate: certificate, mode: .tls)
        defer { server.stop() }
        let ca = "ca_file: \(certificate.certificatePath)"
        let mismatch = await runner.run(target: "127.0.0.1:\(server.port)", module: try tlsModule(ca + ", server_name: other.example"))
        #expect(!mismatch.success)
        #expect(mismatch.value("probe_failure_info", ["reason": "tls"]) == 1)
        // Without server_name, the hostname parameter names the server.
        let byHostname = await runner.run(target: "127.0.0.1:\(server.port)", module: try tlsModule(ca), hostname: "other.example")
        #expect(byHostname.value("probe_failure_info", ["reason": "tls"]) == 1)
        let matching = await runner.run(target: "127.0.0.1:\(server.port)", module: try tlsModule(ca), hostname: "localhost")
        #expect(matching.success, "\(matching.log)")
    }

    @Test func startTLSUpgradesMidConversation() async throws {
        let certificate = try TestCertificate()
        defer { certificate.remove() }
        let server = try TestTLSLineServer(certificate: certificate, mode: .startTLS)
        defer { server.stop() }
        let result = await runner.run(target: "localhost:\(server.port)", module: try tlsModule("ca_file: \(certificate.certificatePath)", tls: false, steps: """
              query_response:
                - expect: "^220 ready"
                - send: "STARTTLS"
                - expect: "^220 go ahead"
                  starttls: true
                - send: "EHLO outpost"
                - expect: "^250 EHLO outpost$"
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_ssl_earliest_cert_expiry") == (try certificate.notAfter()))
        #expect(result.labels("probe_tls_version_info")?["version"] == "TLS 1.3")
    }

    @Test func stalledHandshakeEndsAtTheTimeout() async throws {
        let server = try await TestTCPServer { inbound, _ in
            for try await _ in inbound {}
        }
        defer { server.stop() }
        let started = ContinuousClock.now
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try tlsModule("insecure_skip_verify: true", timeout: "300ms"))
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(result.value("probe_failure_info", ["reason": "timeout"]) == 1)
    }

    @Test func plainTextServerFailsTheHandshake() async throws {
        let server = try await TestTCPServer { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
            for try await _ in inbound {}
        }
        defer { server.stop() }
        let result = await runner.run(target: "127.0.0.1:\(server.port)", module: try tlsModule("insecure_skip_verify: true"))
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "tls"]) == 1)
        #expect(result.value("probe_ssl_earliest_cert_expiry") == nil)
    }

    @Test func unreadableCAFileIsAConfigErrorWithItsPosition() throws {
        do {
            _ = try module("prober: tcp\ntcp:\n  tls: true\n  tls_config:\n    ca_file: /nonexistent/ca.pem\n")
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.file == "test.yml")
            #expect(error.line == 5)
            #expect(error.column == 14)
            #expect(error.message.contains("/nonexistent/ca.pem"))
        }
    }
}
