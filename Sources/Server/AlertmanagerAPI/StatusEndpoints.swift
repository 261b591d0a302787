import Alerting
import Hummingbird
import OutpostCore

/// `GET /api/v2/status` and `GET /api/v2/receivers`.
struct StatusEndpoints: Sendable {
    let service: AlertingService
    /// Reported as `uptime`, which Alertmanager fills with its start time.
    let startedAt: UnixMillis

    struct Status: Encodable {
        struct Cluster: Encodable {
            var status: String
            var peers: [String]
        }

        struct Config: Encodable {
            var original: String
        }

        struct VersionInfo: Encodable {
            var version: String
            var revision = ""
            var branch = ""
            var buildUser = ""
            var buildDate = ""
            var goVersion = ""
        }

        var cluster: Cluster
        var config: Config
        var uptime: String
        var versionInfo: VersionInfo
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v2/status") { _, _ in
            // Outpost does not gossip with peers, so clustering is off, as with Alertmanager's
            // `--cluster.listen-address=""`.
            APIResponse.json(Status(cluster: .init(status: "disabled", peers: []), config: .init(original: await service.originalConfig()),
                                    uptime: RFC3339.format(startedAt), versionInfo: .init(version: Self.version(of: service.userAgent))))
        }
        router.get("/api/v2/receivers") { _, _ in
            APIResponse.json(await service.receiverNames().map { AlertmanagerAPI.Receiver(name: $0) })
        }
    }

    /// `1.2.0` from a user agent such as `Outpost/1.2.0`.
    static func version(of userAgent: String) -> String {
        userAgent.split(separator: "/", maxSplits: 1).dropFirst().first.map(String.init) ?? userAgent
    }
}
