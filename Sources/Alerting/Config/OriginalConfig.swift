import Yams

/// The configuration text `/api/v2/status` reports as `config.original`: the Alertmanager
/// document as loaded, with every secret shown as `<secret>`, as Alertmanager shows its own.
enum OriginalConfig {
    /// Keys whose values are secrets wherever they appear (`http_config`, Telegram, globals).
    static let secretKeys: Set<String> = [
        "password", "credentials", "bearer_token", "client_secret", "bot_token", "slack_api_url", "smtp_auth_password",
        "smtp_auth_secret",
    ]
    /// Keys that are secrets inside one integration's entries only: the URL carries the token.
    static let secretKeysByIntegration: [String: Set<String>] = [
        "webhook_configs": ["url"],
        "slack_configs": ["api_url"],
    ]
    /// Outpost's own keys of the `alerting` section, which are not part of Alertmanager's format.
    static let outpostKeys: Set<String> = ["alertmanagers", "config_file"]

    static let placeholder = "<secret>"

    /// YAML for `document` (an alertmanager.yml, or the inline `alerting` section).
    static func render(_ document: Node) -> String {
        var root = redacted(document, secrets: [])
        if case .mapping(let mapping) = root {
            root = .mapping(Node.Mapping(mapping.filter { !outpostKeys.contains($0.key.string ?? "") }.map { ($0.key, $0.value) }, mapping.tag, mapping.style))
        }
        return (try? Yams.serialize(node: root)) ?? ""
    }

    /// `node` with the values of secret keys replaced; `secrets` adds keys secret at this level.
    private static func redacted(_ node: Node, secrets: Set<String>) -> Node {
        switch node {
        case .mapping(let mapping):
            let pairs = mapping.map { pair -> (Node, Node) in
                let key = pair.key.string ?? ""
                if secretKeys.contains(key) || secrets.contains(key) {
                    return (pair.key, redactedValue(pair.value))
                }
                if let integrationSecrets = secretKeysByIntegration[key], case .sequence(let entries) = pair.value {
                    let redactedEntries = entries.map { redacted($0, secrets: integrationSecrets) }
                    return (pair.key, .sequence(Node.Sequence(redactedEntries, entries.tag, entries.style)))
                }
                return (pair.key, redacted(pair.value, secrets: []))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style))
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map { redacted($0, secrets: []) }, sequence.tag, sequence.style))
        case .scalar, .alias:
            return node
        }
    }

    /// An empty secret stays empty, as in Alertmanager; anything else becomes the placeholder.
    private static func redactedValue(_ value: Node) -> Node {
        if case .scalar(let scalar) = value, scalar.string.isEmpty || value.null != nil { return value }
        return Node(placeholder)
    }
}
