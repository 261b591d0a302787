/// Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`) for formatting UTC times.
public enum GoTimeLayout {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Layout elements, longest first so `January` wins over `Jan` and `2006` over `2`.
    private static let elements = [
        "January", "Monday", "2006", "-07:00:00", "Z07:00:00", "-07:00", "Z07:00", "-0700", "Z0700", "-07", "Z07",
        "Jan", "Mon", "MST", "002", "__2", "_2", "01", "02", "03", "04", "05", "06", "15", "PM", "pm",
        "1", "2", "3", "4", "5",
    ]

    public static func format(unixNanoseconds: Int64, layout: String) -> String {
        let time = GoTime.civil(unixNanoseconds: unixNanoseconds)
        var out = ""
        var rest = Substring(layout)
        while !rest.isEmpty {
            if let fraction = fractionElement(rest) {
                out += GoTime.fraction(time.nanosecond, digits: fraction.digits, trim: fraction.trim)
                rest = rest.dropFirst(fraction.length)
                continue
            }
            guard let element = elements.first(where: { rest.hasPrefix($0) }) else {
                out.append(rest.removeFirst())
                continue
            }
            rest = rest.dropFirst(element.count)
            out += value(of: element, time)
        }
        return out
    }

    /// `.000` / `,000` (fixed) and `.999` (trimmed) fractional seconds.
    private static func fractionElement(_ text: Substring) -> (digits: Int, trim: Bool, length: Int)? {
        guard let first = text.first, first == "." || first == "," else { return nil }
        let body = text.dropFirst()
        guard let digit = body.first, digit == "0" || digit == "9" else { return nil }
        let run = body.prefix { $0 == digit }
        if let next = body.dropFirst(run.count).first, next.isNumber { return nil }
        return (run.count, digit == "9", run.count + 1)
    }

    private static func value(of element: String, _ time: GoTime.Civil) -> String {
        let hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12
        switch element {
        case "January": return months[time.month - 1]
        case "Jan": return String(months[time.month - 1].prefix(3))
        case "Monday": return days[time.weekday]
        case "Mon": return String(days[time.weekday].prefix(3))
        case "2006": return GoTime.padded(time.year, 4)
        case "06": return GoTime.padded(time.year % 100, 2)
        case "01": return GoTime.padded(time.month, 2)
        case "1": return String(time.month)
        case "02": return GoTime.padded(time.day, 2)
        case "_2": return time.day < 10 ? " " + String(time.day) : String(time.day)
        case "2": return String(time.day)
        case "002", "__2": return GoTime.padded(dayOfYear(time), element == "002" ? 3 : 0)
        case "15": return GoTime.padded(time.hour, 2)
        case "03": return GoTime.padded(hour12, 2)
        case "3": return String(hour12)
        case "04": return GoTime.padded(time.minute, 2)
        case "4": return String(time.minute)
        case "05": return GoTime.padded(time.second, 2)
        case "5": return String(time.second)
        case "PM": return time.hour >= 12 ? "PM" : "AM"
        case "pm": return time.hour >= 12 ? "pm" : "am"
        case "MST": return "UTC"
        case "Z07:00:00", "Z07:00", "Z0700", "Z07": return "Z"
        case "-07:00:00": return "+00:00:00"
        case "-07:00": return "+00:00"
        case "-0700": return "+0000"
        case "-07": return "+00"
        default: return element
        }
    }

    private static func dayOfYear(_ time: GoTime.Civil) -> Int {
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let leap = (time.year % 4 == 0 && time.year % 100 != 0) || time.year % 400 == 0
        return cumulative[time.month - 1] + time.day + (leap && time.month > 2 ? 1 : 0)
    }
}
