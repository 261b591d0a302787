import OutpostCore
import OutpostMetrics

/// Outpost's own StatsD metrics (`outpost_statsd_*`), with the meanings of
/// statsd_exporter's `statsd_exporter_*` metrics.
final class StatsDMetrics: Sendable {
    enum Transport: String, CaseIterable {
        case udp, tcp, unixgram
    }

    let packets: [Counter]
    let lines: Counter
    let samples: Counter
    let tags: Counter
    let tagErrors: Counter
    let events: [Counter]
    let conflicts: [Counter]
    let errors: [Counter]
    let unmapped: Counter
    let seriesDropped: Counter
    let actionDrops: Counter
    let tcpConnections: Counter
    let tcpConnectionErrors: Counter
    let tcpTooLongLines: Counter
    let loadedMappings: Gauge
    let reloadSuccesses: Counter
    let reloadFailures: Counter
    let series: [Gauge]
    /// By transport, set when a datagram listener binds.
    let receiveBuffers: MetricFamily<Gauge>

    init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        let packetFamily = try registry.counter("outpost_statsd_packets_total", help: "StatsD packets received, by transport (a TCP read counts as one).")
        packets = Transport.allCases.map { packetFamily.labels(Labels([("transport", $0.rawValue)])) }
        lines = try registry.counter("outpost_statsd_lines_total", help: "StatsD lines received.").labels(Labels())
        samples = try registry.counter("outpost_statsd_samples_total", help: "StatsD samples received.").labels(Labels())
        tags = try registry.counter("outpost_statsd_tags_total", help: "StatsD tags received.").labels(Labels())
        tagErrors = try registry.counter("outpost_statsd_tag_errors_total", help: "StatsD tags that could not be parsed.").labels(Labels())
        let eventFamily = try registry.counter("outpost_statsd_events_total", help: "StatsD events applied, by type.")
        events = EventType.allCases.map { eventFamily.labels(Labels([("type", $0.label)])) }
        let conflictFamily = try registry.counter("outpost_statsd_events_conflict_total",
                                                  help: "StatsD events refused because their metric name conflicts with another metric, by type.")
        conflicts = EventType.allCases.map { conflictFamily.labels(Labels([("type", $0.label)])) }
        let errorFamily = try registry.counter("outpost_statsd_sample_errors_total", help: "StatsD samples rejected or corrected, by reason.")
        errors = SampleError.allCases.map { errorFamily.labels(Labels([("reason", $0.reason)])) }
        unmapped = try registry.counter("outpost_statsd_events_unmapped_total", help: "StatsD events no mapping matched.").labels(Labels())
        seriesDropped = try registry.counter("outpost_statsd_series_dropped_total",
                                             help: "StatsD samples refused because statsd.max_series was reached.").labels(Labels())
        actionDrops = try registry.counter("outpost_statsd_events_actions_total", help: "StatsD events handled by a mapping action, by action.")
            .labels(Labels([("action", "drop")]))
        tcpConnections = try registry.counter("outpost_statsd_tcp_connections_total", help: "StatsD TCP connections accepted.").labels(Labels())
        tcpConnectionErrors = try registry.counter("outpost_statsd_tcp_connection_errors_total",
                                                   help: "StatsD TCP connections that failed.").labels(Labels())
        tcpTooLongLines = try registry.counter("outpost_statsd_tcp_too_long_lines_total",
                                               help: "StatsD TCP lines longer than statsd.max_tcp_line_length.").labels(Labels())
        loadedMappings = try registry.gauge("outpost_statsd_loaded_mappings", help: "Mappings in the loaded StatsD mapping file.").labels(Labels())
        let reloads = try registry.counter("outpost_statsd_config_reloads_total", help: "StatsD mapping reloads, by outcome.")
        reloadSuccesses = reloads.labels(Labels([("outcome", "success")]))
        reloadFailures = reloads.labels(Labels([("outcome", "failure")]))
        let seriesFamily = try registry.gauge("outpost_statsd_series", help: "StatsD series currently exposed, by type.")
        series = EventType.allCases.map { seriesFamily.labels(Labels([("type", $0.label)])) }
        receiveBuffers = try registry.gauge("outpost_statsd_receive_buffer_bytes",
                                            help: "Kernel receive buffer of each StatsD datagram socket as granted, by transport; Linux counts each queued datagram's overhead against it.")
    }

    func flush(_ tallies: IngestTallies, transport: Transport) {
        add(packets[Transport.allCases.firstIndex(of: transport)!], tallies.packets)
        add(lines, tallies.lines)
        add(samples, tallies.samples)
        add(tags, tallies.tags)
        add(tagErrors, tallies.tagErrors)
        add(unmapped, tallies.unmapped)
        add(seriesDropped, tallies.seriesDropped)
        add(actionDrops, tallies.actionDrops)
        for index in 0..<EventType.allCases.count {
            add(events[index], tallies.events[index])
            add(conflicts[index], tallies.conflicts[index])
        }
        for index in 0..<SampleError.allCases.count { add(errors[index], tallies.errors[index]) }
    }

    @inline(__always)
    private func add(_ counter: Counter, _ amount: Int) {
        if amount > 0 { counter.increment(by: Double(amount)) }
    }
}
