import OutpostMetrics

/// Renders one probe's families in the Prometheus text format.
enum ProbeExposition {
    static func text(_ families: [FamilySnapshot]) -> String {
        var bytes: [UInt8] = []
        var encoder = ExpositionEncoder(format: .text) { bytes.append(contentsOf: $0) }
        for family in families {
            encoder.visitFamily(name: family.name, help: family.help, type: family.type)
            for series in family.series { encoder.visitSeries(labels: series.labels, value: series.value) }
        }
        encoder.finish()
        return String(decoding: bytes, as: UTF8.self)
    }
}
