import Foundation
import OutpostCore
import Testing
@testable import Alerting

@Suite struct APIModelTests {
    @Test func postableSilenceBecomesASilenceAndBack() throws {
        let json = #"""
        {"matchers": [{"name": "alertname", "value": "Down", "isRegex": false},
                      {"name": "env", "value": "dev|test", "isRegex": true, "isEqual": false}],
         "startsAt": "2026-11-21T10:00:00Z", "endsAt": "2026-11-21T12:00:00Z", "createdBy": "ops", "comment": "deploy"}
        """#
        let posted = try JSONDecoder().decode(AlertmanagerAPI.PostableSilence.self, from: Data(json.utf8))
        let silence = try posted.silence()
        #expect(silence.matchers.map(\.description) == [#"alertname="Down""#, #"env!~"dev|test""#])
        #expect(silence.startsAt == RFC3339.parse("2026-11-21T10:00:00Z"))
        let gettable = AlertmanagerAPI.GettableSilence(silence, now: silence.startsAt + 1)
        #expect(gettable.status.state == "active")
        #expect(gettable.matchers == [
            .init(name: "alertname", value: "Down", isRegex: false, isEqual: true),
            .init(name: "env", value: "dev|test", isRegex: true, isEqual: false),
        ])
        #expect(gettable.endsAt == "2026-11-21T12:00:00Z")
    }

    @Test func invalidSilenceBodiesAreRejected() {
        let bad = AlertmanagerAPI.PostableSilence(matchers: [.init(name: "a", value: "(", isRegex: true, isEqual: nil)],
                                                  startsAt: "2026-11-21T10:00:00Z", endsAt: "2026-11-21T12:00:00Z", createdBy: "x", comment: "y")
        #expect(throws: SilenceError.invalid("invalid regular expression \"(\"")) { try bad.silence() }
        var late = bad
        late.matchers = [.init(name: "a", value: "b", isRegex: false, isEqual: nil)]
        late.startsAt = "soon"
        #expect(throws: SilenceError.invalid("startsAt \"soon\" is not an RFC 3339 time")) { try late.silence() }
    }

    @Test func alertsAndGroupsAreFilteredAndRendered() async throws {
        let harness = try ServiceHarness(yaml: GroupingTests.yaml("http://127.0.0.1:9/"))
        await harness.service.receive([alert(["alertname": "Down", "instance": "a"]), alert(["alertname": "Up", "instance": "b"])])
        let filter = try MatcherParser.parseMatchers(#"{alertname="Down"}"#)
        let alerts = await harness.service.currentAlerts(matching: filter)
        #expect(alerts.count == 1)
        let gettable = AlertmanagerAPI.GettableAlert(try #require(alerts.first))
        #expect(gettable.labels == ["alertname": "Down", "instance": "a"])
        #expect(gettable.receivers == [.init(name: "hook")])
        #expect(gettable.status.state == "unprocessed")
        #expect(gettable.fingerprint == Fingerprint(["alertname": "Down", "instance": "a"]).description)
        let groups = await harness.service.currentGroups(matching: filter).map(AlertmanagerAPI.AlertGroup.init)
        #expect(groups.map(\.labels) == [["alertname": "Down"]])
        let encoded = try JSONEncoder().encode(groups)
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""receiver":{"name":"hook"}"#))
    }
}
