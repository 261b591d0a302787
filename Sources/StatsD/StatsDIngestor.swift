import OutpostCore
import OutpostMetrics

/// StatsD ingestion without sockets: bytes in, registry updated. Listener threads use the
/// same path; this is for other transports, benchmarks and fuzzing. One per thread.
public struct StatsDIngestor {
    private var worker: IngestWorker

    /// `mappingYAML` is the text of a statsd_exporter mapping file (empty for none).
    public init(config: StatsDConfig = StatsDConfig(), mappingYAML: String = "", registry: MetricsRegistry,
                clock: any WallClock = SystemClock()) throws {
        let mapper = Mapper(try MappingFile.parse(mappingYAML, file: "mapping"))
        let resolver = SeriesResolver(registry: registry, metrics: try StatsDMetrics(registry: registry), mapper: mapper,
                                      styles: config.tagStyles, maxSeries: config.maxSeries, setWindow: config.setWindow,
                                      clock: clock)
        worker = IngestWorker(resolver: resolver, transport: .udp)
    }

    /// Starts a batch of packets received at `now`.
    public mutating func beginBatch(now: UnixMillis) { worker.beginBatch(now: now) }

    /// Ingests one datagram: newline-separated StatsD lines.
    public mutating func ingest(packet: UnsafeRawBufferPointer) { worker.ingest(packet: packet) }

    /// Publishes the batch's own counts (`outpost_statsd_*`).
    public mutating func endBatch() { worker.endBatch() }
}
