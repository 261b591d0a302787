import COpenSSL

/// An OpenSSL client context built from `tls_config`: trusted CAs, optional client
/// certificate, and whether to verify the server at all.
public final class TLSContext: @unchecked Sendable {
    // After setup the SSL_CTX is only read, which OpenSSL allows from several threads.
    let context: OpaquePointer
    let verify: Bool
    let serverName: String?

    init(caFile: String?, certFile: String?, keyFile: String?, serverName: String?, insecureSkipVerify: Bool) throws(TLSSetupError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSSetupError("cannot create a TLS context") }
        self.context = context
        verify = !insecureSkipVerify
        self.serverName = serverName
        _ = outpost_ssl_ctx_require_tls12(context)
        if let caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else { throw TLSSetupError("cannot load CA file \"\(caFile)\"") }
        } else {
            SSL_CTX_set_default_verify_paths(context)
        }
        if let certFile, let keyFile {
            guard SSL_CTX_use_certificate_chain_file(context, certFile) == 1,
                  SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
                throw TLSSetupError("cannot load client certificate \"\(certFile)\" with key \"\(keyFile)\"")
            }
        } else if certFile != nil || keyFile != nil {
            throw TLSSetupError("cert_file and key_file must be given together")
        }
        SSL_CTX_set_verify(context, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
    }

    /// Trusts the system's CAs and verifies the server, as an empty `tls_config` does.
    static let systemDefault: TLSContext? = try? TLSContext(caFile: nil, certFile: nil, keyFile: nil, serverName: nil, insecureSkipVerify: false)

    deinit {
        SSL_CTX_free(context)
    }
}

struct TLSSetupError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
