#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A non-blocking TCP client socket whose every wait goes through the `SocketReactor` and
/// ends at the probe's deadline, so nothing done over it outlives the probe.
final class TCPSocket: ByteStream {
    private let fd: Int32
    private let deadline: MonotonicTime
    private let reactor: SocketReactor

    struct Failure: Error, CustomStringConvertible {
        var description: String

        init(_ activity: String, code: Int32) {
            description = "\(activity): \(String(cString: strerror(code)))"
        }
    }

    /// Connects to `address`, throwing `DeadlineExceeded` when that takes past `deadline`.
    init(connectingTo address: SocketAddress, deadline: MonotonicTime, reactor: SocketReactor = .shared) async throws {
        let family = address.protocol == .inet6 ? AF_INET6 : AF_INET
        fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.deadline = deadline
        self.reactor = reactor
        guard fd >= 0 else { throw Failure("socket", code: errno) }
        // Query/response lines are small; do not hold them back waiting for acknowledgements.
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        let connected = address.withSockAddr { connect(fd, $0, socklen_t($1)) }
        if connected != 0 {
            guard errno == EINPROGRESS else { throw Failure("connect", code: errno) }
            try await reactor.wait(fd, until: .writable, deadline: deadline)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw Failure("connect", code: error) }
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func receive() async throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(buffer[..<count]) }
            if count == 0 { return nil }
            guard errno == EAGAIN || errno == EINTR else { throw Failure("receive", code: errno) }
            try await reactor.wait(fd, until: .readable, deadline: deadline)
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count >= 0 {
                offset += count
                continue
            }
            guard errno == EAGAIN || errno == EINTR else { throw Failure("send", code: errno) }
            try await reactor.wait(fd, until: .writable, deadline: deadline)
        }
    }
}
