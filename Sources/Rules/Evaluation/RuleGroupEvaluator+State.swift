import OutpostCore

extension RuleGroupEvaluator {
    /// Every alert the group tracks (pending, firing, and resolved ones still kept), to persist.
    public func alertRecords() -> [AlertRecord] {
        state.withLock { state in
            var records: [AlertRecord] = []
            for (index, rule) in group.rules.enumerated() where rule.kind == .alerting {
                for alert in state.rules[index].tracker.alerts.values.sorted(by: { $0.labels < $1.labels }) {
                    records.append(AlertRecord(
                        groupKey: group.key, ruleKey: rule.key, labels: alert.labels.dictionary,
                        annotations: alert.annotations.dictionary, state: alert.state, activeAt: alert.activeAt,
                        firedAt: alert.firedAt, resolvedAt: alert.resolvedAt, lastSentAt: alert.lastSentAt,
                        keepFiringSince: alert.keepFiringSince, validUntil: alert.validUntil, value: String(alert.value)
                    ))
                }
            }
            return records
        }
    }

    /// Puts back alerts persisted by `alertRecords()`; records of other groups or of rules no
    /// longer in this group are ignored. Pending alerts keep their `activeAt`, so `for` counts
    /// on; firing ones keep `lastSentAt`, so they are not notified again before the resend delay.
    public func restore(_ records: [AlertRecord]) {
        withState { state in
            for record in records where record.groupKey == group.key {
                guard let index = group.rules.firstIndex(where: { $0.kind == .alerting && $0.key == record.ruleKey }) else { continue }
                let labels = Labels(record.labels)
                state.rules[index].tracker.alerts[labels] = RuleAlert(
                    labels: labels, annotations: Labels(record.annotations), state: record.state,
                    value: Double(record.value) ?? .nan, activeAt: record.activeAt, firedAt: record.firedAt,
                    resolvedAt: record.resolvedAt, lastSentAt: record.lastSentAt, keepFiringSince: record.keepFiringSince,
                    validUntil: record.validUntil
                )
            }
        }
    }

    /// Takes over the state of the group this one replaces on reload, as Prometheus does: rules
    /// with the same name and labels keep health, last evaluation, alerts and their output
    /// series; outputs of rules that are gone are marked stale at the next evaluation.
    public func copyState(from old: RuleGroupEvaluator) {
        guard old !== self else { return }
        let (oldRules, oldOutputs, oldLastEvaluation) = old.state.withLock { oldState in
            (oldState.rules, oldState.outputs, oldState.lastEvaluation)
        }
        withState { state in
            var unused: [String: [Int]] = [:]
            for (index, rule) in old.group.rules.enumerated() { unused[rule.key, default: []].append(index) }
            for (index, rule) in group.rules.enumerated() {
                guard var candidates = unused[rule.key], !candidates.isEmpty else { continue }
                let oldIndex = candidates.removeFirst()
                unused[rule.key] = candidates
                let previous = oldRules[oldIndex]
                state.rules[index].health = previous.health
                state.rules[index].lastError = previous.lastError
                state.rules[index].lastEvaluation = previous.lastEvaluation
                state.rules[index].evaluationTime = previous.evaluationTime
                if rule.kind == .alerting && old.group.rules[oldIndex].kind == .alerting {
                    state.rules[index].tracker.alerts = previous.tracker.alerts
                }
                state.outputs[index] = oldOutputs[oldIndex]
            }
            state.retiredOutputs += unused.values.flatMap { $0 }.map { oldOutputs[$0] }
            state.lastEvaluation = state.lastEvaluation ?? oldLastEvaluation
        }
    }
}
