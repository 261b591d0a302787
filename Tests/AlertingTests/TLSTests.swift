import Foundation
import OutpostCore
import Testing
@testable import Alerting

@Suite struct TLSTests {
    /// A throwaway self-signed certificate for 127.0.0.1, made with the openssl command.
    static func makeCertificate() throws -> (cert: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=outpost-test",
                             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
        return (directory + "/cert.pem", directory + "/key.pem")
    }

    static func yaml(_ url: String, tls: String) -> String {
        """
        route: {receiver: hook, group_wait: 0s}
        receivers: [{name: hook, webhook_configs: [{url: "\(url)", http_config: {tls_config: \(tls)}}]}]
        """
    }

    @Test func httpsWebhookWithTrustedCertificate() async throws {
        let certificate = try Self.makeCertificate()
        let receiver = try WebhookReceiver(certificate: certificate)
        defer { receiver.stop() }
        let harness = try ServiceHarness(yaml: Self.yaml(receiver.url, tls: "{ca_file: \(certificate.cert)}"))
        await harness.post([alert(["alertname": "Down"])])
        #expect(receiver.requests.count == 1)
        #expect(receiver.requests.first?.json["groupKey"] as? String == "{}:{}")
    }

    @Test func untrustedCertificateFailsUnlessVerificationIsOff() async throws {
        let certificate = try Self.makeCertificate()
        let receiver = try WebhookReceiver(certificate: certificate)
        defer { receiver.stop() }
        let strict = try ServiceHarness(yaml: Self.yaml(receiver.url, tls: "{}"))
        await strict.post([alert(["alertname": "Down"])])
        #expect(receiver.requests.isEmpty)
        #expect(strict.counter("outpost_notifications_failed_total", ["receiver": "hook", "integration": "webhook", "reason": "other"]) == 1)
        let relaxed = try ServiceHarness(yaml: Self.yaml(receiver.url, tls: "{insecure_skip_verify: true}"))
        await relaxed.post([alert(["alertname": "Down"])])
        #expect(receiver.requests.count == 1)
    }
}
