#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A listening TCP socket on an ephemeral 127.0.0.1 port, for test servers that accept on a
/// thread of their own.
public enum LoopbackListener {
    public struct Unavailable: Error {}

    /// The listening descriptor and its port.
    public static func open(backlog: Int32 = 64) throws(Unavailable) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable() }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, backlog) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Unavailable()
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
