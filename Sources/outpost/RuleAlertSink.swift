import Alerting
import OutpostCore
import Rules

extension PostableAlert {
    /// A rule engine alert as Prometheus would post it to Alertmanager.
    init(ruleAlert alert: OutgoingAlert) {
        self.init(labels: alert.labels.dictionary, annotations: alert.annotations.dictionary,
                  startsAt: RFC3339.format(alert.startsAt), endsAt: RFC3339.format(alert.endsAt), generatorURL: alert.generatorURL)
    }
}

extension AlertingService {
    /// Where the rule engine hands its due alerts: routing, and through it any configured Alertmanagers.
    nonisolated var ruleAlertSink: RuleManager.AlertSink {
        { [self] alerts in await self.receive(alerts.map(PostableAlert.init(ruleAlert:))) }
    }
}
