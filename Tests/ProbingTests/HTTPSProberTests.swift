import Foundation
import OutpostTestSupport
import Testing
@testable import Probing

@Suite(.serialized) struct HTTPSProberTests {
    let runner = ProbeRunner()

    @Test func verifiedCertificateGivesTLSMetrics() async throws {
        let server = try TLSTestServer(expired: false)
        defer { server.stop() }
        let result = await runner.run(target: "https://localhost:\(server.port)/", module: try module("""
            prober: http
            timeout: 5s
            http:
              preferred_ip_protocol: ip4
              tls_config:
                ca_file: \(server.certificatePath)
            """))
        #expect(result.success, "\(result.log)")
        #expect(result.value("probe_http_ssl") == 1)
        let expiry = try #require(result.value("probe_ssl_earliest_cert_expiry"))
        let now = Date().timeIntervalSince1970
        #expect(expiry > now + 86_400 && expiry < now + 3 * 86_400)
        #expect(result.value("probe_ssl_last_chain_expiry_timestamp_seconds") == expiry)
        let info = try #require(result.labels("probe_ssl_last_chain_info"))
        #expect(info["subject"] == "CN=localhost,O=Outpost Test")
        #expect(info["issuer"] == "CN=localhost,O=Outpost Test")
        #expect(info["subjectalternative"] == "localhost")
        #expect(info["fingerprint_sha256"] == (try server.fingerprint()))
        #expect(info["serialnumber"]?.isEmpty == false)
        #expect(result.labels("probe_tls_version_info")?["version"]?.hasPrefix("TLS 1.") == true)
        #expect(result.labels("probe_tls_cipher_info")?["cipher"]?.isEmpty == false)
    }

    @Test func unverifiedCertificateFailsButStillReportsIt() async throws {
        let server = try TLSTestServer(expired: false)
        defer { server.stop() }
        let result = await runner.run(target: "https://127.0.0.1:\(server.port)/", module: try module("prober: http\ntimeout: 5s"))
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "tls"]) == 1)
        #expect(result.value("probe_ssl_earliest_cert_expiry") != nil)
        #expect(result.labels("probe_ssl_last_chain_info")?["fingerprint_sha256"] == (try server.fingerprint()))
    }

    @Test func expiredCertificateFailsWithPastExpiry() async throws {
        let server = try TLSTestServer(expired: true)
        defer { server.stop() }
        let result = await runner.run(target: "https://localhost:\(server.port)/", module: try module("""
            prober: http
            timeout: 5s
            http:
              preferred_ip_protocol: ip4
              tls_config:
                ca_file: \(server.certificatePath)
            """))
        #expect(!result.success)
        #expect(result.value("probe_failure_info", ["reason": "tls"]) == 1)
        let expiry = try #require(result.value("probe_ssl_earliest_cert_expiry"))
        #expect(expiry < Date().timeIntervalSince1970)
    }

    @Test func insecureSkipVerifyAndFailIfSSL() async throws {
        let server = try TLSTestServer(expired: true)
        defer { server.stop() }
        let result = await runner.run(target: "https://127.0.0.1:\(server.port)/", module: try module("""
            prober: http
            timeout: 5s
            http:
              fail_if_ssl: true
              tls_config:
                insecure_skip_verify: true
            """))
        #expect(!result.success)
        #expect(result.value("probe_http_status_code") == 200)
        #expect(result.value("probe_failure_info", ["reason": "ssl"]) == 1)
    }
}
