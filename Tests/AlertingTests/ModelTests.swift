import OutpostCore
import Testing
@testable import Alerting

@Suite struct ModelTests {
    @Test func fingerprintMatchesAlertmanagersFNV1a() {
        // Expected values computed independently with a few lines of Python implementing FNV-1a 64.
        #expect(Fingerprint(["alertname": "HighLatency", "instance": "a:9090"]).description == "17fff52943711a24")
        #expect(Fingerprint(Labels()).description == "cbf29ce484222325")
        #expect(Fingerprint(hex: "17fff52943711a24") == Fingerprint(["alertname": "HighLatency", "instance": "a:9090"]))
    }

    @Test func rfc3339RoundTrips() {
        #expect(RFC3339.parse("2026-11-21T10:30:15.25Z") == 1_795_257_015_250)
        #expect(RFC3339.format(1_795_257_015_250) == "2026-11-21T10:30:15.25Z")
        #expect(RFC3339.parse("2024-02-29T23:00:00+02:00") == 1_709_240_400_000)
        #expect(RFC3339.format(1_709_240_400_000) == "2024-02-29T21:00:00Z")
        #expect(RFC3339.parse("2024-02-29 23:00") == nil)
        #expect(RFC3339.parse("2024-13-01T00:00:00Z") == nil)
    }

    @Test func postedAlertsAreValidated() throws {
        let now: UnixMillis = 1_000_000
        let alert = try PostableAlert(labels: ["alertname": "Down"]).validated(now: now, resolveTimeout: .seconds(300))
        #expect(alert.startsAt == now)
        #expect(alert.endsAt == now + 300_000)
        #expect(alert.timeout)
        #expect(throws: AlertValidationError("at least one label pair required")) {
            try PostableAlert(labels: [:]).validated(now: now, resolveTimeout: .seconds(300))
        }
        #expect(throws: AlertValidationError("invalid label name \"bad-name\"")) {
            try PostableAlert(labels: ["bad-name": "x"]).validated(now: now, resolveTimeout: .seconds(300))
        }
        #expect(throws: AlertValidationError("endsAt must not be before startsAt")) {
            try PostableAlert(labels: ["a": "b"], startsAt: "2026-01-02T00:00:00Z", endsAt: "2026-01-01T00:00:00Z")
                .validated(now: now, resolveTimeout: .seconds(300))
        }
        #expect(throws: AlertValidationError("startsAt \"yesterday\" is not an RFC 3339 time")) {
            try PostableAlert(labels: ["a": "b"], startsAt: "yesterday").validated(now: now, resolveTimeout: .seconds(300))
        }
    }

    @Test func mergeKeepsEarliestStartAndExplicitEnd() {
        let old = Alert(labels: ["a": "b"], startsAt: 100, endsAt: 900, updatedAt: 100)
        let renewed = Alert(labels: ["a": "b"], startsAt: 500, endsAt: 800, updatedAt: 500, timeout: true)
        let merged = old.merged(with: renewed, now: 500)
        #expect(merged.startsAt == 100)
        #expect(merged.endsAt == 900)
        let resolved = Alert(labels: ["a": "b"], startsAt: 500, endsAt: 550, updatedAt: 600)
        #expect(old.merged(with: resolved, now: 600).endsAt == 550)
    }
}
