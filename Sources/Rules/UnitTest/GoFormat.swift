import OutpostCore

/// Text forms promtool prints, so failure output reads the same.
enum GoFormat {
    /// A label set as Go's `labels.Labels.String()`: `{__name__="up", job="a"}`.
    static func labels(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ", ") + "}"
    }

    /// `strconv.FormatFloat(v, 'E', -1, 64)`: shortest digits, `1.5E+00`.
    static func exponent(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0E+00" }
        let text = "\(value.magnitude)"
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponentPart = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        var digits = Array(mantissa.filter { $0 != "." })
        var pointPosition = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let exponent = pointPosition - 1 + exponentPart
        var out = sign + String(digits[0])
        if digits.count > 1 { out += "." + String(digits[1...]) }
        let magnitude = String(abs(exponent))
        out += "E" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
        return out
    }

    /// Go's `time.Duration.String()` for milliseconds: `0s`, `500ms`, `1m0s`, `1h30m0.5s`.
    static func duration(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        let sign = milliseconds < 0 ? "-" : ""
        let total = milliseconds.magnitude
        if total < 1000 { return sign + "\(total)ms" }
        let hours = total / 3_600_000
        let minutes = total / 60_000 % 60
        let millis = total % 60_000
        var seconds = "\(millis / 1000)"
        if millis % 1000 != 0 {
            var fraction = String(millis % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        return out + seconds + "s"
    }
}
