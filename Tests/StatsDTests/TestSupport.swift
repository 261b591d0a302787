import OutpostCore
import OutpostMetrics
@testable import StatsD

/// A parsed sample copied out of its packet, so tests can compare after parsing.
struct RecordedSample: Equatable {
    var name: String
    var tags: String
    var hasTags: Bool
    var type: StatsDType
    var value: Double
    var relative: Bool
    var weight: UInt64
    var raw: String
}

/// Collects what the parser emits.
struct RecordingSink: SampleSink {
    var samples: [RecordedSample] = []
    var errors: [SampleError] = []

    mutating func record(_ sample: ParsedSample) {
        samples.append(RecordedSample(
            name: String(decoding: sample.name, as: UTF8.self), tags: String(decoding: sample.tags, as: UTF8.self),
            hasTags: sample.hasDogStatsDTags, type: sample.type, value: sample.value, relative: sample.relative,
            weight: sample.weight, raw: String(decoding: sample.rawValue, as: UTF8.self)))
    }

    mutating func count(_ error: SampleError) { errors.append(error) }
}

func parse(_ text: String, dogStatsD: Bool = true) -> (sink: RecordingSink, lines: Int, samples: Int) {
    var sink = RecordingSink()
    let parser = PacketParser(parseDogStatsDTags: dogStatsD)
    let bytes = Array(text.utf8)
    let (lines, samples) = bytes.withUnsafeBytes { parser.parse(packet: $0, into: &sink) }
    return (sink, lines, samples)
}

func mapper(_ yaml: String) throws -> Mapper {
    Mapper(try MappingFile.parse(yaml, file: "mapping.yml"))
}

/// A worker wired to a fresh registry, as a listener thread would have it.
struct IngestHarness {
    let registry = MetricsRegistry()
    let clock: ManualClock
    let resolver: SeriesResolver
    var worker: IngestWorker

    init(mapping: String = "", maxSeries: Int = 0, styles: TagStyles = TagStyles(), now: UnixMillis = 1_000_000) throws {
        clock = ManualClock(now: now)
        let metrics = try StatsDMetrics(registry: registry)
        resolver = SeriesResolver(registry: registry, metrics: metrics, mapper: try mapper(mapping), styles: styles,
                                  maxSeries: maxSeries, setWindow: .seconds(60), clock: clock)
        worker = IngestWorker(resolver: resolver, transport: .udp)
    }

    mutating func send(_ text: String) {
        worker.ingest(text, now: clock.now())
    }

    func family(_ name: String) -> FamilySnapshot? {
        registry.snapshot().first { $0.name == name }
    }

    func value(_ name: String, _ labels: Labels = Labels()) -> MetricValue? {
        family(name)?.series.first { $0.labels == labels }?.value
    }

    func scalar(_ name: String, _ labels: Labels = Labels()) -> Double? {
        if case .scalar(let value)? = value(name, labels) { return value }
        return nil
    }

    func histogram(_ name: String, _ labels: Labels = Labels()) -> HistogramSample? {
        if case .histogram(let sample)? = value(name, labels) { return sample }
        return nil
    }

    func summary(_ name: String, _ labels: Labels = Labels()) -> SummarySample? {
        if case .summary(let sample)? = value(name, labels) { return sample }
        return nil
    }

    func error(_ reason: String) -> Double {
        scalar("outpost_statsd_sample_errors_total", ["reason": reason]) ?? 0
    }
}
