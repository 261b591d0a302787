import OutpostCore
import Templating

/// Alertmanager's `slack_configs` entry. Text fields are Go templates run with Alertmanager's
/// notification data; unset ones render Alertmanager's default templates.
public struct SlackConfig: Decodable, Sendable {
    public var url: HTTPURL
    public var sendResolved: Bool
    public var channel: MessageTemplate?
    public var username: MessageTemplate?
    public var iconEmoji: MessageTemplate?
    public var iconURL: MessageTemplate?
    public var linkNames: Bool
    /// The attachment fields given in the config, by Alertmanager's key.
    public var overrides: [String: MessageTemplate]
    public var httpConfig: HTTPClientConfig

    static let templatedFields = ["title", "title_link", "pretext", "text", "fallback", "callback_id", "footer", "color"]

    enum CodingKeys: String, CodingKey {
        case channel, username
        case apiURL = "api_url"
        case apiURLFile = "api_url_file"
        case sendResolved = "send_resolved"
        case iconEmoji = "icon_emoji"
        case iconURL = "icon_url"
        case linkNames = "link_names"
        case httpConfig = "http_config"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeEndpoint(.apiURL, file: .apiURLFile, decoder: decoder)
        sendResolved = try container.decodeIfPresent(Bool.self, forKey: .sendResolved) ?? false
        channel = try container.template(.channel)
        username = try container.template(.username)
        iconEmoji = try container.template(.iconEmoji)
        iconURL = try container.template(.iconURL)
        linkNames = try container.decodeIfPresent(Bool.self, forKey: .linkNames) ?? false
        httpConfig = try container.decodeIfPresent(HTTPClientConfig.self, forKey: .httpConfig) ?? HTTPClientConfig()
        let fields = try decoder.container(keyedBy: ConfigKey.self)
        overrides = [:]
        for name in Self.templatedFields {
            if let value = try fields.template(ConfigKey(name)) { overrides[name] = value }
        }
    }
}

/// Alertmanager's `telegram_configs` entry, sending with the Bot API's `sendMessage`.
public struct TelegramConfig: Decodable, Sendable {
    public var apiURL: HTTPURL
    public var botToken: String
    public var chatID: Int64
    public var messageThreadID: Int?
    /// The message template; nil renders Alertmanager's default template.
    public var message: MessageTemplate?
    public var disableNotifications: Bool
    public var parseMode: String
    public var sendResolved: Bool
    public var httpConfig: HTTPClientConfig

    enum CodingKeys: String, CodingKey {
        case message
        case apiURL = "api_url"
        case botToken = "bot_token"
        case botTokenFile = "bot_token_file"
        case chatID = "chat_id"
        case messageThreadID = "message_thread_id"
        case disableNotifications = "disable_notifications"
        case parseMode = "parse_mode"
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let api = try container.decodeIfPresent(String.self, forKey: .apiURL) ?? "https://api.telegram.org"
        guard let parsed = HTTPURL(api) else {
            throw DecodingError.dataCorruptedError(forKey: .apiURL, in: container, debugDescription: "\"\(api)\" is not a valid http(s) URL")
        }
        apiURL = parsed
        botToken = try container.secret(.botToken, file: .botTokenFile, decoder: decoder)
        try container.check(!botToken.isEmpty, forKey: .botToken, "missing bot_token or bot_token_file")
        chatID = try container.decode(Int64.self, forKey: .chatID)
        messageThreadID = try container.decodeIfPresent(Int.self, forKey: .messageThreadID)
        message = try container.template(.message)
        disableNotifications = try container.decodeIfPresent(Bool.self, forKey: .disableNotifications) ?? false
        parseMode = try container.decodeIfPresent(String.self, forKey: .parseMode) ?? "HTML"
        try container.check(["", "HTML", "Markdown", "MarkdownV2"].contains(parseMode), forKey: .parseMode,
                            "unknown parse_mode \"\(parseMode)\" (HTML, Markdown or MarkdownV2)")
        sendResolved = try container.decodeIfPresent(Bool.self, forKey: .sendResolved) ?? true
        httpConfig = try container.decodeIfPresent(HTTPClientConfig.self, forKey: .httpConfig) ?? HTTPClientConfig()
    }

    /// `<api_url>/bot<token>/sendMessage`.
    var sendMessageURL: HTTPURL {
        var url = apiURL
        url.target = (url.target.hasSuffix("/") ? String(url.target.dropLast()) : url.target) + "/bot\(botToken)/sendMessage"
        return url
    }
}

extension KeyedDecodingContainer {
    /// A text field that Alertmanager treats as a template; a parse error is reported at the key.
    func template(_ key: Key) throws -> MessageTemplate? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        do throws(TemplateError) {
            return try MessageTemplate(name: key.stringValue, text: text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: error.message)
        }
    }

    /// A required URL given inline or in a file (`api_url` / `api_url_file`).
    func decodeEndpoint(_ key: Key, file: Key, decoder: any Decoder) throws -> HTTPURL {
        let text = try secret(key, file: file, decoder: decoder)
        try check(!text.isEmpty, forKey: key, "missing \(key.stringValue) or \(file.stringValue)")
        guard let url = HTTPURL(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text)\" is not a valid http(s) URL")
        }
        return url
    }
}
