import Alerting
import Hummingbird
import OutpostCore

/// Alertmanager's v2 HTTP API over `AlertingService`, so Prometheus or another Outpost can use
/// this Outpost as its Alertmanager.
struct AlertmanagerAPIEndpoints: Sendable {
    let service: AlertingService

    func register(on router: Router<BasicRequestContext>) {
        AlertsEndpoints(service: service).register(on: router)
        SilencesEndpoints(service: service).register(on: router)
        StatusEndpoints(service: service, startedAt: SystemClock().now()).register(on: router)
    }
}
