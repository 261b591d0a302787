import OutpostCore

/// The JSON Alertmanager's Slack integration posts: one attachment with the default templates.
enum SlackMessage {
    static func encode(_ config: SlackConfig, templates: DefaultTemplates) -> [UInt8] {
        let title = config.overrides["title"] ?? templates.subject
        let titleLink = config.overrides["title_link"] ?? templates.alertmanagerURL
        let fields: [(String, String)] = [
            ("title", title),
            ("title_link", titleLink),
            ("pretext", config.overrides["pretext"] ?? ""),
            ("text", config.overrides["text"] ?? ""),
            ("fallback", config.overrides["fallback"] ?? title + " | " + titleLink),
            ("callback_id", config.overrides["callback_id"] ?? ""),
            ("footer", config.overrides["footer"] ?? ""),
            ("color", config.overrides["color"] ?? (templates.status == .firing ? "danger" : "good")),
        ]
        var json = JSONWriter()
        json.raw("{")
        var first = true
        func member(_ name: String, _ value: String?, always: Bool = false) {
            guard let value, always || !value.isEmpty else { return }
            if !first { json.raw(",") }
            first = false
            json.string(name)
            json.raw(":")
            json.string(value)
        }
        member("channel", config.channel)
        member("username", config.username ?? "Alertmanager")
        member("icon_emoji", config.iconEmoji)
        member("icon_url", config.iconURL)
        if config.linkNames { json.raw(first ? "\"link_names\":true" : ",\"link_names\":true") }
        json.raw(first ? "\"attachments\":[{" : ",\"attachments\":[{")
        first = true
        for (name, value) in fields {
            // `text` and `fallback` are always present in Alertmanager's JSON; the rest only when set.
            member(name, value, always: name == "text" || name == "fallback")
        }
        json.raw(",\"mrkdwn_in\":[\"fallback\",\"pretext\",\"text\"]}]}")
        return json.bytes
    }
}

/// The Bot API `sendMessage` request Alertmanager's Telegram integration makes.
enum TelegramMessage {
    /// Telegram refuses longer messages; Alertmanager truncates with an ellipsis.
    static let maximumLength = 4096

    static func encode(_ config: TelegramConfig, templates: DefaultTemplates) -> [UInt8] {
        var templates = templates
        if config.parseMode == "HTML" { templates.escape = DefaultTemplates.htmlEscape }
        var text = config.message ?? templates.telegramMessage
        if text.count > maximumLength { text = String(text.prefix(maximumLength - 1)) + "…" }
        var json = JSONWriter()
        json.raw("{\"chat_id\":\(config.chatID)")
        if let thread = config.messageThreadID { json.raw(",\"message_thread_id\":\(thread)") }
        json.raw(",\"text\":")
        json.string(text)
        if !config.parseMode.isEmpty {
            json.raw(",\"parse_mode\":")
            json.string(config.parseMode)
        }
        json.raw(",\"disable_notification\":\(config.disableNotifications)}")
        return json.bytes
    }
}
