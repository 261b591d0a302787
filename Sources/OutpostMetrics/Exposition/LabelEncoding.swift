import OutpostCore

/// Label sets in exposition syntax: `a="1",b="2"` with values escaped, no braces.
enum LabelEncoding {
    static func encode(_ labels: Labels) -> [UInt8] {
        let out = ByteWriter(capacity: 128)
        for label in labels where label.name != Labels.metricName {
            if out.count > 0 { out.append(UInt8(ascii: ",")) }
            out.append(label.name)
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "\""))
            appendEscaped(label.value, quotes: true, to: out)
            out.append(UInt8(ascii: "\""))
        }
        return Array(out.bytes)
    }

    /// Escapes `\\` and newline, and `"` when `quotes` (label values, OpenMetrics help).
    static func appendEscaped(_ text: String, quotes: Bool, to out: ByteWriter) {
        let needsEscaping = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || (quotes && $0 == UInt8(ascii: "\"")) }
        } ?? true
        guard needsEscaping else {
            out.append(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append("\\\\")
            case UInt8(ascii: "\n"): out.append("\\n")
            case UInt8(ascii: "\"") where quotes: out.append("\\\"")
            default: out.append(byte)
            }
        }
    }
}
