import Alerting
import Dispatch
import Foundation
import Logging
import OutpostCore
import OutpostMetrics

/// Alert routing: 10,000 active alerts in 500 groups, and arrival-to-POST latency.
enum AlertingBenchmarks {
    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "alerting.flush_unchanged.10k_alerts_500_groups", operationsPerRun: 500, operationName: "group flush") {
            flush(changing: false)
        },
        BenchmarkCase(name: "alerting.flush_notify.10k_alerts_500_groups", operationsPerRun: 500, operationName: "group notification") {
            flush(changing: true)
        },
        BenchmarkCase(name: "alerting.receive.10k_alerts", operationsPerRun: 10_000, operationName: "alert") {
            receiveTenThousand()
        },
        BenchmarkCase(name: "alerting.latency.group_wait_0", operationsPerRun: 1, operationName: "alert to POST") {
            latency()
        },
    ] }

    static let start: UnixMillis = 1_795_257_000_000

    static func yaml(_ url: String, groupBy: String, groupWait: String) -> String {
        """
        global: {resolve_timeout: 1000h}
        route: {receiver: hook, group_by: \(groupBy), group_wait: \(groupWait), group_interval: 5m, repeat_interval: 1000h}
        receivers: [{name: hook, webhook_configs: [{url: "\(url)"}]}]
        """
    }

    static func makeService(_ yaml: String, clock: ManualClock) -> AlertingService {
        let config = try! AlertingConfig.parse(yaml: yaml, file: "bench.yml")
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-bench-\(UUID().uuidString)").path
        return try! AlertingService(config: config, storagePath: storage, registry: MetricsRegistry(), clock: clock,
                                    logger: Logger(label: "bench"), userAgent: "Outpost/bench")
    }

    static func alerts(_ count: Int, generation: Int = 0) -> [PostableAlert] {
        (0..<count).map { index in
            PostableAlert(labels: ["alertname": "Down", "group": "g\(index % 500)", "instance": "host\(index)-\(generation)", "job": "node"],
                          annotations: ["summary": "host \(index) is down"], generatorURL: "http://prometheus/graph")
        }
    }

    /// Runs async work to completion from the benchmark's synchronous harness.
    static func block(_ work: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await work()
            done.signal()
        }
        done.wait()
    }

    /// One operation is one group's flush; with `changing`, every group gained an alert, so each
    /// flush writes a message to the outbox and POSTs it.
    static func flush(changing: Bool) -> () -> Void {
        let sink = LoopbackSink()
        let clock = ManualClock(now: start)
        let service = makeService(yaml(sink.url, groupBy: "[group]", groupWait: "30s"), clock: clock)
        let residentBefore = residentBytes()
        block {
            await service.receive(alerts(10_000))
            clock.advance(by: .seconds(30))
            await service.processDue()
            await service.drainDeliveries()
        }
        print("alerting: 10,000 alerts in 500 groups hold \((residentBytes() - residentBefore) / 1_048_576) MiB resident")
        var generation = 0
        return {
            generation += 1
            let next = generation
            block {
                if changing {
                    await service.receive((0..<500).map { index in
                        PostableAlert(labels: ["alertname": "Down", "group": "g\(index)", "instance": "new-\(next)"])
                    })
                }
                clock.advance(by: .seconds(300))
                await service.processDue()
                await service.drainDeliveries()
            }
        }
    }

    static func receiveTenThousand() -> () -> Void {
        let batches = (0..<100).map { batch in Array(alerts(10_000)[batch * 100..<(batch + 1) * 100]) }
        return {
            let service = makeService(yaml("http://127.0.0.1:9/", groupBy: "[group]", groupWait: "30s"), clock: ManualClock(now: start))
            block {
                for batch in batches { await service.receive(batch) }
            }
        }
    }

    static func latency() -> () -> Void {
        let sink = LoopbackSink()
        let service = makeService(yaml(sink.url, groupBy: "['...']", groupWait: "0s"), clock: ManualClock(now: start))
        var index = 0
        return {
            index += 1
            let alertIndex = index
            let before = sink.count
            block {
                await service.receive([PostableAlert(labels: ["alertname": "Latency", "instance": "i\(alertIndex)"])])
            }
            while sink.count == before { sched_yield() }
        }
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
