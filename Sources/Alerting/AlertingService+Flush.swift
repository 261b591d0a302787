import OutpostCore

extension AlertingService {
    /// Flushes every group whose timer has passed.
    func flushDue(now: UnixMillis) {
        for id in dispatcher.dueGroups(now: now) {
            guard let (group, flushed) = dispatcher.beginFlush(id, now: now) else { continue }
            let succeeded = notify(group, flushed, now: now)
            for alert in flushed { processed.insert(alert.fingerprint) }
            dispatcher.finishFlush(id, flushed: flushed, succeeded: succeeded, now: now)
        }
    }

    /// Alertmanager's notification pipeline for one flush: time intervals, inhibition and
    /// silences, then per integration the dedup decision, then the outbox. False when a
    /// message could not be stored, so resolved alerts are kept for the next flush.
    private func notify(_ group: AggregationGroup, _ flushed: [Alert], now: UnixMillis) -> Bool {
        if isMutedByTime(group.route, now: now) { return true }
        let unmuted = flushed.filter { alert in
            inhibitor.inhibitors(of: alert.labels, now: now).isEmpty && silenceStore.silencing(alert.labels, now: now).isEmpty
        }
        guard !unmuted.isEmpty, let receiver = config.receivers[group.route.receiver] else { return true }
        var firing = Set<Fingerprint>()
        var resolved = Set<Fingerprint>()
        for alert in unmuted {
            if alert.isResolved(at: now) { resolved.insert(alert.fingerprint) } else { firing.insert(alert.fingerprint) }
        }
        let entry = NotificationLog.Entry(firing: firing, resolved: resolved, timestamp: now,
                                          expiresAt: now + 2 * group.route.repeatInterval.milliseconds)
        var succeeded = true
        for integration in receiver.integrations {
            let key = NotificationLog.Key(receiver: receiver.name, integration: integration.kind, index: integration.index, groupKey: group.groupKey)
            guard notificationLog.needsUpdate(key, firing: firing, resolved: resolved, sendResolved: integration.sendResolved,
                                              repeatInterval: group.route.repeatInterval, now: now) else { continue }
            let sent = integration.sendResolved ? unmuted : unmuted.filter { !$0.isResolved(at: now) }
            do {
                if sent.isEmpty {
                    // Nothing to say, but the log must learn the alerts resolved.
                    try store.saveLog(key, entry)
                } else {
                    let body = messageBody(receiver, integration, group: group, alerts: sent, now: now)
                    var message = OutboxMessage(receiver: receiver.name, integration: integration.kind, index: integration.index,
                                                groupKey: group.groupKey, body: body, createdAt: now, nextAttemptAt: now)
                    message.id = try store.enqueue(message, log: (key, entry))
                    outbox[message.id] = message
                }
                notificationLog.record(key, entry)
            } catch {
                logger.error("cannot store notification for \(receiver.name): \(error)")
                succeeded = false
            }
        }
        metrics.outboxPending.set(Double(outbox.count))
        return succeeded
    }

    private func messageBody(_ receiver: ReceiverConfig, _ integration: ReceiverConfig.Integration, group: AggregationGroup,
                             alerts: [Alert], now: UnixMillis) -> [UInt8] {
        let templates = DefaultTemplates(receiver: receiver.name, groupLabels: group.labels, alerts: alerts,
                                         externalURL: config.externalURL, now: now)
        var errors: [String] = []
        defer {
            for error in errors {
                logger.error("template error for \(receiver.name) (\(integration.kind)), sent as the text: \(error)")
                metrics.templateErrors.labels(["receiver": receiver.name, "integration": integration.kind]).increment()
            }
        }
        switch integration.kind {
        case "slack":
            return SlackMessage.encode(receiver.slackConfigs[integration.index], templates: templates, errors: &errors)
        case "telegram":
            return TelegramMessage.encode(receiver.telegramConfigs[integration.index], templates: templates, errors: &errors)
        default:
            return WebhookPayload(receiver: receiver.name, groupKey: group.groupKey, groupLabels: group.labels, externalURL: config.externalURL,
                                  alerts: alerts, maxAlerts: receiver.webhookConfigs[integration.index].maxAlerts, now: now).encoded()
        }
    }

    private func isMutedByTime(_ route: Route, now: UnixMillis) -> Bool {
        let active = { (name: String) in self.config.timeIntervals[name]?.contains { $0.contains(now) } ?? false }
        if route.muteTimeIntervals.contains(where: active) { return true }
        return !route.activeTimeIntervals.isEmpty && !route.activeTimeIntervals.contains(where: active)
    }

    /// Queues received alerts for every external Alertmanager, as Prometheus would send them.
    func forwardToAlertmanagers(_ accepted: [Alert], now: UnixMillis) {
        guard !accepted.isEmpty, !config.alertmanagers.isEmpty else { return }
        var json = JSONWriter()
        json.raw("[")
        for (index, alert) in accepted.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"labels\":")
            json.object(alert.labels)
            json.raw(",\"annotations\":")
            json.object(alert.annotations)
            json.raw(",\"startsAt\":")
            json.string(RFC3339.format(alert.startsAt))
            if let end = alert.endsAt {
                json.raw(",\"endsAt\":")
                json.string(RFC3339.format(end))
            }
            json.raw(",\"generatorURL\":")
            json.string(alert.generatorURL)
            json.raw("}")
        }
        json.raw("]")
        for index in config.alertmanagers.indices {
            var message = OutboxMessage(receiver: "", integration: "alertmanager", index: index, groupKey: "",
                                        body: json.bytes, createdAt: now, nextAttemptAt: now)
            do {
                message.id = try store.enqueue(message)
                outbox[message.id] = message
            } catch {
                logger.error("cannot store alerts for Alertmanager \(config.alertmanagers[index].url): \(error)")
            }
        }
    }
}
