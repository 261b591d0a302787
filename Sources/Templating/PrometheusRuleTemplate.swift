/// A rule label or annotation template parsed once and expanded for every alert and evaluation;
/// the expansion is exactly `PrometheusTemplateExpander`'s, without re-parsing each time.
public struct PrometheusRuleTemplate: Sendable {
    public let name: String
    public let text: String
    /// nil when the text has no actions: it expands to itself.
    private let parsed: Result<Template, TemplateError>?

    /// `name` is the template name errors mention; Prometheus uses `__alert_` + the alert name.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
        guard Self.hasAction(text) else {
            parsed = nil
            return
        }
        do {
            parsed = .success(try Template(name: name, text: PrometheusTemplateExpander.definitions + text, functions: .prometheus))
        } catch {
            parsed = .failure(error)
        }
    }

    /// Whether `text` contains `{{`, without Foundation's slower substring search.
    static func hasAction(_ text: String) -> Bool {
        var previousWasBrace = false
        for byte in text.utf8 {
            let isBrace = byte == UInt8(ascii: "{")
            if isBrace && previousWasBrace { return true }
            previousWasBrace = isBrace
        }
        return false
    }

    /// The Go parse error (`template: NAME:LINE: ...`), or nil when the template parses.
    public var syntaxError: String? {
        guard case .failure(let error) = parsed else { return nil }
        return error.message
    }

    /// The data Prometheus passes as `.`.
    public static func data(labels: [String: String], value: Double, externalLabels: [String: String], externalURL: String) -> TemplateValue {
        .record(TemplateRecord(
            typeName: "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }",
            fields: [
                ("Labels", .stringMap(labels)), ("ExternalLabels", .stringMap(externalLabels)),
                ("ExternalURL", .string(externalURL)), ("Value", .number(value)),
            ]))
    }

    /// The expansion, or the error as `<error expanding template: ...>`. `timestamp` is in ms.
    public func expand(
        labels: [String: String], value: Double, externalLabels: [String: String], externalURL: String, timestamp: Int64,
        querier: (any TemplateQuerier)?
    ) -> String {
        switch result(labels: labels, value: value, externalLabels: externalLabels, externalURL: externalURL,
                      timestamp: timestamp, querier: querier) {
        case .success(let text): text
        case .failure(let error): "<error expanding template: \(error.message)>"
        }
    }

    /// The expansion, or the error worded as Prometheus's Expander reports it.
    public func result(
        labels: [String: String], value: Double, externalLabels: [String: String], externalURL: String, timestamp: Int64,
        querier: (any TemplateQuerier)?
    ) -> Result<String, TemplateError> {
        switch parsed {
        case nil:
            return .success(text)
        case .failure(let error):
            return .failure(TemplateError(message: "error parsing template \(name): \(error.message)"))
        case .success(let template):
            let environment = TemplateEnvironment(querier: querier, timestampMilliseconds: timestamp, externalURL: externalURL)
            let data = Self.data(labels: labels, value: value, externalLabels: externalLabels, externalURL: externalURL)
            do {
                return .success(try template.execute(data: data, environment: environment))
            } catch {
                return .failure(TemplateError(message: "error executing template \(name): \(error.message)"))
            }
        }
    }
}
