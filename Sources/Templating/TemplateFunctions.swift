/// A set of named template functions. Every set includes Go's builtins; `.prometheus` adds the
/// Prometheus rule functions. Other sets (e.g. Alertmanager's) are built with `adding`.
public struct TemplateFunctions: Sendable {
    public private(set) var functions: [String: TemplateFunction]

    public init(_ functions: [String: TemplateFunction] = [:]) {
        self.functions = GoBuiltins.functions.merging(functions) { _, added in added }
    }

    public subscript(name: String) -> TemplateFunction? { functions[name] }

    /// A copy with `added` defined, replacing same-named functions.
    public func adding(_ added: [String: TemplateFunction]) -> TemplateFunctions {
        var copy = self
        copy.functions.merge(added) { _, new in new }
        return copy
    }

    /// Go's builtins only.
    public static let builtins = TemplateFunctions()

    /// The functions Prometheus offers in alerting and recording rule templates.
    public static let prometheus = TemplateFunctions(PrometheusFunctions.functions)
}
