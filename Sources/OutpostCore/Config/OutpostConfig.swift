import Foundation

/// The whole `outpost.yml`. Sections owned by later modules stay as `ConfigSection`s
/// until their module decodes them; see `ConfigurationLoader` in the executable.
public struct OutpostConfig: Decodable, Sendable {
    public var global: GlobalConfig
    public var web: WebConfig
    public var storage: StorageConfig
    public var query: QueryConfig
    public var modules: ConfigSection?
    public var targets: ConfigSection?
    public var probeEndpoint: ConfigSection?
    public var statsd: ConfigSection?
    public var ruleFiles: ConfigSection?
    public var alerting: ConfigSection?
    public var statusPage: ConfigSection?

    enum CodingKeys: String, CodingKey {
        case global, web, storage, query, modules, targets, statsd, alerting
        case probeEndpoint = "probe_endpoint"
        case ruleFiles = "rule_files"
        case statusPage = "status_page"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        global = try container.decodeIfPresent(GlobalConfig.self, forKey: .global) ?? GlobalConfig()
        web = try container.decodeIfPresent(WebConfig.self, forKey: .web) ?? WebConfig()
        storage = try container.decodeIfPresent(StorageConfig.self, forKey: .storage) ?? StorageConfig()
        query = try container.decodeIfPresent(QueryConfig.self, forKey: .query) ?? QueryConfig()
        modules = try container.decodeIfPresent(ConfigSection.self, forKey: .modules)
        targets = try container.decodeIfPresent(ConfigSection.self, forKey: .targets)
        probeEndpoint = try container.decodeIfPresent(ConfigSection.self, forKey: .probeEndpoint)
        statsd = try container.decodeIfPresent(ConfigSection.self, forKey: .statsd)
        ruleFiles = try container.decodeIfPresent(ConfigSection.self, forKey: .ruleFiles)
        alerting = try container.decodeIfPresent(ConfigSection.self, forKey: .alerting)
        statusPage = try container.decodeIfPresent(ConfigSection.self, forKey: .statusPage)
    }

    /// Reads and decodes a config file; every failure is a located `ConfigError`.
    public static func load(path: String) throws(ConfigError) -> OutpostConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: 0, column: 0, keyPath: "", message: "cannot read file: \(error.localizedDescription)")
        }
        return try ConfigDecoder(file: path).decode(OutpostConfig.self, from: text)
    }
}

public struct GlobalConfig: Decodable, Sendable, Equatable {
    public var scrapeInterval: Duration = .seconds(15)
    public var evaluationInterval: Duration = .seconds(15)
    public var externalLabels = Labels()
    public var externalURL: String?

    enum CodingKeys: String, CodingKey {
        case scrapeInterval = "scrape_interval"
        case evaluationInterval = "evaluation_interval"
        case externalLabels = "external_labels"
        case externalURL = "external_url"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scrapeInterval = try container.decodeDuration(forKey: .scrapeInterval) ?? scrapeInterval
        evaluationInterval = try container.decodeDuration(forKey: .evaluationInterval) ?? evaluationInterval
        try container.check(scrapeInterval > .zero, forKey: .scrapeInterval, "must be greater than 0")
        try container.check(evaluationInterval > .zero, forKey: .evaluationInterval, "must be greater than 0")
        externalLabels = try container.decodeLabels(forKey: .externalLabels)
        externalURL = try container.decodeIfPresent(String.self, forKey: .externalURL)
        if let url = externalURL {
            try container.check(URL(string: url)?.scheme != nil, forKey: .externalURL, "\"\(url)\" is not an absolute URL")
        }
    }
}

public struct WebConfig: Decodable, Sendable, Equatable {
    /// Where the HTTP server listens; `--web.listen-address` overrides it.
    public var listenAddress: String?
    /// Longest time a request may take before the server gives up on it.
    public var requestTimeout: Duration = .seconds(60)

    enum CodingKeys: String, CodingKey {
        case listenAddress = "listen_address"
        case requestTimeout = "request_timeout"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listenAddress = try container.decodeIfPresent(String.self, forKey: .listenAddress)
        if let address = listenAddress {
            try container.check(ListenAddress(address) != nil, forKey: .listenAddress, "\"\(address)\" is not a host:port address")
        }
        requestTimeout = try container.decodeDuration(forKey: .requestTimeout) ?? requestTimeout
    }
}

public struct StorageConfig: Decodable, Sendable, Equatable {
    public var path = "data"
    public var retention: Duration = .seconds(6 * 3600)

    enum CodingKeys: String, CodingKey {
        case path, retention
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? path
        try container.check(!path.isEmpty, forKey: .path, "must not be empty")
        retention = try container.decodeDuration(forKey: .retention) ?? retention
        try container.check(retention > .zero, forKey: .retention, "must be greater than 0")
    }
}

/// `query:`, the bounds on PromQL queries (the query API's and the rules'), named and
/// defaulted after Prometheus's `--query.*` flags; a reload applies them to the next queries.
public struct QueryConfig: Decodable, Sendable, Equatable {
    /// Most samples a query may hold in memory at once (`--query.max-samples`).
    public var maxSamples = 50_000_000
    /// Longest a query may run (`--query.timeout`).
    public var timeout: Duration = .seconds(120)
    /// Queries of the HTTP API evaluating at once; later ones wait (`--query.max-concurrency`).
    public var maxConcurrency = 20
    /// How far back an instant selector looks for a sample (`--query.lookback-delta`).
    public var lookbackDelta: Duration = .seconds(300)

    enum CodingKeys: String, CodingKey {
        case maxSamples = "max_samples"
        case timeout
        case maxConcurrency = "max_concurrency"
        case lookbackDelta = "lookback_delta"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxSamples = try container.decodeIfPresent(Int.self, forKey: .maxSamples) ?? maxSamples
        try container.check(maxSamples > 0, forKey: .maxSamples, "must be greater than 0")
        timeout = try container.decodeDuration(forKey: .timeout) ?? timeout
        try container.check(timeout > .zero, forKey: .timeout, "must be greater than 0")
        maxConcurrency = try container.decodeIfPresent(Int.self, forKey: .maxConcurrency) ?? maxConcurrency
        try container.check(maxConcurrency > 0, forKey: .maxConcurrency, "must be greater than 0")
        lookbackDelta = try container.decodeDuration(forKey: .lookbackDelta) ?? lookbackDelta
        try container.check(lookbackDelta > .zero, forKey: .lookbackDelta, "must be greater than 0")
    }
}

/// A `host:port` listen address as Prometheus flags take it; an empty host means all interfaces.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        self.host = host
        self.port = port
    }

    /// The host to bind: all interfaces when none was given.
    public var bindHost: String { host.isEmpty ? "0.0.0.0" : host }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
