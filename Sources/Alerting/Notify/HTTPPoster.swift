#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL
import Dispatch

/// The outcome of one POST.
enum HTTPPostResult: Sendable, Equatable {
    case status(Int)
    case failed(reason: String, timedOut: Bool)
}

/// A minimal HTTP/1.1 client for webhook POSTs over TCP or TLS: one connection per request,
/// `Connection: close`, an overall deadline. Socket calls run on a dispatch queue so they never
/// hold a Swift concurrency thread.
struct HTTPPoster: Sendable {
    var userAgent: String

    func post(url: HTTPURL, http: HTTPClientConfig, headers: [(String, String)], body: [UInt8], timeout: Duration) async -> HTTPPostResult {
        // Plain HTTP goes to the proxy in absolute form; https is tunnelled through CONNECT.
        let forwardingProxy = url.isTLS ? nil : http.proxy
        var request = "POST \(forwardingProxy == nil ? url.target : url.description) HTTP/1.1\r\n"
        request += "Host: \(url.hostHeader)\r\nUser-Agent: \(userAgent)\r\nContent-Type: application/json\r\n"
        request += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        let bytes = Array((request + "\r\n").utf8) + body
        let target = http.proxy ?? url
        let tunnel = url.isTLS && http.proxy != nil ? url.authority : nil
        let deadline = monotonicMillis() + max(1, timeout.milliseconds)
        let tls = url.isTLS ? (http.tls ?? TLSContext.systemDefault) : nil
        if url.isTLS && tls == nil { return .failed(reason: "no TLS context", timedOut: false) }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.exchange(host: target.host, port: target.port, tunnel: tunnel, tlsHost: url.host,
                                                                   tls: tls, request: bytes, deadline: deadline))
            }
        }
    }

    private static func exchange(host: String, port: Int, tunnel: String?, tlsHost: String, tls: TLSContext?,
                                 request: [UInt8], deadline: Int64) -> HTTPPostResult {
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
        var transport = Transport.plain(fd)
        if let tunnel, let failure = openTunnel(to: tunnel, over: transport, fd: fd, deadline: deadline) { return failure }
        if let tls {
            switch startTLS(fd: fd, host: tlsHost, context: tls, deadline: deadline) {
            case .success(let ssl): transport = .tls(fd, ssl)
            case .failure(let failure): return failure.result
            }
        }
        defer { transport.close() }
        if let failure = sendAll(request, over: transport, fd: fd, deadline: deadline) { return failure }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { transport.receive($0.baseAddress!, $0.count) }
            switch count {
            case .done(let bytes):
                response += buffer[0..<bytes]
                if let status = statusCode(response) { return .status(status) }
            case .wait(let events):
                if let failure = wait(fd, for: events, deadline: deadline) { return failure }
            case .closed:
                return statusCode(response).map { .status($0) } ?? .failed(reason: "connection closed before a response", timedOut: false)
            case .error(let reason):
                return .failed(reason: "recv: \(reason)", timedOut: false)
            }
        }
    }

    private static func sendAll(_ bytes: [UInt8], over transport: Transport, fd: Int32, deadline: Int64) -> HTTPPostResult? {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { transport.send($0.baseAddress! + written, $0.count - written) }
            switch count {
            case .done(let sent): written += sent
            case .wait(let events): if let failure = wait(fd, for: events, deadline: deadline) { return failure }
            case .closed: return .failed(reason: "connection closed while sending", timedOut: false)
            case .error(let reason): return .failed(reason: "send: \(reason)", timedOut: false)
            }
        }
        return nil
    }

    /// Asks an HTTP proxy for a tunnel to `authority` (`host:port`) and reads its answer up to
    /// the blank line, byte by byte so nothing of the TLS stream that follows is consumed.
    private static func openTunnel(to authority: String, over transport: Transport, fd: Int32, deadline: Int64) -> HTTPPostResult? {
        let request = Array("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\r\n".utf8)
        if let failure = sendAll(request, over: transport, fd: fd, deadline: deadline) { return failure }
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual("\r\n\r\n".utf8) {
            switch transport.receive(&byte, 1) {
            case .done: head.append(byte)
            case .wait(let events): if let failure = wait(fd, for: events, deadline: deadline) { return failure }
            case .closed: return .failed(reason: "proxy closed the connection during CONNECT", timedOut: false)
            case .error(let reason): return .failed(reason: "proxy CONNECT: \(reason)", timedOut: false)
            }
        }
        let status = statusCode(head) ?? -1
        return status == 200 ? nil : .failed(reason: "proxy answered \(status) to CONNECT \(authority)", timedOut: false)
    }

    private struct Failure: Error {
        var result: HTTPPostResult
    }

    /// Runs the TLS handshake on a connected non-blocking socket, verifying the server's name
    /// (or IP address) unless the context says not to.
    private static func startTLS(fd: Int32, host: String, context: TLSContext, deadline: Int64) -> Result<OpaquePointer, Failure> {
        guard let ssl = SSL_new(context.context) else { return .failure(Failure(result: .failed(reason: "SSL_new failed", timedOut: false))) }
        SSL_set_fd(ssl, fd)
        let name = context.serverName ?? host
        let isAddress = name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." }
        if !isAddress { _ = outpost_ssl_set_server_name(ssl, name) }
        if context.verify {
            if isAddress {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name)
            } else {
                SSL_set1_host(ssl, name)
            }
        }
        while true {
            let code = SSL_connect(ssl)
            if code == 1 { return .success(ssl) }
            let error = SSL_get_error(ssl, code)
            let events: Int16
            switch error {
            case SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            default:
                let reason = "TLS handshake with \(name) failed: \(tlsErrorText())"
                SSL_free(ssl)
                return .failure(Failure(result: .failed(reason: reason, timedOut: false)))
            }
            if let failure = wait(fd, for: events, deadline: deadline) {
                SSL_free(ssl)
                return .failure(Failure(result: failure))
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

    /// The oldest queued OpenSSL error, cleared from the thread's queue.
    static func tlsErrorText() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        outpost_ssl_take_error(&buffer, buffer.count)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

private func socketSend(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    send(fd, pointer, count, Int32(MSG_NOSIGNAL))
}

/// Plain TCP or TLS over a non-blocking socket, with one way of saying "try again later".
private enum Transport {
    case plain(Int32)
    case tls(Int32, OpaquePointer)

    enum Outcome {
        case done(Int)
        case wait(Int16)
        case closed
        case error(String)
    }

    func send(_ pointer: UnsafeRawPointer, _ count: Int) -> Outcome {
        switch self {
        case .plain(let fd):
            let sent = socketSend(fd, pointer, count)
            if sent >= 0 { return .done(sent) }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wait(Int16(POLLOUT)) : .error(String(cString: strerror(errno)))
        case .tls(_, let ssl):
            return Self.tlsOutcome(ssl, SSL_write(ssl, pointer, Int32(min(count, Int(Int32.max)))))
        }
    }

    func receive(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> Outcome {
        switch self {
        case .plain(let fd):
            let received = recv(fd, pointer, count, 0)
            if received > 0 { return .done(received) }
            if received == 0 { return .closed }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .wait(Int16(POLLIN)) : .error(String(cString: strerror(errno)))
        case .tls(_, let ssl):
            return Self.tlsOutcome(ssl, SSL_read(ssl, pointer, Int32(min(count, Int(Int32.max)))))
        }
    }

    func close() {
        if case .tls(_, let ssl) = self { SSL_free(ssl) }
    }

    private static func tlsOutcome(_ ssl: OpaquePointer, _ code: Int32) -> Outcome {
        if code > 0 { return .done(Int(code)) }
        switch SSL_get_error(ssl, code) {
        case SSL_ERROR_WANT_READ: return .wait(Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE: return .wait(Int16(POLLOUT))
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL where code == 0: return .closed
        default: return .error(HTTPPoster.tlsErrorText())
        }
    }
}

func monotonicMillis() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}
