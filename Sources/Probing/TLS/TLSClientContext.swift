import COpenSSL

/// An OpenSSL client context built from a module's `tls_config`: trusted CAs, client
/// certificate and protocol versions. The server is never rejected during the handshake:
/// `TLSClientConnection` reads the verification result afterwards, so a probe can still
/// report the certificate of a server it does not trust.
final class TLSClientContext: @unchecked Sendable {
    // After setup the SSL_CTX is only read, which OpenSSL allows from several threads.
    let context: OpaquePointer
    let insecureSkipVerify: Bool

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    init(_ config: TLSConfig) throws(SetupError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw SetupError(description: "cannot create a TLS context") }
        self.context = context
        insecureSkipVerify = config.insecureSkipVerify
        if !config.insecureSkipVerify {
            if let caFile = config.caFile {
                guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                    throw SetupError(description: "cannot load CA file \"\(caFile)\": \(Self.lastError())")
                }
            } else {
                SSL_CTX_set_default_verify_paths(context)
            }
        }
        if let certFile = config.certFile, let keyFile = config.keyFile {
            guard SSL_CTX_use_certificate_chain_file(context, certFile) == 1,
                  SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
                throw SetupError(description: "cannot load client certificate \"\(certFile)\" with key \"\(keyFile)\": \(Self.lastError())")
            }
        }
        if let version = config.minVersion {
            SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Self.protocolVersion(version), nil)
        }
        if let version = config.maxVersion {
            SSL_CTX_ctrl(context, SSL_CTRL_SET_MAX_PROTO_VERSION, Self.protocolVersion(version), nil)
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
    }

    deinit {
        SSL_CTX_free(context)
    }

    private static func protocolVersion(_ version: TLSVersion) -> Int {
        switch version {
        case .tls10: Int(TLS1_VERSION)
        case .tls11: Int(TLS1_1_VERSION)
        case .tls12: Int(TLS1_2_VERSION)
        case .tls13: Int(TLS1_3_VERSION)
        }
    }

    /// The oldest queued OpenSSL error as text, clearing the queue.
    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        outpost_ssl_take_error(&buffer, buffer.count)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
