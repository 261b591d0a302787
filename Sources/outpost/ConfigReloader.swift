import Alerting
import Logging
import OutpostCore
import Probing
import Rules
import Server
import ServiceLifecycle
import StatsD
import TSDB
import UnixSignals
import Synchronization

/// Holds the running configuration and replaces it only with one that loads whole.
actor ConfigReloader {
    private let path: String
    private(set) var current: LoadedConfiguration
    private let metrics: SelfMetrics
    private let clock: any WallClock
    private let logger: Logger
    private let statsd: StatsDService?
    private let scheduler: ProbeScheduler
    private let probeHandler: ProbeHandler
    private let alerting: AlertingService?
    private let rules: RuleManager
    private let ruleOptions: @Sendable (LoadedConfiguration) -> RuleManager.Options
    private let query: QueryService
    private let storage: LocalStorageService

    init(path: String, current: LoadedConfiguration, metrics: SelfMetrics, clock: any WallClock, logger: Logger,
         statsd: StatsDService?, scheduler: ProbeScheduler, probeHandler: ProbeHandler, alerting: AlertingService?,
         rules: RuleManager, ruleOptions: @escaping @Sendable (LoadedConfiguration) -> RuleManager.Options, query: QueryService,
         storage: LocalStorageService) {
        self.query = query
        self.storage = storage
        self.alerting = alerting
        self.rules = rules
        self.ruleOptions = ruleOptions
        self.scheduler = scheduler
        self.probeHandler = probeHandler
        self.path = path
        self.current = current
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.statsd = statsd
    }

    /// Loads the file again; on any error the running configuration stays and the error is returned.
    ///
    /// The whole file is validated before anything changes. Turning StatsD on or off, listen
    /// addresses and the storage path take effect on restart (logged), as for Prometheus's
    /// listen and storage flags.
    func reload() async -> String? {
        do {
            let next = try ConfigurationLoader.load(path: path)
            if let statsd, let config = next.statsd {
                try statsd.reload(config: config)
            } else if (statsd == nil) != (next.statsd == nil) {
                logger.warning("Enabling or disabling StatsD takes effect on restart")
            }
            if let alerting, let config = next.alerting {
                await alerting.reload(config)
            } else if (alerting == nil) != (next.alerting == nil) {
                logger.warning("Enabling or disabling alerting takes effect on restart")
            }
            scheduler.update(next.probing)
            probeHandler.update(next.probing)
            await query.update(engineOptions: RunCommand.engineOptions(next.root), maxConcurrency: next.root.query.maxConcurrency)
            rules.update(groups: next.ruleGroups, options: ruleOptions(next), engine: query.engine)
            storage.update(interval: next.root.global.scrapeInterval, retention: next.root.storage.retention)
            if next.root.storage.path != current.root.storage.path {
                logger.warning("A new storage path takes effect on restart")
            }
            current = next
            metrics.recordReload(success: true, at: clock.now())
            logger.info("Completed loading of configuration file", metadata: ["filename": "\(path)"])
            return nil
        } catch {
            metrics.recordReload(success: false, at: clock.now())
            logger.error("Error reloading config; keeping the running configuration", metadata: ["err": "\(error)"])
            return "\(error)"
        }
    }
}

/// Reloads the configuration on SIGHUP, as Prometheus does.
struct ReloadOnHangup: Service {
    let reloader: ConfigReloader

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            _ = await reloader.reload()
        }
    }
}

/// Set once the HTTP server listens; `/-/ready` answers 503 before.
final class ReadyFlag: Sendable {
    private let ready = Atomic<Bool>(false)

    var isReady: Bool { ready.load(ordering: .acquiring) }

    func markReady() { ready.store(true, ordering: .releasing) }
}
