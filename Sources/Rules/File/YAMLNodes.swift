import Yams

/// Small readers over Yams nodes that keep positions, for formats checked by hand.
enum YAMLNodes {
    static func position(_ node: Node?) -> SourcePosition {
        guard let mark = node?.mark else { return SourcePosition(line: 1, column: 1) }
        return SourcePosition(line: mark.line, column: mark.column)
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.tag == Tag(.null) || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
    }

    /// Entries of a mapping as (key, key node, value node), in file order.
    static func entries(_ node: Node) -> [(name: String, key: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.map { ($0.key.string ?? "", $0.key, $0.value) }
    }

    /// A scalar's text; null reads as the empty string, as Go's YAML decoder gives a string field.
    static func string(_ node: Node) -> String? {
        if isNull(node) { return "" }
        guard case .scalar(let scalar) = node else { return nil }
        return scalar.string
    }

    /// Go's yaml.v3 description of a node that did not fit, e.g. "!!seq" or "!!str `abc`".
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "!!str `\(scalar.string)`"
        case .mapping: return "!!map"
        case .sequence: return "!!seq"
        case .alias: return "!!alias"
        }
    }
}
