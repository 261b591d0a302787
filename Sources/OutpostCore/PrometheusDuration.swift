/// Durations written the Prometheus way: `1h30m`, `15s`, `500ms`, `2w`, `1y`.
///
/// Units must appear from largest to smallest, each at most once; `y` is 365 days.
public enum PrometheusDuration {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses a duration into milliseconds, or nil when `text` is not a Prometheus duration.
    public static func milliseconds(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var nextUnit = 0
        var total: Int64 = 0
        while index < bytes.count {
            var number: Int64 = 0
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                let (product, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int64(bytes[index] - 48))
                guard !overflow1, !overflow2 else { return nil }
                number = sum
                index += 1
            }
            guard index > digitsStart else { return nil }
            var suffixEnd = index
            while suffixEnd < bytes.count, !(bytes[suffixEnd] >= 48 && bytes[suffixEnd] <= 57) { suffixEnd += 1 }
            let suffix = String(decoding: bytes[index..<suffixEnd], as: UTF8.self)
            guard let unitIndex = units[nextUnit...].firstIndex(where: { $0.suffix == suffix }) else { return nil }
            let (part, overflow3) = number.multipliedReportingOverflow(by: units[unitIndex].milliseconds)
            let (sum, overflow4) = total.addingReportingOverflow(part)
            guard !overflow3, !overflow4 else { return nil }
            total = sum
            nextUnit = unitIndex + 1
            index = suffixEnd
        }
        return total
    }

    public static func parse(_ text: String) -> Duration? {
        milliseconds(text).map { Duration.milliseconds($0) }
    }

    /// Formats milliseconds as Prometheus does: years and weeks only when exact, `0s` for zero.
    public static func format(milliseconds: Int64) -> String {
        guard milliseconds != 0 else { return "0s" }
        var remaining = milliseconds < 0 ? -milliseconds : milliseconds
        var out = milliseconds < 0 ? "-" : ""
        for (index, unit) in units.enumerated() {
            let exactOnly = index < 2
            if exactOnly && remaining % unit.milliseconds != 0 { continue }
            let count = remaining / unit.milliseconds
            if count > 0 {
                out += "\(count)\(unit.suffix)"
                remaining -= count * unit.milliseconds
            }
        }
        return out
    }

    public static func format(_ duration: Duration) -> String {
        format(milliseconds: duration.milliseconds)
    }
}

extension Duration {
    /// Whole milliseconds, rounded toward zero.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
