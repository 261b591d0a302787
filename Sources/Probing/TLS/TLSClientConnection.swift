#if canImport(Glibc)
import Glibc
#endif
import COpenSSL

/// A TLS client session run by OpenSSL over another byte stream, through memory BIOs: the
/// session encrypts into one buffer that is sent on `transport`, and decrypts what
/// `transport` receives. It never touches a socket itself, so it works alike right after
/// connecting (`tls: true`) and mid-conversation (`starttls`), and the caller's deadline
/// bounds every wait.
final class TLSClientConnection: ByteStream {
    private var transport: any ByteStream
    private let ssl: OpaquePointer
    /// What OpenSSL wants sent to the peer; the session owns both BIOs.
    private let outgoing: OpaquePointer
    /// What the peer sent, for OpenSSL to read.
    private let incoming: OpaquePointer

    /// Why the handshake or the session failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameters:
    ///   - serverName: the name sent as SNI (unless an IP address) and checked against the certificate.
    ///   - received: bytes already read from `transport` that belong to the TLS session.
    init(over transport: any ByteStream, context: TLSClientContext, serverName: String, received: [UInt8] = []) throws(Failure) {
        guard let ssl = SSL_new(context.context),
              let incoming = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem()) else {
            throw Failure(description: "cannot set up a TLS session: \(TLSClientContext.lastError())")
        }
        self.transport = transport
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        SSL_set_bio(ssl, incoming, outgoing)
        SSL_set_connect_state(ssl)
        if Self.isIPAddress(serverName) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName)
        } else if !serverName.isEmpty {
            _ = outpost_ssl_set_server_name(ssl, serverName)
            SSL_set1_host(ssl, serverName)
        }
        if !received.isEmpty { feed(received) }
    }

    deinit {
        SSL_free(ssl)
    }

    /// Runs the handshake. It succeeds whether or not the server is trusted: see `verificationError`.
    func handshake() async throws {
        while true {
            let code = SSL_do_handshake(ssl)
            try await flush()
            if code == 1 { return }
            try await waitFor(code, during: "the TLS handshake")
        }
    }

    /// Why the server's certificate is not trusted for the server name, or nil when it is.
    var verificationError: String? {
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return nil }
        return String(cString: X509_verify_cert_error_string(result))
    }

    /// The certificates the server sent, leaf first.
    var peerChain: [CertificateInfo] {
        guard let chain = SSL_get_peer_cert_chain(ssl) else { return [] }
        return (0..<OPENSSL_sk_num(chain)).compactMap { index in
            OPENSSL_sk_value(chain, index).map { CertificateInfo(certificate: OpaquePointer($0)) }
        }
    }

    /// The protocol version as OpenSSL names it, e.g. `TLSv1.3`.
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384`.
    var cipher: String { SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "" }

    func receive() async throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 { return Array(buffer[..<Int(count)]) }
            let error = SSL_get_error(ssl, count)
            if error == SSL_ERROR_ZERO_RETURN { return nil }
            // Reading may have produced messages for the peer (key updates, alerts).
            try await flush()
            guard error == SSL_ERROR_WANT_READ else { throw failure(during: "reading") }
            guard let bytes = try await transport.receive() else { return nil }
            feed(bytes)
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            guard written > 0 else {
                try await flush()
                try await waitFor(written, during: "writing")
                continue
            }
            offset += Int(written)
        }
        try await flush()
    }

    /// Waits for what an OpenSSL call that returned `code` needs, or throws its error.
    private func waitFor(_ code: Int32, during activity: String) async throws {
        guard SSL_get_error(ssl, code) == SSL_ERROR_WANT_READ else { throw failure(during: activity) }
        guard let bytes = try await transport.receive() else {
            throw Failure(description: "connection closed during \(activity)")
        }
        feed(bytes)
    }

    private func failure(during activity: String) -> Failure {
        Failure(description: "TLS failed during \(activity): \(TLSClientContext.lastError())")
    }

    private func feed(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
    }

    /// Sends everything OpenSSL has queued for the peer.
    private func flush() async throws {
        let pending = BIO_ctrl_pending(outgoing)
        guard pending > 0 else { return }
        var bytes = [UInt8](repeating: 0, count: Int(pending))
        let count = bytes.withUnsafeMutableBytes { BIO_read(outgoing, $0.baseAddress, Int32($0.count)) }
        guard count > 0 else { return }
        try await transport.send(Array(bytes[..<Int(count)]))
    }

    private static func isIPAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
