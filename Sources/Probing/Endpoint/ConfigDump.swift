/// Prints a module's settings as YAML-like text for `debug=true`, with secrets replaced.
enum ConfigDump {
    private static let secretFields: Set<String> = ["password", "credentials"]

    static func yaml(_ value: Any) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out
    }

    private static func write(_ value: Any, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            if secretFields.contains(label) {
                out += "\(pad)\(label): <secret>\n"
                continue
            }
            let inner = Mirror(reflecting: child.value)
            switch inner.displayStyle {
            case .optional:
                if let wrapped = inner.children.first?.value {
                    emit(label, wrapped, pad: pad, indent: indent, into: &out)
                }
            default:
                emit(label, child.value, pad: pad, indent: indent, into: &out)
            }
        }
    }

    private static func emit(_ label: String, _ value: Any, pad: String, indent: Int, into out: inout String) {
        let mirror = Mirror(reflecting: value)
        if let map = value as? [String: String] {
            out += "\(pad)\(label):\(map.isEmpty ? " {}" : "")\n"
            for (key, item) in map.sorted(by: { $0.key < $1.key }) {
                out += "\(pad)  " + HTTPRedaction.redact(headerLine: "\(key): \(item)") + "\n"
            }
        } else if value is CustomStringConvertible, mirror.displayStyle != .struct || value is ProbeRegex {
            if mirror.displayStyle == .collection || mirror.displayStyle == .dictionary {
                out += "\(pad)\(label): \(mirror.children.isEmpty ? "[]" : "")\n"
                for element in mirror.children { out += "\(pad)  - \(flat(element.value))\n" }
            } else {
                out += "\(pad)\(label): \(value)\n"
            }
        } else if mirror.displayStyle == .struct || mirror.displayStyle == .class {
            out += "\(pad)\(label):\n"
            write(value, indent: indent + 1, into: &out)
        } else {
            out += "\(pad)\(label): \(flat(value))\n"
        }
    }

    private static func flat(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .struct, !(value is CustomStringConvertible) {
            return "{" + mirror.children.compactMap { child in
                child.label.map { secretFields.contains($0) ? "\($0): <secret>" : "\($0): \(flat(child.value))" }
            }.joined(separator: ", ") + "}"
        }
        return "\(value)"
    }
}
