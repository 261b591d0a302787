/// Parses matchers in Alertmanager's syntax: `{alertname="Disk", severity=~"warn|crit"}`.
///
/// Braces are optional, values may be unquoted (`env=prod`), a trailing comma is allowed, and
/// quoted strings take the escapes `\"`, `\\`, `\n` and `\t`. Errors carry the character offset
/// where parsing failed, so config errors can point at the column.
public enum MatcherParser {
    /// A list of matchers, with or without braces.
    public static func parseMatchers(_ text: String) throws(MatcherParseError) -> [Matcher] {
        var cursor = Cursor(text)
        cursor.skipSpace()
        let braced = cursor.consume("{")
        var matchers: [Matcher] = []
        while true {
            cursor.skipSpace()
            if cursor.isAtEnd || cursor.peek == "}" { break }
            matchers.append(try parseOne(&cursor))
            cursor.skipSpace()
            if !cursor.consume(",") { break }
        }
        cursor.skipSpace()
        if braced {
            guard cursor.consume("}") else { throw cursor.error(cursor.isAtEnd ? "missing closing \"}\"" : "expected \",\" or \"}\"") }
        } else if cursor.peek == "}" {
            throw cursor.error("unexpected \"}\" without an opening \"{\"")
        }
        cursor.skipSpace()
        guard cursor.isAtEnd else { throw cursor.error("unexpected \(describe(cursor.peek)) after matchers") }
        return matchers
    }

    /// Exactly one matcher, as each entry of a `matchers:` list in the config holds.
    public static func parseMatcher(_ text: String) throws(MatcherParseError) -> Matcher {
        let matchers = try parseMatchers(text)
        guard matchers.count == 1 else {
            throw MatcherParseError(offset: 0, message: matchers.isEmpty ? "no matcher found" : "expected one matcher, found \(matchers.count)")
        }
        return matchers[0]
    }

    private static func parseOne(_ cursor: inout Cursor) throws(MatcherParseError) -> Matcher {
        let nameStart = cursor.offset
        let name: String
        if cursor.peek == "\"" {
            name = try cursor.quoted()
        } else {
            name = cursor.labelName()
        }
        guard !name.isEmpty else { throw MatcherParseError(offset: nameStart, message: "expected a label name, found \(describe(cursor.peek))") }
        cursor.skipSpace()
        let operatorStart = cursor.offset
        let kind: Matcher.Kind
        if cursor.consume("=~") {
            kind = .regexMatch
        } else if cursor.consume("!~") {
            kind = .regexNoMatch
        } else if cursor.consume("!=") {
            kind = .notEqual
        } else if cursor.consume("=") {
            kind = .equal
        } else {
            throw MatcherParseError(offset: operatorStart, message: "expected one of =, !=, =~, !~ after \"\(name)\", found \(describe(cursor.peek))")
        }
        cursor.skipSpace()
        let valueStart = cursor.offset
        let value: String
        if cursor.peek == "\"" {
            value = try cursor.quoted()
        } else {
            value = cursor.token(stoppingAt: ",{}\"")
            if value.contains("=") || value.contains("~") {
                throw MatcherParseError(offset: valueStart, message: "unquoted value \"\(value)\" contains an operator; quote it")
            }
        }
        do {
            return try Matcher(name: name, kind: kind, value: value)
        } catch {
            throw MatcherParseError(offset: valueStart, message: error.message)
        }
    }

    private static func describe(_ character: Character?) -> String {
        character.map { "\"\($0)\"" } ?? "end of input"
    }
}

/// Why matcher text did not parse, and at which character (0-based) it went wrong.
public struct MatcherParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at character \(offset + 1))" }
}

/// A position in matcher text, counted in characters for error columns.
private struct Cursor {
    let characters: [Character]
    var offset = 0

    init(_ text: String) {
        characters = Array(text)
    }

    var isAtEnd: Bool { offset >= characters.count }
    var peek: Character? { isAtEnd ? nil : characters[offset] }

    mutating func skipSpace() {
        while let character = peek, character.isWhitespace { offset += 1 }
    }

    mutating func consume(_ literal: String) -> Bool {
        let wanted = Array(literal)
        guard offset + wanted.count <= characters.count, Array(characters[offset..<offset + wanted.count]) == wanted else { return false }
        offset += wanted.count
        return true
    }

    /// Characters up to whitespace or one of `stops`.
    mutating func token(stoppingAt stops: String) -> String {
        let start = offset
        while let character = peek, !character.isWhitespace, !stops.contains(character) { offset += 1 }
        return String(characters[start..<offset])
    }

    /// An unquoted label name: letters, digits and underscores.
    mutating func labelName() -> String {
        let start = offset
        while let character = peek, character.isASCII, character.isLetter || character.isNumber || character == "_" { offset += 1 }
        return String(characters[start..<offset])
    }

    mutating func quoted() throws(MatcherParseError) -> String {
        let start = offset
        offset += 1
        var out = ""
        while let character = peek {
            offset += 1
            switch character {
            case "\"":
                return out
            case "\\":
                guard let escaped = peek else { break }
                offset += 1
                switch escaped {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\\", "\"": out.append(escaped)
                default: throw MatcherParseError(offset: offset - 2, message: "invalid escape \"\\\(escaped)\"")
                }
            default:
                out.append(character)
            }
        }
        throw MatcherParseError(offset: start, message: "unterminated quoted string")
    }

    func error(_ message: String) -> MatcherParseError { MatcherParseError(offset: offset, message: message) }
}
