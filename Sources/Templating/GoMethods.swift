/// Methods templates may call on values: those of time.Time and time.Duration, and whatever a
/// record declares.
enum GoMethods {
    static func method(named name: String, on receiver: TemplateValue) -> TemplateFunction? {
        switch receiver {
        case .record(let record): record.methods[name]
        case .time(let nanoseconds): timeMethod(name, nanoseconds)
        case .duration(let nanoseconds): durationMethod(name, nanoseconds)
        default: nil
        }
    }

    private static func constant(_ value: TemplateValue) -> TemplateFunction {
        TemplateFunction(parameters: []) { _ in value }
    }

    private static func timeMethod(_ name: String, _ nanoseconds: Int64) -> TemplateFunction? {
        let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        let civil = GoTime.civil(unixNanoseconds: nanoseconds)
        switch name {
        case "Unix": return constant(.int(Int(seconds)))
        case "UnixMilli": return constant(.int(Int(nanoseconds / 1_000_000)))
        case "UnixNano": return constant(.int(Int(nanoseconds)))
        case "UTC", "Local": return constant(.time(unixNanoseconds: nanoseconds))
        case "String": return constant(.string(GoTime.string(unixNanoseconds: nanoseconds)))
        case "Year": return constant(.int(civil.year))
        case "Day": return constant(.int(civil.day))
        case "Hour": return constant(.int(civil.hour))
        case "Minute": return constant(.int(civil.minute))
        case "Second": return constant(.int(civil.second))
        case "Nanosecond": return constant(.int(civil.nanosecond))
        case "Format":
            return TemplateFunction(parameters: [.string]) { call in
                guard case .string(let layout) = call[0] else { return .null }
                return .string(GoTimeLayout.format(unixNanoseconds: nanoseconds, layout: layout))
            }
        default: return nil
        }
    }

    private static func durationMethod(_ name: String, _ nanoseconds: Int64) -> TemplateFunction? {
        switch name {
        case "Seconds": constant(.number(Double(nanoseconds) / 1e9))
        case "Minutes": constant(.number(Double(nanoseconds) / 6e10))
        case "Hours": constant(.number(Double(nanoseconds) / 3.6e12))
        case "Milliseconds": constant(.int(Int(nanoseconds / 1_000_000)))
        case "Microseconds": constant(.int(Int(nanoseconds / 1_000)))
        case "Nanoseconds": constant(.int(Int(nanoseconds)))
        case "String": constant(.string(GoTime.durationString(nanoseconds: nanoseconds)))
        default: nil
        }
    }
}
