import Alerting
import Foundation
import OutpostCore
import Probing
import Rules
import StatsD

/// A configuration that passed every check, with each module's section decoded.
struct LoadedConfiguration: Sendable {
    var path: String
    var root: OutpostConfig
    /// The `statsd:` section; nil when absent, and then nothing listens for StatsD.
    var statsd: StatsDConfig?
    /// `modules`, `targets` and `probe_endpoint`.
    var probing: ProbingConfig
    /// The `alerting:` section (Alertmanager's format); nil when absent.
    var alerting: AlertingConfig?
    /// The files `rule_files` matched, and their groups.
    var ruleFiles: [String]
    var ruleGroups: [RuleGroup]
}

/// Loads `outpost.yml` and validates every section, so a config either loads whole or not at all.
enum ConfigurationLoader {
    static func load(path: String) throws(ConfigError) -> LoadedConfiguration {
        let root = try OutpostConfig.load(path: path)
        // Sections whose modules are not part of this build yet are refused rather than
        // silently ignored, so nobody believes something runs that does not.
        let unavailable: [(String, ConfigSection?)] = [
            ("status_page", root.statusPage),
        ]
        for (name, section) in unavailable {
            if let section {
                throw section.error("the \(name) section is not supported by this version of Outpost yet", file: path)
            }
        }
        let statsd = try root.statsd.map { section throws(ConfigError) in try section.decode(StatsDConfig.self, file: path) }
        if let mappingFile = statsd?.mappingFile, !mappingFile.isEmpty {
            // Load the mapping now so a bad mapping file fails the check, not only the start.
            _ = try StatsDMapper(path: mappingFile)
        }
        let probing = try ProbingConfig(root, file: path)
        let alerting = try root.alerting.map { section throws(ConfigError) in
            try AlertingConfig.load(section: section, file: path, externalURL: root.global.externalURL ?? "")
        }
        let rules = try RuleFilesLoader.load(section: root.ruleFiles, configPath: path, global: root.global)
        return LoadedConfiguration(path: path, root: root, statsd: statsd, probing: probing, alerting: alerting,
                                   ruleFiles: rules.files, ruleGroups: rules.groups)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
