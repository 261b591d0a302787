import OutpostCore

extension AlertingService {
    /// First retry delay; each failure doubles it up to `maximumBackoff`, with ±50% jitter.
    static let initialBackoff: Int64 = 1_000
    static let maximumBackoff: Int64 = 300_000
    /// Messages still undelivered after this long are dropped and counted as failed.
    static let maximumMessageAge: Int64 = 24 * 3_600_000

    /// POSTs in flight at most, so a burst of flushes does not open thousands of connections.
    static let maximumConcurrentDeliveries = 64

    /// Starts a POST for every outbox message whose attempt time has come. Messages of one group
    /// and integration go out one at a time, oldest first, so a resolution never overtakes the
    /// firing message it follows.
    func deliverDue() {
        let now = clock.now()
        for message in eligibleMessages() where message.nextAttemptAt <= now {
            guard deliveries.count < Self.maximumConcurrentDeliveries else { return }
            guard let endpoint = endpoint(for: message) else {
                logger.warning("dropping notification \(message.id): \(message.integration) \(message.index) of receiver \"\(message.receiver)\" is no longer configured")
                metrics.failedNotifications.labels(labels(message, reason: "other")).increment()
                remove(message.id)
                continue
            }
            let poster = self.poster
            deliveries[message.id] = Task {
                let started = monotonicMillis()
                let result = await poster.post(url: endpoint.url, http: endpoint.http, headers: endpoint.headers,
                                               body: message.body, timeout: endpoint.timeout)
                self.finishDelivery(message, result: result, seconds: Double(monotonicMillis() - started) / 1000)
            }
        }
    }

    /// When the next message can be sent, if one is waiting and a delivery slot is free; a
    /// finishing delivery wakes the loop otherwise.
    var nextDeliveryDeadline: UnixMillis? {
        guard deliveries.count < Self.maximumConcurrentDeliveries else { return nil }
        return eligibleMessages().lazy.map(\.nextAttemptAt).min()
    }

    /// The oldest message of each group and integration, unless it is in flight: later ones
    /// wait for it, so they are never sent out of order.
    private func eligibleMessages() -> [OutboxMessage] {
        var seen = Set<DeliveryKey>()
        var result: [OutboxMessage] = []
        for id in outbox.keys.sorted() {
            guard let message = outbox[id], seen.insert(DeliveryKey(message)).inserted, deliveries[id] == nil else { continue }
            result.append(message)
        }
        return result
    }

    private struct DeliveryKey: Hashable {
        var receiver: String
        var integration: String
        var index: Int
        var groupKey: String

        init(_ message: OutboxMessage) {
            receiver = message.receiver
            integration = message.integration
            index = message.index
            groupKey = message.groupKey
        }
    }

    /// Waits for every POST in flight, for shutdown, tests and benchmarks.
    public func drainDeliveries() async {
        while let task = deliveries.values.first {
            await task.value
        }
    }

    private func finishDelivery(_ message: OutboxMessage, result: HTTPPostResult, seconds: Double) {
        deliveries[message.id] = nil
        let base = labels(message, reason: nil)
        metrics.notifications.labels(base).increment()
        metrics.latency.labels(base).observe(seconds)
        let now = clock.now()
        switch result {
        case .status(let code) where (200..<300).contains(code):
            remove(message.id)
        case .status(let code) where (400..<500).contains(code):
            logger.error("\(message.integration) for receiver \"\(message.receiver)\" refused the notification with status \(code); dropping it")
            metrics.failedNotifications.labels(labels(message, reason: "clientError")).increment()
            remove(message.id)
        case .status(let code):
            retry(message, reason: code >= 500 ? "serverError" : "other", detail: "status \(code)", now: now)
        case .failed(let reason, let timedOut):
            retry(message, reason: timedOut ? "contextDeadlineExceeded" : "other", detail: reason, now: now)
        }
        metrics.outboxPending.set(Double(outbox.count))
        deliverDue()
        wakeup.wake()
    }

    private func retry(_ message: OutboxMessage, reason: String, detail: String, now: UnixMillis) {
        metrics.failedNotifications.labels(labels(message, reason: reason)).increment()
        guard now - message.createdAt < Self.maximumMessageAge else {
            logger.error("giving up on notification \(message.id) for receiver \"\(message.receiver)\" after \(message.attempts + 1) attempts: \(detail)")
            remove(message.id)
            return
        }
        var updated = message
        updated.attempts += 1
        let exponent = min(updated.attempts - 1, 20)
        let delay = min(Self.initialBackoff << exponent, Self.maximumBackoff)
        updated.nextAttemptAt = now + Int64.random(in: delay / 2...delay + delay / 2)
        logger.warning("notification \(message.id) for receiver \"\(message.receiver)\" failed (\(detail)); retry \(updated.attempts) in \(updated.nextAttemptAt - now) ms")
        outbox[message.id] = updated
        do {
            try store.reschedule(message.id, attempts: updated.attempts, nextAttemptAt: updated.nextAttemptAt)
        } catch {
            logger.error("cannot reschedule notification \(message.id): \(error)")
        }
    }

    private func remove(_ id: Int64) {
        outbox[id] = nil
        do {
            try store.deleteMessage(id)
        } catch {
            logger.error("cannot delete notification \(id) from the outbox: \(error)")
        }
    }

    private func labels(_ message: OutboxMessage, reason: String?) -> Labels {
        var labels: Labels = ["receiver": message.receiver, "integration": message.integration]
        if let reason { labels["reason"] = reason }
        return labels
    }

    private struct Endpoint {
        var url: HTTPURL
        var http: HTTPClientConfig
        var timeout: Duration
        var headers: [(String, String)]
    }

    private func endpoint(for message: OutboxMessage) -> Endpoint? {
        switch message.integration {
        case "webhook":
            guard let configs = config.receivers[message.receiver]?.webhookConfigs, message.index < configs.count else { return nil }
            let webhook = configs[message.index]
            return Endpoint(url: webhook.url, http: webhook.httpConfig, timeout: webhook.timeout, headers: headers(webhook.httpConfig))
        case "slack":
            guard let configs = config.receivers[message.receiver]?.slackConfigs, message.index < configs.count else { return nil }
            let slack = configs[message.index]
            return Endpoint(url: slack.url, http: slack.httpConfig, timeout: .seconds(30), headers: headers(slack.httpConfig))
        case "telegram":
            guard let configs = config.receivers[message.receiver]?.telegramConfigs, message.index < configs.count else { return nil }
            let telegram = configs[message.index]
            return Endpoint(url: telegram.sendMessageURL, http: telegram.httpConfig, timeout: .seconds(30), headers: headers(telegram.httpConfig))
        case "alertmanager":
            guard message.index < config.alertmanagers.count else { return nil }
            let target = config.alertmanagers[message.index]
            var url = target.url
            url.target = (url.target.hasSuffix("/") ? String(url.target.dropLast()) : url.target) + "/api/v2/alerts"
            return Endpoint(url: url, http: target.httpConfig, timeout: target.timeout, headers: headers(target.httpConfig))
        default:
            return nil
        }
    }

    private func headers(_ http: HTTPClientConfig) -> [(String, String)] {
        http.authorizationHeader.map { [("Authorization", $0)] } ?? []
    }
}
