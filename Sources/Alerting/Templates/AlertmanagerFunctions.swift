import Foundation
import Templating

/// The functions Alertmanager offers in notification templates, reusing Prometheus's where the
/// two agree (case changes, regexps, `safeHtml`, `humanizeDuration`).
enum AlertmanagerFunctions {
    static let set = TemplateFunctions(shared.merging(own) { _, own in own })

    private static let shared: [String: TemplateFunction] = {
        let names = ["toUpper", "toLower", "title", "match", "reReplaceAll", "safeHtml", "humanizeDuration"]
        var functions: [String: TemplateFunction] = [:]
        for name in names { functions[name] = TemplateFunctions.prometheus[name] }
        return functions
    }()

    private static let own: [String: TemplateFunction] = [
        "trimSpace": TemplateFunction(parameters: [.string]) { call in
            .string(AlertmanagerFunctions.text(call[0]).trimmingCharacters(in: .whitespacesAndNewlines))
        },
        // Go's order: the separator comes first, so `{{ .Values | join ", " }}` is written `join ", " .Values`.
        "join": TemplateFunction(parameters: [.string, .list(goName: "[]string")]) { call in
            guard case .list(let items) = call[1] else { return .string("") }
            return .string(items.map(AlertmanagerFunctions.text).joined(separator: AlertmanagerFunctions.text(call[0])))
        },
        "stringSlice": TemplateFunction(parameters: [], variadic: .string) { call in .list(call.arguments) },
        "date": TemplateFunction(parameters: [.string, .any]) { call throws(TemplateFunctionError) in
            let time = try AlertmanagerFunctions.nanoseconds(call[1])
            return .string(GoTimeLayout.format(unixNanoseconds: time, layout: AlertmanagerFunctions.text(call[0])))
        },
        // Times are kept in UTC; other zones would need the tz database.
        "tz": TemplateFunction(parameters: [.string, .any]) { call throws(TemplateFunctionError) in
            let zone = AlertmanagerFunctions.text(call[0])
            guard zone == "UTC" || zone == "Local" || zone.isEmpty else {
                throw TemplateFunctionError("unknown time zone \(zone)")
            }
            return .time(unixNanoseconds: try AlertmanagerFunctions.nanoseconds(call[1]))
        },
        "since": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            let start = try AlertmanagerFunctions.nanoseconds(call[0])
            return .duration(nanoseconds: call.environment.timestampMilliseconds * 1_000_000 - start)
        },
    ]

    private static func text(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    private static func nanoseconds(_ value: TemplateValue) throws(TemplateFunctionError) -> Int64 {
        guard case .time(let nanoseconds) = value else {
            throw TemplateFunctionError("wrong type for value; expected time.Time; got \(value.goTypeName)")
        }
        return nanoseconds
    }
}
