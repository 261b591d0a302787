import OutpostCore
import OutpostMetrics

/// The router's own metrics.
struct AlertingMetrics: Sendable {
    let notifications: MetricFamily<Counter>
    let failedNotifications: MetricFamily<Counter>
    let latency: MetricFamily<Histogram>
    let alerts: MetricFamily<Gauge>
    let aggregationGroups: Gauge
    let outboxPending: Gauge
    let silences: MetricFamily<Gauge>
    let templateErrors: MetricFamily<Counter>

    init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        notifications = try registry.counter("outpost_notifications_total", help: "Notification attempts, by receiver and integration.")
        failedNotifications = try registry.counter("outpost_notifications_failed_total",
                                                   help: "Failed notification attempts, by receiver, integration and reason.")
        latency = try registry.histogram("outpost_notification_latency_seconds", help: "Time taken by notification attempts.",
                                         buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        alerts = try registry.gauge("outpost_alerts", help: "Alerts held by the router, by state.")
        aggregationGroups = try registry.gauge("outpost_aggregation_groups", help: "Aggregation groups currently held.").labels(Labels())
        outboxPending = try registry.gauge("outpost_outbox_pending", help: "Notifications waiting in the outbox.").labels(Labels())
        silences = try registry.gauge("outpost_silences", help: "Silences, by state.")
        templateErrors = try registry.counter("outpost_notification_template_errors_total",
                                              help: "Receiver templates that failed to execute; the error text was sent instead.")
    }
}
