/// Walks parse trees against data, following Go's text/template exec semantics (missingkey=zero):
/// variable scoping, pipelines passing their value as the final argument, field access on
/// records and maps, and errors located at the node being evaluated.
struct TemplateExecutor {
    private enum Control { case normal, `break`, `continue` }

    /// The node errors are reported at, as Go's `s.at(node)` tracks it.
    private enum Located {
        case node(TemplateNode)
        case pipe(PipeNode)
        case command(CommandNode)
        case argument(ArgumentNode)

        var position: Int {
            switch self {
            case .node(let node): node.position
            case .pipe(let pipe): pipe.position
            case .command(let command): command.position
            case .argument(let argument): argument.position
            }
        }

        var description: String {
            switch self {
            case .node(let node): node.description
            case .pipe(let pipe): pipe.description
            case .command(let command): command.description
            case .argument(let argument): argument.description
            }
        }
    }

    /// Nested template calls beyond this fail instead of exhausting the stack.
    static let maxDepth = 100

    private let template: Template
    private let environment: TemplateEnvironment
    private var templateName: String
    private var variables: [(name: String, value: TemplateValue)]
    private var at: Located?
    private var depth = 0
    private(set) var output = ""

    init(template: Template, name: String, data: TemplateValue, variables: [String: TemplateValue], environment: TemplateEnvironment) {
        self.template = template
        self.environment = environment
        self.templateName = name
        self.variables = [("$", data)] + variables.map { ($0.key, $0.value) }
        output.reserveCapacity(template.text.utf8.count)
    }

    mutating func run(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateError) {
        _ = try walk(nodes, dot: dot)
    }

    // MARK: errors

    private func fail(_ message: String) -> TemplateError {
        guard let at else { return TemplateError(message: "template: \(templateName): \(message)") }
        let prefix = template.text.utf8.prefix(at.position)
        let line = 1 + prefix.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        let column: Int
        if let newline = prefix.lastIndex(of: 10) {
            column = prefix.distance(from: prefix.index(after: newline), to: prefix.endIndex)
        } else {
            column = at.position
        }
        var context = at.description
        if context.utf8.count > 20 {
            context = String(String.UnicodeScalarView(context.unicodeScalars.prefix(20))) + "..."
        }
        return TemplateError(
            message: "template: \(template.name):\(line):\(column): executing \(GoQuote.quote(templateName)) at <\(context)>: \(message)")
    }

    // MARK: variables

    private func variable(_ name: String) throws(TemplateError) -> TemplateValue {
        guard let found = variables.last(where: { $0.name == name }) else { throw fail("undefined variable: \(name)") }
        return found.value
    }

    private mutating func setVariable(_ name: String, _ value: TemplateValue) throws(TemplateError) {
        guard let index = variables.lastIndex(where: { $0.name == name }) else { throw fail("undefined variable: \(name)") }
        variables[index].value = value
    }

    private mutating func setTopVariable(_ fromTop: Int, _ value: TemplateValue) {
        variables[variables.count - fromTop].value = value
    }

    // MARK: walking

    private mutating func walk(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateError) -> Control {
        for node in nodes {
            let control = try walk(node, dot: dot)
            if control != .normal { return control }
        }
        return .normal
    }

    private mutating func walk(_ node: TemplateNode, dot: TemplateValue) throws(TemplateError) -> Control {
        if case .text(_, let text) = node {
            output += text
            return .normal
        }
        at = .node(node)
        switch node {
        case .text:
            break
        case .action(let action):
            let value = try evalPipeline(dot: dot, action.pipe)
            if action.pipe.declarations.isEmpty {
                at = .node(node)
                output += value.isNull ? "<no value>" : GoFormat.value(value)
            }
        case .branch(let branch):
            let mark = variables.count
            defer { variables.removeLast(variables.count - mark) }
            if branch.kind == .range { return try walkRange(branch, dot: dot) }
            let value = try evalPipeline(dot: dot, branch.pipe)
            if value.isTrue {
                return try walk(branch.list, dot: branch.kind == .with ? value : dot)
            } else if let elseList = branch.elseList {
                return try walk(elseList, dot: dot)
            }
        case .template(let call):
            try walkTemplate(call, dot: dot)
        case .loopControl(_, let isBreak):
            return isBreak ? .break : .continue
        }
        return .normal
    }

