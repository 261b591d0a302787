import Foundation
import OutpostCore
import OutpostMetrics
import Probing
import ProbeFloor

/// CPU per probe against servers in a separate process (Python on 127.0.0.1), so the
/// figures count Outpost's work only: 500 probes per run, 50 in flight at a time. The
/// `probing.floor.*` cases do the same exchanges in plain C (sockets, or bare libcurl) for
/// the least CPU a probe can cost on this machine: loopback charges both ends' TCP work to
/// whoever sends, so these floors are far from zero.
enum ProbingBenchmarks {
    static let probesPerRun = 500

    static var cases: [BenchmarkCase] { [
        BenchmarkCase(name: "probing.http.probe", operationsPerRun: probesPerRun, operationName: "probe") {
            batch(kind: .http, module: "prober: http\ntimeout: 5s")
        },
        BenchmarkCase(name: "probing.http.probe.named_target", operationsPerRun: probesPerRun, operationName: "probe") {
            batch(kind: .http, module: "prober: http\ntimeout: 5s\nhttp: {preferred_ip_protocol: ip4}", host: "localhost")
        },
        BenchmarkCase(name: "probing.tcp.probe", operationsPerRun: probesPerRun, operationName: "probe") {
            batch(kind: .tcp, module: "prober: tcp\ntimeout: 5s")
        },
        BenchmarkCase(name: "probing.floor.tcp.sockets", operationsPerRun: probesPerRun, operationName: "connect") {
            floor { outpost_floor_tcp_connect(Int32($0.tcpPort), Int32(probesPerRun), 50) }
        },
        BenchmarkCase(name: "probing.floor.http.sockets", operationsPerRun: probesPerRun, operationName: "request") {
            floor { outpost_floor_http_sockets(Int32($0.httpPort), Int32(probesPerRun), 50) }
        },
        BenchmarkCase(name: "probing.floor.http.libcurl", operationsPerRun: probesPerRun, operationName: "request") {
            floor { outpost_floor_http_libcurl(Int32($0.httpPort), Int32(probesPerRun), 50) }
        },
        BenchmarkCase(name: "probing.handler.http.probe", operationsPerRun: probesPerRun, operationName: "probe") {
            handlerBatch()
        },
        BenchmarkCase(name: "probing.scheduler.10k_targets.collect", operationsPerRun: 10_000, operationName: "target") {
            schedulerRun()
        },
    ] }

    enum Kind { case http, tcp }

    static func batch(kind: Kind, module yaml: String, host: String = "127.0.0.1") -> () -> Void {
        let server = ExternalServer.shared
        let module = try! ConfigDecoder(file: "bench").decode(ModuleConfig.self, from: yaml)
        let runner = ProbeRunner()
        let target = kind == .http ? "http://\(host):\(server.httpPort)/" : "\(host):\(server.tcpPort)"
        return {
            let failures = blocking {
                await withTaskGroup(of: Int.self) { group in
                    for index in 0..<probesPerRun {
                        if index >= 50 { _ = await group.next() }
                        // Where the scheduler starts its probe tasks.
                        group.addTask(executorPreference: runner.preferredExecutor(for: module)) {
                            await runner.run(target: target, module: module).success ? 0 : 1
                        }
                    }
                    return await group.reduce(0, +)
                }
            }
            precondition(failures == 0, "\(failures) probes failed")
        }
    }

    static func floor(_ exchanges: @escaping (ExternalServer) -> Int32) -> () -> Void {
        let server = ExternalServer.shared
        return {
            let failures = exchanges(server)
            precondition(failures == 0, "\(failures) exchanges failed")
        }
    }

