/// Turns StatsD names into Prometheus names as statsd_exporter does: every byte outside
/// `[a-zA-Z0-9_]` becomes `_`, and a leading digit gets a `_` in front.
enum MetricNameEscaping {
    static func escape(_ name: String) -> String {
        var needsWork = name.isEmpty
        for (offset, byte) in name.utf8.enumerated() where !isAllowed(byte) || (offset == 0 && isDigit(byte)) {
            needsWork = true
            break
        }
        guard needsWork else { return name }
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + 1)
        if let first = name.utf8.first, isDigit(first) { out.append(UInt8(ascii: "_")) }
        // Escape per character, not per byte, so one multi-byte character becomes one `_`.
        for scalar in name.unicodeScalars {
            if scalar.isASCII, isAllowed(UInt8(scalar.value)) {
                out.append(UInt8(scalar.value))
            } else {
                out.append(UInt8(ascii: "_"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func isAllowed(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || isDigit(byte) || byte == 95
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
