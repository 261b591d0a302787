/// A parsed Go text/template, with its `define`d and `block` templates, ready to execute.
public struct Template: Sendable {
    /// The parse name: the main template's name and the name error locations use.
    public let name: String
    let text: String
    let trees: [String: [TemplateNode]]
    let functions: TemplateFunctions

    /// Parses `text`; syntax errors read like Go's, e.g. `template: NAME:LINE: unexpected EOF`.
    public init(name: String, text: String, functions: TemplateFunctions = .prometheus) throws(TemplateError) {
        try self.init(name: name, text: text, functions: functions, variables: [])
    }

    /// Parses `text` that may refer to the named variables (`$name`) without declaring them;
    /// give their values to `execute(data:variables:)`.
    public init(name: String, text: String, functions: TemplateFunctions, variables: [String]) throws(TemplateError) {
        self.name = name
        self.text = text
        self.functions = functions
        trees = try TemplateParser.parse(
            name: name, text: text, isFunction: { functions[$0] != nil }, predeclared: variables)
    }

    /// The names of all templates in this set: the main one and every `define` / `block`.
    public var templateNames: [String] { trees.keys.sorted() }

    public func execute(data: TemplateValue, variables: [String: TemplateValue] = [:]) throws(TemplateError) -> String {
        try execute(templateNamed: name, data: data, variables: variables, environment: TemplateEnvironment())
    }

    public func execute(
        data: TemplateValue, variables: [String: TemplateValue] = [:], environment: TemplateEnvironment
    ) throws(TemplateError) -> String {
        try execute(templateNamed: name, data: data, variables: variables, environment: environment)
    }

    /// Executes one template of the set by name, as Go's ExecuteTemplate does.
    public func execute(
        templateNamed templateName: String, data: TemplateValue, variables: [String: TemplateValue] = [:],
        environment: TemplateEnvironment = TemplateEnvironment()
    ) throws(TemplateError) -> String {
        guard let tree = trees[templateName] else {
            throw TemplateError(message: "template: no template \(GoQuote.quote(templateName)) associated with template \(GoQuote.quote(name))")
        }
        var executor = TemplateExecutor(
            template: self, name: templateName, data: data, variables: variables, environment: environment)
        try executor.run(tree, dot: data)
        return executor.output
    }
}