    /// `/probe` without the HTTP server: the handler's checks, the probe and the text it returns.
    static func handlerBatch() -> () -> Void {
        let server = ExternalServer.shared
        let yaml = "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\nprobe_endpoint:\n  allowed_targets: [127.0.0.0/8]\n"
        let outpost = try! ConfigDecoder(file: "bench").decode(OutpostConfig.self, from: yaml)
        let handler = try! ProbeHandler(runner: ProbeRunner(), config: try! ProbingConfig(outpost, file: "bench"), registry: MetricsRegistry())
        let query = ["target": "http://127.0.0.1:\(server.httpPort)/", "module": "http_2xx"]
        return {
            let failures = blocking {
                await withTaskGroup(of: Int.self) { group in
                    for index in 0..<probesPerRun {
                        if index >= 50 { _ = await group.next() }
                        group.addTask {
                            let response = await handler.handle(query: query, headers: ["X-Prometheus-Scrape-Timeout-Seconds": "10"])
                            return response.body.contains("probe_success 1") ? 0 : 1
                        }
                    }
                    return await group.reduce(0, +)
                }
            }
            precondition(failures == 0, "\(failures) probes failed")
        }
    }

    /// Prepares by running 10,000 TCP targets on a 10s interval for 15 seconds and printing
    /// the largest scheduler lag after the first interval and the resident memory; the timed
    /// operation is then one `collect()` of all their results, the probes' share of `/metrics`.
    static func schedulerRun() -> () -> Void {
        let server = ExternalServer.shared
        var yaml = "global:\n  scrape_interval: 10s\nmodules:\n  tcp:\n    prober: tcp\n    timeout: 5s\ntargets:\n"
        for index in 0..<10_000 { yaml += "  - {name: t\(index), address: 127.0.0.1:\(server.tcpPort), module: tcp}\n" }
        let outpost = try! ConfigDecoder(file: "bench").decode(OutpostConfig.self, from: yaml)
        let config = try! ProbingConfig(outpost, file: "bench")
        let registry = MetricsRegistry()
        let scheduler = try! ProbeScheduler(runner: ProbeRunner(), registry: registry, config: config)
        let lag = try! registry.gauge("outpost_probe_scheduler_lag_seconds", help: "").labels(Labels())
        let cpuBefore = Harness.cpuSeconds()
        let maxLag = blocking {
            let task = Task { await scheduler.run() }
            try? await Task.sleep(for: .seconds(10))
            var worst = 0.0
            for _ in 0..<100 {
                try? await Task.sleep(for: .milliseconds(50))
                worst = max(worst, lag.value)
            }
            task.cancel()
            return worst
        }
        let cpu = Harness.cpuSeconds() - cpuBefore
        let probes = scheduler.statuses().reduce(0) { $0 + $1.history.count }
        print(String(format: "probing.scheduler.10k_targets soak: %d probes in 15 s (%.0f µs CPU each), max scheduler lag after the first interval %.3f s, RSS %.1f MB",
                     probes, cpu / Double(max(1, probes)) * 1e6, maxLag, residentMegabytes()))
        return {
            precondition(scheduler.collect().count > 0)
        }
    }

    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }

    /// Runs async work to completion from the synchronous benchmark harness.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        // Detached: the harness runs on the main actor, which this thread now blocks.
        Task.detached {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    // Written once before the semaphore is signalled, read after the wait.
    var value: T?
}

/// An HTTP server and a TCP accept-and-close server in a Python child process.
final class ExternalServer: Sendable {
    static let shared = ExternalServer()
    let httpPort: Int
    let tcpPort: Int

    private static let script = """
    import os, socket, sys, threading
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Buffered, so the response leaves in one segment, as from nginx.
        wbufsize = 65536
        def do_GET(self):
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    ThreadingHTTPServer.request_queue_size = 1024
    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tcp = socket.socket()
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(4096)
    def accept():
        while True:
            connection, _ = tcp.accept()
            connection.close()
    threading.Thread(target=accept, daemon=True).start()
    def exit_with_parent():
        sys.stdin.read()
        os._exit(0)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(http.server_address[1], tcp.getsockname()[1], flush=True)
    http.serve_forever()
    """

    private init() {
        let ports = PythonServerProcess.start(script: Self.script).split(separator: " ").compactMap { Int($0) }
        httpPort = ports[0]
        tcpPort = ports[1]
    }
}
