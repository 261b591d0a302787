/// Keeps secrets out of logs and debug output.
enum HTTPRedaction {
    static let placeholder = "<secret>"
    private static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    /// `Authorization: Bearer abc` becomes `Authorization: <secret>`.
    static func redact(headerLine: String) -> String {
        guard let colon = headerLine.firstIndex(of: ":") else { return headerLine }
        let name = headerLine[..<colon].lowercased()
        return secretHeaders.contains(name) ? "\(headerLine[..<colon]): \(placeholder)" : headerLine
    }

    /// `https://user:pass@host/` becomes `https://user:<secret>@host/`.
    static func redact(url: String) -> String {
        let bytes = Array(url.utf8)
        guard let authorityStart = URLParts.schemeSeparatorEnd(bytes) else { return url }
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? bytes.endIndex
        guard let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")),
              let colon = bytes[authorityStart..<at].firstIndex(of: UInt8(ascii: ":")) else { return url }
        return String(decoding: bytes[...colon], as: UTF8.self) + placeholder + String(decoding: bytes[at...], as: UTF8.self)
    }
}
