#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL
import Foundation
import OutpostTestSupport
import Synchronization

/// A tiny HTTP server on 127.0.0.1 that records every request and answers with scripted codes.
final class WebhookReceiver: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    private struct State {
        var requests: [Request] = []
        /// Status codes for the next requests, in order; 200 once they run out.
        var scripted: [Int] = []
        /// When false, connections are accepted and then closed without an answer.
        var answering = true
    }

    let port: Int
    private let listener: Int32
    private let state = Mutex(State())
    /// The server's TLS context when serving https; only read after `init`.
    private nonisolated(unsafe) let tls: OpaquePointer?

    /// Serves plain HTTP, or HTTPS with the PEM certificate and key given.
    init(certificate: (cert: String, key: String)? = nil) throws {
        if let certificate {
            let context = SSL_CTX_new(TLS_server_method())
            guard SSL_CTX_use_certificate_chain_file(context, certificate.cert) == 1,
                  SSL_CTX_use_PrivateKey_file(context, certificate.key, SSL_FILETYPE_PEM) == 1 else { throw POSIXError(.EINVAL) }
            tls = context
        } else {
            tls = nil
        }
        do {
            (listener, port) = try LoopbackListener.open()
        } catch {
            throw POSIXError(.EADDRINUSE)
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting; the accept thread ends.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    var url: String { (tls == nil ? "http" : "https") + "://127.0.0.1:\(port)/hook" }
    var requests: [Request] { state.withLock { $0.requests } }

    func script(_ codes: [Int]) { state.withLock { $0.scripted += codes } }
    func setAnswering(_ answering: Bool) { state.withLock { $0.answering = answering } }

    /// Waits (in real time) until `count` requests arrived; returns them.
    @discardableResult
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = requests
            if current.count >= count { return current }
            try await Task.sleep(for: .milliseconds(2))
        }
        return requests
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(connection)
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        var ssl: OpaquePointer?
        if let tls {
            ssl = SSL_new(tls)
            SSL_set_fd(ssl, connection)
            guard SSL_accept(ssl) == 1 else {
                SSL_free(ssl)
                return
            }
        }
        defer { if let ssl { SSL_free(ssl) } }
        func read(_ buffer: inout [UInt8]) -> Int {
            if let ssl { return Int(SSL_read(ssl, &buffer, Int32(buffer.count))) }
            return recv(connection, &buffer, buffer.count, 0)
        }
        func write(_ bytes: [UInt8]) {
            if let ssl {
                _ = SSL_write(ssl, bytes, Int32(bytes.count))
            } else {
                _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let count = read(&buffer)
            if count <= 0 { return }
            data += buffer[0..<count]
            if headerEnd == nil, let range = Data(data).range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: data[0..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headerEnd, data.count >= headerEnd + contentLength { break }
        }
        let end = headerEnd!
        let lines = String(decoding: data[0..<end - 4], as: UTF8.self).split(separator: "\r\n").map(String.init)
        let requestLine = lines[0].split(separator: " ").map(String.init)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(method: requestLine[0], path: requestLine[1], headers: headers, body: Data(data[end..<end + contentLength]))
        let (answering, code) = state.withLock { state -> (Bool, Int) in
            guard state.answering else { return (false, 0) }
            state.requests.append(request)
            return (true, state.scripted.isEmpty ? 200 : state.scripted.removeFirst())
        }
        guard answering else { return }
        write(Array("HTTP/1.1 \(code) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
    }
}
