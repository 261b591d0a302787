import Yams

/// A part of the configuration kept as YAML until the module that owns it decodes it.
///
/// The root config does not know every module's types (dependencies point downward), so
/// sections such as `targets` or `statsd` are captured here with their position and checked
/// just as strictly when their module calls `decode`.
public struct ConfigSection: Decodable, @unchecked Sendable {
    public let node: Node
    public let codingPath: [any CodingKey]

    public init(from decoder: any Decoder) throws {
        guard let nodeDecoder = decoder as? NodeDecoder else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a section can only be read from YAML"))
        }
        nodeDecoder.tracker.markDeferred(nodeDecoder.node)
        node = nodeDecoder.node
        codingPath = decoder.codingPath
    }

    public init(node: Node, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    public func decode<T: Decodable>(_ type: T.Type, file: String) throws(ConfigError) -> T {
        try ConfigDecoder(file: file).decode(type, from: node, codingPath: codingPath)
    }

    /// Where the section starts, for errors found after decoding.
    public func error(_ message: String, file: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                    keyPath: formatKeyPath(codingPath), message: message)
    }
}

extension KeyedDecodingContainer {
    /// A Prometheus duration (`1h30m`); nil when the key is absent.
    public func decodeDuration(forKey key: Key) throws -> Duration? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let duration = PrometheusDuration.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(text)\" is not a duration")
        }
        return duration
    }

    /// A label set given as a mapping of names to values, each name checked.
    public func decodeLabels(forKey key: Key) throws -> Labels {
        guard let map = try decodeIfPresent([String: String].self, forKey: key) else { return Labels() }
        for name in map.keys where !MetricNames.isValidLabelName(name) {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\"\(name)\" is not a valid label name")
        }
        return Labels(map)
    }

    /// Fails with a positioned error unless `condition` holds.
    public func check(_ condition: Bool, forKey key: Key, _ message: @autoclosure () -> String) throws {
        if !condition {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message())
        }
    }
}
