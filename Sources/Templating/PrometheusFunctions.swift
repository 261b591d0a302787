import Foundation
import OutpostCore

/// The functions Prometheus adds for rule templates (its template/template.go), with the same
/// output formats and error texts.
enum PrometheusFunctions {
    static let queryResult = TemplateParameter.list(goName: "template.queryResult")
    static let sample = TemplateParameter.record(goName: TemplateSample.typeName)

    static let functions: [String: TemplateFunction] = [
        "query": TemplateFunction(parameters: [.string]) { call throws(TemplateFunctionError) in
            guard case .string(let expression) = call[0] else { return .null }
            guard let querier = call.environment.querier else { throw TemplateFunctionError("no querier available") }
            do {
                return .list(try querier.query(expression).map(\.templateValue))
            } catch {
                throw TemplateFunctionError(String(describing: error))
            }
        },
        "first": TemplateFunction(parameters: [queryResult]) { call throws(TemplateFunctionError) in
            guard case .list(let samples) = call[0], let first = samples.first else {
                throw TemplateFunctionError("first() called on vector with no elements")
            }
            return first
        },
        "label": TemplateFunction(parameters: [.string, sample]) { call in
            guard case .string(let name) = call[0], case .stringMap(let labels)? = sampleField(call[1], "Labels") else {
                return .string("")
            }
            return .string(labels[name] ?? "")
        },
        "value": TemplateFunction(parameters: [sample]) { call in sampleField(call[0], "Value") ?? .null },
        "strvalue": TemplateFunction(parameters: [sample]) { call in
            guard case .stringMap(let labels)? = sampleField(call[0], "Labels") else { return .string("") }
            return .string(labels["__value__"] ?? "")
        },
        "args": TemplateFunction(parameters: [], variadic: .any) { call in
            var map: [String: TemplateValue] = [:]
            for (index, argument) in call.arguments.enumerated() { map["arg\(index)"] = argument }
            return .map(map)
        },
        "reReplaceAll": TemplateFunction(parameters: [.string, .string, .string]) { call throws(TemplateFunctionError) in
            let (pattern, replacement, text) = (string(call[0]), string(call[1]), string(call[2]))
            let regex: GoRegex
            do throws(TemplateFunctionError) {
                regex = try GoRegex(pattern)
            } catch {
                throw TemplateFunctionError("regexp: Compile(\(backquote(pattern))): \(error.message)")
            }
            return .string(regex.replaceAll(in: text, with: replacement))
        },
        "match": TemplateFunction(parameters: [.string, .string]) { call throws(TemplateFunctionError) in
            .bool(try GoRegex(string(call[0])).matches(string(call[1])))
        },
        "safeHtml": TemplateFunction(parameters: [.string]) { call in call[0] },
        "title": TemplateFunction(parameters: [.string]) { call in .string(title(string(call[0]))) },
        "toUpper": TemplateFunction(parameters: [.string]) { call in .string(string(call[0]).uppercased()) },
        "toLower": TemplateFunction(parameters: [.string]) { call in .string(string(call[0]).lowercased()) },
        "graphLink": TemplateFunction(parameters: [.string]) { call in
            .string("/graph?g0.expr=" + urlQueryEscape(string(call[0])) + "&g0.tab=0")
        },
        "tableLink": TemplateFunction(parameters: [.string]) { call in
            .string("/graph?g0.expr=" + urlQueryEscape(string(call[0])) + "&g0.tab=1")
        },
        "sortByLabel": TemplateFunction(parameters: [.string, queryResult]) { call in
            guard case .list(let samples) = call[1] else { return call[1] }
            let name = string(call[0])
            func key(_ sample: TemplateValue) -> String {
                guard case .stringMap(let labels)? = sampleField(sample, "Labels") else { return "" }
                return labels[name] ?? ""
            }
            let sorted = samples.enumerated().sorted { a, b in
                let (left, right) = (key(a.element), key(b.element))
                return left == right ? a.offset < b.offset : left.utf8.lexicographicallyPrecedes(right.utf8)
            }
            return .list(sorted.map(\.element))
        },
        "stripPort": TemplateFunction(parameters: [.string]) { call in
            let hostPort = string(call[0])
            return .string(HostPort.split(hostPort)?.host ?? hostPort)
        },
        "stripDomain": TemplateFunction(parameters: [.string]) { call in
            let hostPort = string(call[0])
            let split = HostPort.split(hostPort)
            let host = split?.host ?? hostPort
            if HostPort.isIP(host) { return .string(hostPort) }
            let short = String(host.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
            if let port = split?.port, !port.isEmpty { return .string(HostPort.join(host: short, port: port)) }
            return .string(short)
        },
        "humanize": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            .string(PrometheusHumanize.humanize(try float(call[0])))
        },
        "humanize1024": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            .string(PrometheusHumanize.humanize1024(try float(call[0])))
        },
        "humanizeDuration": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            .string(PrometheusHumanize.duration(try float(call[0])))
        },
        "humanizePercentage": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            .string(PrometheusHumanize.g4(try float(call[0]) * 100) + "%")
        },
        "humanizeTimestamp": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            let seconds = try float(call[0])
            if seconds.isNaN || seconds.isInfinite { return .string(PrometheusHumanize.g4(seconds)) }
            return .string(GoTime.string(unixNanoseconds: try timeNanoseconds(seconds)))
        },
        "toTime": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            .time(unixNanoseconds: try timeNanoseconds(try float(call[0])))
        },
        "toDuration": TemplateFunction(parameters: [.any]) { call throws(TemplateFunctionError) in
            let seconds = try float(call[0])
            if seconds.isNaN || seconds.isInfinite { throw TemplateFunctionError("value is NaN or Inf") }
            let nanoseconds = seconds * 1e9
            guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775808e18 else {
                throw TemplateFunctionError("\(GoNumber.format(seconds)) cannot be represented as a nanoseconds duration since it overflows int64")
            }
            return .duration(nanoseconds: Int64(nanoseconds))
        },
        "parseDuration": TemplateFunction(parameters: [.string]) { call throws(TemplateFunctionError) in
            let text = string(call[0])
            guard !text.isEmpty else { throw TemplateFunctionError("empty duration string") }
            guard let milliseconds = PrometheusDuration.milliseconds(text) else {
                throw TemplateFunctionError("not a valid duration string: \(GoQuote.quote(text))")
            }
            return .number(Double(milliseconds) / 1000)
        },
        "now": TemplateFunction(parameters: []) { call in .number(Double(call.environment.timestampMilliseconds) / 1000) },
        "pathPrefix": TemplateFunction(parameters: []) { call in
            .string(URLComponents(string: call.environment.externalURL)?.path ?? "")
        },
        "externalURL": TemplateFunction(parameters: []) { call in .string(call.environment.externalURL) },
        "urlQueryEscape": TemplateFunction(parameters: [.string]) { call in .string(urlQueryEscape(string(call[0]))) },
        "tmpl": TemplateFunction(parameters: [.string, .any], variadic: nil, behaviour: .executeTemplate),
    ]

    static func string(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    static func sampleField(_ value: TemplateValue, _ field: String) -> TemplateValue? {
        guard case .record(let record) = value else { return nil }
        return record[field]
    }

    /// Go's regexp quoting in MustCompile panics: backquotes when possible.
    static func backquote(_ text: String) -> String {
        text.contains("`") || text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" } ? GoQuote.quote(text) : "`" + text + "`"
    }

    /// Prometheus's ConvertToFloat: floats, integers, numeric strings and durations (as seconds).
    static func float(_ value: TemplateValue) throws(TemplateFunctionError) -> Double {
        switch value {
        case .number(let number): return number
        case .int(let number): return Double(number)
        case .duration(let nanoseconds): return Double(nanoseconds) / 1e9
        case .string(let text):
            guard let number = GoFloatParsing.parse(text) else {
                throw TemplateFunctionError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            return number
        case .null:
            throw TemplateFunctionError("can't convert <nil> to float")
        default:
            throw TemplateFunctionError("can't convert \(value.goTypeName) to float")
        }
    }

    /// Seconds to a UTC time at millisecond precision, as Prometheus's model.Time conversion does.
    static func timeNanoseconds(_ seconds: Double) throws(TemplateFunctionError) -> Int64 {
        if seconds.isNaN || seconds.isInfinite { throw TemplateFunctionError("value is NaN or Inf") }
        let nanoseconds = seconds * 1e9
        guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775808e18 else {
            throw TemplateFunctionError("\(GoNumber.format(seconds)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        return Int64(nanoseconds) / 1_000_000 * 1_000_000
    }

    /// Title-cases each word's first letter and leaves the rest as written.
    static func title(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var previousIsWord = false
        for scalar in text.unicodeScalars {
            let isWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
                || scalar == "'" || scalar == "\u{2019}"
            if isWord && !previousIsWord && scalar.properties.isAlphabetic {
                out.append(contentsOf: scalar.properties.titlecaseMapping.unicodeScalars)
            } else {
                out.append(scalar)
            }
            previousIsWord = isWord
        }
        return String(out)
    }
}
