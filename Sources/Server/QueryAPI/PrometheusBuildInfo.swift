/// What `/api/v1/status/buildinfo` reports; Grafana reads `version` to pick features.
public struct PrometheusBuildInfo: Sendable {
    public var version: String
    public var revision: String
    public var branch: String
    public var buildUser: String
    public var buildDate: String
    /// Prometheus puts the Go version here; Outpost puts the Swift version.
    public var goVersion: String

    public init(version: String = "unknown", revision: String = "unknown", branch: String = "", buildUser: String = "",
                buildDate: String = "", goVersion: String = "") {
        self.version = version
        self.revision = revision
        self.branch = branch
        self.buildUser = buildUser
        self.buildDate = buildDate
        self.goVersion = goVersion
    }
}
