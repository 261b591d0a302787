import Foundation
import OutpostCore
import Rules

/// `/api/v1/rules` and `/api/v1/alerts` in Prometheus's JSON shapes.
struct RulesHandlers: Sendable {
    let manager: RuleManager

    /// Groups and rules, filtered by `type` (`alert` or `record`), `rule_name[]`, `rule_group[]`
    /// and `file[]`; `exclude_alerts=true` leaves out the alerts of alerting rules.
    func rules(_ parameters: FormParameters) throws(APIError) -> [UInt8] {
        let type = parameters["type"].lowercased()
        guard ["", "alert", "record"].contains(type) else {
            throw APIError(.badData, "invalid query parameter type='\(parameters["type"])'")
        }
        let excludeAlerts: Bool
        switch parameters["exclude_alerts"].lowercased() {
        case "", "false": excludeAlerts = false
        case "true": excludeAlerts = true
        default: throw APIError(.badData, "parameter \"exclude_alerts\" must be a boolean")
        }
        let names = Set(parameters.all("rule_name[]"))
        let groupNames = Set(parameters.all("rule_group[]"))
        let files = Set(parameters.all("file[]"))
        let groups = manager.groupStatuses().compactMap { group -> RuleGroupStatus? in
            guard groupNames.isEmpty || groupNames.contains(group.name), files.isEmpty || files.contains(group.file) else { return nil }
            var filtered = group
            filtered.rules = group.rules.filter { rule in
                (type.isEmpty || (type == "alert") == (rule.kind == .alerting)) && (names.isEmpty || names.contains(rule.name))
            }
            // As Prometheus: with rule filters a group left without rules is not listed.
            if filtered.rules.isEmpty && !(type.isEmpty && names.isEmpty) { return nil }
            return filtered
        }
        return PrometheusJSON.success { json in
            json.raw("{\"groups\":")
            json.array(groups) { json, group in json.ruleGroup(group, excludeAlerts: excludeAlerts) }
            json.raw("}")
        }
    }

    /// Every pending and firing alert.
    func alerts() -> [UInt8] {
        let alerts = manager.groupStatuses().flatMap { $0.rules.flatMap(\.alerts) }
        return PrometheusJSON.success { json in
            json.raw("{\"alerts\":")
            json.array(alerts) { json, alert in json.alert(alert) }
            json.raw("}")
        }
    }
}

extension PrometheusJSON {
    mutating func ruleGroup(_ group: RuleGroupStatus, excludeAlerts: Bool) {
        raw("{\"name\":")
        string(group.name)
        raw(",\"file\":")
        string(group.file)
        raw(",\"rules\":")
        array(group.rules) { json, rule in json.rule(rule, excludeAlerts: excludeAlerts) }
        raw(",\"interval\":")
        raw(Self.sampleValue(Double(group.interval) / 1000))
        raw(",\"limit\":")
        raw(String(group.limit))
        raw(",\"evaluationTime\":")
        raw(Self.sampleValue(group.evaluationTime.seconds))
        raw(",\"lastEvaluation\":")
        string(group.lastEvaluation.map(RFC3339.format) ?? RFC3339.zeroTime)
        raw("}")
    }

    mutating func rule(_ rule: RuleStatus, excludeAlerts: Bool) {
        raw("{")
        if rule.kind == .alerting {
            raw("\"state\":")
            string((rule.state ?? .inactive).rawValue)
            raw(",\"name\":")
            string(rule.name)
            raw(",\"query\":")
            string(rule.query)
            raw(",\"duration\":")
            raw(Self.sampleValue(Double(rule.holdDuration) / 1000))
            raw(",\"keepFiringFor\":")
            raw(Self.sampleValue(Double(rule.keepFiringFor) / 1000))
            raw(",\"labels\":")
            labels(rule.labels)
            raw(",\"annotations\":")
            labels(Labels(rule.annotations))
            if !excludeAlerts {
                raw(",\"alerts\":")
                array(rule.alerts) { json, alert in json.alert(alert) }
            }
        } else {
            raw("\"name\":")
            string(rule.name)
            raw(",\"query\":")
            string(rule.query)
            raw(",\"labels\":")
            labels(rule.labels)
        }
        raw(",\"health\":")
        string(rule.health.rawValue)
        if let lastError = rule.lastError {
            raw(",\"lastError\":")
            string(lastError)
        }
        raw(",\"evaluationTime\":")
        raw(Self.sampleValue(rule.evaluationTime.seconds))
        raw(",\"lastEvaluation\":")
        string(rule.lastEvaluation.map(RFC3339.format) ?? RFC3339.zeroTime)
        raw(",\"type\":")
        string(rule.kind == .alerting ? "alerting" : "recording")
        raw("}")
    }

    /// An alert as Prometheus lists it; its value in Go's `%.10e`.
    mutating func alert(_ alert: RuleAlert) {
        raw("{\"labels\":")
        labels(alert.labels)
        raw(",\"annotations\":")
        labels(alert.annotations)
        raw(",\"state\":")
        string(alert.state.rawValue)
        raw(",\"activeAt\":")
        string(RFC3339.format(alert.activeAt))
        if let since = alert.keepFiringSince {
            raw(",\"keepFiringSince\":")
            string(RFC3339.format(since))
        }
        raw(",\"value\":")
        string(Self.alertValue(alert.value))
        raw("}")
    }

    static func alertValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.10e", value)
    }
}
