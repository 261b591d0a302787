/// A Go struct value: named fields in declaration order and the Go type name errors mention.
public struct TemplateRecord: Sendable {
    /// Go's name for the type, e.g. `*template.sample`; a leading `*` makes it print as `&{...}`.
    public var typeName: String
    public var fields: [(name: String, value: TemplateValue)]

    public init(typeName: String, fields: [(name: String, value: TemplateValue)]) {
        self.typeName = typeName
        self.fields = fields
    }

    public subscript(field: String) -> TemplateValue? {
        fields.first { $0.name == field }?.value
    }
}
