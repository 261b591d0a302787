import OutpostCore
import OutpostMetrics
import Synchronization

/// The answer to a `/probe` request, for the HTTP server to send as is.
public struct ProbeResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String
}

/// Serves blackbox_exporter's `/probe?target=&module=[&hostname=][&debug=true]`, independent
/// of the HTTP framework: the server passes the query parameters and headers in.
public final class ProbeHandler: Sendable {
    private let runner: ProbeRunner
    private let config: Mutex<(config: ProbingConfig, policy: TargetPolicy)>
    private let unknownModules: Counter
    /// Subtracted from Prometheus' scrape timeout so the answer arrives in time.
    private let timeoutOffset: Duration = .milliseconds(500)

    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    public init(runner: ProbeRunner, config: ProbingConfig, registry: MetricsRegistry) throws(MetricsRegistryError) {
        self.runner = runner
        self.config = Mutex((config, TargetPolicy(config: config)))
        unknownModules = try registry.counter("outpost_module_unknown_total", help: "Count of unknown modules requested by probes").labels(Labels())
    }

    /// Uses a reloaded config for the next requests.
    public func update(_ config: ProbingConfig) {
        let policy = TargetPolicy(config: config)
        self.config.withLock { $0 = (config, policy) }
    }

    /// - Parameters:
    ///   - query: the request's query parameters (first value of each).
    ///   - headers: request headers; only `X-Prometheus-Scrape-Timeout-Seconds` is read, any case.
    public func handle(query: [String: String], headers: [String: String]) async -> ProbeResponse {
        let (config, policy) = self.config.withLock { $0 }
        guard config.probeEndpoint.enabled else { return Self.plain(404, "the /probe endpoint is disabled\n") }
        let moduleName = query["module"].flatMap { $0.isEmpty ? nil : $0 } ?? "http_2xx"
        guard let module = config.modules[moduleName] else {
            unknownModules.increment()
            return Self.plain(400, "Unknown module \"\(moduleName)\"\n")
        }
        guard let target = query["target"], !target.isEmpty else { return Self.plain(400, "Target parameter is missing\n") }
        guard policy.allows(target) else {
            return Self.plain(403, "Target \"\(target)\" is not allowed; list it in targets: or probe_endpoint.allowed_targets\n")
        }
        let limit: Duration
        switch scrapeTimeout(headers) {
        case .some(.success(let duration)): limit = duration
        case .some(.failure(let error)): return Self.plain(400, error.message)
        case nil: limit = .seconds(120)
        }
        let hostname = query["hostname"].flatMap { $0.isEmpty ? nil : $0 }
        let debug = query["debug"] == "true"
        let result = await runner.run(target: target, module: module, timeoutLimit: limit, hostname: hostname, verbose: debug)
        let metrics = ProbeExposition.text(result)
        guard debug else { return ProbeResponse(status: 200, contentType: Self.metricsContentType, body: metrics) }
        var body = "Logs for the probe:\n"
        for line in result.log { body += line + "\n" }
        body += "\n\n\nMetrics that would have been returned:\n" + metrics
        body += "\n\n\nModule configuration:\n" + ConfigDump.yaml(module)
        return ProbeResponse(status: 200, contentType: "text/plain; charset=utf-8", body: body)
    }

    private func scrapeTimeout(_ headers: [String: String]) -> Result<Duration, ScrapeTimeoutError>? {
        guard let text = headers.first(where: { $0.key.lowercased() == "x-prometheus-scrape-timeout-seconds" })?.value else { return nil }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
            return .failure(ScrapeTimeoutError("Failed to parse timeout from Prometheus header: \(text)\n"))
        }
        let limit = Duration.milliseconds(Int64(seconds * 1000)) - timeoutOffset
        return .success(limit > .zero ? limit : .milliseconds(Int64(seconds * 1000)))
    }

    private static func plain(_ status: Int, _ message: String) -> ProbeResponse {
        ProbeResponse(status: status, contentType: "text/plain; charset=utf-8", body: message)
    }
}

struct ScrapeTimeoutError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
