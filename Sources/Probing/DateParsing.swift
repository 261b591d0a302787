import OutpostCore

/// The few date formats probes read, parsed by hand into Unix seconds (UTC).
enum DateParsing {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `2030-01-02 03:04:05 GMT` (libcurl) or `Jan  2 03:04:05 2030 GMT` (OpenSSL).
    static func certificateDate(_ text: String) -> Double? {
        let fields = text.split(separator: " ")
        if fields.count >= 2, let date = ymd(fields[0]), let time = hms(fields[1]) {
            return unix(date.0, date.1, date.2, time)
        }
        if fields.count >= 4, let month = months.firstIndex(of: String(fields[0])), let day = Int(fields[1]),
           let time = hms(fields[2]), let year = Int(fields[3]) {
            return unix(year, month + 1, day, time)
        }
        return nil
    }

    /// RFC 7231 `Wed, 21 Oct 2015 07:28:00 GMT`.
    static func httpDate(_ text: String) -> Double? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[5] == "GMT", let day = Int(fields[1]),
              let month = months.firstIndex(of: String(fields[2])), let year = Int(fields[3]),
              let time = hms(fields[4]) else { return nil }
        return unix(year, month + 1, day, time)
    }

    private static func ymd(_ text: Substring) -> (Int, Int, Int)? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return parts.count == 3 ? (parts[0], parts[1], parts[2]) : nil
    }

    private static func hms(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        return parts.count == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : nil
    }

    private static func unix(_ year: Int, _ month: Int, _ day: Int, _ secondsOfDay: Int) -> Double? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return Double(RFC3339.daysFromCivil(year: Int64(year), month: month, day: day) * 86_400 + Int64(secondsOfDay))
    }
}
