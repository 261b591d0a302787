import Foundation
import OutpostCore

/// One of Alertmanager's time intervals: an instant is inside when every given field matches.
public struct TimeInterval: Decodable, Sendable {
    /// Minutes of the day, start inclusive, end exclusive.
    public var times: [Range<Int>] = []
    /// 0 is Sunday, as in Go's `time.Weekday`.
    public var weekdays: [IntervalRange] = []
    /// Days of the month; negative values count back from the month's end (-1 is the last day).
    public var daysOfMonth: [IntervalRange] = []
    public var months: [IntervalRange] = []
    public var years: [IntervalRange] = []
    public var location: TimeZone = TimeZone(identifier: "UTC")!

    enum CodingKeys: String, CodingKey {
        case times, weekdays, months, years, location
        case daysOfMonth = "days_of_month"
    }

    private struct TimeRange: Decodable {
        var range: Range<Int>

        enum CodingKeys: String, CodingKey {
            case startTime = "start_time"
            case endTime = "end_time"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let start = try Self.minutes(container, .startTime)
            let end = try Self.minutes(container, .endTime)
            try container.check(start < end, forKey: .endTime, "start_time must be before end_time")
            range = start..<end
        }

        static func minutes(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int {
            let text = try container.decode(String.self, forKey: key)
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
                  (0...24).contains(hour), (0..<60).contains(minute), hour < 24 || minute == 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\"\(text)\" is not a time of day (HH:MM)")
            }
            return hour * 60 + minute
        }
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        times = (try container.decodeIfPresent([TimeRange].self, forKey: .times) ?? []).map(\.range)
        weekdays = try Self.ranges(container, .weekdays, names: Self.weekdayNames, bounds: 0...6)
        daysOfMonth = try Self.ranges(container, .daysOfMonth, names: [:], bounds: -31...31)
        for range in daysOfMonth {
            try container.check(range.start != 0 && range.end != 0, forKey: .daysOfMonth, "0 is not a day of the month")
        }
        months = try Self.ranges(container, .months, names: Self.monthNames, bounds: 1...12)
        years = try Self.ranges(container, .years, names: [:], bounds: 1...9999)
        if let name = try container.decodeIfPresent(String.self, forKey: .location) {
            let zone = name == "Local" ? TimeZone.current : TimeZone(identifier: name)
            guard let zone else {
                throw DecodingError.dataCorruptedError(forKey: .location, in: container, debugDescription: "unknown time zone \"\(name)\"")
            }
            location = zone
        }
    }

    /// Whether `instant` (Unix milliseconds) falls inside this interval.
    public func contains(_ instant: UnixMillis) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = location
        let date = Date(timeIntervalSince1970: Double(instant) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let weekday = parts.weekday,
              let hour = parts.hour, let minute = parts.minute else { return false }
        if !times.isEmpty, !times.contains(where: { $0.contains(hour * 60 + minute) }) { return false }
        if !weekdays.isEmpty, !weekdays.contains(where: { $0.contains(weekday - 1) }) { return false }
        if !months.isEmpty, !months.contains(where: { $0.contains(month) }) { return false }
        if !years.isEmpty, !years.contains(where: { $0.contains(year) }) { return false }
        if !daysOfMonth.isEmpty {
            let daysInMonth = calendar.range(of: .day, in: .month, for: date)?.count ?? 31
            let matches = daysOfMonth.contains { range in
                // Negative days count from the end; each bound is clamped to the month as Alertmanager does.
                let lower = range.start < 0 ? daysInMonth + range.start + 1 : range.start
                let upper = range.end < 0 ? daysInMonth + range.end + 1 : range.end
                return max(lower, 1) <= day && day <= min(upper, daysInMonth)
            }
            if !matches { return false }
        }
        return true
    }

    private static let weekdayNames = ["sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6]
    private static let monthNames = ["january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
                                     "august": 8, "september": 9, "october": 10, "november": 11, "december": 12]

    /// Parses entries such as `monday:friday`, `saturday`, `1:5` or `-3:-1`.
    private static func ranges(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys,
                               names: [String: Int], bounds: ClosedRange<Int>) throws -> [IntervalRange] {
        let entries = try container.decodeIfPresent([String].self, forKey: key) ?? []
        return try entries.map { entry in
            func value(_ text: Substring) throws -> Int {
                let lowered = text.lowercased()
                guard let number = names[lowered] ?? Int(lowered), bounds.contains(number) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\"\(entry)\" is not a valid \(key.stringValue) range")
                }
                return number
            }
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 1 || parts.count == 2 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\"\(entry)\" is not a valid \(key.stringValue) range")
            }
            let lower = try value(parts[0])
            let upper = try parts.count == 2 ? value(parts[1]) : lower
            let sameSign = (lower < 0) == (upper < 0)
            try container.check(!sameSign || lower <= upper, forKey: key, "\"\(entry)\": start must not be after end")
            return IntervalRange(start: lower, end: upper)
        }
    }
}

/// A named list of intervals; the name is active when any of its intervals contains the instant.
struct NamedTimeInterval: Decodable, Sendable {
    var name: String
    var intervals: [TimeInterval]
    var location: ConfigLocation

    enum CodingKeys: String, CodingKey {
        case name
        case timeIntervals = "time_intervals"
    }

    init(from decoder: any Decoder) throws {
        location = ConfigLocation(decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        intervals = try container.decodeIfPresent([TimeInterval].self, forKey: .timeIntervals) ?? []
    }
}

/// An inclusive range of weekdays, days, months or years; days of the month may mix signs
/// (`1:-1`), so this is not a `ClosedRange`.
public struct IntervalRange: Sendable, Equatable {
    public var start: Int
    public var end: Int

    public func contains(_ value: Int) -> Bool { start <= value && value <= end }
}
