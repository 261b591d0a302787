import Foundation
import OutpostCore
import Synchronization
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

/// An HTTP proxy on 127.0.0.1 that answers CONNECT with 200 and then relays bytes both ways,
/// recording each CONNECT target.
final class ConnectProxy: Sendable {
    let port: Int
    private let listener: Int32
    private let targets = Mutex<[String]>([])

    var connects: [String] { targets.withLock { $0 } }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Thread { self.serve(client) }.start()
            }
        }.start()
    }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    private func serve(_ client: Int32) {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual("\r\n\r\n".utf8), recv(client, &byte, 1, 0) == 1 { head.append(byte) }
        let line = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[0] == "CONNECT", let colon = parts[1].lastIndex(of: ":"),
              let targetPort = UInt16(parts[1][parts[1].index(after: colon)...]) else { close(client); return }
        targets.withLock { $0.append(String(parts[1])) }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = targetPort.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(client); close(upstream); return }
        _ = "HTTP/1.1 200 Connection established\r\n\r\n".withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        Thread { Self.relay(from: upstream, to: client) }.start()
        Self.relay(from: client, to: upstream)
    }

    private static func relay(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            if count <= 0 || send(destination, buffer, count, Int32(MSG_NOSIGNAL)) < 0 { break }
        }
        shutdown(destination, Int32(SHUT_WR))
    }
}

extension TLSTests {
    @Test func httpsWebhookThroughAConnectProxy() async throws {
        let certificate = try Self.makeCertificate()
        let receiver = try WebhookReceiver(certificate: certificate)
        defer { receiver.stop() }
        let proxy = try ConnectProxy()
        defer { proxy.stop() }
        let harness = try ServiceHarness(yaml: """
            route: {receiver: hook, group_wait: 0s}
            receivers: [{name: hook, webhook_configs: [{url: "\(receiver.url)",
              http_config: {proxy_url: "http://127.0.0.1:\(proxy.port)", tls_config: {ca_file: \(certificate.cert)}}}]}]
            """)
        await harness.post([alert(["alertname": "Down"])])
        #expect(receiver.requests.count == 1)
        #expect(proxy.connects == ["127.0.0.1:\(receiver.port)"])
    }
}
