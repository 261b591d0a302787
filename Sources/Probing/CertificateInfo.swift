import Foundation
import OutpostCore

/// One certificate of a peer's chain, read from libcurl's certificate info lines, with
/// fields formatted as blackbox_exporter's `probe_ssl_last_chain_info` labels are.
struct CertificateInfo: Sendable, Equatable {
    var subject = ""
    var issuer = ""
    var serialNumber = ""
    var dnsNames: [String] = []
    var notAfter: Double?
    var fingerprintSHA256 = ""

    /// Reads `Key:value` lines such as `Subject:CN = a`, `Expire date:2030-01-01 00:00:00 GMT`
    /// and `Cert:-----BEGIN CERTIFICATE-----...`.
    init(lines: [String]) {
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            switch key {
            case "Subject": subject = Self.distinguishedName(value)
            case "Issuer": issuer = Self.distinguishedName(value)
            case "Serial Number": serialNumber = Self.serial(value)
            case "Expire date": notAfter = DateParsing.certificateDate(value)
            case "X509v3 Subject Alternative Name":
                dnsNames = value.split(separator: ",").map(\.trimmedWhitespace).filter { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)) }
            case "Cert":
                if let der = Self.der(fromPEM: value) { fingerprintSHA256 = SHA256.hash(der).map { String(format: "%02x", $0) }.joined() }
            default:
                break
            }
        }
    }

    /// OpenSSL prints `C = US, O = Example, CN = host`; Go (and so blackbox) prints
    /// `CN=host,O=Example,C=US`, most specific first.
    static func distinguishedName(_ text: String) -> String {
        let separators = text.contains(", ") ? ", " : ","
        let parts = text.components(separatedBy: separators).map { part -> String in
            part.replacingOccurrences(of: " = ", with: "=").trimmedWhitespace
        }.filter { !$0.isEmpty }
        return parts.reversed().joined(separator: ",")
    }

    /// Lowercase hex without separators or leading zeros, as Go's `%x` of the serial's bytes.
    static func serial(_ text: String) -> String {
        var hex = text.lowercased().filter { $0.isHexDigit }
        while hex.count > 1, hex.hasPrefix("00") { hex.removeFirst(2) }
        return hex
    }

    static func der(fromPEM pem: String) -> [UInt8]? {
        let body = pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body).map { Array($0) }
    }
}
