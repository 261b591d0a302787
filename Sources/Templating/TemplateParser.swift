/// Builds parse trees from tokens the way Go's text/template/parse does, including its checks
/// (undefined functions and variables, misplaced `else`/`end`/`break`) and error wording.
struct TemplateParser {
    private let tokens: [TemplateToken]
    private let parseName: String
    private let isFunction: (String) -> Bool
    private var index = 0
    private var furthest = 0
    private var variables: [String]
    private var rangeDepth = 0
    private var nesting = 0
    private(set) var trees: [String: [TemplateNode]] = [:]

    /// Parse nesting beyond this is rejected so deep input cannot exhaust the stack.
    private static let maxNesting = 100

    /// Parses `text` into named trees: `name` for the main text plus every `define` and `block`.
    static func parse(
        name: String, text: String, isFunction: @escaping (String) -> Bool, predeclared: [String]
    ) throws(TemplateError) -> [String: [TemplateNode]] {
        var parser = TemplateParser(
            tokens: TemplateLexer.tokenize(text), parseName: name, isFunction: isFunction,
            variables: ["$"] + predeclared)
        try parser.parseTop(name: name)
        return parser.trees
    }

    private init(tokens: [TemplateToken], parseName: String, isFunction: @escaping (String) -> Bool, variables: [String]) {
        self.tokens = tokens
        self.parseName = parseName
        self.isFunction = isFunction
        self.variables = variables
    }

    // MARK: token stream

    private mutating func next() -> TemplateToken {
        let token = tokens[min(index, tokens.count - 1)]
        furthest = max(furthest, min(index, tokens.count - 1))
        index += 1
        return token
    }

    private mutating func backup() { index -= 1 }

    private mutating func peek() -> TemplateToken {
        let token = next()
        backup()
        return token
    }

    private mutating func nextNonSpace() -> TemplateToken {
        var token = next()
        while token.kind == .space { token = next() }
        return token
    }

    private mutating func peekNonSpace() -> TemplateToken {
        let token = nextNonSpace()
        backup()
        return token
    }

    private func error(_ message: String) -> TemplateError {
        TemplateError(message: "template: \(parseName):\(tokens[furthest].line): \(message)")
    }

    private func unexpected(_ token: TemplateToken, _ context: String) -> TemplateError {
        error("unexpected \(token.description) in \(context)")
    }

    private mutating func expect(_ kind: TemplateToken.Kind, _ context: String) throws(TemplateError) -> TemplateToken {
        let token = nextNonSpace()
        guard token.kind == kind else { throw unexpected(token, context) }
        return token
    }

    // MARK: structure

