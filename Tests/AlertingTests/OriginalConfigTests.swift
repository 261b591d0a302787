import Foundation
import OutpostCore
import Testing
import Yams
@testable import Alerting

/// `config.original` of the status API: the document as loaded, secrets shown as `<secret>`.
@Suite struct OriginalConfigTests {
    static let section = """
    alertmanagers: [{url: "http://127.0.0.1:9093", http_config: {basic_auth: {username: am, password: am-pass}}}]
    global:
      resolve_timeout: 2m
    route:
      receiver: hook
      group_by: [alertname]
    receivers:
      - name: hook
        webhook_configs:
          - url: http://127.0.0.1:9/hook?token=hook-token
            http_config:
              basic_auth: {username: user, password: basic-pass}
      - name: chat
        slack_configs: [{api_url: "https://hooks.slack.example/services/slack-token", channel: "#ops"}]
        telegram_configs:
          - bot_token: telegram-token
            chat_id: 42
            http_config: {authorization: {credentials: bearer-token}}
    """

    private func load(_ yaml: String) throws -> AlertingConfig {
        let node = try #require(try Yams.compose(yaml: yaml))
        return try AlertingConfig.load(section: ConfigSection(node: node, codingPath: [ConfigKey("alerting")]), file: "outpost.yml")
    }

    @Test func secretsAreRedactedAndTheRestKept() throws {
        let original = try load(Self.section).original
        for secret in ["hook-token", "basic-pass", "slack-token", "telegram-token", "bearer-token"] {
            #expect(!original.contains(secret), "\(secret) leaked")
        }
        let reparsed = try #require(try Yams.load(yaml: original) as? [String: Any])
        let receivers = try #require(reparsed["receivers"] as? [[String: Any]])
        let hook = try #require((receivers[0]["webhook_configs"] as? [[String: Any]])?.first)
        #expect(hook["url"] as? String == "<secret>")
        let auth = try #require((hook["http_config"] as? [String: Any])?["basic_auth"] as? [String: Any])
        #expect(auth["username"] as? String == "user")
        #expect(auth["password"] as? String == "<secret>")
        let slack = try #require((receivers[1]["slack_configs"] as? [[String: Any]])?.first)
        #expect(slack["api_url"] as? String == "<secret>")
        #expect(slack["channel"] as? String == "#ops")
        let telegram = try #require((receivers[1]["telegram_configs"] as? [[String: Any]])?.first)
        #expect(telegram["bot_token"] as? String == "<secret>")
        #expect(telegram["chat_id"] as? Int == 42)
        #expect((reparsed["route"] as? [String: Any])?["receiver"] as? String == "hook")
        #expect((reparsed["global"] as? [String: Any])?["resolve_timeout"] as? String == "2m")
    }

    @Test func outpostOwnKeysAreLeftOut() throws {
        let original = try load(Self.section).original
        #expect(!original.contains("alertmanagers"))
        #expect(!original.contains("am-pass"))
    }

    @Test func aConfigFileIsReportedFromTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:9/x?k=file-secret'}]}]\n"
            .write(to: directory.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        let node = try #require(try Yams.compose(yaml: "config_file: alertmanager.yml"))
        let config = try AlertingConfig.load(section: ConfigSection(node: node, codingPath: [ConfigKey("alerting")]),
                                             file: directory.appendingPathComponent("outpost.yml").path)
        #expect(config.original.contains("receiver: r"))
        #expect(config.original.contains("<secret>"))
        #expect(!config.original.contains("file-secret"))
        #expect(!config.original.contains("config_file"))
    }
}
