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
        // Searched as UTF-8 (no Foundation), since every probe logs its URL.
        guard let schemeEnd = url.utf8.firstRange(of: "://".utf8) else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":" + placeholder + String(rest[at...])
    }
}
