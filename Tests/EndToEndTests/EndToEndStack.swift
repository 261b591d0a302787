import Foundation
import OutpostTestSupport

/// Everything the end-to-end test runs, on 127.0.0.1 with free ports and a temporary
/// directory: the switchable probe target, an https and a dns target, the webhook receiver,
/// a real Alertmanager, Outpost, and a real Prometheus scraping Outpost.
final class EndToEndStack {
    static let prometheusBinary = PackageBinary(package: "prometheus", path: "/usr/bin/prometheus")
    static let alertmanagerBinary = PackageBinary(package: "prometheus-alertmanager", path: "/usr/bin/prometheus-alertmanager")

    let directory: URL
    let target: SwitchableTarget
    let webhook: WebhookInbox
    private let tlsServer: TLSTestServer
    private let dnsServer: TestUDPServer
    private(set) var daemons: [(name: String, daemon: OutpostDaemon)] = []
    let configuration: StackConfiguration
    let outpost: PrometheusAPIClient
    let prometheus: PrometheusAPIClient
    let alertmanager: LoopbackHTTPClient
    private(set) var statsdPort = 0

    /// Starts the servers the daemons need; `start()` then starts the daemons. Call `stop()`
    /// whatever happens after this returns.
    init() async throws {
        directory = try RepositoryFiles.temporaryDirectory()
        target = try await SwitchableTarget()
        webhook = try await WebhookInbox()
        tlsServer = try TLSTestServer(expired: false)
        dnsServer = try await TestUDPServer(reply: TestDNSResponder.answer)
        configuration = StackConfiguration(
            outpostPort: try freePort(), prometheusPort: try freePort(), alertmanagerPort: try freePort(),
            rulesGlob: try ShortenedRules.write(into: directory), targetURL: target.url,
            tlsPort: tlsServer.port, dnsPort: dnsServer.port, webhookURL: webhook.url
        )
        outpost = PrometheusAPIClient(port: configuration.outpostPort)
        prometheus = PrometheusAPIClient(port: configuration.prometheusPort)
        alertmanager = LoopbackHTTPClient(port: configuration.alertmanagerPort)
    }

    func start() async throws {
        let alertmanagerConfig = try write(StackConfiguration.alertmanager, to: "alertmanager.yml")
        try launch("alertmanager", Self.alertmanagerBinary.url, [
            "--config.file=\(alertmanagerConfig)", "--storage.path=\(directory.path)/alertmanager",
            "--web.listen-address=127.0.0.1:\(configuration.alertmanagerPort)", "--cluster.listen-address=",
        ])
        let outpostConfig = try write(configuration.outpost(storage: directory.appendingPathComponent("outpost")), to: "outpost.yml")
        try FileManager.default.copyItem(at: RepositoryFiles.url("examples/statsd-mapping.yml"),
                                         to: directory.appendingPathComponent("statsd-mapping.yml"))
        let outpostDaemon = try OutpostDaemon(arguments: ["--config.file", outpostConfig])
        daemons.append(("outpost", outpostDaemon))
        statsdPort = try await outpostDaemon.waitForLogValue("udp=")
        let prometheusConfig = try write(configuration.prometheus, to: "prometheus.yml")
        try launch("prometheus", Self.prometheusBinary.url, [
            "--config.file=\(prometheusConfig)", "--storage.tsdb.path=\(directory.path)/prometheus",
            "--web.listen-address=127.0.0.1:\(configuration.prometheusPort)",
        ])
        for port in [configuration.outpostPort, configuration.alertmanagerPort, configuration.prometheusPort] {
            try waitUntilListening(port: port)
        }
    }

    /// Every daemon's log, for failure messages.
    var logs: String {
        daemons.map { "--- \($0.name) (exit \($0.daemon.process.isRunning ? "running" : String($0.daemon.process.terminationStatus)))\n\($0.daemon.output)" }
            .joined(separator: "\n")
    }

    func stop() {
        for (_, daemon) in daemons where daemon.process.isRunning {
            daemon.process.terminate()
            daemon.process.waitUntilExit()
        }
        target.stop()
        webhook.stop()
        tlsServer.stop()
        dnsServer.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private func launch(_ name: String, _ executable: URL, _ arguments: [String]) throws {
        daemons.append((name, try OutpostDaemon(executable: executable, arguments: arguments)))
    }

    private func write(_ text: String, to name: String) throws -> String {
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
