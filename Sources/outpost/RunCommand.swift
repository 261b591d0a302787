import Alerting
import ArgumentParser
import Foundation
import Logging
import OutpostCore
import OutpostMetrics
import Probing
import PromQL
import Rules
import Server
import ServiceLifecycle
import StatsD
import Synchronization
import TSDB

/// `outpost` (the default command): runs the daemon until SIGTERM or SIGINT; SIGHUP reloads.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run Outpost (the default).")

    @Option(name: .customLong("config.file"), help: "Outpost configuration file.")
    var configFile = "outpost.yml"

    @Option(name: .customLong("web.listen-address"), help: "Address to listen on for the web interface and API (default :9393, or web.listen_address).")
    var listenAddress: String?

    @Option(name: .customLong("log.level"), help: "Only log messages with this severity or above: debug, info, warn, error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt or json.")
    var logFormat = "logfmt"

    @Option(name: .customLong("rules.alert.for-outage-tolerance"),
            help: "Longest downtime after which pending alerts keep their 'for' progress; after a longer one they start over.")
    var forOutageTolerance = "1h"

    @Option(name: .customLong("rules.alert.for-grace-period"),
            help: "Least time a restored pending alert waits after a start before it fires (0s: its progress counts in full).")
    var forGracePeriod = "0s"

    @Option(name: .customLong("rules.alert.resend-delay"), help: "Least time between two notifications of an unchanged firing alert.")
    var resendDelay = "1m"

    func validate() throws {
        guard Self.parseLevel(logLevel) != nil else { throw ValidationError("--log.level must be one of debug, info, warn, error") }
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log.format must be logfmt or json") }
        if let listenAddress, ListenAddress(listenAddress) == nil {
            throw ValidationError("--web.listen-address \"\(listenAddress)\" is not a host:port address")
        }
        for (flag, value) in [("rules.alert.for-outage-tolerance", forOutageTolerance), ("rules.alert.for-grace-period", forGracePeriod),
                              ("rules.alert.resend-delay", resendDelay)] where PrometheusDuration.milliseconds(value) == nil {
            throw ValidationError("--\(flag) \"\(value)\" is not a duration")
        }
    }

    /// The rule engine's settings from the config and the `--rules.*` flags.
    func ruleOptions(_ config: LoadedConfiguration) -> RuleManager.Options {
        RuleManager.Options(
            externalLabels: config.root.global.externalLabels,
            externalURL: config.root.global.externalURL ?? "",
            resendDelay: PrometheusDuration.milliseconds(resendDelay) ?? 60_000,
            restorePolicy: AlertRestorePolicy(outageTolerance: PrometheusDuration.milliseconds(forOutageTolerance) ?? 3_600_000,
                                              gracePeriod: PrometheusDuration.milliseconds(forGracePeriod) ?? 0)
        )
    }

    func run() async throws {
        // A peer closing a connection mid-write (a webhook receiver over TLS, a probed server)
        // must fail that write, not end the process: OpenSSL writes with write(2).
        signal(SIGPIPE, SIG_IGN)
        let level = Self.parseLevel(logLevel) ?? .info
        let format = LogFormat(rawValue: logFormat) ?? .logfmt
        LoggingSystem.bootstrap { label in LineLogHandler.standardError(label: label, format: format, level: level) }
        let logger = Logger(label: "outpost")

        let initial: LoadedConfiguration
        do {
            initial = try ConfigurationLoader.load(path: configFile)
        } catch {
            logger.error("Error loading config", metadata: ["err": "\(error)"])
            printError("\(error)")
            throw ExitCode(1)
        }
        guard let address = ListenAddress(listenAddress ?? initial.root.web.listenAddress ?? ":9393") else {
            throw ExitCode(1)
        }
        try FileManager.default.createDirectory(atPath: initial.root.storage.path, withIntermediateDirectories: true)

        let registry = MetricsRegistry()
        let clock = SystemClock()
        let selfMetrics = try SelfMetrics(registry: registry)
        registry.register(collector: ProcessCollector(), key: "process")
        let statsd = try initial.statsd.map {
            try StatsDService(config: $0, registry: registry, clock: clock, logger: Logger(label: "outpost.statsd"))
        }
        let alerting = try initial.alerting.map {
            try AlertingService(config: $0, storagePath: initial.root.storage.path, registry: registry, clock: clock,
                                logger: Logger(label: "outpost.alerting"), userAgent: "Outpost/\(BuildInfo.version)")
        }
        let probeRunner = ProbeRunner()
        let scheduler = try ProbeScheduler(runner: probeRunner, registry: registry, config: initial.probing, clock: clock)
        let probeHandler = try ProbeHandler(runner: probeRunner, config: initial.probing, registry: registry)
        let ready = ReadyFlag()
        // The instance label a Prometheus scraping Outpost would give it; the port is known
        // for sure once the server listens (the config may say port 0).
        let instance = Mutex(Self.instanceLabel(address, port: address.port))
        let storage = LocalStorageService(
            directory: URL(fileURLWithPath: initial.root.storage.path), interval: initial.root.global.scrapeInterval,
            retention: initial.root.storage.retention, clock: clock, logger: Logger(label: "outpost.storage")
        ) {
            // Series look as they would after Prometheus scraped Outpost (job and instance added,
            // labels Outpost already set kept, as with honor_labels: true).
            // Nothing is recorded before the server listens: Prometheus could not have scraped it yet.
            guard ready.isReady else { return [] }
            let labels: Labels = ["job": "outpost", "instance": instance.withLock { $0 }]
            return registry.snapshot().flatMap { $0.samples(adding: labels) }
        }
        registry.register(collector: LocalStorageCollector(storage: storage), key: "tsdb")
        // Queries and rule evaluations run on threads of their own: a heavy query or group then
        // shares the cores with probing, StatsD and alerting instead of taking their threads.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let queryService = QueryService(
            head: storage.head, engineOptions: Self.engineOptions(initial.root), maxConcurrency: initial.root.query.maxConcurrency,
            buildInfo: PrometheusBuildInfo(version: BuildInfo.version, revision: BuildInfo.revision, goVersion: BuildInfo.swiftVersion),
            clock: clock, executor: ThreadPoolExecutor(threads: max(2, cores), name: "outpost-query")
        )
        let rules = try RuleManager(
            head: storage.head, engine: queryService.engine, registry: registry, clock: clock,
            store: RuleStateStore(path: initial.root.storage.path + "/rules.db"), options: ruleOptions(initial),
            sink: alerting?.ruleAlertSink,
            logger: Logger(label: "outpost.rules"), executor: ThreadPoolExecutor(threads: max(2, cores / 2), name: "outpost-rules")
        )
        rules.update(groups: initial.ruleGroups, options: ruleOptions(initial))
        let reloader = ConfigReloader(path: configFile, current: initial, metrics: selfMetrics, clock: clock, logger: logger,
                                      statsd: statsd, scheduler: scheduler, probeHandler: probeHandler, alerting: alerting,
                                      rules: rules, ruleOptions: ruleOptions, query: queryService, storage: storage)
        selfMetrics.recordReload(success: true, at: clock.now())

        let router = HTTPServer.makeRouter(ServerDependencies(
            registry: registry,
            reload: { await reloader.reload() },
            isReady: { ready.isReady },
            probeHandler: probeHandler,
            probeLogs: ProbeLogsPage(scheduler: scheduler),
            query: queryService,
            alerting: alerting,
            rules: rules
        ))
        let application = HTTPServer.makeApplication(router: router, address: address, logger: logger) { port in
            instance.withLock { $0 = Self.instanceLabel(address, port: port) }
            ready.markReady()
            logger.info("Server is ready to receive web requests", metadata: ["address": "\(address.host):\(port)"])
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: application),
            .init(service: ReloadOnHangup(reloader: reloader)),
            .init(service: StorageLoop(storage: storage)),
            .init(service: ProbeSchedulerLoop(scheduler: scheduler)),
            .init(service: RuleManagerLoop(manager: rules)),
        ]
        if let statsd { services.append(.init(service: statsd)) }
        if let alerting { services.append(.init(service: alerting)) }
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        logger.info("Starting Outpost", metadata: ["version": "\(BuildInfo.version)", "revision": "\(BuildInfo.revision)"])
        try await serviceGroup.run()
        logger.info("See you next time!")
    }

    /// The query engine's settings from `query:` and the global evaluation interval.
    static func engineOptions(_ config: OutpostConfig) -> EngineOptions {
        var options = EngineOptions()
        options.maxSamples = config.query.maxSamples
        options.timeout = config.query.timeout
        options.lookbackDelta = config.query.lookbackDelta.milliseconds
        // As in Prometheus, a subquery without a step uses the global evaluation interval.
        options.defaultSubqueryStep = config.global.evaluationInterval.milliseconds
        return options
    }

    static func instanceLabel(_ address: ListenAddress, port: Int) -> String {
        ListenAddress(host: address.host.isEmpty ? "localhost" : address.host, port: port).description
    }

    static func parseLevel(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "debug": .debug
        case "info": .info
        case "warn", "warning": .warning
        case "error": .error
        default: nil
        }
    }
}
