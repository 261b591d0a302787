/// Prometheus's humanize family: `%.4g` with SI or binary prefixes, durations as `1d 2h 3m 4s`.
enum PrometheusHumanize {
    /// Go's `%.4g`.
    static func g4(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return CFormat.format("%.4g", value)
    }

    static func humanize(_ value: Double) -> String {
        if value == 0 || value.isNaN || value.isInfinite { return g4(value) }
        var scaled = value
        var prefix = ""
        if abs(scaled) >= 1 {
            for candidate in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(scaled) < 1000 { break }
                prefix = candidate
                scaled /= 1000
            }
        } else {
            for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(scaled) >= 1 { break }
                prefix = candidate
                scaled *= 1000
            }
        }
        return g4(scaled) + prefix
    }

    static func humanize1024(_ value: Double) -> String {
        if abs(value) <= 1 || value.isNaN || value.isInfinite { return g4(value) }
        var scaled = value
        var prefix = ""
        for candidate in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(scaled) < 1024 { break }
            prefix = candidate
            scaled /= 1024
        }
        return g4(scaled) + prefix
    }

    static func duration(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return g4(value) }
        if value == 0 { return g4(value) + "s" }
        if abs(value) >= 1 {
            let sign = value < 0 ? "-" : ""
            let magnitude = abs(value)
            // Go's int64 conversion of an out-of-range float yields the minimum int64 on amd64.
            let whole = magnitude < 9.223372036854775807e18 ? Int64(magnitude) : Int64.min
            let seconds = whole % 60
            let minutes = whole / 60 % 60
            let hours = whole / 3600 % 24
            let days = whole / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + g4(magnitude) + "s"
        }
        var scaled = value
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(scaled) >= 1 { break }
            prefix = candidate
            scaled *= 1000
        }
        return g4(scaled) + prefix + "s"
    }
}
