/// Request parameters from the URL query and an `application/x-www-form-urlencoded` body,
/// looked up as Go's `Request.FormValue` does: body values first, then the URL's.
struct FormParameters: Sendable {
    private var pairs: [(name: String, value: String)] = []

    init() {}

    /// Decodes `a=1&b=x+y%21`; fails with Go's message on a malformed percent escape.
    init(urlEncoded text: Substring) throws(APIError) {
        for field in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.unescape(parts[0])
            let value = parts.count > 1 ? try Self.unescape(parts[1]) : ""
            pairs.append((name, value))
        }
    }

    mutating func append(_ other: FormParameters) {
        pairs += other.pairs
    }

    /// The first value of `name`, or "" when absent (Go's `FormValue`).
    subscript(name: String) -> String {
        pairs.first { $0.name == name }?.value ?? ""
    }

    /// Every value of a repeatable parameter such as `match[]`, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// Percent-decoding with `+` as space; the bytes become a String even when not valid UTF-8.
    static func unescape(_ text: Substring) throws(APIError) -> String {
        String(decoding: try unescapedBytes(text, plusIsSpace: true), as: UTF8.self)
    }

    /// The decoded bytes; `+` means a space only in query strings and form bodies, not in paths.
    static func unescapedBytes(_ text: Substring, plusIsSpace: Bool) throws(APIError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace: bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                      let low = hexValue(iterator[iterator.startIndex + 1])
                else {
                    let escape = "%" + String(decoding: iterator.prefix(2), as: UTF8.self)
                    throw APIError(.badData, "error parsing form values: invalid URL escape \"\(escape)\"")
                }
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            default: bytes.append(byte)
            }
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