    private mutating func walkRange(_ branch: BranchNode, dot: TemplateValue) throws(TemplateError) -> Control {
        let value = try evalPipeline(dot: dot, branch.pipe)
        let pipe = branch.pipe
        func iterate(_ executor: inout TemplateExecutor, index: TemplateValue, element: TemplateValue) throws(TemplateError) -> Control {
            if !pipe.declarations.isEmpty {
                if pipe.isAssign {
                    if pipe.declarations.count > 1 {
                        try executor.setVariable(pipe.declarations[0], index)
                        try executor.setVariable(pipe.declarations[1], element)
                    } else {
                        try executor.setVariable(pipe.declarations[0], element)
                    }
                } else {
                    executor.setTopVariable(1, element)
                    if pipe.declarations.count > 1 { executor.setTopVariable(2, index) }
                }
            }
            let mark = executor.variables.count
            defer { executor.variables.removeLast(executor.variables.count - mark) }
            return try executor.walk(branch.list, dot: element)
        }
        var iterations: [(TemplateValue, TemplateValue)] = []
        switch value {
        case .list(let list):
            iterations = list.enumerated().map { (.int($0.offset), $0.element) }
        case .map(let map):
            iterations = GoFormat.sortedKeys(map.keys).map { (.string($0), map[$0]!) }
        case .stringMap(let map):
            iterations = GoFormat.sortedKeys(map.keys).map { (.string($0), .string(map[$0]!)) }
        case .int(let count):
            if pipe.declarations.count > 1 {
                throw fail("can't use \(count) to iterate over more than one variable")
            }
            // Counted lazily: a large count must not allocate its whole range up front.
            guard count > 0 else { break }
            for number in 0..<count where try iterate(&self, index: .int(number), element: .int(number)) == .break { break }
            return .normal
        case .null:
            break
        default:
            throw fail("range can't iterate over \(GoFormat.value(value))")
        }
        if iterations.isEmpty {
            if let elseList = branch.elseList { return try walk(elseList, dot: dot) }
            return .normal
        }
        for (index, element) in iterations {
            if try iterate(&self, index: index, element: element) == .break { break }
        }
        return .normal
    }

    private mutating func walkTemplate(_ call: TemplateCallNode, dot: TemplateValue) throws(TemplateError) {
        guard let tree = template.trees[call.name] else { throw fail("template \(GoQuote.quote(call.name)) not defined") }
        guard depth < Self.maxDepth else { throw fail("exceeded maximum template depth (\(Self.maxDepth))") }
        let newDot = try call.pipe.map { pipe throws(TemplateError) in try evalPipeline(dot: dot, pipe) } ?? .null
        let saved = (templateName, variables, depth)
        templateName = call.name
        variables = [("$", newDot)]
        depth += 1
        defer { (templateName, variables, depth) = saved }
        _ = try walk(tree, dot: newDot)
    }

    /// Runs the named template with `data` into a separate output (the `tmpl` function).
    private mutating func render(templateNamed name: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let tree = template.trees[name] else { throw fail("template \(GoQuote.quote(name)) not defined") }
        guard depth < Self.maxDepth else { throw fail("exceeded maximum template depth (\(Self.maxDepth))") }
        let saved = (templateName, variables, depth, output, at)
        templateName = name
        variables = [("$", data)]
        depth += 1
        output = ""
        defer { (templateName, variables, depth, output, at) = saved }
        _ = try walk(tree, dot: data)
        return output
    }

    // MARK: evaluation

