@testable import Rules
import Testing

/// The text forms promtool prints, checked against what Go's formatting produces.
@Suite struct GoFormatTests {
    @Test func exponentFormLikeStrconvE() {
        #expect(GoFormat.exponent(1) == "1E+00")
        #expect(GoFormat.exponent(0) == "0E+00")
        #expect(GoFormat.exponent(0.5) == "5E-01")
        #expect(GoFormat.exponent(-123456.789) == "-1.23456789E+05")
        #expect(GoFormat.exponent(1e-5) == "1E-05")
        #expect(GoFormat.exponent(9_218_880_000) == "9.21888E+09")
        #expect(GoFormat.exponent(1e300) == "1E+300")
        #expect(GoFormat.exponent(.infinity) == "+Inf")
        #expect(GoFormat.exponent(.nan) == "NaN")
    }

    @Test func durationLikeGoTimeDuration() {
        #expect(GoFormat.duration(milliseconds: 0) == "0s")
        #expect(GoFormat.duration(milliseconds: 500) == "500ms")
        #expect(GoFormat.duration(milliseconds: 60_000) == "1m0s")
        #expect(GoFormat.duration(milliseconds: 3_661_500) == "1h1m1.5s")
        #expect(GoFormat.duration(milliseconds: 7_200_000) == "2h0m0s")
    }

    @Test func labelsLikeGoLabelsString() {
        #expect(GoFormat.labels(["__name__": "up", "job": "a\"b"]) == "{__name__=\"up\", job=\"a\\\"b\"}")
        #expect(GoFormat.labels([:]) == "{}")
    }
}
