import Foundation
import OutpostCore

/// Alertmanager's default notification templates (`default.tmpl`), rendered directly.
struct DefaultTemplates {
    var receiver: String
    var status: AlertStatus
    var alerts: [Alert]
    var groupLabels: Labels
    var commonLabels: Labels
    var externalURL: String
    var now: UnixMillis
    /// Applied to every value taken from alerts, as `html/template` does for HTML messages.
    var escape: (String) -> String = { $0 }

    init(receiver: String, groupLabels: Labels, alerts: [Alert], externalURL: String, now: UnixMillis) {
        self.receiver = receiver
        self.alerts = alerts
        self.groupLabels = groupLabels
        self.externalURL = externalURL
        self.now = now
        status = alerts.contains { !$0.isResolved(at: now) } ? .firing : .resolved
        commonLabels = WebhookPayload.common(alerts.map(\.labels))
    }

    var firing: [Alert] { alerts.filter { !$0.isResolved(at: now) } }
    var resolved: [Alert] { alerts.filter { $0.isResolved(at: now) } }

    /// `__subject`: `[FIRING:2] <group label values> (<other common label values>)`.
    var subject: String {
        var out = "[" + status.rawValue.uppercased()
        if status == .firing { out += ":\(firing.count)" }
        out += "] " + escape(groupLabels.map(\.value).joined(separator: " ")) + " "
        if commonLabels.count > groupLabels.count {
            let names = Set(groupLabels.map(\.name))
            out += "(" + escape(commonLabels.filter { !names.contains($0.name) }.map(\.value).joined(separator: " ")) + ")"
        }
        return out
    }

    /// `__alertmanagerURL`: the external URL's alert view for this receiver.
    var alertmanagerURL: String {
        externalURL + "/#/alerts?receiver=" + urlQueryEscape(Self.quoteMeta(receiver))
    }

    /// `__text_alert_list`.
    func textAlertList(_ list: [Alert]) -> String {
        var out = ""
        for alert in list {
            out += "Labels:\n"
            for label in alert.labels { out += " - \(escape(label.name)) = \(escape(label.value))\n" }
            out += "Annotations:\n"
            for annotation in alert.annotations { out += " - \(escape(annotation.name)) = \(escape(annotation.value))\n" }
            out += "Source: \(escape(alert.generatorURL))\n"
        }
        return out
    }

    /// `telegram.default.message` (also Pushover's and SNS's body without the annotations line).
    var telegramMessage: String {
        var out = "\n"
        if !firing.isEmpty { out += "\nAlerts Firing:\n" + textAlertList(firing) + "\n" }
        out += "\n"
        if !resolved.isEmpty { out += "\nAlerts Resolved:\n" + textAlertList(resolved) + "\n" }
        return out + "\n"
    }

    /// Go's `regexp.QuoteMeta`, which Alertmanager applies to the receiver name.
    static func quoteMeta(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// What Go's `html/template` does to text it inserts into HTML.
    static func htmlEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            case "+": out += "&#43;"
            default: out.append(character)
            }
        }
        return out
    }
}
