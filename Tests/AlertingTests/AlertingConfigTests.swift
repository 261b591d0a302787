import OutpostCore
import Testing
@testable import Alerting

@Suite struct AlertingConfigTests {
    static let example = """
    global:
      resolve_timeout: 2m
    route:
      receiver: default
      group_by: [alertname]
      routes:
        - matchers: ['severity="page"', 'team=~"db|infra|web"']
          receiver: pager
          group_wait: 10s
          continue: true
        - match: {team: web}
          match_re: {service: "api.*"}
          receiver: web
          group_by: ['...']
          mute_time_intervals: [weekends]
          routes:
            - matchers: [env=staging]
              repeat_interval: 1h
    receivers:
      - name: default
        webhook_configs:
          - url: http://127.0.0.1:9/hook
            max_alerts: 5
            send_resolved: false
            http_config:
              basic_auth: {username: u, password: p}
      - name: pager
        webhook_configs: [{url: "http://127.0.0.1:9/pager", http_config: {authorization: {credentials: tok}}}]
      - name: web
    inhibit_rules:
      - source_matchers: [severity=critical]
        target_match: {severity: warning}
        equal: [alertname]
    time_intervals:
      - name: weekends
        time_intervals:
          - weekdays: ['saturday', 'sunday']
            location: Europe/Berlin
    """

    @Test func decodesAlertmanagerFormatWithInheritance() throws {
        let config = try AlertingConfig.parse(yaml: Self.example, file: "am.yml")
        #expect(config.resolveTimeout == .seconds(120))
        let root = config.route
        #expect(root.receiver == "default")
        #expect(root.groupWait == .seconds(30))
        #expect(root.groupInterval == .seconds(300))
        #expect(root.repeatInterval == .seconds(14_400))
        let pager = root.routes[0]
        #expect(pager.key == #"{}/{severity="page",team=~"db|infra|web"}"#)
        #expect(pager.groupWait == .seconds(10))
        #expect(pager.grouping == .labels(["alertname"]))
        #expect(pager.continue)
        let web = root.routes[1]
        #expect(web.matchers.map(\.description) == [#"service=~"api.*""#, #"team="web""#])
        #expect(web.grouping == .allLabels)
        let staging = web.routes[0]
        #expect(staging.receiver == "web")
        #expect(staging.grouping == .allLabels)
        #expect(staging.repeatInterval == .seconds(3600))
        #expect(staging.muteTimeIntervals.isEmpty)
        let webhook = try #require(config.receivers["default"]?.webhookConfigs.first)
        #expect(webhook.maxAlerts == 5)
        #expect(!webhook.sendResolved)
        #expect(webhook.httpConfig.authorizationHeader == "Basic dTpw")
        #expect(config.receivers["pager"]?.webhookConfigs.first?.httpConfig.authorizationHeader == "Bearer tok")
        #expect(config.inhibitRules.first?.targetMatchers.map(\.description) == [#"severity="warning""#])
        #expect(config.timeIntervals["weekends"]?.first?.weekdays == [IntervalRange(start: 6, end: 6), IntervalRange(start: 0, end: 0)])
    }

    @Test func routingPicksFirstMatchUnlessContinue() throws {
        let root = try AlertingConfig.parse(yaml: Self.example, file: "am.yml").route
        let both = root.match(["severity": "page", "team": "web", "service": "api-1"])
        #expect(both.map(\.receiver) == ["pager", "web"])
        #expect(root.match(["team": "web", "service": "api", "env": "staging"]).map(\.repeatInterval) == [.seconds(3600)])
        #expect(root.match(["alertname": "Other"]).map(\.receiver) == ["default"])
        #expect(root.match(["team": "web", "service": "db"]).map(\.receiver) == ["default"])
    }

    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try AlertingConfig.parse(yaml: yaml, file: "am.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test func invalidMatcherPointsAtLineAndColumn() {
        let yaml = """
        route:
          receiver: r
          routes:
            - matchers: ['severity=~"(page"']
        receivers: [{name: r}]
        """
        let failure = error(yaml)
        #expect(failure?.file == "am.yml")
        #expect(failure?.line == 4)
        #expect(failure?.column == 29)
        #expect(failure?.message == "invalid matcher: invalid regular expression \"(page\"")
    }

    @Test func rejectsUnsupportedIntegrationsByName() {
        let failure = error("""
        route: {receiver: r}
        receivers:
          - name: r
            email_configs: [{to: a@b.c}]
        """)
        #expect(failure?.message == "receiver integration \"email_configs\" is not supported by Outpost (supported: webhook_configs, slack_configs, telegram_configs)")
        #expect(failure?.line == 4)
    }

    @Test func rejectsUndefinedReceiversAndBadRoutes() {
        #expect(error("route: {receiver: missing}\nreceivers: [{name: r}]")?.message == "undefined receiver \"missing\" used in route")
        #expect(error("route: {receiver: r, matchers: [a=b]}\nreceivers: [{name: r}]")?.message == "root route must not have any matchers")
        #expect(error("route: {receiver: r, group_by: ['...', a]}\nreceivers: [{name: r}]")?.message == "cannot have \"...\" and other labels at the same time")
        #expect(error("route: {receiver: r}\nreceivers: [{name: r}, {name: r}]")?.message == "notification config name \"r\" is not unique")
        #expect(error("route: {receiver: r, routes: [{mute_time_intervals: [x]}]}\nreceivers: [{name: r}]")?.message == "undefined time interval \"x\" used in route")
        #expect(error("route: {receiver: r, colour: red}\nreceivers: [{name: r}]")?.message == "unknown key \"colour\"")
        #expect(error("route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'ftp://x'}]}]")?.message == "\"ftp://x\" is not a valid http(s) URL")
        #expect(error("route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'https://x', http_config: {tls_config: {ca_file: /nonexistent}}}]}]")?.message
            == "cannot load CA file \"/nonexistent\"")
    }
}
