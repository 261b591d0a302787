/// Splits a query into tokens. Works on UTF-8 bytes; positions are byte offsets.
struct Lexer {
    static let keywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"]
    static let setOperators: [String: Token.Kind] = ["and": .land, "or": .lor, "unless": .lunless, "atan2": .atan2]

    private let bytes: [UInt8]
    private let query: String
    private var index = 0
    /// Inside `{...}` keywords are plain label names.
    private var braceDepth = 0
    /// Inside `[...]` numbers with units are durations.
    private var bracketDepth = 0
    private var parenDepth = 0

    init(_ query: String) {
        self.query = query
        bytes = Array(query.utf8)
    }

    func error(_ message: String, _ start: Int, _ end: Int? = nil) -> ParseError {
        ParseError(position: PositionRange(start: start, end: end ?? start), message: message, query: query)
    }

    mutating func tokenize() throws(ParseError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }

    private mutating func next() throws(ParseError) -> Token {
        skipSpaceAndComments()
        let start = index
        guard let byte = peek() else {
            // Unbalanced delimiters are reported at the end of input, as Prometheus's lexer does.
            if parenDepth > 0 { throw error("unclosed left parenthesis", start) }
            if braceDepth > 0 { throw error("unexpected end of input inside braces", start) }
            if bracketDepth > 0 { throw error("unclosed left bracket", start) }
            return Token(kind: .eof, text: "", start: start, end: start)
        }
        func single(_ kind: Token.Kind, _ length: Int = 1) -> Token {
            index += length
            return Token(kind: kind, text: text(start, index), start: start, end: index)
        }
        switch byte {
        case UInt8(ascii: "("):
            parenDepth += 1
            return single(.leftParen)
        case UInt8(ascii: ")"):
            guard parenDepth > 0 else { throw error("unexpected right parenthesis ')'", start) }
            parenDepth -= 1
            return single(.rightParen)
        case UInt8(ascii: "{"):
            braceDepth += 1
            return single(.leftBrace)
        case UInt8(ascii: "}"):
            guard braceDepth > 0 else { throw error("unexpected right brace '}'", start) }
            braceDepth -= 1
            return single(.rightBrace)
        case UInt8(ascii: "["):
            bracketDepth += 1
            return single(.leftBracket)
        case UInt8(ascii: "]"):
            guard bracketDepth > 0 else { throw error("unexpected right bracket ']'", start) }
            bracketDepth -= 1
            return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ":") where bracketDepth > 0: return single(.colon)
        case UInt8(ascii: "@"): return single(.at)
        case UInt8(ascii: "+"): return single(.add)
        case UInt8(ascii: "-"): return single(.sub)
        case UInt8(ascii: "*"): return single(.mul)
        case UInt8(ascii: "/"): return single(.div)
        case UInt8(ascii: "%"): return single(.mod)
        case UInt8(ascii: "^"): return single(.pow)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") { return single(.eql, 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.regexMatch, 2) }
            return single(.assign)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return single(.neq, 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.regexNoMatch, 2) }
            throw error("unexpected character after '!': '\(index + 1 < bytes.count ? text(index + 1, index + 2) : "")'", start)
        case UInt8(ascii: "<"): return peek(1) == UInt8(ascii: "=") ? single(.lte, 2) : single(.lss)
        case UInt8(ascii: ">"): return peek(1) == UInt8(ascii: "=") ? single(.gte, 2) : single(.gtr)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"): return try lexString(quote: byte)
        default: break
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
            return try lexNumberOrDuration()
        }
        if isIdentifierStart(byte) || byte == UInt8(ascii: ":") {
            return lexIdentifier()
        }
        let scalar = String(decoding: bytes[start...].prefix(4), as: UTF8.self).first.map(String.init) ?? "?"
        throw error("unexpected character: '\(scalar)'", start)
    }

    private mutating func skipSpaceAndComments() {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                index += 1
            } else if byte == UInt8(ascii: "#") {
                while let b = peek(), b != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 95
    }

    private mutating func lexIdentifier() -> Token {
        let start = index
        while let byte = peek(), isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: ":") { index += 1 }
        let word = text(start, index)
        if braceDepth == 0 {
            if let kind = Lexer.setOperators[word.lowercased()] { return Token(kind: kind, text: word, start: start, end: index) }
            if Lexer.keywords.contains(word.lowercased()) { return Token(kind: .keyword, text: word.lowercased(), start: start, end: index) }
        }
        let kind: Token.Kind = word.contains(":") ? .metricIdentifier : .identifier
        return Token(kind: kind, text: word, start: start, end: index)
    }

    private mutating func lexNumberOrDuration() throws(ParseError) -> Token {
        let start = index
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            index += 2
            while let byte = peek(), isDigit(byte) || (byte | 0x20 >= 97 && byte | 0x20 <= 102) || byte == UInt8(ascii: "_") { index += 1 }
            return Token(kind: .number, text: text(start, index), start: start, end: index)
        }
        while let byte = peek(), isDigit(byte) || byte == UInt8(ascii: "_") { index += 1 }
        // A digit run followed by a unit letter is a duration such as 5m or 1h30m.
        if let byte = peek(), "smhdwy".utf8.contains(byte) {
            while let byte = peek(), isDigit(byte) || "smhdwy".utf8.contains(byte) { index += 1 }
            return Token(kind: .duration, text: text(start, index), start: start, end: index)
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            while let byte = peek(), isDigit(byte) || byte == UInt8(ascii: "_") { index += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let save = index
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            if let digit = peek(), isDigit(digit) {
                while let byte = peek(), isDigit(byte) { index += 1 }
            } else {
                index = save
            }
        }
        if let byte = peek(), isIdentifierStart(byte) {
            while let byte = peek(), isIdentifierStart(byte) || isDigit(byte) { index += 1 }
            throw error("bad number or duration syntax: \"\(text(start, index))\"", start, index)
        }
        return Token(kind: .number, text: text(start, index), start: start, end: index)
    }

    private mutating func lexString(quote: UInt8) throws(ParseError) -> Token {
        let start = index
        index += 1
        var value: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated quoted string", start) }
            index += 1
            if byte == quote { break }
            if quote == UInt8(ascii: "`") {
                value.append(byte)
                continue
            }
            if byte == UInt8(ascii: "\n") { throw error("unterminated quoted string", start) }
            guard byte == UInt8(ascii: "\\") else {
                value.append(byte)
                continue
            }
            try lexEscape(into: &value, quote: quote)
        }
        return Token(kind: .string, text: Lexer.decodeKeepingInvalidBytes(value), start: start, end: index)
    }

    /// Invalid UTF-8 (possible through `\x` escapes) is kept visible: each bad byte becomes a
    /// private-use scalar, so label-name checks can reject it and messages can print `\xNN`.
    static let invalidByteBase: UInt32 = 0x10_FF00

    static func decodeKeepingInvalidBytes(_ bytes: [UInt8]) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, i + length <= bytes.count, let text = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                scalars.append(contentsOf: text.unicodeScalars)
                i += length
            } else {
                scalars.append(Unicode.Scalar(invalidByteBase + UInt32(lead)) ?? "?")
                i += 1
            }
        }
        return String(scalars)
    }

    private mutating func lexEscape(into value: inout [UInt8], quote: UInt8) throws(ParseError) {
        let escapeStart = index - 1
        guard let byte = peek() else { throw error("unterminated quoted string", escapeStart) }
        index += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
            UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
        ]
        if let mapped = simple[byte] {
            value.append(mapped)
            return
        }
        if byte == quote {
            value.append(byte)
            return
        }
        func hexDigits(_ count: Int) throws(ParseError) -> UInt32 {
            var result: UInt32 = 0
            for _ in 0..<count {
                guard let digit = peek(), let number = UInt32(String(UnicodeScalar(digit)), radix: 16) else {
                    throw error("invalid escape sequence", escapeStart)
                }
                result = result * 16 + number
                index += 1
            }
            return result
        }
        switch byte {
        case UInt8(ascii: "x"): value.append(UInt8(try hexDigits(2)))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let code = try hexDigits(byte == UInt8(ascii: "u") ? 4 : 8)
            guard let scalar = Unicode.Scalar(code) else { throw error("invalid escape sequence", escapeStart) }
            value.append(contentsOf: Array(String(Character(scalar)).utf8))
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var code = UInt32(byte - 48)
            for _ in 0..<2 {
                guard let digit = peek(), digit >= 48, digit <= 55 else { throw error("invalid escape sequence", escapeStart) }
                code = code * 8 + UInt32(digit - 48)
                index += 1
            }
            guard code <= 255 else { throw error("invalid escape sequence", escapeStart) }
            value.append(UInt8(code))
        default:
            throw error("unknown escape sequence '\\\(String(UnicodeScalar(byte)))'", escapeStart)
        }
    }
}
