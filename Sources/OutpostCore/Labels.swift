/// One name/value pair of a label set.
public struct Label: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A label set kept sorted by name, the identity of a series as in Prometheus.
///
/// Names are unique; setting a name that exists replaces its value, and an empty
/// value removes the label (Prometheus treats an empty label as absent).
public struct Labels: Hashable, Sendable, RandomAccessCollection, Comparable, CustomStringConvertible {
    public static let metricName = "__name__"

    public private(set) var storage: [Label]

    public init() { storage = [] }

    /// Builds a label set from pairs in any order; later duplicates win, empty values are dropped.
    public init(_ pairs: [(String, String)]) {
        var labels = Labels()
        labels.storage.reserveCapacity(pairs.count)
        for (name, value) in pairs { labels[name] = value }
        self = labels
    }

    public init(_ dictionary: [String: String]) {
        storage = dictionary.filter { !$0.value.isEmpty }.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }
    }

    /// Wraps labels already sorted by name with unique names and no empty values.
    public init(sortedUnique labels: [Label]) {
        storage = labels
    }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public subscript(position: Int) -> Label { storage[position] }

    public subscript(name: String) -> String? {
        get {
            guard let index = insertionIndex(of: name), index < storage.count, storage[index].name == name else {
                return nil
            }
            return storage[index].value
        }
        set {
            let index = insertionIndex(of: name) ?? storage.count
            let exists = index < storage.count && storage[index].name == name
            switch (exists, newValue) {
            case (true, .some(let value)) where !value.isEmpty: storage[index].value = value
            case (true, _): storage.remove(at: index)
            case (false, .some(let value)) where !value.isEmpty: storage.insert(Label(name, value), at: index)
            case (false, _): break
            }
        }
    }

    /// The metric name (`__name__`), if any.
    public var name: String? { self[Labels.metricName] }

    public func removing(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: storage.filter { !names.contains($0.name) })
    }

    public func keeping(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: storage.filter { names.contains($0.name) })
    }

    /// Labels merged with `other`; `other` wins on conflicts.
    public func merging(_ other: Labels) -> Labels {
        var result = self
        for label in other.storage { result[label.name] = label.value }
        return result
    }

    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: storage.map { ($0.name, $0.value) })
    }

    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (l, r) in zip(lhs.storage, rhs.storage) {
            if l.name != r.name { return l.name < r.name }
            if l.value != r.value { return l.value < r.value }
        }
        return lhs.storage.count < rhs.storage.count
    }

    /// The Prometheus form: `{a="1", b="2"}`, with the metric name in front when present.
    public var description: String {
        let inner = storage.filter { $0.name != Labels.metricName }
            .map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
            .joined(separator: ", ")
        return (name ?? "") + "{" + inner + "}"
    }

    private func insertionIndex(of name: String) -> Int? {
        var low = 0
        var high = storage.count
        while low < high {
            let mid = (low + high) / 2
            if storage[mid].name < name { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// Escapes a label value as the Prometheus text format and PromQL strings do.
public func escapeLabelValue(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
        return value
    }
    var out = ""
    out.reserveCapacity(value.utf8.count + 4)
    for character in value.unicodeScalars {
        switch character {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(character)
        }
    }
    return out
}

extension Labels: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

/// Validity of metric and label names in the legacy (non-UTF-8) Prometheus scheme.
public enum MetricNames {
    public static func isValidMetricName(_ name: String) -> Bool {
        isValid(name, allowColon: true)
    }

    public static func isValidLabelName(_ name: String) -> Bool {
        isValid(name, allowColon: false)
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        for (index, byte) in name.utf8.enumerated() {
            let isLetter = (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 95
            let isDigit = byte >= 48 && byte <= 57
            let isColon = byte == 58
            if isLetter || (allowColon && isColon) { continue }
            if isDigit && index > 0 { continue }
            return false
        }
        return true
    }
}
