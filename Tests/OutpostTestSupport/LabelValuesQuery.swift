import Foundation

/// A Grafana Prometheus variable query `label_values(label)` or `label_values(selector, label)`.
public struct LabelValuesQuery {
    public var selector: String?
    public var label: String

    public init?(_ text: String) {
        guard text.hasPrefix("label_values("), text.hasSuffix(")") else { return nil }
        let inside = text.dropFirst("label_values(".count).dropLast()
        // The label is after the last comma; a selector may contain commas of its own.
        if let comma = inside.lastIndex(of: ",") {
            selector = inside[..<comma].trimmingCharacters(in: .whitespaces)
            label = inside[inside.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        } else {
            label = inside.trimmingCharacters(in: .whitespaces)
        }
        guard !label.isEmpty, label.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else { return nil }
    }
}
