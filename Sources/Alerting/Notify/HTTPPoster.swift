#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// The outcome of one POST.
enum HTTPPostResult: Sendable, Equatable {
    case status(Int)
    case failed(reason: String, timedOut: Bool)
}

/// A minimal HTTP/1.1 client for webhook POSTs over plain TCP: one connection per request,
/// `Connection: close`, an overall deadline. Blocking socket calls run on a dispatch queue so
/// they never hold a Swift concurrency thread.
struct HTTPPoster: Sendable {
    var userAgent: String

    func post(url: HTTPURL, proxy: HTTPURL?, headers: [(String, String)], body: [UInt8], timeout: Duration) async -> HTTPPostResult {
        var request = "POST \(proxy == nil ? url.target : url.description) HTTP/1.1\r\n"
        request += "Host: \(url.hostHeader)\r\nUser-Agent: \(userAgent)\r\nContent-Type: application/json\r\n"
        request += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        let bytes = Array((request + "\r\n").utf8) + body
        let target = proxy ?? url
        let deadline = monotonicMillis() + max(1, timeout.milliseconds)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.exchange(host: target.host, port: target.port, request: bytes, deadline: deadline))
            }
        }
    }

    private static func exchange(host: String, port: Int, request: [UInt8], deadline: Int64) -> HTTPPostResult {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .failed(reason: "cannot resolve \(host)", timedOut: false)
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return .failed(reason: "socket: \(errnoText())", timedOut: false) }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { return .failed(reason: "connect: \(errnoText())", timedOut: false) }
            if let failure = wait(fd, for: Int16(POLLOUT), deadline: deadline) { return failure }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .failed(reason: "connect: \(String(cString: strerror(error)))", timedOut: false) }
        }
        var written = 0
        while written < request.count {
            let count = request.withUnsafeBytes { send(fd, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                written += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                if let failure = wait(fd, for: Int16(POLLOUT), deadline: deadline) { return failure }
            } else {
                return .failed(reason: "send: \(errnoText())", timedOut: false)
            }
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                response += buffer[0..<count]
                if let status = statusCode(response) { return .status(status) }
            } else if count == 0 {
                return statusCode(response).map { .status($0) } ?? .failed(reason: "connection closed before a response", timedOut: false)
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                if let failure = wait(fd, for: Int16(POLLIN), deadline: deadline) { return failure }
            } else {
                return .failed(reason: "recv: \(errnoText())", timedOut: false)
            }
        }
    }

    /// The status code once the status line is complete.
    private static func statusCode(_ response: [UInt8]) -> Int? {
        guard let end = response.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: response[..<end], as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else { return -1 }
        return code
    }

    private static func wait(_ fd: Int32, for events: Int16, deadline: Int64) -> HTTPPostResult? {
        while true {
            let remaining = deadline - monotonicMillis()
            guard remaining > 0 else { return .failed(reason: "timeout", timedOut: true) }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining, Int64(Int32.max))))
            if ready > 0 { return nil }
            if ready < 0 && errno != EINTR { return .failed(reason: "poll: \(errnoText())", timedOut: false) }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

func monotonicMillis() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}
