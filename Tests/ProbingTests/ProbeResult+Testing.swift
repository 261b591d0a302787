import OutpostCore
import OutpostMetrics
@testable import Probing

extension ProbeResult {
    /// The value of the series of `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for family in allFamilies where family.name == name {
            for series in family.series where labels.allSatisfy({ series.labels[$0.key] == $0.value }) {
                if case .scalar(let value) = series.value { return value }
            }
        }
        return nil
    }

    func labels(_ name: String) -> Labels? {
        allFamilies.first { $0.name == name }?.series.first?.labels
    }
}

/// Decodes a module from YAML the way the config loader does.
func module(_ yaml: String) throws -> ModuleConfig {
    try ConfigDecoder(file: "test.yml").decode(ModuleConfig.self, from: yaml)
}
