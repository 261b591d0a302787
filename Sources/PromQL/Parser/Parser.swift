import OutpostCore
import TSDB

/// Parses PromQL text into an `Expr`, checking types as Prometheus's parser does.
public struct Parser {
    private let query: String
    private var tokens: [Token] = []
    private var index = 0
    private var nextSelectorID = 0
    /// Nesting depth, bounded so hostile input cannot exhaust the stack.
    private var depth = 0
    static let maxDepth = 200

    /// Parses a whole query; errors carry the byte position and print as `line:col: parse error: ...`.
    public static func parse(_ query: String) throws(ParseError) -> Expr {
        var parser = Parser(query: query)
        var lexer = Lexer(query)
        parser.tokens = try lexer.tokenize()
        if parser.tokens.count == 1 { throw parser.error("no expression found in input", at: parser.tokens[0]) }
        let expr = try parser.parseExpr(minPrecedence: 0)
        guard parser.current.kind == .eof else { throw parser.unexpected(parser.current) }
        return expr
    }

    private init(query: String) { self.query = query }

    // MARK: Tokens

    private var current: Token { tokens[index] }
    private func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(ParseError) -> Token {
        guard current.kind == kind else { throw unexpected(current, context) }
        return advance()
    }

    private func isKeyword(_ word: String) -> Bool { current.kind == .keyword && current.text == word }

    func error(_ message: String, at token: Token) -> ParseError {
        ParseError(position: PositionRange(start: token.start, end: token.end), message: message, query: query)
    }

