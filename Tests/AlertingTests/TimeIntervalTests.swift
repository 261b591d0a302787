import OutpostCore
import Testing
@testable import Alerting

@Suite struct TimeIntervalTests {
    private func interval(_ yaml: String) throws -> TimeInterval {
        try ConfigDecoder(file: "t.yml").decode(TimeInterval.self, from: yaml)
    }

    // 2026-11-21T10:30:15.25Z is a Saturday.
    let saturdayMorning: UnixMillis = 1_795_257_015_250

    @Test func weekdaysTimesAndLocation() throws {
        #expect(try interval("weekdays: ['saturday', 'sunday']").contains(saturdayMorning))
        #expect(!(try interval("weekdays: ['monday:friday']").contains(saturdayMorning)))
        #expect(try interval("times: [{start_time: '10:00', end_time: '11:00'}]").contains(saturdayMorning))
        #expect(!(try interval("times: [{start_time: '09:00', end_time: '10:30'}]").contains(saturdayMorning)))
        // 10:30 UTC is 19:30 in Tokyo.
        #expect(try interval("times: [{start_time: '19:00', end_time: '24:00'}]\nlocation: Asia/Tokyo").contains(saturdayMorning))
    }

    @Test func daysMonthsYears() throws {
        #expect(try interval("days_of_month: ['20:22']\nmonths: ['november']\nyears: ['2026']").contains(saturdayMorning))
        #expect(try interval("days_of_month: ['-10:-1']").contains(saturdayMorning))
        #expect(!(try interval("days_of_month: ['-3:-1']").contains(saturdayMorning)))
        #expect(!(try interval("months: ['1:10']").contains(saturdayMorning)))
    }

    @Test func badValuesAreRejected() {
        #expect(throws: ConfigError.self) { try interval("weekdays: ['funday']") }
        #expect(throws: ConfigError.self) { try interval("times: [{start_time: '25:00', end_time: '26:00'}]") }
        #expect(throws: ConfigError.self) { try interval("location: Mars/Olympus") }
    }
}
