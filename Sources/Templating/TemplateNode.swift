/// The parse tree. `description` renders a node as Go's parse package does, for error contexts.
indirect enum TemplateNode: Sendable {
    case text(position: Int, String)
    case action(ActionNode)
    case branch(BranchNode)
    case template(TemplateCallNode)
    case loopControl(position: Int, isBreak: Bool)

    var position: Int {
        switch self {
        case .text(let position, _), .loopControl(let position, _): position
        case .action(let node): node.position
        case .branch(let node): node.position
        case .template(let node): node.position
        }
    }

    var description: String {
        switch self {
        case .text(_, let text): text
        case .action(let node): node.description
        case .branch(let node): node.description
        case .template(let node): node.description
        case .loopControl(_, let isBreak): isBreak ? "{{break}}" : "{{continue}}"
        }
    }
}

extension [TemplateNode] {
    var description: String { map(\.description).joined() }
}

struct ActionNode: Sendable {
    var position: Int
    var pipe: PipeNode

    var description: String { "{{" + pipe.description + "}}" }
}

/// `if`, `range` and `with`: a pipeline, a body and an optional else body.
struct BranchNode: Sendable {
    enum Kind: String, Sendable { case `if`, range, with }

    var kind: Kind
    var position: Int
    var pipe: PipeNode
    var list: [TemplateNode]
    var elseList: [TemplateNode]?

    var description: String {
        var out = "{{" + kind.rawValue + " " + pipe.description + "}}" + list.description
        if let elseList { out += "{{else}}" + elseList.description }
        return out + "{{end}}"
    }
}

struct TemplateCallNode: Sendable {
    var position: Int
    var name: String
    var pipe: PipeNode?

    var description: String {
        guard let pipe else { return "{{template " + GoQuote.quote(name) + "}}" }
        return "{{template " + GoQuote.quote(name) + " " + pipe.description + "}}"
    }
}

/// A pipeline; a class so the executor can note it as the error location without copying.
final class PipeNode: Sendable {
    let position: Int
    let isAssign: Bool
    let declarations: [String]
    let commands: [CommandNode]

    init(position: Int, isAssign: Bool, declarations: [String], commands: [CommandNode]) {
        self.position = position
        self.isAssign = isAssign
        self.declarations = declarations
        self.commands = commands
    }

    var description: String {
        var out = ""
        if !declarations.isEmpty {
            out = declarations.joined(separator: ", ") + (isAssign ? " = " : " := ")
        }
        return out + commands.map(\.description).joined(separator: " | ")
    }
}

/// One command of a pipeline: a function, field, variable or literal and its arguments.
final class CommandNode: Sendable {
    let position: Int
    let arguments: [ArgumentNode]

    init(position: Int, arguments: [ArgumentNode]) {
        self.position = position
        self.arguments = arguments
    }

    var description: String {
        arguments.map { argument in
            if case .pipe(let pipe) = argument { return "(" + pipe.description + ")" }
            return argument.description
        }.joined(separator: " ")
    }
}

/// A literal number with the readings Go's parser allows.
struct NumberLiteral: Sendable {
    var text: String
    var int: Int?
    var float: Double?
    /// The value used where any type is accepted: float when written with `.`, `e` or `p`.
    var natural: TemplateValue
}

indirect enum ArgumentNode: Sendable {
    case field(position: Int, [String])
    case variable(position: Int, [String])
    case chain(position: Int, ArgumentNode, [String])
    case identifier(position: Int, String)
    case pipe(PipeNode)
    case string(position: Int, quoted: String, value: String)
    case number(position: Int, NumberLiteral)
    case bool(position: Int, Bool)
    case `nil`(position: Int)
    case dot(position: Int)

    var position: Int {
        switch self {
        case .field(let position, _), .variable(let position, _), .chain(let position, _, _),
            .identifier(let position, _), .string(let position, _, _), .number(let position, _),
            .bool(let position, _), .nil(let position), .dot(let position):
            position
        case .pipe(let pipe): pipe.position
        }
    }

    var description: String {
        switch self {
        case .field(_, let names):
            return names.map { "." + $0 }.joined()
        case .variable(_, let names):
            return names.joined(separator: ".")
        case .chain(_, let node, let fields):
            let suffix = fields.map { "." + $0 }.joined()
            if case .pipe(let pipe) = node { return "(" + pipe.description + ")" + suffix }
            return node.description + suffix
        case .identifier(_, let name): return name
        case .pipe(let pipe): return pipe.description
        case .string(_, let quoted, _): return quoted
        case .number(_, let number): return number.text
        case .bool(_, let value): return value ? "true" : "false"
        case .nil: return "nil"
        case .dot: return "."
        }
    }
}
