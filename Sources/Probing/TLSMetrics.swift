import OutpostCore

/// The `probe_ssl_*` and `probe_tls_*` families, shared by every prober that speaks TLS.
enum TLSMetrics {
    /// Records libcurl's view of a handshake: its certificate chain and summary lines.
    static func record(chain: [CertificateInfo], summaryLines: [String], into result: inout ProbeResult) {
        record(chain: chain, session: session(summaryLines), into: &result)
    }

    /// - Parameter session: the version as Go names it (`TLS 1.3`) and the cipher suite.
    static func record(chain: [CertificateInfo], session: (version: String, cipher: String)?, into result: inout ProbeResult) {
        let expiries = chain.compactMap(\.notAfter)
        if let earliest = expiries.min() {
            result.gauge("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime", earliest)
            result.gauge("probe_ssl_last_chain_expiry_timestamp_seconds", "Returns last SSL chain expiry in timestamp", earliest)
        }
        if let leaf = chain.first {
            result.gauge("probe_ssl_last_chain_info", "Contains SSL leaf certificate information", 1, labels: [
                "fingerprint_sha256": leaf.fingerprintSHA256,
                "subject": leaf.subject,
                "issuer": leaf.issuer,
                "subjectalternative": leaf.dnsNames.joined(separator: ","),
                "serialnumber": leaf.serialNumber,
            ])
        }
        if let (version, cipher) = session {
            result.gauge("probe_tls_version_info", "Returns the TLS version used or NaN when unknown", 1, labels: ["version": version])
            result.gauge("probe_tls_cipher_info", "Returns the TLS cipher negotiated during handshake", 1, labels: ["cipher": cipher])
        }
    }

    /// OpenSSL's `TLSv1.3` written `TLS 1.3`, as Go names it.
    static func goVersionName(_ openSSLName: String) -> String {
        openSSLName.hasPrefix("TLSv") ? "TLS " + openSSLName.dropFirst(4) : openSSLName
    }

    /// Reads libcurl's `SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 ...` line; the
    /// version is written `TLS 1.3` as Go names it.
    static func session(_ lines: [String]) -> (version: String, cipher: String)? {
        guard let line = lines.last(where: { $0.hasPrefix("SSL connection using ") }) else { return nil }
        let parts = line.dropFirst("SSL connection using ".count).components(separatedBy: " / ")
        guard parts.count >= 2 else { return nil }
        return (goVersionName(parts[0]), parts[1].trimmedWhitespace)
    }
}