    func error(_ message: String, _ position: PositionRange) -> ParseError {
        ParseError(position: position, message: message, query: query)
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: "end of input"
        case .identifier, .metricIdentifier: "identifier \"\(token.text)\""
        case .number: "number \"\(token.text)\""
        case .duration: "duration \"\(token.text)\""
        case .string: "string \"\(token.text)\""
        case .keyword: "\(token.text)"
        case .land, .lor, .lunless, .atan2: "\(token.text)"
        default: "\"\(token.text)\""
        }
    }

    private func unexpected(_ token: Token, _ context: String = "") -> ParseError {
        let suffix = context.isEmpty ? "" : " \(context)"
        return error("unexpected \(describe(token))\(suffix)", at: token)
    }

    // MARK: Expressions

    private func binaryOperator(_ token: Token) -> BinaryOperator? {
        switch token.kind {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .mod
        case .pow: .pow
        case .atan2: .atan2
        case .eql: .eql
        case .neq: .neq
        case .gtr: .gtr
        case .lss: .lss
        case .gte: .gte
        case .lte: .lte
        case .land: .and
        case .lor: .or
        case .lunless: .unless
        default: nil
        }
    }

    private mutating func parseExpr(minPrecedence: Int) throws(ParseError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw error("expression nested too deeply", at: current) }
        var lhs = try parseUnary()
        while let op = binaryOperator(current), op.precedence >= minPrecedence {
            let opToken = advance()
            var returnBool = false
            if isKeyword("bool") {
                advance()
                returnBool = true
            }
            var matching: VectorMatching?
            if isKeyword("on") || isKeyword("ignoring") {
                var m = VectorMatching()
                m.on = advance().text == "on"
                m.labels = try parseLabelList()
                if isKeyword("group_left") || isKeyword("group_right") {
                    m.cardinality = advance().text == "group_left" ? .manyToOne : .oneToMany
                    if current.kind == .leftParen { m.include = try parseLabelList() }
                }
                matching = m
            } else if isKeyword("group_left") || isKeyword("group_right") {
                throw unexpected(current)
            }
            let rhs = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, returnBool: returnBool, matching: matching, opToken: opToken)
        }
        return lhs
    }

    private mutating func makeBinary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, returnBool: Bool, matching: VectorMatching?, opToken: Token) throws(ParseError) -> Expr {
        let position = PositionRange(start: lhs.position.start, end: rhs.position.end)
        for side in [lhs, rhs] where side.type != .scalar && side.type != .vector {
            throw error("binary expression must contain only scalar and instant vector types", side.position)
        }
        let bothVectors = lhs.type == .vector && rhs.type == .vector
        if returnBool && !op.isComparison { throw error("bool modifier can only be used on comparison operators", position) }
        if op.isComparison && !returnBool && lhs.type == .scalar && rhs.type == .scalar {
            throw error("comparisons between scalars must use BOOL modifier", position)
        }
        if op.isSetOperator {
            if lhs.type == .scalar || rhs.type == .scalar {
                throw error("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", position)
            }
        }
        var matching = matching
        if let m = matching {
            if !bothVectors { throw error("vector matching only allowed between instant vectors", position) }
            if op.isSetOperator && m.cardinality != .oneToOne {
                throw error("no grouping allowed for \"\(op.rawValue)\" operation", position)
            }
            if m.on {
                for label in m.include where m.labels.contains(label) {
                    throw error("label \"\(label)\" must not occur in ON and GROUP clause at once", position)
                }
            }
        } else if bothVectors {
            matching = VectorMatching()
        }
        if op.isSetOperator, var m = matching {
            m.cardinality = .manyToMany
            matching = m
        }
        return .binary(Binary(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching, position: position))
    }

    private mutating func parseUnary() throws(ParseError) -> Expr {
        guard current.kind == .add || current.kind == .sub else { return try parsePostfix() }
        let opToken = advance()
        let operand = try parseExpr(minPrecedence: BinaryOperator.pow.precedence)
        let position = PositionRange(start: opToken.start, end: operand.position.end)
        guard operand.type == .scalar || operand.type == .vector else {
            throw error("unary expression only allowed on expressions of type scalar or instant vector, got \"\(operand.type.rawValue)\"", position)
        }
        if opToken.kind == .add { return operand }
        if case .number(let value, _) = operand { return .number(-value, position) }
        return .unary(.minus, operand, position)
    }

    private mutating func parsePostfix() throws(ParseError) -> Expr {
        var expr = try parsePrimary()
        while true {
            switch current.kind {
            case .leftBracket:
                expr = try parseRangeOrSubquery(expr)
            case .keyword where current.text == "offset":
                expr = try parseOffset(expr)
            case .at:
                expr = try parseAt(expr)
            default:
                return expr
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ expr: Expr) throws(ParseError) -> Expr {
        let open = advance()
        let range = try parseDurationExpression("in subquery or range selector")
        if current.kind == .rightBracket {
            let close = advance()
            guard case .vectorSelector(let selector) = expr else {
                throw error("ranges only allowed for vector selectors", PositionRange(start: expr.position.start, end: close.end))
            }
            if selector.offset != 0 || selector.at != nil {
                throw error("no offset or @ modifiers allowed before range", PositionRange(start: open.start, end: close.end))
            }
            guard range > 0 else { throw error("range must be greater than 0", PositionRange(start: open.start, end: close.end)) }
            return .matrixSelector(MatrixSelector(selector: selector, range: range, position: PositionRange(start: expr.position.start, end: close.end)))
        }
        _ = try expect(.colon, "in subquery or range selector, expected \":\" or \"]\"")
        var step: Int64 = 0
        if current.kind != .rightBracket { step = try parseDurationExpression("in subquery") }
        let close = try expect(.rightBracket, "in subquery, expected \"]\"")
        guard expr.type == .vector else {
            throw error("subquery is only allowed on instant vector, got \(expr.type.rawValue) instead", PositionRange(start: expr.position.start, end: close.end))
        }
        guard range > 0 else { throw error("range must be greater than 0", PositionRange(start: open.start, end: close.end)) }
        guard step >= 0 else { throw error("step must be greater than 0", PositionRange(start: open.start, end: close.end)) }
        return .subquery(Subquery(expr: expr, range: range, step: step, position: PositionRange(start: expr.position.start, end: close.end)))
    }

    /// A duration literal or a number of seconds, in milliseconds.
    private mutating func parseDuration(_ context: String, allowNegative: Bool = false) throws(ParseError) -> Int64 {
        var sign: Int64 = 1
        if allowNegative, current.kind == .sub || current.kind == .add {
            if advance().kind == .sub { sign = -1 }
        }
        let token = current
        switch token.kind {
        case .duration:
            advance()
            guard let ms = PrometheusDuration.milliseconds(token.text) else {
                throw error("bad number or duration syntax: \"\(token.text)\"", at: token)
            }
            return sign * ms
        case .number:
            advance()
            guard let seconds = parseNumber(token.text), seconds.isFinite, abs(seconds) < 9e15 else {
                throw error("bad number or duration syntax: \"\(token.text)\"", at: token)
            }
            return sign * Int64((seconds * 1000).rounded())
        default:
            throw unexpected(token, context)
        }
    }

    /// Duration arithmetic (`[5m+30s]`, `offset (2 * 1m)`): numbers are seconds; result in ms.
    private mutating func parseDurationExpression(_ context: String) throws(ParseError) -> Int64 {
        let start = current
        let seconds = try parseDurationTerm(minPrecedence: 0, context)
        guard seconds.isFinite, abs(seconds) < 9e15 else {
            throw error("duration out of range", at: start)
        }
        return Int64((seconds * 1000).rounded())
    }

    private mutating func parseDurationTerm(minPrecedence: Int, _ context: String) throws(ParseError) -> Double {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else { throw error("expression nested too deeply", at: current) }
        var lhs: Double
        let token = advance()
        switch token.kind {
        case .add, .sub:
            let operand = try parseDurationTerm(minPrecedence: BinaryOperator.pow.precedence, context)
            lhs = token.kind == .sub ? -operand : operand
        case .number:
            guard let value = parseNumber(token.text) else { throw error("bad number syntax: \"\(token.text)\"", at: token) }
            lhs = value
        case .duration:
            guard let ms = PrometheusDuration.milliseconds(token.text) else {
                throw error("bad number or duration syntax: \"\(token.text)\"", at: token)
            }
            lhs = Double(ms) / 1000
        case .leftParen:
            lhs = try parseDurationTerm(minPrecedence: 0, context)
            _ = try expect(.rightParen, "in duration expression, expected \")\"")
        default:
            throw unexpected(token, context)
        }
        while let op = binaryOperator(current), [.add, .sub, .mul, .div, .mod, .pow].contains(op), op.precedence >= minPrecedence {
            let opToken = advance()
            let rhs = try parseDurationTerm(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1, context)
            if (op == .div || op == .mod) && rhs == 0 { throw error("division by zero", at: opToken) }
            lhs = Evaluator.apply(op, lhs, rhs).0
        }
        return lhs
    }

    private mutating func parseOffset(_ expr: Expr) throws(ParseError) -> Expr {
        let keyword = advance()
        let parenthesized = current.kind == .leftParen || ((current.kind == .sub || current.kind == .add) && peek().kind == .leftParen)
        let offset = parenthesized
            ? try parseDurationExpression("in offset")
            : try parseDuration("in offset, expected duration", allowNegative: true)
        let position = PositionRange(start: expr.position.start, end: tokens[max(0, index - 1)].end)
        switch expr {
        case .vectorSelector(var s):
            guard s.offset == 0 else { throw error("offset may not be set multiple times", at: keyword) }
            s.offset = offset
            s.position = position
            return .vectorSelector(s)
        case .matrixSelector(var m):
            guard m.selector.offset == 0 else { throw error("offset may not be set multiple times", at: keyword) }
            m.selector.offset = offset
            m.position = position
            return .matrixSelector(m)
        case .subquery(var s):
            guard s.offset == 0 else { throw error("offset may not be set multiple times", at: keyword) }
            s.offset = offset
            s.position = position
            return .subquery(s)
        default:
            throw error("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: keyword)
        }
    }

    private mutating func parseAt(_ expr: Expr) throws(ParseError) -> Expr {
        let atToken = advance()
        let at: AtModifier
        if current.kind == .identifier && (current.text == "start" || current.text == "end") {
            let word = advance().text
            _ = try expect(.leftParen, "in @ modifier")
            _ = try expect(.rightParen, "in @ modifier")
            at = word == "start" ? .start : .end
        } else {
            var sign = 1.0
            if current.kind == .sub || current.kind == .add { sign = advance().kind == .sub ? -1 : 1 }
            let token = advance()
            let magnitude: Double?
            switch token.kind {
            case .number: magnitude = parseNumber(token.text)
            case .duration: magnitude = PrometheusDuration.milliseconds(token.text).map { Double($0) / 1000 }
            default: throw unexpected(token, "in @, expected timestamp")
            }
            guard let seconds = magnitude.map({ $0 * sign }), seconds.isFinite, abs(seconds) < 9.2e15 else {
                throw error("timestamp out of bounds for @ modifier: \(token.text)", at: token)
            }
            at = .timestamp(Int64((seconds * 1000).rounded()))
        }
        let position = PositionRange(start: expr.position.start, end: tokens[max(0, index - 1)].end)
        switch expr {
        case .vectorSelector(var s):
            guard s.at == nil else { throw error("@ <timestamp> may not be set multiple times", at: atToken) }
            s.at = at
            s.position = position
            return .vectorSelector(s)
        case .matrixSelector(var m):
            guard m.selector.at == nil else { throw error("@ <timestamp> may not be set multiple times", at: atToken) }
            m.selector.at = at
            m.position = position
            return .matrixSelector(m)
        case .subquery(var s):
            guard s.at == nil else { throw error("@ <timestamp> may not be set multiple times", at: atToken) }
            s.at = at
            s.position = position
            return .subquery(s)
        default:
            throw error("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: atToken)
        }
    }

    private mutating func parsePrimary() throws(ParseError) -> Expr {
        let token = current
        switch token.kind {
        case .number:
            advance()
            guard let value = parseNumber(token.text) else { throw error("bad number syntax: \"\(token.text)\"", at: token) }
            return .number(value, PositionRange(start: token.start, end: token.end))
        case .string:
            advance()
            return .string(token.text, PositionRange(start: token.start, end: token.end))
        case .duration:
            // A duration in expression position is its number of seconds.
            advance()
            guard let ms = PrometheusDuration.milliseconds(token.text) else {
                throw error("bad number or duration syntax: \"\(token.text)\"", at: token)
            }
            return .number(Double(ms) / 1000, PositionRange(start: token.start, end: token.end))
        case .leftParen:
            advance()
            let inner = try parseExpr(minPrecedence: 0)
            let close = try expect(.rightParen, "in parenthesized expression, expected \")\"")
            return .paren(inner, PositionRange(start: token.start, end: close.end))
        case .leftBrace:
            return try parseSelector(name: nil, start: token.start)
        case .identifier, .metricIdentifier:
            let lower = token.text.lowercased()
            if lower == "inf" || lower == "nan" {
                advance()
                return .number(lower == "inf" ? .infinity : .nan, PositionRange(start: token.start, end: token.end))
            }
            if token.kind == .identifier, let op = AggregateOperator(rawValue: token.text.lowercased()),
               peek().kind == .leftParen || (peek().kind == .keyword && (peek().text == "by" || peek().text == "without")) {
                return try parseAggregate(op)
            }
            if token.kind == .identifier, peek().kind == .leftParen {
                guard let function = FunctionSignature.all[token.text] else {
                    throw error("unknown function with name \"\(token.text)\"", at: token)
                }
                return try parseCall(function)
            }
            advance()
            return try parseSelector(name: token.text, start: token.start)
        case .eof:
            throw error("unexpected end of input", at: token)
        default:
            throw unexpected(token)
        }
    }

    private mutating func parseCall(_ function: FunctionSignature) throws(ParseError) -> Expr {
        let nameToken = advance()
        _ = advance()
        var args: [Expr] = []
        while current.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 0))
            if current.kind == .comma { advance() } else { break }
        }
        let close = try expect(.rightParen, "in function call")
        let position = PositionRange(start: nameToken.start, end: close.end)
        let declared = function.argTypes.count
        if function.variadic == 0 {
            guard args.count == declared else {
                throw error("expected \(declared) argument(s) in call to \"\(function.name)\", got \(args.count)", position)
            }
        } else {
            if args.count < declared - 1 {
                throw error("expected at least \(declared - 1) argument(s) in call to \"\(function.name)\", got \(args.count)", position)
            }
            if function.variadic > 0, args.count > declared - 1 + function.variadic {
                throw error("expected at most \(declared - 1 + function.variadic) argument(s) in call to \"\(function.name)\", got \(args.count)", position)
            }
        }
        for (offset, arg) in args.enumerated() {
            let expected = function.argTypes[min(offset, declared - 1)]
            var actual = arg.type
            if case .string = arg, expected == .string { actual = .string }
            guard actual == expected else {
                throw error("expected type \(expected.rawValue) in call to function \"\(function.name)\", got \(actual.rawValue)", arg.position)
            }
        }
        return .call(Call(function: function, args: args, position: position))
    }

    private mutating func parseAggregate(_ op: AggregateOperator) throws(ParseError) -> Expr {
        let nameToken = advance()
        var grouping: [String] = []
        var without = false
        var groupingSeen = false
        if current.kind == .keyword && (current.text == "by" || current.text == "without") {
            without = advance().text == "without"
            grouping = try parseLabelList()
            groupingSeen = true
        }
        _ = try expect(.leftParen, "in aggregation")
        var args: [Expr] = []
        while current.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 0))
            if current.kind == .comma { advance() } else { break }
        }
        var close = try expect(.rightParen, "in aggregation")
        if !groupingSeen, current.kind == .keyword && (current.text == "by" || current.text == "without") {
            without = advance().text == "without"
            grouping = try parseLabelList()
            close = tokens[index - 1]
        }
        let position = PositionRange(start: nameToken.start, end: close.end)
        let wanted = op.hasParameter ? 2 : 1
        guard args.count == wanted else {
            throw error("wrong number of arguments for aggregate expression provided, expected \(wanted), got \(args.count)", position)
        }
        let expr = args[wanted - 1]
        let parameter = op.hasParameter ? args[0] : nil
        guard expr.type == .vector else {
            throw error("expected type instant vector in aggregation expression, got \(expr.type.rawValue)", expr.position)
        }
        if let parameter {
            let expected: ValueType = op == .countValues ? .string : .scalar
            guard parameter.type == expected else {
                throw error("expected type \(expected.rawValue) in aggregation parameter, got \(parameter.type.rawValue)", parameter.position)
            }
        }
        return .aggregate(Aggregate(op: op, expr: expr, parameter: parameter, grouping: grouping, without: without, position: position))
    }

    private mutating func parseLabelList() throws(ParseError) -> [String] {
        _ = try expect(.leftParen, "in grouping opts, expected \"(\"")
        var labels: [String] = []
        while current.kind != .rightParen {
            let token = advance()
            switch token.kind {
            case .identifier, .keyword, .land, .lor, .lunless, .atan2:
                labels.append(token.text)
            case .string:
                labels.append(token.text)
            default:
                throw unexpected(token, "in grouping opts, expected label")
            }
            if current.kind == .comma { advance() } else if current.kind != .rightParen {
                throw unexpected(current, "in grouping opts, expected \")\" or \",\"")
            }
        }
        advance()
        return labels
    }

    private mutating func parseSelector(name: String?, start: Int) throws(ParseError) -> Expr {
        var metricName = name
        var matchers: [LabelMatcher] = []
        var end = tokens[max(0, index - 1)].end
        if current.kind == .leftBrace {
            advance()
            while current.kind != .rightBrace {
                let labelToken = advance()
                let labelName: String
                switch labelToken.kind {
                case .identifier, .metricIdentifier, .keyword, .land, .lor, .lunless, .atan2: labelName = labelToken.text
                case .string:
                    if current.kind == .comma || current.kind == .rightBrace {
                        if metricName != nil { throw error("metric name must not be set twice: \"\(metricName ?? "")\" or \"\(labelToken.text)\"", at: labelToken) }
                        metricName = labelToken.text
                        if current.kind == .comma { advance() }
                        continue
                    }
                    labelName = labelToken.text
                default:
                    throw unexpected(labelToken, "in label matching, expected label")
                }
                let opToken = advance()
                let kind: LabelMatcher.Kind
                switch opToken.kind {
                case .assign: kind = .equal
                case .neq: kind = .notEqual
                case .regexMatch: kind = .regexMatch
                case .regexNoMatch: kind = .regexNoMatch
                default: throw unexpected(opToken, "in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"")
                }
                let valueToken = try expect(.string, "in label matching, expected string")
                do {
                    matchers.append(try LabelMatcher(kind, labelName, valueToken.text))
                } catch {
                    throw self.error("invalid regular expression in label matcher: \(error.description)", at: valueToken)
                }
                if current.kind == .comma { advance() } else if current.kind != .rightBrace {
                    throw unexpected(current, "in label matching, expected \",\" or \"}\"")
                }
            }
            end = advance().end
        }
        let position = PositionRange(start: start, end: end)
        if let metricName {
            if matchers.contains(where: { $0.name == Labels.metricName }) {
                throw error("metric name must not be set twice: \"\(metricName)\" or \"\(matchers.first { $0.name == Labels.metricName }?.value ?? "")\"", position)
            }
            do { matchers.insert(try LabelMatcher(.equal, Labels.metricName, metricName), at: 0) } catch {}
        }
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw error("vector selector must contain at least one non-empty matcher", position)
        }
        nextSelectorID += 1
        return .vectorSelector(VectorSelector(id: nextSelectorID, name: metricName, matchers: matchers, position: position))
    }
}

/// Parses a PromQL number literal: decimal, hex, exponent, Inf and NaN, with optional underscores.
func parseNumber(_ text: String) -> Double? {
    let cleaned = text.replacingOccurrences(of: "_", with: "")
    let lower = cleaned.lowercased()
    if lower == "inf" || lower == "+inf" { return .infinity }
    if lower == "-inf" { return -.infinity }
    if lower == "nan" { return .nan }
    if lower.hasPrefix("0x") { return UInt64(lower.dropFirst(2), radix: 16).map(Double.init) }
    return Double(cleaned)
}
