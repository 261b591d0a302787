/// `eq`, `lt` and friends: Go compares only values of the same basic kind (bool, integer, float,
/// string); mixing kinds is "incompatible types for comparison".
enum GoComparison {
    private enum Basic {
        case bool(Bool), int(Int), float(Double), string(String)
    }

    private static func basic(_ value: TemplateValue) -> Basic? {
        switch value {
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .duration(let nanoseconds): .int(Int(nanoseconds))
        case .number(let number): .float(number)
        case .string(let text): .string(text)
        default: nil
        }
    }

    static func equal(_ left: TemplateValue, _ right: TemplateValue) throws(TemplateFunctionError) -> Bool {
        switch (basic(left), basic(right)) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.some, .some):
            throw TemplateFunctionError("incompatible types for comparison")
        default:
            if left.isNull || right.isNull { return left.isNull && right.isNull }
            if basic(left) != nil || basic(right) != nil {
                throw TemplateFunctionError("incompatible types for comparison")
            }
            switch (left, right) {
            case (.time(let a), .time(let b)): return a == b
            default:
                throw TemplateFunctionError("non-comparable type \(GoFormat.value(left)): \(left.goTypeName)")
            }
        }
    }

    static func less(_ left: TemplateValue, _ right: TemplateValue) throws(TemplateFunctionError) -> Bool {
        guard let a = basic(left), let b = basic(right) else {
            throw TemplateFunctionError("invalid type for comparison")
        }
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.bool, .bool): throw TemplateFunctionError("invalid type for comparison")
        default: throw TemplateFunctionError("incompatible types for comparison")
        }
    }
}
