import OutpostCore

/// Go text/template's predefined functions (all but `call`, as templates here hold no functions).
enum GoBuiltins {
    static let functions: [String: TemplateFunction] = [
        "and": TemplateFunction(parameters: [.any], variadic: .any, behaviour: .shortCircuit(isOr: false)),
        "or": TemplateFunction(parameters: [.any], variadic: .any, behaviour: .shortCircuit(isOr: true)),
        "not": TemplateFunction(parameters: [.any]) { call in .bool(!call[0].isTrue) },
        "len": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in try length(call[0]) },
        "index": TemplateFunction(parameters: [.any], variadic: .any) { call throws(TemplateFunctionError) in
            try index(call[0], call.arguments.dropFirst())
        },
        "slice": TemplateFunction(parameters: [.any], variadic: .any) { call throws(TemplateFunctionError) in
            try slice(call[0], Array(call.arguments.dropFirst()))
        },
        "print": TemplateFunction(parameters: [], variadic: .any) { call in .string(GoFormat.sprint(call.arguments)) },
        "println": TemplateFunction(parameters: [], variadic: .any) { call in .string(GoFormat.sprintln(call.arguments)) },
        "printf": TemplateFunction(parameters: [.string], variadic: .any) { call in
            guard case .string(let format) = call[0] else { return .null }
            return .string(GoFormat.sprintf(format, Array(call.arguments.dropFirst())))
        },
        "html": TemplateFunction(parameters: [], variadic: .any) { call in
            .string(GoEscaping.html(GoEscaping.argumentText(call.arguments)))
        },
        "js": TemplateFunction(parameters: [], variadic: .any) { call in
            .string(GoEscaping.js(GoEscaping.argumentText(call.arguments)))
        },
        "urlquery": TemplateFunction(parameters: [], variadic: .any) { call in
            .string(urlQueryEscape(GoEscaping.argumentText(call.arguments)))
        },
        "eq": TemplateFunction(parameters: [.any], variadic: .any) { call throws(TemplateFunctionError) in
            guard call.arguments.count > 1 else { throw TemplateFunctionError("missing argument for comparison") }
            for other in call.arguments.dropFirst() {
                if try GoComparison.equal(call[0], other) { return .bool(true) }
            }
            return .bool(false)
        },
        "ne": TemplateFunction(parameters: [.any, .any]) { call throws(TemplateFunctionError) in
            let equal = try GoComparison.equal(call[0], call[1])
            return .bool(!equal)
        },
        "lt": TemplateFunction(parameters: [.any, .any]) { call throws(TemplateFunctionError) in
            .bool(try GoComparison.less(call[0], call[1]))
        },
        "le": TemplateFunction(parameters: [.any, .any]) { call throws(TemplateFunctionError) in
            let less = try GoComparison.less(call[0], call[1])
            let equal = try GoComparison.equal(call[0], call[1])
            return .bool(less || equal)
        },
        "gt": TemplateFunction(parameters: [.any, .any]) { call throws(TemplateFunctionError) in
            let less = try GoComparison.less(call[0], call[1])
            let equal = try GoComparison.equal(call[0], call[1])
            return .bool(!less && !equal)
        },
        "ge": TemplateFunction(parameters: [.any, .any]) { call throws(TemplateFunctionError) in
            let less = try GoComparison.less(call[0], call[1])
            return .bool(!less)
        },
    ]

    static func length(_ value: TemplateValue) throws(TemplateFunctionError) -> TemplateValue {
        switch value {
        case .string(let text): return .int(text.utf8.count)
        case .list(let list): return .int(list.count)
        case .map(let map): return .int(map.count)
        case .stringMap(let map): return .int(map.count)
        case .null: throw TemplateFunctionError("len of untyped nil")
        default: throw TemplateFunctionError("len of type \(value.goTypeName)")
        }
    }

    static func integerIndex(_ value: TemplateValue) throws(TemplateFunctionError) -> Int {
        switch value {
        case .int(let index): return index
        case .null: throw TemplateFunctionError("cannot index slice/array with nil")
        default: throw TemplateFunctionError("cannot index slice/array with type \(value.goTypeName)")
        }
    }

    static func index(_ item: TemplateValue, _ keys: ArraySlice<TemplateValue>) throws(TemplateFunctionError) -> TemplateValue {
        var current = item
        for key in keys {
            switch current {
            case .list(let list):
                let position = try integerIndex(key)
                guard position >= 0, position < list.count else {
                    throw TemplateFunctionError("index out of range: \(position)")
                }
                current = list[position]
            case .string(let text):
                let position = try integerIndex(key)
                let bytes = Array(text.utf8)
                guard position >= 0, position < bytes.count else {
                    throw TemplateFunctionError("index out of range: \(position)")
                }
                current = .int(Int(bytes[position]))
            case .map(let map):
                guard case .string(let name) = key else {
                    throw TemplateFunctionError("value has type \(key.goTypeName); should be string")
                }
                current = map[name] ?? .null
            case .stringMap(let map):
                guard case .string(let name) = key else {
                    throw TemplateFunctionError("value has type \(key.goTypeName); should be string")
                }
                current = .string(map[name] ?? "")
            case .null:
                throw TemplateFunctionError("index of untyped nil")
            default:
                throw TemplateFunctionError("can't index item of type \(current.goTypeName)")
            }
        }
        return current
    }

    static func slice(_ item: TemplateValue, _ bounds: [TemplateValue]) throws(TemplateFunctionError) -> TemplateValue {
        if case .null = item { throw TemplateFunctionError("slice of untyped nil") }
        guard bounds.count <= 3 else { throw TemplateFunctionError("too many slice indexes: \(bounds.count)") }
        var indexes: [Int] = []
        for bound in bounds { indexes.append(try integerIndex(bound)) }
        switch item {
        case .string(let text):
            guard bounds.count < 3 else { throw TemplateFunctionError("cannot 3-index slice a string") }
            let bytes = Array(text.utf8)
            let (low, high) = try sliceBounds(indexes, count: bytes.count)
            return .string(String(decoding: bytes[low..<high], as: UTF8.self))
        case .list(let list):
            let (low, high) = try sliceBounds(Array(indexes.prefix(2)), count: list.count)
            if indexes.count == 3, indexes[2] < high || indexes[2] > list.count {
                throw TemplateFunctionError("index out of range: \(indexes[2])")
            }
            return .list(Array(list[low..<high]))
        default:
            throw TemplateFunctionError("can't slice item of type \(item.goTypeName)")
        }
    }

    private static func sliceBounds(_ indexes: [Int], count: Int) throws(TemplateFunctionError) -> (Int, Int) {
        let low = indexes.first ?? 0
        let high = indexes.count > 1 ? indexes[1] : count
        guard low >= 0, low <= count else { throw TemplateFunctionError("index out of range: \(low)") }
        guard high >= 0, high <= count else { throw TemplateFunctionError("index out of range: \(high)") }
        guard low <= high else { throw TemplateFunctionError("invalid slice index: \(low) > \(high)") }
        return (low, high)
    }
}
