import OutpostCore
import Yams

/// Everything the probing module reads from `outpost.yml`: modules, scheduled targets and
/// the `/probe` policy, checked together so a target naming a missing module is an error.
public struct ProbingConfig: Sendable {
    public var modules: [String: ModuleConfig]
    public var targets: [TargetConfig]
    public var probeEndpoint: ProbeEndpointConfig
    public var defaultInterval: Duration

    public init(modules: [String: ModuleConfig] = [:], targets: [TargetConfig] = [],
                probeEndpoint: ProbeEndpointConfig = ProbeEndpointConfig(), defaultInterval: Duration = .seconds(15)) {
        self.modules = modules
        self.targets = targets
        self.probeEndpoint = probeEndpoint
        self.defaultInterval = defaultInterval
    }

    /// Decodes the probing sections of an already-loaded config; `file` names it in errors.
    public init(_ config: OutpostConfig, file: String) throws(ConfigError) {
        modules = try config.modules?.decode([String: ModuleConfig].self, file: file) ?? [:]
        targets = try config.targets?.decode([TargetConfig].self, file: file) ?? []
        probeEndpoint = try config.probeEndpoint?.decode(ProbeEndpointConfig.self, file: file) ?? ProbeEndpointConfig()
        defaultInterval = config.global.scrapeInterval
        var seen: Set<String> = []
        for (index, target) in targets.enumerated() {
            if target.inlineModule == nil, modules[target.moduleName] == nil {
                throw Self.error(in: config.targets, index: index, file: file, "unknown module \"\(target.moduleName)\"")
            }
            if !seen.insert(target.name).inserted {
                throw Self.error(in: config.targets, index: index, file: file, "duplicate target name \"\(target.name)\"")
            }
        }
    }

    /// An error located at entry `index` of the `targets:` list.
    private static func error(in section: ConfigSection?, index: Int, file: String, _ message: String) -> ConfigError {
        guard let section else { return ConfigError(file: file, line: 1, column: 1, keyPath: "targets", message: message) }
        var node = section.node
        if case .sequence(let sequence) = section.node, index < sequence.count { node = sequence[index] }
        return ConfigSection(node: node, codingPath: section.codingPath + [ConfigKey(index: index)]).error(message, file: file)
    }

    /// The module a target runs.
    public func module(for target: TargetConfig) -> ModuleConfig? {
        target.inlineModule ?? modules[target.moduleName]
    }
}
