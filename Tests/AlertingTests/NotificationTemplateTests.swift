import Foundation
import OutpostCore
import Testing
@testable import Alerting

/// Receiver fields as Go templates over Alertmanager's notification data.
@Suite struct NotificationTemplateTests {
    /// Two alerts of group `alertname=Down`: instance a firing, instance b resolved.
    private func data(receiver: String = "team-a") -> DefaultTemplates {
        let firing = Alert(labels: ["alertname": "Down", "instance": "a", "job": "node", "severity": "page"],
                           annotations: ["summary": "a<b is down"], startsAt: 1_000_000, endsAt: nil,
                           generatorURL: "http://prometheus/graph?a", updatedAt: 1_000_000)
        let resolved = Alert(labels: ["alertname": "Down", "instance": "b", "job": "node", "severity": "page"],
                             annotations: ["summary": "b is down"], startsAt: 1_100_000, endsAt: 1_500_000,
                             generatorURL: "http://prometheus/graph?b", updatedAt: 1_500_000)
        return DefaultTemplates(receiver: receiver, groupLabels: ["alertname": "Down"], alerts: [firing, resolved],
                                externalURL: "http://am.example", now: 2_000_000)
    }

    private func render(_ text: String, _ templates: DefaultTemplates? = nil) throws -> String {
        var errors: [String] = []
        let output = try MessageTemplate(name: "text", text: text).render(templates ?? data(), errors: &errors)
        #expect(errors.isEmpty)
        return output
    }

    @Test func fieldsSeeTheNotificationData() throws {
        #expect(try render("{{ .CommonLabels.alertname }} on {{ .CommonLabels.job | toUpper }}: "
            + "{{ .Alerts.Firing | len }} firing, {{ len .Alerts.Resolved }} resolved") == "Down on NODE: 1 firing, 1 resolved")
        #expect(try render("{{ range .Alerts }}{{ .Labels.instance }}={{ .Status }} {{ end }}") == "a=firing b=resolved ")
        #expect(try render("{{ .Status }} {{ .Receiver }} {{ .ExternalURL }} {{ .GroupLabels.alertname }}")
            == "firing team-a http://am.example Down")
        #expect(try render("{{ range .Alerts.Resolved }}{{ .Annotations.summary }} {{ .GeneratorURL }}{{ end }}")
            == "b is down http://prometheus/graph?b")
        #expect(try render("{{ .CommonAnnotations.summary }}|{{ (index .Alerts 0).Fingerprint | len }}") == "|16")
    }

    @Test func labelMapsHaveAlertmanagersMethods() throws {
        #expect(try render("{{ range .CommonLabels.SortedPairs }}{{ .Name }}:{{ .Value }};{{ end }}")
            == "alertname:Down;job:node;severity:page;")
        #expect(try render(#"{{ .CommonLabels.Names | join "," }} {{ .CommonLabels.SortedPairs.Values | join " " }}"#)
            == "alertname,job,severity Down node page")
        #expect(try render(#"{{ with .CommonLabels.Remove (stringSlice "job" "severity") }}{{ .Values | join "," }}{{ end }}"#)
            == "Down")
    }

    @Test func alertmanagersFunctions() throws {
        #expect(try render(#"{{ "  padded text " | trimSpace | title }}"#) == "Padded Text")
        #expect(try render(#"{{ if match "^D" .CommonLabels.alertname }}yes{{ end }}|{{ "Ab" | toLower }}"#) == "yes|ab")
        #expect(try render(#"{{ reReplaceAll "team-(.+)" "<$1>" .Receiver }}|{{ safeHtml "<b>" }}"#) == "<a>|<b>")
        // StartsAt of the first alert is 1000 s after the epoch; "now" is 2000 s.
        #expect(try render(#"{{ (index .Alerts 0).StartsAt | tz "UTC" | date "2006-01-02 15:04:05" }}"#) == "1970-01-01 00:16:40")
        #expect(try render("{{ since (index .Alerts 0).StartsAt }}|{{ humanizeDuration 90 }}") == "16m40s|1m 30s")
    }

    @Test func executionErrorsAreSentAsTheText() throws {
        var errors: [String] = []
        let output = try MessageTemplate(name: "title", text: "{{ index .Alerts 5 }}").render(data(), errors: &errors)
        #expect(errors.count == 1)
        #expect(output == errors.first)
        #expect(output.hasPrefix("template: title:1:"))
        #expect(output.contains("index out of range"))
    }

    @Test func defaultDefinitionsMatchTheBuiltInDefaults() throws {
        for receiver in ["team-a", "team.a b/c"] {
            let templates = data(receiver: receiver)
            #expect(try render(#"{{ template "slack.default.title" . }}"#, templates) == templates.subject)
            #expect(try render(#"{{ template "slack.default.titlelink" . }}"#, templates) == templates.alertmanagerURL)
            #expect(try render(#"{{ template "slack.default.fallback" . }}"#, templates)
                == templates.subject + " | " + templates.alertmanagerURL)
            #expect(try render(#"{{ template "slack.default.username" . }}"#, templates) == "Alertmanager")
            #expect(try render(#"{{ template "slack.default.text" . }}"#, templates) == "")
            #expect(try render(#"{{ template "telegram.default.message" . }}"#, templates) == templates.telegramMessage)
            var escaped = templates
            escaped.escape = DefaultTemplates.htmlEscape
            #expect(try render(#"{{ template "telegram.default.message" . }}"#, escaped) == escaped.telegramMessage)
        }
        #expect(data().subject == "[FIRING:1] Down (node page)")
    }

    @Test func telegramMessageTemplateIsRenderedAndEscapedForHTML() throws {
        let config = try AlertingConfig.parse(yaml: """
        route: {receiver: tg}
        receivers:
          - name: tg
            telegram_configs:
              - bot_token: "1:x"
                chat_id: 7
                message: "{{ len .Alerts }} for {{ .GroupLabels.alertname }}: {{ range .Alerts.Firing }}{{ .Annotations.summary }}{{ end }}"
        """, file: "am.yml")
        let telegram = try #require(config.receivers["tg"]?.telegramConfigs.first)
        var errors: [String] = []
        let body = TelegramMessage.encode(telegram, templates: data(), errors: &errors)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(json["text"] as? String == "2 for Down: a&lt;b is down")
        #expect(errors.isEmpty)
    }

    @Test func parseErrorsPointAtTheField() {
        do {
            _ = try AlertingConfig.parse(yaml: """
            route: {receiver: s}
            receivers:
              - name: s
                slack_configs:
                  - api_url: "https://hooks.slack.com/x"
                    title: "{{ .CommonLabels.alertname "
            """, file: "am.yml")
            Issue.record("a broken template was accepted")
        } catch {
            #expect(error.file == "am.yml")
            #expect(error.line == 6)
            #expect(error.column > 0)
            #expect(error.message.hasPrefix("template: title:1:"))
            #expect(error.message.contains("unclosed action"))
        }
    }
}
