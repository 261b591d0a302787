import OutpostMetrics

/// Renders one probe's metrics in the Prometheus text format.
enum ProbeExposition {
    static func text(_ families: [FamilySnapshot]) -> String {
        render { encoder in
            for family in families {
                encoder.visitFamily(name: family.name, help: family.help, type: family.type)
                for series in family.series { encoder.visitSeries(labels: series.labels, value: series.value) }
            }
        }
    }

    /// The same as `text(result.allFamilies)`, straight from the result's gauges.
    static func text(_ result: ProbeResult) -> String {
        render { encoder in
            var family: String?
            for gauge in result.allGaugesSorted {
                if gauge.name != family {
                    encoder.visitFamily(name: gauge.name, help: gauge.help, type: .gauge)
                    family = gauge.name
                }
                encoder.visitSeries(labels: gauge.labels, value: .scalar(gauge.value))
            }
        }
    }

    private static func render(_ visit: (inout ExpositionEncoder) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048)
        var encoder = ExpositionEncoder(format: .text, chunkSize: 4096) { bytes.append(contentsOf: $0) }
        visit(&encoder)
        encoder.finish()
        return String(decoding: bytes, as: UTF8.self)
    }
}
