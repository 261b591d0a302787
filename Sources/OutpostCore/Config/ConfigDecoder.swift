import Foundation
import Yams

/// Decodes YAML configuration into `Decodable` types, strictly.
///
/// Unlike a plain YAML decoder it keeps every node's position, so each error names
/// file, line, column and key path, and it rejects keys no type asked for: after a
/// successful decode, any mapping key that was never looked up is an unknown key.
public struct ConfigDecoder: Sendable {
    public var file: String

    public init(file: String) {
        self.file = file
    }

    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws(ConfigError) -> T {
        let root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch {
            throw yamlError(error)
        }
        return try decode(type, from: root, codingPath: [])
    }

    /// Decodes one subtree; `codingPath` is where it sits in the file, for error messages.
    public func decode<T: Decodable>(_ type: T.Type, from node: Node, codingPath: [any CodingKey]) throws(ConfigError) -> T {
        // The file's folder: what precedes its last "/", or the working directory ("").
        let directory = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? ""
        let tracker = KeyUseTracker(directory: directory.isEmpty && file.hasPrefix("/") ? "/" : directory)
        let decoder = NodeDecoder(node: node, codingPath: codingPath, tracker: tracker)
        let value: T
        do {
            value = try T(from: decoder)
        } catch let error as ConfigError {
            throw error
        } catch let error as DecodingError {
            throw configError(error, root: node, rootPath: codingPath)
        } catch {
            throw ConfigError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                              keyPath: formatKeyPath(codingPath), message: "\(error)")
        }
        if let unknown = firstUnusedKey(in: node, path: codingPath, tracker: tracker) {
            throw unknown
        }
        return value
    }

    private func yamlError(_ error: any Error) -> ConfigError {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                return ConfigError(file: file, line: mark.line, column: mark.column, keyPath: "", message: "invalid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return ConfigError(file: file, line: context.mark.line, column: context.mark.column, keyPath: "",
                                   message: "duplicate key \(duplicates.joined(separator: ", "))")
            default:
                break
            }
        }
        return ConfigError(file: file, line: 1, column: 1, keyPath: "", message: "invalid YAML: \(error)")
    }

    private func firstUnusedKey(in node: Node, path: [any CodingKey], tracker: KeyUseTracker) -> ConfigError? {
        if tracker.isDeferred(node) { return nil }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = key.string ?? ""
                let keyPath = path + [ConfigKey(name)]
                if !tracker.wasUsed(key) {
                    return ConfigError(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1,
                                       keyPath: formatKeyPath(keyPath), message: "unknown key \"\(name)\"")
                }
                if let error = firstUnusedKey(in: value, path: keyPath, tracker: tracker) { return error }
            }
        case .sequence(let sequence):
            for (index, element) in sequence.enumerated() {
                if let error = firstUnusedKey(in: element, path: path + [ConfigKey(index: index)], tracker: tracker) {
                    return error
                }
            }
        default:
            break
        }
        return nil
    }

    private func configError(_ error: DecodingError, root: Node, rootPath: [any CodingKey]) -> ConfigError {
        let context: DecodingError.Context
        let message: String
        var path: [any CodingKey]
        switch error {
        case .typeMismatch(let type, let ctx):
            context = ctx
            path = ctx.codingPath
            message = ctx.debugDescription.isEmpty ? "expected \(describe(type))" : ctx.debugDescription
        case .valueNotFound(let type, let ctx):
            context = ctx
            path = ctx.codingPath
            message = "expected \(describe(type)), found nothing"
        case .keyNotFound(let key, let ctx):
            context = ctx
            path = ctx.codingPath
            message = "missing required key \"\(key.stringValue)\""
        case .dataCorrupted(let ctx):
            context = ctx
            path = ctx.codingPath
            message = ctx.debugDescription
        @unknown default:
            return ConfigError(file: file, line: 1, column: 1, keyPath: "", message: "\(error)")
        }
        _ = context
        let relative = Array(path.dropFirst(min(rootPath.count, path.count)))
        let node = locate(relative, in: root)
        let mark = node?.mark ?? root.mark
        if case .keyNotFound = error {} else if path.isEmpty { path = rootPath }
        return ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                           keyPath: formatKeyPath(path), message: message)
    }

    /// The deepest node along `path`, so an error points as close to its cause as possible.
    private func locate(_ path: [any CodingKey], in root: Node) -> Node? {
        var node = root
        for key in path {
            switch node {
            case .mapping(let mapping):
                guard let entry = mapping.first(where: { $0.key.string == key.stringValue }) else { return node }
                node = entry.value
            case .sequence(let sequence):
                guard let index = key.intValue, index < sequence.count else { return node }
                node = sequence[index]
            default:
                return node
            }
        }
        return node
    }

    private func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type, is UInt.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a mapping (\(name))"
        }
    }
}

/// A coding key for paths built by hand.
public struct ConfigKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int?

    public init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    public init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    public init?(stringValue: String) { self.init(stringValue) }
    public init?(intValue: Int) { self.init(index: intValue) }
}

/// Remembers which mapping keys the decoded types looked at, by their position in the file.
final class KeyUseTracker {
    /// The config file's folder, which relative file paths in it are relative to.
    let directory: String

    init(directory: String) {
        self.directory = directory
    }

    private struct Position: Hashable {
        var line: Int
        var column: Int
    }

    private var used: Set<Position> = []
    private var deferred: Set<Position> = []

