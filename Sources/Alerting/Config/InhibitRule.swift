import OutpostCore

/// Mutes alerts matching `targetMatchers` while an alert matching `sourceMatchers` fires
/// with the same values for the `equal` labels.
public struct InhibitRule: Decodable, Sendable {
    public var sourceMatchers: [Matcher]
    public var targetMatchers: [Matcher]
    public var equal: [String]

    enum CodingKeys: String, CodingKey {
        case equal
        case sourceMatchers = "source_matchers"
        case sourceMatch = "source_match"
        case sourceMatchRE = "source_match_re"
        case targetMatchers = "target_matchers"
        case targetMatch = "target_match"
        case targetMatchRE = "target_match_re"
    }

    public init(sourceMatchers: [Matcher], targetMatchers: [Matcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sourceMatchers = try container.decodeMatchers(.sourceMatchers, equal: .sourceMatch, regex: .sourceMatchRE)
        targetMatchers = try container.decodeMatchers(.targetMatchers, equal: .targetMatch, regex: .targetMatchRE)
        equal = try container.decodeIfPresent([String].self, forKey: .equal) ?? []
        for name in equal {
            try container.check(MetricNames.isValidLabelName(name), forKey: .equal, "\"\(name)\" is not a valid label name")
        }
    }
}
