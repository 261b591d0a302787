import Rules
import Testing

/// Expected slots computed independently from Prometheus's formula (Group.EvalTimestamp) with
/// python-xxhash: offset = xxh64("file\xffrules/a.yml\xffname\xffexample\xff") mod interval.
struct RuleGroupScheduleTests {
    let schedule = RuleGroupSchedule(file: "rules/a.yml", name: "example", interval: 60_000)

    @Test func slotsMatchPrometheusOffsets() {
        #expect(schedule.slot(atOrBefore: 1_700_000_000_123) == 1_699_999_987_085)
        #expect(schedule.slot(atOrBefore: 1_700_000_059_999) == 1_700_000_047_085)
        #expect(schedule.slot(after: 1_700_000_000_123) == 1_700_000_047_085)
    }

    @Test func aSlotTimeIsItsOwnSlot() {
        let slot = schedule.slot(atOrBefore: 1_700_000_000_123)
        #expect(schedule.slot(atOrBefore: slot) == slot)
        #expect(schedule.slot(after: slot) == slot + 60_000)
    }

    @Test func groupsWithOtherNamesGetOtherOffsets() {
        let other = RuleGroupSchedule(file: "rules/a.yml", name: "other", interval: 60_000)
        #expect(other.slot(atOrBefore: 1_700_000_000_123) != schedule.slot(atOrBefore: 1_700_000_000_123))
    }
}