    func markUsed(_ key: Node) {
        guard let mark = key.mark else { return }
        used.insert(Position(line: mark.line, column: mark.column))
    }

    /// A subtree another decoder will check later (see `ConfigSection`).
    func markDeferred(_ node: Node) {
        guard let mark = node.mark else { return }
        deferred.insert(Position(line: mark.line, column: mark.column))
    }

    func isDeferred(_ node: Node) -> Bool {
        guard let mark = node.mark else { return false }
        return deferred.contains(Position(line: mark.line, column: mark.column))
    }

    func wasUsed(_ key: Node) -> Bool {
        guard let mark = key.mark else { return true }
        return used.contains(Position(line: mark.line, column: mark.column))
    }
}

extension CodingUserInfoKey {
    /// The folder of the config file being decoded (a `String`, empty for the working directory).
    public static let configDirectory = CodingUserInfoKey(rawValue: "outpost.configDirectory")!
}

extension KeyedDecodingContainer {
    /// A file path, made relative to the config file's folder when it is relative, as
    /// Prometheus reads the files its config names.
    public func decodeFilePath(forKey key: Key, decoder: any Decoder) throws -> String? {
        guard let path = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard !path.isEmpty, !path.hasPrefix("/"), let directory = decoder.userInfo[.configDirectory] as? String, !directory.isEmpty else { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}

/// Gives typed decoders access to the YAML node they decode, for types that need the
/// raw tree (for example a section handed on to another module).
public protocol ConfigNodeDecoder: Decoder {
    var node: Node { get }
}

struct NodeDecoder: ConfigNodeDecoder {
    let node: Node
    let codingPath: [any CodingKey]
    let tracker: KeyUseTracker
    var userInfo: [CodingUserInfoKey: Any] { [.configDirectory: tracker.directory] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            if isNull(node) {
                return KeyedDecodingContainer(KeyedNodeContainer(mapping: Node.Mapping([]), codingPath: codingPath, tracker: tracker))
            }
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
        return KeyedDecodingContainer(KeyedNodeContainer(mapping: mapping, codingPath: codingPath, tracker: tracker))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            if isNull(node) { return UnkeyedNodeContainer(elements: [], codingPath: codingPath, tracker: tracker) }
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected a list"))
        }
        return UnkeyedNodeContainer(elements: Array(sequence), codingPath: codingPath, tracker: tracker)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath, tracker: tracker)
    }
}

private func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node else { return false }
    return scalar.tag == Tag(.null) || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: Node.Mapping
    let codingPath: [any CodingKey]
    let tracker: KeyUseTracker

    var allKeys: [Key] {
        mapping.compactMap { key, _ in
            tracker.markUsed(key)
            return key.string.flatMap { Key(stringValue: $0) }
        }
    }

    private func entry(_ key: Key) -> Node? {
        for (name, value) in mapping where name.string == key.stringValue {
            tracker.markUsed(name)
            return value
        }
        return nil
    }

    func contains(_ key: Key) -> Bool { entry(key) != nil }

    private func require(_ key: Key) throws -> Node {
        guard let value = entry(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: ""))
        }
        return value
    }

    private func decoder(for key: Key) throws -> NodeDecoder {
        NodeDecoder(node: try require(key), codingPath: codingPath + [key], tracker: tracker)
    }

    func decodeNil(forKey key: Key) throws -> Bool { isNull(try require(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: decoder(for: key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = entry(key), !isNull(value) else { return nil }
        return try T(from: NodeDecoder(node: value, codingPath: codingPath + [key], tracker: tracker))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        NodeDecoder(node: .mapping(mapping), codingPath: codingPath, tracker: tracker)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(for: key) }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let elements: [Node]
    let codingPath: [any CodingKey]
    let tracker: KeyUseTracker
    var currentIndex = 0

    init(elements: [Node], codingPath: [any CodingKey], tracker: KeyUseTracker) {
        self.elements = elements
        self.codingPath = codingPath
        self.tracker = tracker
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "list ended early"))
        }
        defer { currentIndex += 1 }
        return NodeDecoder(node: elements[currentIndex], codingPath: codingPath + [ConfigKey(index: currentIndex)], tracker: tracker)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, isNull(elements[currentIndex]) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    let tracker: KeyUseTracker

    func decodeNil() -> Bool { isNull(node) }

    private func scalar(_ expected: String, _ type: Any.Type) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected)"))
        }
        return scalar.string
    }

    private func mismatch(_ text: String, _ expected: String, _ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "\"\(text)\" is not \(expected)"))
    }

    func decode(_ type: String.Type) throws -> String { try scalar("a string", type) }

    func decode(_ type: Bool.Type) throws -> Bool {
        let text = try scalar("true or false", type)
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw mismatch(text, "true or false", type)
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        let text = try scalar("a number", type)
        switch text {
        case ".inf", "+.inf", ".Inf", "+Inf", "+inf", "Inf", "inf": return .infinity
        case "-.inf", "-.Inf", "-Inf", "-inf": return -.infinity
        case ".nan", ".NaN", "NaN": return .nan
        default:
            guard let value = Double(text) else { throw mismatch(text, "a number", type) }
            return value
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let text = try scalar("an integer", type)
        guard let value = T(text) else { throw mismatch(text, "an integer", type) }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: NodeDecoder(node: node, codingPath: codingPath, tracker: tracker))
    }
}
