import OutpostCore

/// The exposition formats `/metrics` can answer in.
public enum ExpositionFormat: Sendable, Equatable {
    /// Prometheus text format 0.0.4.
    case text
    /// OpenMetrics 1.0.0.
    case openMetrics

    public var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format from an Accept header the way Prometheus's client_golang does: the
    /// first acceptable media type in order of preference (q), text when nothing matches.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept, !accept.isEmpty else { return .text }
        var candidates: [(format: ExpositionFormat, quality: Double, position: Int)] = []
        for (position, part) in accept.split(separator: ",").enumerated() {
            let fields = part.split(separator: ";").map { $0.trimmedWhitespace }
            guard let mediaType = fields.first?.lowercased() else { continue }
            var quality = 1.0
            var version: String?
            for parameter in fields.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmedWhitespace }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "q": quality = Double(pair[1]) ?? 0
                case "version": version = pair[1]
                default: break
                }
            }
            guard quality > 0 else { continue }
            switch mediaType {
            case "application/openmetrics-text" where version == nil || version == "1.0.0" || version == "0.0.1":
                candidates.append((.openMetrics, quality, position))
            case "text/plain" where version == nil || version == "0.0.4":
                candidates.append((.text, quality, position))
            default:
                continue
            }
        }
        let best = candidates.min { $0.quality != $1.quality ? $0.quality > $1.quality : $0.position < $1.position }
        return best?.format ?? .text
    }
}
