#if canImport(Glibc)
import Glibc
#endif
import COpenSSL

extension CertificateInfo {
    /// Reads an OpenSSL certificate, writing each field as libcurl's certificate info does
    /// and then normalizing it the same way, so the tcp and http probers label one
    /// certificate identically.
    init(certificate: OpaquePointer) {
        self.init(lines: [])
        subject = Self.distinguishedName(Self.oneLine(X509_get_subject_name(certificate)))
        issuer = Self.distinguishedName(Self.oneLine(X509_get_issuer_name(certificate)))
        if let serial = X509_get_serialNumber(certificate) {
            serialNumber = Self.serial(Self.bytes(of: serial).map { Self.hex($0) }.joined())
        }
        notAfter = Self.unixTime(X509_get0_notAfter(certificate))
        dnsNames = Self.dnsNames(certificate)
        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(certificate, &der)
        if length > 0, let der {
            fingerprintSHA256 = SHA256.hash(Array(UnsafeBufferPointer(start: der, count: Int(length)))).map { Self.hex($0) }.joined()
            CRYPTO_free(der, #fileID, #line)
        }
    }

    /// OpenSSL's one-line form, `O = Example, CN = host`.
    private static func oneLine(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        X509_NAME_print_ex(bio, name, 0, oneLineFlags)
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    /// OpenSSL's XN_FLAG_ONELINE, spelled out because Swift cannot import the macro.
    private static let oneLineFlags = UInt(ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_ESC_MSB | ASN1_STRFLGS_UTF8_CONVERT
        | ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER | ASN1_STRFLGS_ESC_QUOTE) | UInt(XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_SPC_EQ | XN_FLAG_FN_SN)

    private static func bytes(of string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        guard let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    private static func unixTime(_ time: UnsafePointer<ASN1_TIME>?) -> Double? {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Double(timegm(&parts))
    }

    private static func dnsNames(_ certificate: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        return (0..<OPENSSL_sk_num(names)).compactMap { index -> String? in
            guard let entry = OPENSSL_sk_value(names, index)?.assumingMemoryBound(to: GENERAL_NAME.self),
                  entry.pointee.type == GEN_DNS, let text = entry.pointee.d.dNSName else { return nil }
            return String(decoding: bytes(of: text), as: UTF8.self)
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
