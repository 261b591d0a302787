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

/// Just enough JSON output for payloads: strings, label maps, raw punctuation.
struct JSONWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xf)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func object(_ labels: Labels) {
        raw("{")
        for (index, label) in labels.enumerated() {
            if index > 0 { raw(",") }
            string(label.name)
            raw(":")
            string(label.value)
        }
        raw("}")
    }
}
