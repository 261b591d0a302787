/// The Go parameter types template functions declare; arguments are checked against them
/// before the call, with Go's messages (`wrong type for value; expected string; got float64`).
public enum TemplateParameter: Sendable, Equatable {
    /// `interface{}`: anything.
    case any
    case string
    case float
    case int
    case bool
    /// A list, named as Go names it (e.g. `template.queryResult`).
    case list(goName: String)
    /// A record whose `typeName` must match (e.g. `*template.sample`).
    case record(goName: String)

    var goName: String {
        switch self {
        case .any: "interface {}"
        case .string: "string"
        case .float: "float64"
        case .int: "int"
        case .bool: "bool"
        case .list(let name), .record(let name): name
        }
    }

    var canBeNil: Bool {
        switch self {
        case .any, .list, .record: true
        default: false
        }
    }

    /// The value as this parameter accepts it, or nil when Go would refuse it.
    func accept(_ value: TemplateValue) -> TemplateValue? {
        switch (self, value) {
        case (.any, _), (.string, .string), (.float, .number), (.int, .int), (.bool, .bool), (.list, .list):
            return value
        case (.record(let name), .record(let record)) where record.typeName == name:
            return value
        default:
            return nil
        }
    }
}

/// What a function sees when called: its checked arguments and the execution environment.
public struct TemplateCall: Sendable {
    public var arguments: [TemplateValue]
    public var environment: TemplateEnvironment

    public subscript(index: Int) -> TemplateValue { arguments[index] }
}

/// A named template function: its Go signature and body.
public struct TemplateFunction: Sendable {
    public typealias Body = @Sendable (TemplateCall) throws(TemplateFunctionError) -> TemplateValue

    enum Behaviour: Sendable {
        case call(Body)
        /// `and` / `or`: evaluate arguments left to right and stop at the deciding one.
        case shortCircuit(isOr: Bool)
        /// `tmpl NAME DATA`: run a named template and return its output.
        case executeTemplate
    }

    public var parameters: [TemplateParameter]
    /// When set, any number of further arguments of this type are accepted.
    public var variadic: TemplateParameter?
    let behaviour: Behaviour

    public init(parameters: [TemplateParameter], variadic: TemplateParameter? = nil, body: @escaping Body) {
        self.parameters = parameters
        self.variadic = variadic
        self.behaviour = .call(body)
    }

    init(parameters: [TemplateParameter], variadic: TemplateParameter?, behaviour: Behaviour) {
        self.parameters = parameters
        self.variadic = variadic
        self.behaviour = behaviour
    }

    func parameter(at index: Int) -> TemplateParameter {
        index < parameters.count ? parameters[index] : variadic ?? .any
    }
}
