import OutpostCore

/// Applies `inhibit_rules`: an alert matching a rule's target side is muted while another
/// firing alert matches its source side with equal values for the `equal` labels.
struct Inhibitor: Sendable {
    private struct Rule: Sendable {
        var config: InhibitRule
        /// Alerts matching the source side, kept up to date as alerts arrive.
        var sources: [Fingerprint: Alert] = [:]
    }

    private var rules: [Rule]

    init(rules: [InhibitRule]) {
        self.rules = rules.map { Rule(config: $0) }
    }

    mutating func observe(_ alert: Alert) {
        for index in rules.indices where rules[index].config.sourceMatchers.matches(alert.labels) {
            rules[index].sources[alert.fingerprint] = alert
        }
    }

    mutating func forget(_ fingerprint: Fingerprint) {
        for index in rules.indices { rules[index].sources[fingerprint] = nil }
    }

    /// The fingerprints of the alerts inhibiting `labels`, empty when none does.
    func inhibitors(of labels: Labels, now: UnixMillis) -> [Fingerprint] {
        var result: [Fingerprint] = []
        for rule in rules where rule.config.targetMatchers.matches(labels) {
            // An alert matching both sides may not be inhibited by alerts that do too, so an
            // alert never inhibits itself.
            let excludeTwoSided = rule.config.sourceMatchers.matches(labels)
            for source in rule.sources.values where !source.isResolved(at: now) {
                if !rule.config.equal.allSatisfy({ (source.labels[$0] ?? "") == (labels[$0] ?? "") }) { continue }
                if excludeTwoSided && rule.config.targetMatchers.matches(source.labels) { continue }
                result.append(source.fingerprint)
                break
            }
            if !result.isEmpty { break }
        }
        return result
    }
}
