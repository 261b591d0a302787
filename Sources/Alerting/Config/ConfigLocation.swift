import OutpostCore

/// Where a config value sits, kept for checks that can only run once the whole file is read
/// (a route naming a receiver defined further down, for example).
struct ConfigLocation: Sendable, Equatable {
    var line: Int
    var column: Int
    var keyPath: String

    init(_ decoder: any Decoder) {
        let mark = (decoder as? any ConfigNodeDecoder)?.node.mark
        line = mark?.line ?? 1
        column = mark?.column ?? 1
        keyPath = formatKeyPath(decoder.codingPath)
    }

    /// An error at this place; the file is filled in by `AlertingConfig.load`.
    func error(_ message: String, columnOffset: Int = 0) -> ConfigError {
        ConfigError(file: "", line: line, column: column + columnOffset, keyPath: keyPath, message: message)
    }
}

extension Decoder {
    /// A matcher parse error pointed at its column inside the YAML string.
    func matcherError(_ error: MatcherParseError) -> ConfigError {
        var quote = 0
        if let node = (self as? any ConfigNodeDecoder)?.node, case .scalar(let scalar) = node,
           scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            quote = 1
        }
        return ConfigLocation(self).error("invalid matcher: \(error.message)", columnOffset: quote + error.offset)
    }
}

/// A matcher written as a string in the config, e.g. `severity=~"warn|crit"`.
struct ConfigMatcher: Decodable, Sendable {
    let matcher: Matcher

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            matcher = try MatcherParser.parseMatcher(text)
        } catch {
            throw decoder.matcherError(error)
        }
    }
}

/// A regular expression given as the value of a deprecated `match_re` entry.
struct ConfigRegexMap: Decodable, Sendable {
    let matchers: [Matcher]

    init(from decoder: any Decoder) throws {
        let map = try decoder.singleValueContainer().decode([String: String].self)
        var result: [Matcher] = []
        for (name, pattern) in map.sorted(by: { $0.key < $1.key }) {
            do {
                result.append(try Matcher(name: name, kind: .regexMatch, value: pattern))
            } catch {
                throw decoder.matcherError(error)
            }
        }
        matchers = result
    }
}

extension KeyedDecodingContainer {
    /// `matchers`, `match` and `match_re` combined into one sorted list, as Alertmanager does.
    func decodeMatchers(_ matchersKey: Key, equal: Key, regex: Key) throws -> [Matcher] {
        var result = (try decodeIfPresent([ConfigMatcher].self, forKey: matchersKey) ?? []).map(\.matcher)
        for (name, value) in try decodeIfPresent([String: String].self, forKey: equal) ?? [:] {
            result.append(try Matcher(name: name, kind: .equal, value: value))
        }
        result += try decodeIfPresent(ConfigRegexMap.self, forKey: regex)?.matchers ?? []
        return result.sorted()
    }
}
