import Glibc
import OutpostTestSupport
import Testing

/// The probers' tests stop their server while the connection a probe just made may still be in
/// NIO's accept path; that must neither trap nor leave the port listening.
@Suite struct TestTCPServerTests {
    private static func connect(to port: Int) -> (fd: Int32, errno: Int32) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return (fd, result == 0 ? 0 : errno)
    }

    @Test func stoppingWhileClientsConnectDoesNotTrap() async throws {
        for _ in 0..<300 {
            let server = try await TestTCPServer { _, _ in }
            let clients = (0..<4).map { _ in Self.connect(to: server.port) }
            #expect(clients.allSatisfy { $0.errno == 0 })
            server.stop()
            for client in clients { close(client.fd) }
        }
    }

    @Test func stopClosesTheListeningSocket() async throws {
        let server = try await TestTCPServer { _, _ in }
        server.stop()
        var refused = false
        for _ in 0..<200 where !refused {
            let client = Self.connect(to: server.port)
            close(client.fd)
            refused = client.errno == ECONNREFUSED
            if !refused { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(refused)
    }
}
