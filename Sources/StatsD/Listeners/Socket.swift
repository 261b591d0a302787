#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OutpostCore

/// A socket call that failed, with the call and errno's text.
public struct StatsDSocketError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32

    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

/// Small wrappers over POSIX sockets for the listeners.
enum Socket {
    /// A UDP socket bound to `address`; `reusePort` lets several threads' sockets share it.
    static func udp(_ address: ListenAddress, reusePort: Bool, receiveBuffer: Int) throws(StatsDSocketError) -> Int32 {
        try bound(address, type: SOCK_DGRAM, reusePort: reusePort, receiveBuffer: receiveBuffer)
    }

    static func tcp(_ address: ListenAddress) throws(StatsDSocketError) -> Int32 {
        let fd = try bound(address, type: SOCK_STREAM, reusePort: false, receiveBuffer: 0)
        guard listen(fd, 128) == 0 else { throw closing(fd, "listen") }
        return fd
    }

    static func unixgram(path: String, mode: UInt32, receiveBuffer: Int) throws(StatsDSocketError) -> Int32 {
        let fd = socket(AF_UNIX, socketType(SOCK_DGRAM), 0)
        guard fd >= 0 else { throw StatsDSocketError(operation: "socket", code: errno) }
        unlink(path)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw closing(fd, "bind \(path)", ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw closing(fd, "bind \(path)") }
        chmod(path, mode_t(mode))
        setReceiveBuffer(fd, receiveBuffer)
        return fd
    }

    /// The port a socket is bound to (useful after binding port 0).
    static func port(of fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return 0 }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// Makes blocking calls return after `milliseconds`, so threads can notice a stop.
    static func setReceiveTimeout(_ fd: Int32, milliseconds: Int) {
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: __suseconds_t((milliseconds % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The receive buffer the kernel granted, which its limits may have capped.
    static func receiveBufferSize(_ fd: Int32) -> Int {
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0 else { return 0 }
        return Int(size)
    }

    /// The socket's inode, which /proc/net/udp lists it by.
    static func inode(of fd: Int32) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return 0 }
        return UInt64(info.st_ino)
    }

    /// Asks for a `bytes` receive buffer. SO_RCVBUFFORCE passes net.core.rmem_max when the
    /// process may (root or CAP_NET_ADMIN); otherwise SO_RCVBUF, which the sysctl caps.
    private static func setReceiveBuffer(_ fd: Int32, _ bytes: Int) {
        guard bytes > 0 else { return }
        var size = Int32(clamping: bytes)
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    private static func socketType(_ type: __socket_type) -> Int32 {
        Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    }

    private static func bound(_ address: ListenAddress, type: __socket_type, reusePort: Bool,
                              receiveBuffer: Int) throws(StatsDSocketError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(type.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address.host.isEmpty ? nil : address.host, String(address.port), &hints, &list)
        guard status == 0, let first = list else {
            throw StatsDSocketError(operation: "resolve \(address)", code: EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        // With no host, try IPv6 first so one dual-stack socket covers both families; fall
        // back to the other addresses when IPv6 is unavailable.
        var candidates: [addrinfo] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let current = cursor {
            candidates.append(current.pointee)
            cursor = current.pointee.ai_next
        }
        if address.host.isEmpty {
            candidates.sort { $0.ai_family == AF_INET6 && $1.ai_family != AF_INET6 }
        }
        var lastError = StatsDSocketError(operation: "bind \(address)", code: EADDRNOTAVAIL)
        for info in candidates {
            do {
                return try bindCandidate(info, address: address, type: type, reusePort: reusePort, receiveBuffer: receiveBuffer)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func bindCandidate(_ info: addrinfo, address: ListenAddress, type: __socket_type, reusePort: Bool,
                             receiveBuffer: Int) throws(StatsDSocketError) -> Int32 {
        let fd = socket(info.ai_family, socketType(type), info.ai_protocol)
        guard fd >= 0 else { throw StatsDSocketError(operation: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) }
        if info.ai_family == AF_INET6 {
            var zero: Int32 = 0
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, socklen_t(MemoryLayout<Int32>.size))
        }
        setReceiveBuffer(fd, receiveBuffer)
        guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else { throw closing(fd, "bind \(address)") }
        return fd
    }

    private static func closing(_ fd: Int32, _ operation: String, _ code: Int32 = errno) -> StatsDSocketError {
        let error = StatsDSocketError(operation: operation, code: code)
        close(fd)
        return error
    }
}
