import OutpostCore
import Templating

/// Alertmanager's template data (`template.Data`) for one notification, and the methods its
/// `Alerts` and `KV` types have.
extension DefaultTemplates {
    var templateData: TemplateValue {
        let fields: [(name: String, value: TemplateValue)] = [
            // Alertmanager quotes the receiver name as a regexp, for the alert view's filter.
            ("Receiver", .string(Self.quoteMeta(receiver))),
            ("Status", .string(status.rawValue)),
            ("Alerts", .list(alerts.map(alertValue))),
            ("GroupLabels", labelMap(groupLabels)),
            ("CommonLabels", labelMap(commonLabels)),
            ("CommonAnnotations", labelMap(WebhookPayload.common(alerts.map(\.annotations)))),
            ("ExternalURL", .string(externalURL)),
        ]
        return .record(TemplateRecord(typeName: "*template.Data", fields: fields))
    }

    var templateEnvironment: TemplateEnvironment {
        TemplateEnvironment(timestampMilliseconds: now, externalURL: externalURL, valueMethods: Self.method)
    }

    private func alertValue(_ alert: Alert) -> TemplateValue {
        let fields: [(name: String, value: TemplateValue)] = [
            ("Status", .string(alert.status(at: now).rawValue)),
            ("Labels", labelMap(alert.labels)),
            ("Annotations", labelMap(alert.annotations)),
            ("StartsAt", Self.time(alert.startsAt)),
            // Go's zero time does not fit in nanoseconds since 1970; an unset end reads as no value.
            ("EndsAt", alert.endsAt.map(Self.time) ?? .null),
            ("GeneratorURL", .string(escape(alert.generatorURL))),
            ("Fingerprint", .string(alert.fingerprint.description)),
        ]
        return .record(TemplateRecord(typeName: "template.Alert", fields: fields))
    }

    private func labelMap(_ labels: Labels) -> TemplateValue {
        .stringMap(Dictionary(uniqueKeysWithValues: labels.map { ($0.name, escape($0.value)) }))
    }

    private static func time(_ millis: UnixMillis) -> TemplateValue {
        .time(unixNanoseconds: millis * 1_000_000)
    }

    /// `Alerts.Firing` / `Alerts.Resolved` on alert lists; `SortedPairs`, `Names`, `Values` and
    /// `Remove` on label maps (`KV`).
    private static func method(_ name: String, _ receiver: TemplateValue) -> TemplateFunction? {
        switch (receiver, name) {
        case (.list(let alerts), "Firing"), (.list(let alerts), "Resolved"):
            let wanted = name == "Firing" ? "firing" : "resolved"
            return constant(.list(alerts.filter { alert in
                if case .record(let record) = alert, case .string(let status) = record["Status"] { return status == wanted }
                return false
            }))
        case (.stringMap(let map), "SortedPairs"):
            return constant(.list(map.keys.sorted().map { key in
                .record(TemplateRecord(typeName: "template.Pair", fields: [("Name", .string(key)), ("Value", .string(map[key]!))]))
            }))
        case (.list(let pairs), "Names"), (.list(let pairs), "Values"):
            return constant(.list(pairs.map { pair in
                if case .record(let record) = pair { return record[name == "Names" ? "Name" : "Value"] ?? .null }
                return .null
            }))
        case (.stringMap(let map), "Names"):
            return constant(.list(map.keys.sorted().map(TemplateValue.string)))
        case (.stringMap(let map), "Values"):
            return constant(.list(map.keys.sorted().map { .string(map[$0]!) }))
        case (.stringMap(let map), "Remove"):
            return TemplateFunction(parameters: [.list(goName: "[]string")]) { call in
                guard case .list(let names) = call[0] else { return receiver }
                var copy = map
                for case .string(let name) in names { copy[name] = nil }
                return .stringMap(copy)
            }
        default:
            return nil
        }
    }

    private static func constant(_ value: TemplateValue) -> TemplateFunction {
        TemplateFunction(parameters: []) { _ in value }
    }
}
