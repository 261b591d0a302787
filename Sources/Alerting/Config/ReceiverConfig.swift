import OutpostCore

/// A named receiver and its integrations. Webhooks, Slack and Telegram are implemented; every
/// other Alertmanager integration is refused by name so no alert is silently dropped.
public struct ReceiverConfig: Decodable, Sendable {
    public var name: String
    public var webhookConfigs: [WebhookConfig]
    public var slackConfigs: [SlackConfig]
    public var telegramConfigs: [TelegramConfig]
    let location: ConfigLocation

    static let supported: Set<String> = ["name", "webhook_configs", "slack_configs", "telegram_configs"]
    static let knownUnsupported: Set<String> = [
        "email_configs", "pagerduty_configs", "opsgenie_configs", "wechat_configs", "pushover_configs",
        "victorops_configs", "sns_configs", "webex_configs", "msteams_configs", "msteamsv2_configs",
        "jira_configs", "rocketchat_configs", "discord_configs",
    ]

    public init(from decoder: any Decoder) throws {
        location = ConfigLocation(decoder)
        let container = try decoder.container(keyedBy: ConfigKey.self)
        name = try container.decode(String.self, forKey: ConfigKey("name"))
        try container.check(!name.isEmpty, forKey: ConfigKey("name"), "missing name")
        webhookConfigs = try container.decodeIfPresent([WebhookConfig].self, forKey: ConfigKey("webhook_configs")) ?? []
        slackConfigs = try container.decodeIfPresent([SlackConfig].self, forKey: ConfigKey("slack_configs")) ?? []
        telegramConfigs = try container.decodeIfPresent([TelegramConfig].self, forKey: ConfigKey("telegram_configs")) ?? []
        for key in container.allKeys where !Self.supported.contains(key.stringValue) {
            let message = Self.knownUnsupported.contains(key.stringValue)
                ? "receiver integration \"\(key.stringValue)\" is not supported by Outpost (supported: webhook_configs, slack_configs, telegram_configs)"
                : "unknown key \"\(key.stringValue)\""
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
    }
}

extension ReceiverConfig {
    /// One integration of a receiver, numbered within its kind as Alertmanager numbers them.
    struct Integration: Sendable {
        var kind: String
        var index: Int
        var sendResolved: Bool
    }

    var integrations: [Integration] {
        webhookConfigs.indices.map { Integration(kind: "webhook", index: $0, sendResolved: webhookConfigs[$0].sendResolved) }
            + slackConfigs.indices.map { Integration(kind: "slack", index: $0, sendResolved: slackConfigs[$0].sendResolved) }
            + telegramConfigs.indices.map { Integration(kind: "telegram", index: $0, sendResolved: telegramConfigs[$0].sendResolved) }
    }
}

/// Alertmanager's `webhook_configs` entry.
public struct WebhookConfig: Decodable, Sendable {
    public var url: HTTPURL
    public var sendResolved: Bool
    /// At most this many alerts per message; 0 means all.
    public var maxAlerts: Int
    /// Per-request limit; Alertmanager's default of 0 means none, Outpost then uses 30s.
    public var timeout: Duration
    public var httpConfig: HTTPClientConfig

    enum CodingKeys: String, CodingKey {
        case url, timeout
        case urlFile = "url_file"
        case sendResolved = "send_resolved"
        case maxAlerts = "max_alerts"
        case httpConfig = "http_config"
    }

    public init(url: HTTPURL, sendResolved: Bool = true, maxAlerts: Int = 0, timeout: Duration = .seconds(30),
                httpConfig: HTTPClientConfig = HTTPClientConfig()) {
        self.url = url
        self.sendResolved = sendResolved
        self.maxAlerts = maxAlerts
        self.timeout = timeout
        self.httpConfig = httpConfig
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let direct = try container.decodeIfPresent(String.self, forKey: .url)
        let file = try container.decodeFilePath(forKey: .urlFile, decoder: decoder)
        try container.check(direct == nil || file == nil, forKey: .urlFile, "at most one of url and url_file must be configured")
        let text: String
        if let direct {
            text = direct
        } else if let file {
            text = try container.readSecretFile(file, forKey: .urlFile)
        } else {
            throw DecodingError.keyNotFound(CodingKeys.url, .init(codingPath: decoder.codingPath, debugDescription: "one of url or url_file must be configured"))
        }
        let key: CodingKeys = direct != nil ? .url : .urlFile
        guard let parsed = HTTPURL(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\"\(text)\" is not a valid http(s) URL")
        }
        url = parsed
        sendResolved = try container.decodeIfPresent(Bool.self, forKey: .sendResolved) ?? true
        maxAlerts = try container.decodeIfPresent(Int.self, forKey: .maxAlerts) ?? 0
        try container.check(maxAlerts >= 0, forKey: .maxAlerts, "must not be negative")
        let configured = try container.decodeDuration(forKey: .timeout) ?? .zero
        timeout = configured > .zero ? configured : .seconds(30)
        httpConfig = try container.decodeIfPresent(HTTPClientConfig.self, forKey: .httpConfig) ?? HTTPClientConfig()
    }
}
