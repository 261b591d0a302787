/// Grafana's variable interpolation for Prometheus queries: `$name`, `${name}`,
/// `${name:format}` and the deprecated `[[name]]` become the variable's value.
public enum GrafanaTemplate {
    public struct UnknownVariable: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "unknown variable $\(name)" }
    }

    /// Built-in variables, with values a Grafana panel would typically send.
    public static let builtIns = ["__rate_interval": "1m", "__interval": "15s", "__range": "1h", "__range_s": "3600", "__interval_ms": "15000"]

    public static func substitute(_ text: String, values: [String: String]) throws(UnknownVariable) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        func isNameCharacter(_ character: Character) -> Bool { character == "_" || character.isLetter || character.isNumber }
        func value(_ name: String) throws(UnknownVariable) -> String {
            guard let value = values[name] ?? builtIns[name] else { throw UnknownVariable(name: name) }
            return value
        }
        while index < characters.count {
            let character = characters[index]
            if character == "$", index + 1 < characters.count, characters[index + 1] == "{",
               let close = characters[(index + 2)...].firstIndex(of: "}") {
                let inside = String(characters[(index + 2)..<close])
                output += try value(String(inside.prefix { $0 != ":" }))
                index = close + 1
            } else if character == "$", index + 1 < characters.count, isNameCharacter(characters[index + 1]) {
                var end = index + 1
                while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
                output += try value(String(characters[(index + 1)..<end]))
                index = end
            } else if character == "[", index + 1 < characters.count, characters[index + 1] == "[",
                      let close = characters[(index + 2)...].firstIndex(of: "]"), close + 1 < characters.count, characters[close + 1] == "]" {
                output += try value(String(characters[(index + 2)..<close]))
                index = close + 2
            } else {
                output.append(character)
                index += 1
            }
        }
        return output
    }
}