    private mutating func evalPipeline(dot: TemplateValue, _ pipe: PipeNode) throws(TemplateError) -> TemplateValue {
        at = .pipe(pipe)
        var value: TemplateValue?
        for command in pipe.commands {
            value = try evalCommand(dot: dot, command, final: value)
        }
        let result = value ?? .null
        for name in pipe.declarations {
            if pipe.isAssign {
                try setVariable(name, result)
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    private mutating func notAFunction(_ arguments: [ArgumentNode], final: TemplateValue?) throws(TemplateError) {
        if arguments.count > 1 || final != nil {
            throw fail("can't give argument to non-function \(arguments[0].description)")
        }
    }

    private mutating func evalCommand(dot: TemplateValue, _ command: CommandNode, final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        switch first {
        case .field(_, let names):
            at = .argument(first)
            return try evalFieldChain(dot: dot, receiver: dot, names[...], arguments: command.arguments, final: final)
        case .chain:
            return try evalChain(dot: dot, first, arguments: command.arguments, final: final)
        case .identifier(_, let name):
            return try evalFunction(dot: dot, first, name: name, command: .command(command), arguments: command.arguments, final: final)
        case .pipe(let pipe):
            try notAFunction(command.arguments, final: final)
            return try evalPipeline(dot: dot, pipe)
        case .variable(_, let names):
            return try evalVariable(dot: dot, first, names, arguments: command.arguments, final: final)
        default:
            break
        }
        at = .argument(first)
        try notAFunction(command.arguments, final: final)
        switch first {
        case .bool(_, let value): return .bool(value)
        case .dot: return dot
        case .nil: throw fail("nil is not a command")
        case .number(_, let number): return number.natural
        case .string(_, _, let value): return .string(value)
        default: throw fail("can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    private mutating func evalChain(dot: TemplateValue, _ node: ArgumentNode, arguments: [ArgumentNode], final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        guard case .chain(_, let inner, let fields) = node else { return .null }
        at = .argument(node)
        if case .nil = inner { throw fail("indirection through explicit nil in \(node.description)") }
        let receiver = try evalArgument(dot: dot, .any, inner)
        return try evalFieldChain(dot: dot, receiver: receiver, fields[...], arguments: arguments, final: final)
    }

    private mutating func evalVariable(dot: TemplateValue, _ node: ArgumentNode, _ names: [String], arguments: [ArgumentNode], final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        at = .argument(node)
        let value = try variable(names[0])
        if names.count == 1 {
            try notAFunction(arguments, final: final)
            return value
        }
        return try evalFieldChain(dot: dot, receiver: value, names.dropFirst(), arguments: arguments, final: final)
    }

    private mutating func evalFieldChain(dot: TemplateValue, receiver: TemplateValue, _ names: ArraySlice<String>, arguments: [ArgumentNode], final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        var current = receiver
        for name in names.dropLast() {
            current = try evalField(dot: dot, name, arguments: [], final: nil, receiver: current)
        }
        return try evalField(dot: dot, names.last!, arguments: arguments, final: final, receiver: current)
    }

    private mutating func evalField(dot: TemplateValue, _ name: String, arguments: [ArgumentNode], final: TemplateValue?, receiver: TemplateValue) throws(TemplateError) -> TemplateValue {
        if receiver.isNull { return .null }
        if let method = GoMethods.method(named: name, on: receiver) ?? environment.valueMethods?(name, receiver) {
            return try evalCall(dot: dot, method, name: name, node: at, arguments: arguments, final: final)
        }
        let hasArguments = arguments.count > 1 || final != nil
        switch receiver {
        case .record(let record):
            if let value = record[name] {
                if hasArguments { throw fail("\(name) has arguments but cannot be invoked as function") }
                return value
            }
        case .map(let map):
            if hasArguments { throw fail("\(name) is not a method but has arguments") }
            return map[name] ?? .null
        case .stringMap(let map):
            if hasArguments { throw fail("\(name) is not a method but has arguments") }
            return .string(map[name] ?? "")
        default:
            break
        }
        throw fail("can't evaluate field \(name) in type \(receiver.goTypeName)")
    }

    private mutating func evalFunction(dot: TemplateValue, _ node: ArgumentNode, name: String, command: Located, arguments: [ArgumentNode], final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        at = .argument(node)
        guard let function = template.functions[name] else { throw fail("\(GoQuote.quote(name)) is not a defined function") }
        return try evalCall(dot: dot, function, name: name, node: command, arguments: arguments, final: final)
    }

    /// Calls `function` with `arguments` (the first is the function's own node) plus `final`.
    private mutating func evalCall(dot: TemplateValue, _ function: TemplateFunction, name: String, node: Located?, arguments: [ArgumentNode], final: TemplateValue?) throws(TemplateError) -> TemplateValue {
        let argumentNodes = arguments.dropFirst()
        let count = argumentNodes.count + (final == nil ? 0 : 1)
        if function.variadic != nil {
            if count < function.parameters.count {
                throw fail("wrong number of args for \(name): want at least \(function.parameters.count) got \(count)")
            }
        } else if count != function.parameters.count {
            throw fail("wrong number of args for \(name): want \(function.parameters.count) got \(count)")
        }
        if case .shortCircuit(let isOr) = function.behaviour {
            var value = TemplateValue.null
            for argument in argumentNodes {
                value = try evalArgument(dot: dot, .any, argument)
                if value.isTrue == isOr { return value }
            }
            if let final { value = final }
            return value
        }
        var values: [TemplateValue] = []
        values.reserveCapacity(count)
        for (offset, argument) in argumentNodes.enumerated() {
            values.append(try evalArgument(dot: dot, function.parameter(at: offset), argument))
        }
        if let final {
            values.append(try validate(final, function.parameter(at: values.count)))
        }
        switch function.behaviour {
        case .call(let body):
            do {
                return try body(TemplateCall(arguments: values, environment: environment))
            } catch {
                at = node
                throw fail("error calling \(name): \(error.message)")
            }
        case .executeTemplate:
            guard case .string(let templateName) = values[0] else { return .null }
            return .string(try render(templateNamed: templateName, data: values[1]))
        case .shortCircuit:
            return .null
        }
    }

    private func validate(_ value: TemplateValue, _ parameter: TemplateParameter) throws(TemplateError) -> TemplateValue {
        if value.isNull {
            if parameter.canBeNil { return .null }
            throw fail("invalid value; expected \(parameter.goName)")
        }
        guard let accepted = parameter.accept(value) else {
            throw fail("wrong type for value; expected \(parameter.goName); got \(value.goTypeName)")
        }
        return accepted
    }

    private mutating func evalArgument(dot: TemplateValue, _ parameter: TemplateParameter, _ node: ArgumentNode) throws(TemplateError) -> TemplateValue {
        at = .argument(node)
        switch node {
        case .dot:
            return try validate(dot, parameter)
        case .nil:
            if parameter.canBeNil { return .null }
            throw fail("cannot assign nil to \(parameter.goName)")
        case .field(_, let names):
            return try validate(try evalFieldChain(dot: dot, receiver: dot, names[...], arguments: [node], final: nil), parameter)
        case .variable(_, let names):
            return try validate(try evalVariable(dot: dot, node, names, arguments: [node], final: nil), parameter)
        case .pipe(let pipe):
            return try validate(try evalPipeline(dot: dot, pipe), parameter)
        case .identifier(_, let name):
            return try validate(try evalFunction(dot: dot, node, name: name, command: .argument(node), arguments: [node], final: nil), parameter)
        case .chain:
            return try validate(try evalChain(dot: dot, node, arguments: [node], final: nil), parameter)
        case .bool(_, let value):
            switch parameter {
            case .any, .bool: return .bool(value)
            default: break
            }
        case .number(_, let number):
            switch parameter {
            case .any: return number.natural
            case .float:
                guard let float = number.float else { throw fail("expected float; found \(node.description)") }
                return .number(float)
            case .int:
                guard let int = number.int, !number.text.contains(".") || number.float == Double(int) else {
                    throw fail("expected integer; found \(node.description)")
                }
                return .int(int)
            default: break
            }
        case .string(_, _, let value):
            switch parameter {
            case .any, .string: return .string(value)
            default: break
            }
        }
        switch parameter {
        case .bool: throw fail("expected bool; found \(node.description)")
        case .float: throw fail("expected float; found \(node.description)")
        case .int: throw fail("expected integer; found \(node.description)")
        case .string: throw fail("expected string; found \(node.description)")
        default: throw fail("can't handle \(node.description) for arg of type \(parameter.goName)")
        }
    }
}
