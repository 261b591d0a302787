import OutpostCore

/// Go's time.Time and time.Duration printing, for times in UTC.
enum GoTime {
    struct Civil {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int
        var weekday: Int
    }

    static func civil(unixNanoseconds: Int64) -> Civil {
        var seconds = unixNanoseconds / 1_000_000_000
        var nanosecond = Int(unixNanoseconds % 1_000_000_000)
        if nanosecond < 0 {
            nanosecond += 1_000_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = RFC3339.civil(fromDays: days)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4).
        return Civil(
            year: Int(year), month: month, day: day, hour: Int(secondOfDay / 3600),
            minute: Int(secondOfDay % 3600 / 60), second: Int(secondOfDay % 60), nanosecond: nanosecond,
            weekday: weekday)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `2006-01-02 15:04:05.999999999 -0700 MST` in UTC: trailing fractional zeros dropped.
    static func string(unixNanoseconds: Int64) -> String {
        let time = civil(unixNanoseconds: unixNanoseconds)
        var out = padded(time.year, 4) + "-" + padded(time.month, 2) + "-" + padded(time.day, 2) + " "
        out += padded(time.hour, 2) + ":" + padded(time.minute, 2) + ":" + padded(time.second, 2)
        out += fraction(time.nanosecond, digits: 9, trim: true)
        return out + " +0000 UTC"
    }

    /// `.123` style fractions; `trim` drops trailing zeros (and the dot when nothing is left).
    static func fraction(_ nanosecond: Int, digits: Int, trim: Bool) -> String {
        var text = String(padded(nanosecond, 9).prefix(digits))
        if trim {
            while text.hasSuffix("0") { text.removeLast() }
            if text.isEmpty { return "" }
        }
        return "." + text
    }

    /// time.Duration.String: `1h0m0s`, `1.5s`, `100ms`, `1µs`, `0s`.
    static func durationString(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        let sign = negative ? "-" : ""
        if magnitude < 1_000_000_000 {
            let (unit, scale): (String, UInt64) =
                magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            return sign + decimal(magnitude, scale: scale) + unit
        }
        let hours = magnitude / 3_600_000_000_000
        let minutes = magnitude / 60_000_000_000 % 60
        let secondsPart = magnitude % 60_000_000_000
        var out = sign
        if hours > 0 { out += String(hours) + "h" }
        if hours > 0 || minutes > 0 { out += String(minutes) + "m" }
        return out + decimal(secondsPart, scale: 1_000_000_000) + "s"
    }

    /// `value / scale` printed with the fraction's trailing zeros removed.
    private static func decimal(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale
        var fraction = value % scale
        guard fraction > 0 else { return String(whole) }
        var width = String(scale).count - 1
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let digits = String(fraction)
        return String(whole) + "." + String(repeating: "0", count: width - digits.count) + digits
    }
}
