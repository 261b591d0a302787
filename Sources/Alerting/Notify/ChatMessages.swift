import OutpostCore

/// The JSON Alertmanager's Slack integration posts: one attachment with the default templates.
enum SlackMessage {
    /// Template execution errors, sent as the field's text, are appended to `errors`.
    static func encode(_ config: SlackConfig, templates: DefaultTemplates, errors: inout [String]) -> [UInt8] {
        func render(_ field: MessageTemplate?) -> String? { field?.render(templates, errors: &errors) }
        let title = render(config.overrides["title"]) ?? templates.subject
        let titleLink = render(config.overrides["title_link"]) ?? templates.alertmanagerURL
        let fields: [(String, String)] = [
            ("title", title),
            ("title_link", titleLink),
            ("pretext", render(config.overrides["pretext"]) ?? ""),
            ("text", render(config.overrides["text"]) ?? ""),
            ("fallback", render(config.overrides["fallback"]) ?? title + " | " + titleLink),
            ("callback_id", render(config.overrides["callback_id"]) ?? ""),
            ("footer", render(config.overrides["footer"]) ?? ""),
            ("color", render(config.overrides["color"]) ?? (templates.status == .firing ? "danger" : "good")),
        ]
        let channel = render(config.channel)
        let username = render(config.username) ?? "Alertmanager"
        let iconEmoji = render(config.iconEmoji)
        let iconURL = render(config.iconURL)
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
        member("channel", channel)
        member("username", username)
        member("icon_emoji", iconEmoji)
        member("icon_url", iconURL)
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

    /// Template execution errors, sent as the message text, are appended to `errors`.
    static func encode(_ config: TelegramConfig, templates: DefaultTemplates, errors: inout [String]) -> [UInt8] {
        var templates = templates
        if config.parseMode == "HTML" { templates.escape = DefaultTemplates.htmlEscape }
        var text = config.message?.render(templates, errors: &errors) ?? templates.telegramMessage
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
