import Alerting
import Hummingbird
import Logging
import OutpostCore
import OutpostMetrics
import Probing
import Rules

/// What the HTTP endpoints need from the rest of Outpost, injected by the composition root.
public struct ServerDependencies: Sendable {
    public var registry: MetricsRegistry
    /// Reloads the configuration; returns the error text when the new config was rejected.
    public var reload: @Sendable () async -> String?
    /// Whether Outpost has finished starting and serves traffic.
    public var isReady: @Sendable () -> Bool
    /// Serves `/probe`; without it the path is unknown (404).
    public var probeHandler: ProbeHandler?
    /// Serves `/logs`, the scheduled targets' recent results; without it the path is unknown.
    public var probeLogs: ProbeLogsPage?
    /// Serves the Prometheus `/api/v1` query endpoints when set; without it they are not routed.
    public var query: QueryService?
    /// Serves Alertmanager's `/api/v2` (alerts, silences, status, receivers); without it those
    /// paths are unknown (404).
    public var alerting: AlertingService?
    /// Serves `/api/v1/rules` and `/api/v1/alerts` beside the query endpoints.
    public var rules: RuleManager?

    public init(registry: MetricsRegistry, reload: @escaping @Sendable () async -> String?, isReady: @escaping @Sendable () -> Bool,
                probeHandler: ProbeHandler? = nil, probeLogs: ProbeLogsPage? = nil, query: QueryService? = nil,
                alerting: AlertingService? = nil, rules: RuleManager? = nil) {
        self.registry = registry
        self.reload = reload
        self.isReady = isReady
        self.probeHandler = probeHandler
        self.probeLogs = probeLogs
        self.query = query
        self.alerting = alerting
        self.rules = rules
    }
}

/// Builds Outpost's HTTP application: one router, each concern adding its routes.
public enum HTTPServer {
    public static func makeRouter(_ dependencies: ServerDependencies) -> Router<BasicRequestContext> {
        let router = Router()
        MetricsEndpoint(registry: dependencies.registry).register(on: router)
        LifecycleEndpoints(reload: dependencies.reload, isReady: dependencies.isReady).register(on: router)
        if let probeHandler = dependencies.probeHandler { ProbeEndpoint(handler: probeHandler).register(on: router) }
        if let probeLogs = dependencies.probeLogs { ProbeLogsEndpoint(page: probeLogs).register(on: router) }
        if let query = dependencies.query { QueryAPIEndpoints(service: query, registry: dependencies.registry, rules: dependencies.rules).register(on: router) }
        if let alerting = dependencies.alerting { AlertmanagerAPIEndpoints(service: alerting).register(on: router) }
        return router
    }

    /// An application serving `router` on `address`, with Outpost's server name.
    public static func makeApplication(
        router: Router<BasicRequestContext>, address: ListenAddress, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            configuration: .init(address: .hostname(address.bindHost, port: address.port), serverName: "Outpost"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? address.port) },
            logger: logger
        )
    }
}
