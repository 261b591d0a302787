/// A Go struct value: named fields in declaration order and the Go type name errors mention.
public struct TemplateRecord: Sendable {
    /// Go's name for the type, e.g. `*template.sample`; a leading `*` makes it print as `&{...}`.
    public var typeName: String
    public var fields: [(name: String, value: TemplateValue)]
    /// Methods templates may call as `.Name arg...`; as in Go they take precedence over fields.
    /// Alertmanager's data (e.g. `.Alerts.Firing`, `.SortedPairs`) needs these.
    public var methods: [String: TemplateFunction]

    public init(typeName: String, fields: [(name: String, value: TemplateValue)], methods: [String: TemplateFunction] = [:]) {
        self.typeName = typeName
        self.fields = fields
        self.methods = methods
    }

    public subscript(field: String) -> TemplateValue? {
        fields.first { $0.name == field }?.value
    }
}
