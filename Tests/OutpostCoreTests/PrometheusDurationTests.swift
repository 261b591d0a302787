import OutpostCore
import Testing

@Suite struct PrometheusDurationTests {
    @Test(arguments: [
        ("0", 0), ("15s", 15_000), ("500ms", 500), ("1h30m", 5_400_000), ("2w", 1_209_600_000),
        ("1y", 31_536_000_000), ("1d2h3m4s5ms", 93_784_005), ("90s", 90_000),
    ] as [(String, Int64)])
    func parsesValidDurations(text: String, milliseconds: Int64) {
        #expect(PrometheusDuration.milliseconds(text) == milliseconds)
    }

    @Test(arguments: ["", "3x", "1m1h", "1s1s", "s", "1.5s", "-1s", "15", "1h ", "99999999999999999999y"])
    func rejectsInvalidDurations(text: String) {
        #expect(PrometheusDuration.milliseconds(text) == nil)
    }

    @Test(arguments: [
        (0, "0s"), (5_400_000, "1h30m"), (1_209_600_000, "2w"), (7_776_000_000, "90d"), (1_500, "1s500ms"),
        (31_536_000_000, "1y"),
    ] as [(Int64, String)])
    func formatsAsPrometheusDoes(milliseconds: Int64, text: String) {
        #expect(PrometheusDuration.format(milliseconds: milliseconds) == text)
    }
}
