/// Writes JSON byte by byte, for payloads whose exact shape and field order matter (webhook
/// bodies, Prometheus API responses) and which Codable would reorder or reformat.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Punctuation, numbers or other text that is already valid JSON.
    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A string literal: quotes, backslashes and control characters escaped, other UTF-8 kept.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                raw("\\u00")
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xf)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A label set as an object, in label order.
    public mutating func object(_ labels: Labels) {
        raw("{")
        for (index, label) in labels.enumerated() {
            if index > 0 { raw(",") }
            string(label.name)
            raw(":")
            string(label.value)
        }
        raw("}")
    }
}