    private mutating func parseTop(name: String) throws(TemplateError) {
        var root: [TemplateNode] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delimiter = index
                _ = next()
                if nextNonSpace().kind == .keyword(.define) {
                    try parseDefinition()
                    continue
                }
                index = delimiter
            }
            switch try textOrAction() {
            case .end: throw error("unexpected {{end}}")
            case .else: throw error("unexpected {{else}}")
            case .node(let node): root.append(node)
            }
        }
        try add(name: name, root)
    }

    private mutating func add(name: String, _ root: [TemplateNode]) throws(TemplateError) {
        if let existing = trees[name], !Self.isEmpty(existing), !Self.isEmpty(root) {
            throw error("template: multiple definition of template \(GoQuote.quote(name))")
        }
        if let existing = trees[name], !Self.isEmpty(existing), Self.isEmpty(root) { return }
        trees[name] = root
    }

    /// Go treats a tree of only whitespace text as empty, so it may be redefined.
    private static func isEmpty(_ nodes: [TemplateNode]) -> Bool {
        nodes.allSatisfy { node in
            if case .text(_, let text) = node { return text.allSatisfy(\.isWhitespace) }
            return false
        }
    }

    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        guard let name = GoQuote.unquote(nameToken.text) else { throw error("invalid syntax") }
        _ = try expect(.rightDelim, context)
        let saved = variables
        variables = ["$"]
        let (list, end) = try itemList()
        variables = saved
        guard case .end = end else { throw error("unexpected {{else}} in \(context)") }
        try add(name: name, list)
    }

    private enum Item {
        case node(TemplateNode)
        case end
        case `else`(position: Int)
    }

    private mutating func itemList() throws(TemplateError) -> ([TemplateNode], Item) {
        var list: [TemplateNode] = []
        while peekNonSpace().kind != .eof {
            let item = try textOrAction()
            switch item {
            case .node(let node): list.append(node)
            case .end, .else: return (list, item)
            }
        }
        throw error("unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .text: return .node(.text(position: token.position, token.text))
        case .leftDelim: return try action()
        default: throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(TemplateError) -> Item {
        let token = nextNonSpace()
        switch token.kind {
        case .keyword(.block): return .node(try blockControl())
        case .keyword(.break), .keyword(.continue):
            let isBreak = token.kind == .keyword(.break)
            let closing = nextNonSpace()
            guard closing.kind == .rightDelim else { throw unexpected(closing, isBreak ? "{{break}}" : "{{continue}}") }
            guard rangeDepth > 0 else { throw error(isBreak ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}") }
            return .node(.loopControl(position: token.position, isBreak: isBreak))
        case .keyword(.else):
            let following = peekNonSpace()
            if following.kind == .keyword(.if) || following.kind == .keyword(.with) {
                return .else(position: following.position)
            }
            let closing = try expect(.rightDelim, "else")
            return .else(position: closing.position)
        case .keyword(.end):
            _ = try expect(.rightDelim, "end")
            return .end
        case .keyword(.if): return .node(.branch(try branchControl(.if)))
        case .keyword(.range): return .node(.branch(try branchControl(.range)))
        case .keyword(.with): return .node(.branch(try branchControl(.with)))
        case .keyword(.template): return .node(try templateControl())
        default:
            backup()
            let position = peek().position
            return .node(.action(ActionNode(position: position, pipe: try pipeline(context: "command", end: .rightDelim))))
        }
    }

    private mutating func branchControl(_ kind: BranchNode.Kind) throws(TemplateError) -> BranchNode {
        let mark = variables.count
        defer { variables.removeLast(variables.count - mark) }
        let pipe = try pipeline(context: kind.rawValue, end: .rightDelim)
        if kind == .range { rangeDepth += 1 }
        let (list, terminator) = try itemList()
        if kind == .range { rangeDepth -= 1 }
        var elseList: [TemplateNode]?
        if case .else = terminator {
            if kind == .if, peek().kind == .keyword(.if) {
                // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` with the inner end shared.
                _ = next()
                elseList = [.branch(try branchControl(.if))]
            } else if kind == .with, peek().kind == .keyword(.with) {
                _ = next()
                elseList = [.branch(try branchControl(.with))]
            } else {
                let (list, end) = try itemList()
                guard case .end = end else { throw error("expected end; found {{else}}") }
                elseList = list
            }
        }
        return BranchNode(kind: kind, position: pipe.position, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func templateName(_ token: TemplateToken, context: String) throws(TemplateError) -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let name = GoQuote.unquote(token.text) else { throw error("invalid syntax") }
        return name
    }

    private mutating func templateControl() throws(TemplateError) -> TemplateNode {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context: context)
        var pipe: PipeNode?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context: context, end: .rightDelim)
        }
        return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
    }

    private mutating func blockControl() throws(TemplateError) -> TemplateNode {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context: context)
        let pipe = try pipeline(context: context, end: .rightDelim)
        let saved = variables
        let savedRangeDepth = rangeDepth
        variables = ["$"]
        rangeDepth = 0
        let (list, end) = try itemList()
        variables = saved
        rangeDepth = savedRangeDepth
        guard case .end = end else { throw error("unexpected {{else}} in \(context)") }
        try add(name: name, list)
        return .template(TemplateCallNode(position: token.position, name: name, pipe: pipe))
    }

    // MARK: pipelines

    /// A pipeline while it is being parsed.
    private struct PipeBuilder {
        var position: Int
        var isAssign = false
        var declarations: [String] = []
        var commands: [CommandNode] = []
    }

    private mutating func pipeline(context: String, end: TemplateToken.Kind) throws(TemplateError) -> PipeNode {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxNesting else { throw error("max expression depth exceeded") }
        var pipe = PipeBuilder(position: peekNonSpace().position)
        try declarations(into: &pipe, context: context)
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                try check(pipe, context: context)
                return PipeNode(position: pipe.position, isAssign: pipe.isAssign, declarations: pipe.declarations, commands: pipe.commands)
            case .bool, .charConstant, .dot, .field, .identifier, .number, .nil, .rawString, .string, .variable,
                .leftParen:
                backup()
                pipe.commands.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    /// `$x :=`, `$x =` and, for range, `$i, $e :=`. A variable not followed by a declaration
    /// operator starts the first command instead.
    private mutating func declarations(into pipe: inout PipeBuilder, context: String) throws(TemplateError) {
        while true {
            let start = index
            guard peekNonSpace().kind == .variable else { return }
            let variable = nextNonSpace()
            let following = peekNonSpace()
            switch following.kind {
            case .assign, .declare:
                pipe.isAssign = following.kind == .assign
                _ = nextNonSpace()
                pipe.declarations.append(variable.text)
                variables.append(variable.text)
                return
            case .char where following.text == ",":
                _ = nextNonSpace()
                pipe.declarations.append(variable.text)
                variables.append(variable.text)
                if context == "range" && pipe.declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            default:
                index = start
                return
            }
        }
    }

    private func check(_ pipe: PipeBuilder, context: String) throws(TemplateError) {
        guard !pipe.commands.isEmpty else { throw error("missing value for \(context)") }
        for (offset, command) in pipe.commands.enumerated().dropFirst() {
            switch command.arguments.first {
            case .bool, .dot, .nil, .number, .string:
                throw error("non executable command in pipeline stage \(offset + 1)")
            default:
                continue
            }
        }
    }

    private mutating func command() throws(TemplateError) -> CommandNode {
        let position = peekNonSpace().position
        var arguments: [ArgumentNode] = []
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { arguments.append(operand) }
            let token = next()
            switch token.kind {
            case .space:
                continue
            case .rightDelim, .rightParen:
                backup()
            case .pipe:
                break
            default:
                throw unexpected(token, "operand")
            }
            break
        }
        guard !arguments.isEmpty else { throw error("empty command") }
        return CommandNode(position: position, arguments: arguments)
    }

    private mutating func operand() throws(TemplateError) -> ArgumentNode? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let position = peek().position
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(next().text.dropFirst())) }
        switch node {
        case .field(_, let names): return .field(position: position, names + fields)
        case .variable(_, let names): return .variable(position: position, names + fields)
        case .bool, .string, .number, .nil, .dot:
            throw error("unexpected . after term \(GoQuote.quote(node.description))")
        default: return .chain(position: position, node, fields)
        }
    }

    private mutating func term() throws(TemplateError) -> ArgumentNode? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            guard isFunction(token.text) else { throw error("function \(GoQuote.quote(token.text)) not defined") }
            return .identifier(position: token.position, token.text)
        case .dot: return .dot(position: token.position)
        case .nil: return .nil(position: token.position)
        case .variable:
            guard variables.contains(token.text) else { throw error("undefined variable \(GoQuote.quote(token.text))") }
            return .variable(position: token.position, [token.text])
        case .field: return .field(position: token.position, [String(token.text.dropFirst())])
        case .bool: return .bool(position: token.position, token.text == "true")
        case .number, .charConstant:
            return .number(position: token.position, try number(token))
        case .leftParen:
            return .pipe(try pipeline(context: "parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            guard let value = GoQuote.unquote(token.text) else { throw error("invalid syntax") }
            return .string(position: token.position, quoted: token.text, value: value)
        default:
            backup()
            return nil
        }
    }

    private func number(_ token: TemplateToken) throws(TemplateError) -> NumberLiteral {
        if token.kind == .charConstant {
            guard let value = GoQuote.unquote(token.text), let scalar = value.unicodeScalars.first else {
                throw error("malformed character constant: \(token.text)")
            }
            let code = Int(scalar.value)
            return NumberLiteral(text: token.text, int: code, float: Double(code), natural: .int(code))
        }
        guard let literal = GoNumber.parse(token.text) else {
            throw error("illegal number syntax: \(GoQuote.quote(token.text))")
        }
        return literal
    }
}
