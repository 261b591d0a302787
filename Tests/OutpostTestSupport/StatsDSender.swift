#if canImport(Glibc)
import Glibc
#endif

/// Sends StatsD lines to 127.0.0.1 over UDP.
public enum StatsDSender {
    public struct Failure: Error { public var errno: Int32 }

    public static func send(_ payload: String, port: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let sent = payload.withCString { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes, strlen(bytes), 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == payload.utf8.count else { throw Failure(errno: errno) }
    }
}
