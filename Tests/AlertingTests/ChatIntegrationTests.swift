import Foundation
import OutpostCore
import Testing
@testable import Alerting

@Suite struct ChatIntegrationTests {
    @Test func slackGetsAlertmanagersDefaultAttachment() async throws {
        let slack = try WebhookReceiver()
        defer { slack.stop() }
        let yaml = """
        route: {receiver: slack-team, group_by: [alertname], group_wait: 0s}
        receivers:
          - name: slack-team
            slack_configs: [{api_url: "\(slack.url)", channel: "#ops"}]
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "Down", "instance": "a", "job": "node"]), alert(["alertname": "Down", "instance": "b", "job": "node"])])
        let body = try #require(slack.requests.first?.json)
        #expect(body["channel"] as? String == "#ops")
        #expect(body["username"] as? String == "Alertmanager")
        let attachment = try #require((body["attachments"] as? [[String: Any]])?.first)
        let link = "http://outpost.example:9090/#/alerts?receiver=slack-team"
        #expect(attachment["title"] as? String == "[FIRING:2] Down (node)")
        #expect(attachment["title_link"] as? String == link)
        #expect(attachment["fallback"] as? String == "[FIRING:2] Down (node) | " + link)
        #expect(attachment["text"] as? String == "")
        #expect(attachment["color"] as? String == "danger")
        #expect(attachment["mrkdwn_in"] as? [String] == ["fallback", "pretext", "text"])
        #expect(attachment["pretext"] == nil)
    }

    @Test func slackDoesNotSendResolvedByDefault() async throws {
        let slack = try WebhookReceiver()
        defer { slack.stop() }
        let yaml = """
        global: {resolve_timeout: 24h}
        route: {receiver: s, group_wait: 0s}
        receivers: [{name: s, slack_configs: [{api_url: "\(slack.url)", title: "Outage"}]}]
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "Down"])])
        #expect(((slack.requests.first?.json["attachments"] as? [[String: Any]])?.first?["title"] as? String) == "Outage")
        await harness.post([alert(["alertname": "Down"], startsAt: ServiceHarness.start, endsAt: harness.clock.now())])
        await harness.advance(by: .seconds(300))
        #expect(slack.requests.count == 1)
    }

    @Test func telegramGetsTheDefaultMessageHTMLEscaped() async throws {
        let telegram = try WebhookReceiver()
        defer { telegram.stop() }
        let yaml = """
        route: {receiver: tg, group_wait: 0s}
        receivers: [{name: tg, telegram_configs: [{api_url: "http://127.0.0.1:\(telegram.port)", bot_token: "123:abc", chat_id: -100}]}]
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "Down", "instance": "a<b>"])])
        let request = try #require(telegram.requests.first)
        #expect(request.path == "/bot123:abc/sendMessage")
        let body = request.json
        #expect(body["chat_id"] as? Int == -100)
        #expect(body["parse_mode"] as? String == "HTML")
        #expect(body["disable_notification"] as? Bool == false)
        let list = "Labels:\n - alertname = Down\n - instance = a&lt;b&gt;\nAnnotations:\n - summary = it broke\nSource: http://prometheus/graph\n"
        #expect(body["text"] as? String == "\n\nAlerts Firing:\n" + list + "\n\n\n")
    }

    @Test func slackFieldsAreTemplates() async throws {
        let slack = try WebhookReceiver()
        defer { slack.stop() }
        let yaml = """
        route: {receiver: s, group_by: [alertname], group_wait: 0s}
        receivers:
          - name: s
            slack_configs:
              - api_url: "\(slack.url)"
                channel: "#{{ .CommonLabels.job }}"
                title: "{{ .CommonLabels.alertname }}: {{ .Alerts.Firing | len }} firing"
                text: "{{ range .Alerts }}{{ .Labels.instance }} {{ .Annotations.summary }}\\n{{ end }}"
                footer: "{{ index .Alerts 3 }}"
        """
        let harness = try ServiceHarness(yaml: yaml)
        await harness.post([alert(["alertname": "Down", "instance": "a", "job": "node"]), alert(["alertname": "Down", "instance": "b", "job": "node"])])
        let body = try #require(slack.requests.first?.json)
        #expect(body["channel"] as? String == "#node")
        let attachment = try #require((body["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["title"] as? String == "Down: 2 firing")
        #expect(attachment["text"] as? String == "a it broke\nb it broke\n")
        #expect(attachment["fallback"] as? String == "Down: 2 firing | http://outpost.example:9090/#/alerts?receiver=s")
        // A template failing at execution still notifies, with the error as the field's text.
        #expect((attachment["footer"] as? String)?.contains("index out of range") == true)
        #expect(harness.counter("outpost_notification_template_errors_total", ["receiver": "s", "integration": "slack"]) == 1)
    }

    @Test func templateFilesAreStillRefused() {
        let yaml = """
        templates: ['/etc/outpost/*.tmpl']
        route: {receiver: s}
        receivers: [{name: s}]
        """
        #expect(throws: ConfigError.self) { try AlertingConfig.parse(yaml: yaml, file: "t.yml") }
    }

    @Test func subjectAndURLHelpersFollowGo() {
        #expect(DefaultTemplates.quoteMeta("team.a+b") == #"team\.a\+b"#)
        #expect(urlQueryEscape(#"team\.a b/c"#) == "team%5C.a+b%2Fc")
        #expect(DefaultTemplates.htmlEscape(#"<a href="x">'&'+</a>"#) == "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&#43;&lt;/a&gt;")
    }
}
