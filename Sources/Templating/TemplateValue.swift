/// A value seen by a template: the dynamic counterpart of the Go values text/template works on.
///
/// Go distinguishes integers from floats (`{{ 1 }}` is an int, `{{ 1.0 }}` a float64), maps whose
/// missing keys read as "" (`map[string]string`, e.g. Prometheus labels) from maps whose missing keys
/// read as no value, and structs (fixed fields; a missing field is an error) from maps.
public indirect enum TemplateValue: Sendable {
    case string(String)
    /// A Go float64.
    case number(Double)
    /// A Go int.
    case int(Int)
    case bool(Bool)
    /// A Go `map[string]interface{}`: a missing key reads as no value.
    case map([String: TemplateValue])
    /// A Go `map[string]string`: a missing key reads as the empty string.
    case stringMap([String: String])
    case list([TemplateValue])
    /// A Go struct (or pointer to struct): fields are fixed, a missing one is an error.
    case record(TemplateRecord)
    /// A Go `time.Time`, in UTC, as nanoseconds since the Unix epoch.
    case time(unixNanoseconds: Int64)
    /// A Go `time.Duration`.
    case duration(nanoseconds: Int64)
    /// No value: Go's nil interface or missing value.
    case null
}

extension TemplateValue {
    /// The Go type name used in error messages.
    public var goTypeName: String {
        switch self {
        case .string: "string"
        case .number: "float64"
        case .int: "int"
        case .bool: "bool"
        case .map: "map[string]interface {}"
        case .stringMap: "map[string]string"
        case .list: "[]interface {}"
        case .record(let record): record.typeName
        case .time: "time.Time"
        case .duration: "time.Duration"
        case .null: "<nil>"
        }
    }

    /// Go's template truth: false, 0, nil and empty strings, maps and lists are false; structs are true.
    var isTrue: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .number(let number): number != 0
        case .int(let number): number != 0
        case .bool(let flag): flag
        case .map(let map): !map.isEmpty
        case .stringMap(let map): !map.isEmpty
        case .list(let list): !list.isEmpty
        case .record, .time: true
        case .duration(let nanoseconds): nanoseconds != 0
        case .null: false
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
