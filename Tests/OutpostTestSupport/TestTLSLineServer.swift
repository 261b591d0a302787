#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import Foundation

/// A line-based server on 127.0.0.1 speaking TLS with a test certificate, either from the
/// first byte or after a plain-text `STARTTLS` command, as SMTP does. Each connection runs
/// on its own thread with blocking OpenSSL calls.
///
/// - `.tls`: greets with `220 ready` over TLS, then answers each line `x` with `echo x`.
/// - `.startTLS`: greets with `220 ready` in plain text, answers `STARTTLS` with
///   `220 go ahead` and switches to TLS, answers any other line `x` with `250 x`.
public final class TestTLSLineServer: Sendable {
    public enum Mode: Sendable { case tls, startTLS }

    public let port: Int
    private let listener: Int32
    private let mode: Mode
    /// The server's TLS context; only read after `init`.
    private nonisolated(unsafe) let context: OpaquePointer

    public init(certificate: TestCertificate, mode: Mode) throws {
        guard let context = SSL_CTX_new(TLS_server_method()),
              SSL_CTX_use_certificate_chain_file(context, certificate.certificatePath) == 1,
              SSL_CTX_use_PrivateKey_file(context, certificate.keyPath, SSL_FILETYPE_PEM) == 1 else {
            throw TLSTestServer.Unavailable(description: "cannot load the test certificate")
        }
        self.context = context
        self.mode = mode
        // A client that hangs up mid-write must not end the test process, as in Outpost itself.
        signal(SIGPIPE, SIG_IGN)
        do {
            (listener, port) = try LoopbackListener.open()
        } catch {
            throw TLSTestServer.Unavailable(description: "cannot listen")
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting; connections already open finish by themselves.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var connection = Connection(fd: fd)
        defer { connection.close() }
        switch mode {
        case .tls:
            guard connection.startTLS(context) else { return }
            connection.write("220 ready\r\n")
            while let line = connection.readLine() { connection.write("echo \(line)\n") }
        case .startTLS:
            connection.write("220 ready\r\n")
            while let line = connection.readLine() {
                if line == "STARTTLS" {
                    connection.write("220 go ahead\r\n")
                    guard connection.startTLS(context) else { return }
                } else {
                    connection.write("250 \(line)\r\n")
                }
            }
        }
    }

    /// One accepted socket, plain or, after `startTLS`, TLS.
    private struct Connection {
        let fd: Int32
        var ssl: OpaquePointer?
        var pending: [UInt8] = []

        init(fd: Int32) {
            self.fd = fd
        }

        mutating func startTLS(_ context: OpaquePointer) -> Bool {
            guard let ssl = SSL_new(context) else { return false }
            SSL_set_fd(ssl, fd)
            self.ssl = ssl
            return SSL_accept(ssl) == 1
        }

        func write(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { buffer in
                if let ssl { SSL_write(ssl, buffer.baseAddress, Int32(buffer.count)) } else { Int32(send(fd, buffer.baseAddress, buffer.count, 0)) }
            }
        }

        /// The next line without its line ending; nil once the client closes.
        mutating func readLine() -> String? {
            while true {
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = String(decoding: pending[..<newline], as: UTF8.self)
                    if line.hasSuffix("\r") { line.removeLast() }
                    pending.removeSubrange(...newline)
                    return line
                }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = buffer.withUnsafeMutableBytes { raw in
                    if let ssl { Int(SSL_read(ssl, raw.baseAddress, Int32(raw.count))) } else { recv(fd, raw.baseAddress, raw.count, 0) }
                }
                guard count > 0 else { return nil }
                pending.append(contentsOf: buffer[..<count])
            }
        }

        func close() {
            if let ssl {
                SSL_shutdown(ssl)
                SSL_free(ssl)
            }
            Glibc.close(fd)
        }
    }
}
