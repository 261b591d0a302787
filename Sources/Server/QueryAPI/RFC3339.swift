/// Parses RFC 3339 timestamps (`2024-05-01T12:00:00.5Z`, `…+02:00`) to Unix milliseconds.
enum RFC3339 {
    static func milliseconds(_ text: String) -> Int64? {
        var scanner = Array(text.utf8)[...]
        guard let year = number(&scanner, digits: 4), take(&scanner, "-"),
              let month = number(&scanner, digits: 2), take(&scanner, "-"),
              let day = number(&scanner, digits: 2), take(&scanner, "T") || take(&scanner, "t"),
              let hour = number(&scanner, digits: 2), take(&scanner, ":"),
              let minute = number(&scanner, digits: 2), take(&scanner, ":"),
              let second = number(&scanner, digits: 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var millis: Int64 = 0
        if take(&scanner, ".") {
            var scale: Int64 = 100
            var count = 0
            while let digit = scanner.first, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
                millis += Int64(digit - UInt8(ascii: "0")) * scale
                scale /= 10
                count += 1
                scanner = scanner.dropFirst()
            }
            guard count > 0 else { return nil }
        }
        var offsetMinutes: Int64 = 0
        if !(take(&scanner, "Z") || take(&scanner, "z")) {
            guard let sign = scanner.popFirst(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                  let hours = number(&scanner, digits: 2), take(&scanner, ":"), let minutes = number(&scanner, digits: 2),
                  hours < 24, minutes < 60
            else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard scanner.isEmpty else { return nil }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return (seconds - offsetMinutes * 60) * 1000 + millis
    }

    private static func number(_ scanner: inout ArraySlice<UInt8>, digits: Int) -> Int64? {
        guard scanner.count >= digits else { return nil }
        var value: Int64 = 0
        for byte in scanner.prefix(digits) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        scanner = scanner.dropFirst(digits)
        return value
    }

    private static func take(_ scanner: inout ArraySlice<UInt8>, _ character: Unicode.Scalar) -> Bool {
        guard scanner.first == UInt8(ascii: character) else { return false }
        scanner = scanner.dropFirst()
        return true
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
