import OutpostCore

/// Alertmanager's webhook message, version 4, written as JSON in Alertmanager's field order.
struct WebhookPayload: Sendable {
    var receiver: String
    var groupKey: String
    var groupLabels: Labels
    var externalURL: String
    /// The alerts of the flush, already filtered for `send_resolved`.
    var alerts: [Alert]
    var maxAlerts: Int
    var now: UnixMillis

    var status: AlertStatus { alerts.contains { !$0.isResolved(at: now) } ? .firing : .resolved }

    /// Labels every alert carries with the same value.
    static func common(_ sets: [Labels]) -> Labels {
        guard var common = sets.first else { return Labels() }
        for labels in sets.dropFirst() {
            common = Labels(sortedUnique: common.filter { labels[$0.name] == $0.value })
            if common.isEmpty { break }
        }
        return common
    }

    func encoded() -> [UInt8] {
        let commonLabels = Self.common(alerts.map(\.labels))
        let commonAnnotations = Self.common(alerts.map(\.annotations))
        let sent = maxAlerts > 0 ? Array(alerts.prefix(maxAlerts)) : alerts
        var json = JSONWriter()
        json.raw("{\"receiver\":")
        json.string(receiver)
        json.raw(",\"status\":")
        json.string(status.rawValue)
        json.raw(",\"alerts\":[")
        for (index, alert) in sent.enumerated() {
            if index > 0 { json.raw(",") }
            let resolved = alert.isResolved(at: now)
            json.raw("{\"status\":")
            json.string(resolved ? "resolved" : "firing")
            json.raw(",\"labels\":")
            json.object(alert.labels)
            json.raw(",\"annotations\":")
            json.object(alert.annotations)
            json.raw(",\"startsAt\":")
            json.string(RFC3339.format(alert.startsAt))
            json.raw(",\"endsAt\":")
            json.string(resolved ? RFC3339.format(alert.endsAt!) : RFC3339.zeroTime)
            json.raw(",\"generatorURL\":")
            json.string(alert.generatorURL)
            json.raw(",\"fingerprint\":")
            json.string(alert.fingerprint.description)
            json.raw("}")
        }
        json.raw("],\"groupLabels\":")
        json.object(groupLabels)
        json.raw(",\"commonLabels\":")
        json.object(commonLabels)
        json.raw(",\"commonAnnotations\":")
        json.object(commonAnnotations)
        json.raw(",\"externalURL\":")
        json.string(externalURL)
        json.raw(",\"version\":\"4\",\"groupKey\":")
        json.string(groupKey)
        json.raw(",\"truncatedAlerts\":\(alerts.count - sent.count)}")
        return json.bytes
    }
}
