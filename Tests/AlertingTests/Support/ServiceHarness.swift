import Foundation
import Logging
import OutpostCore
import OutpostMetrics
@testable import Alerting

/// A service on a manual clock with its own storage directory, driven step by step.
struct ServiceHarness {
    static let start: UnixMillis = 1_795_257_000_000

    let clock: ManualClock
    let registry: MetricsRegistry
    let storage: String
    let service: AlertingService

    init(yaml: String, clock: ManualClock = ManualClock(now: ServiceHarness.start), storage: String? = nil) throws {
        self.clock = clock
        registry = MetricsRegistry()
        self.storage = storage ?? FileManager.default.temporaryDirectory.appendingPathComponent("alerting-\(UUID().uuidString)").path
        let config = try AlertingConfig.parse(yaml: yaml, file: "test.yml", externalURL: "http://outpost.example:9090")
        service = try AlertingService(config: config, storagePath: self.storage, registry: registry, clock: clock,
                                      logger: Logger(label: "test"), userAgent: "Outpost/test")
    }

    func advance(by duration: Duration) async {
        clock.advance(by: duration)
        await service.processDue()
        await service.drainDeliveries()
    }

    func post(_ alerts: [PostableAlert]) async {
        let errors = await service.receive(alerts)
        precondition(errors.isEmpty, "\(errors)")
        await service.drainDeliveries()
    }

    func counter(_ name: String, _ labels: Labels) -> Double {
        for family in registry.snapshot() where family.name == name {
            for series in family.series where series.labels == labels {
                if case .scalar(let value) = series.value { return value }
            }
        }
        return 0
    }
}

func alert(_ labels: [String: String], startsAt: UnixMillis? = nil, endsAt: UnixMillis? = nil) -> PostableAlert {
    PostableAlert(labels: labels, annotations: ["summary": "it broke"], startsAt: startsAt.map(RFC3339.format),
                  endsAt: endsAt.map(RFC3339.format), generatorURL: "http://prometheus/graph")
}
