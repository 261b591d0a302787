import Foundation

/// A self-signed certificate and its key, made by the `openssl` CLI in a temporary directory.
public struct TestCertificate: Sendable {
    public let directory: URL

    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    public var keyPath: String { directory.appendingPathComponent("key.pem").path }

    /// - Parameter expired: a certificate for `CN=localhost` that ran out yesterday; otherwise
    ///   one for `O=Outpost Test, CN=localhost` valid two days, naming `localhost` and `127.0.0.1`.
    public init(expired: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if expired {
            let request = directory.appendingPathComponent("req.csr").path
            try TLSTestServer.openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-subj", "/CN=localhost", "-out", request])
            try TLSTestServer.openssl(["x509", "-req", "-in", request, "-signkey", keyPath, "-days", "-1", "-out", certificatePath])
        } else {
            try TLSTestServer.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certificatePath, "-days", "2",
                                       "-subj", "/O=Outpost Test/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        }
    }

    /// The SHA-256 fingerprint as the openssl CLI computes it, lowercase hex.
    public func fingerprint() throws -> String {
        let output = try TLSTestServer.openssl(["x509", "-in", certificatePath, "-noout", "-fingerprint", "-sha256"])
        let hex = output.split(separator: "=").last.map(String.init) ?? ""
        return hex.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// notAfter as the openssl CLI reads it, in Unix seconds.
    public func notAfter() throws -> Double {
        let output = try TLSTestServer.openssl(["x509", "-in", certificatePath, "-noout", "-enddate", "-dateopt", "iso_8601"])
        // notAfter=2026-11-23 15:00:00Z
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "notAfter=", with: "")
            .replacingOccurrences(of: " ", with: "T")
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw TLSTestServer.Unavailable(description: "cannot read notAfter from \(output)")
        }
        return date.timeIntervalSince1970
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
