import OutpostCore
import OutpostMetrics
import StatsD
import StatsDLoadMix

/// StatsD ingestion without sockets: the whole per-line path (parse, cache lookup, apply,
/// own counters) with histogram and with summary timers, and mapping names against 1,000
/// glob rules with no cache in front.
enum StatsDBenchmarks {
    static let mix = StatsDLoadMix()
    static let packetCount = 5000

    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "statsd.ingest.histogram_timers", operationsPerRun: packetCount * mix.linesPerPacket,
                      operationName: "line") { ingest(mapping: "defaults:\n  observer_type: histogram\n") },
        BenchmarkCase(name: "statsd.ingest.summary_timers", operationsPerRun: packetCount * mix.linesPerPacket,
                      operationName: "line") { ingest(mapping: "") },
        BenchmarkCase(name: "statsd.mapper.glob_1000_rules", operationsPerRun: 10_000, operationName: "lookup") {
            mapGlobs(rules: 1000)
        },
        BenchmarkCase(name: "statsd.mapper.glob_10000_rules", operationsPerRun: 10_000, operationName: "lookup") {
            mapGlobs(rules: 10_000)
        },
    ] }

    static func ingest(mapping: String) -> () -> Void {
        let packets = mix.packets(count: packetCount)
        let registry = MetricsRegistry()
        var ingestor = try! StatsDIngestor(mappingYAML: mapping, registry: registry)
        return {
            // One batch per 32 datagrams, as the recvmmsg loop sees them.
            for start in stride(from: 0, to: packets.count, by: 32) {
                ingestor.beginBatch(now: 1_000_000)
                for packet in packets[start..<min(start + 32, packets.count)] {
                    packet.withUnsafeBytes { ingestor.ingest(packet: $0) }
                }
                ingestor.endBatch()
            }
            precondition(registry.seriesCount > 0)
        }
    }

    static func mapGlobs(rules: Int) -> () -> Void {
        var yaml = "mappings:\n"
        for index in 0..<rules {
            yaml += "  - match: \"app.*.requests\(index)\"\n    name: \"app_requests_\(index)\"\n    labels: {service: \"$1\"}\n"
        }
        let mapper = try! StatsDMapper(yaml: yaml, file: "bench.yml")
        let names = (0..<10_000).map { "app.svc\($0 % 20).requests\($0 % rules)" }
        return {
            var matched = 0
            for name in names where mapper.map(name, type: "c")?.matched == true { matched += 1 }
            precondition(matched == names.count)
        }
    }
}
