import OutpostCore

/// One entry of `targets:`: what to probe, how, and how often.
public struct TargetConfig: Decodable, Sendable {
    public var name: String
    /// The URL (http) or host:port / host (other probers) handed to the prober.
    public var target: String
    public var moduleName: String
    /// The module given inline, if the target did not name one from `modules:`.
    public var inlineModule: ModuleConfig?
    /// Nil means `global.scrape_interval`.
    public var interval: Duration?
    public var labels: Labels

    enum CodingKeys: String, CodingKey {
        case name, url, address, module, interval, labels
    }

    public init(name: String, target: String, moduleName: String, inlineModule: ModuleConfig? = nil,
                interval: Duration? = nil, labels: Labels = Labels()) {
        self.name = name
        self.target = target
        self.moduleName = moduleName
        self.inlineModule = inlineModule
        self.interval = interval
        self.labels = labels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let url = try container.decodeIfPresent(String.self, forKey: .url)
        let address = try container.decodeIfPresent(String.self, forKey: .address)
        try container.check(url == nil || address == nil, forKey: .address, "url and address are mutually exclusive")
        guard let target = url ?? address, !target.isEmpty else {
            throw DecodingError.keyNotFound(CodingKeys.url, .init(codingPath: container.codingPath, debugDescription: "a target needs url or address"))
        }
        self.target = target
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? target
        if let moduleName = try? container.decode(String.self, forKey: .module) {
            self.moduleName = moduleName
        } else {
            let inline = try container.decode(ModuleConfig.self, forKey: .module)
            inlineModule = inline
            moduleName = "\(inline.prober.rawValue)_inline"
        }
        interval = try container.decodeDuration(forKey: .interval)
        if let interval { try container.check(interval > .zero, forKey: .interval, "must be greater than 0") }
        labels = try container.decodeLabels(forKey: .labels)
        for reserved in ["instance", "module", "target"] {
            try container.check(labels[reserved] == nil, forKey: .labels, "label \"\(reserved)\" is set by Outpost")
        }
    }
}
