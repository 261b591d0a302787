import OutpostCore
import PromQL
import TSDB

/// Parsing of the API's parameters, with Prometheus's rules and error messages.
enum QueryParameters {
    /// The earliest and latest timestamps Prometheus accepts, used when `start`/`end` are absent.
    static let minTime: Int64 = -9_223_372_036_854_776
    static let maxTime: Int64 = 9_223_372_036_854_775

    /// A timestamp parameter in ms, `defaultValue` when absent.
    static func time(_ parameters: FormParameters, _ name: String, default defaultValue: Int64?) throws(APIError) -> Int64 {
        let text = parameters[name]
        if text.isEmpty, let defaultValue { return defaultValue }
        guard let millis = parseTime(text) else {
            let reason = "cannot parse \"\(text)\" to a valid timestamp"
            if defaultValue == nil { throw .invalidParameter(name, reason) }
            throw .invalidParameter(name, "Invalid time value for '\(name)': \(reason)")
        }
        return millis
    }

    /// Unix seconds with an optional fraction (kept to the millisecond), or RFC 3339.
    static func parseTime(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite {
            guard abs(seconds) < 9.2e15 else { return nil }
            let whole = seconds.rounded(.towardZero)
            return Int64(whole) * 1000 + Int64(((seconds - whole) * 1000).rounded())
        }
        return RFC3339.parse(text)
    }

    /// A duration parameter in ms: float seconds or a Prometheus duration such as `5m`.
    static func duration(_ parameters: FormParameters, _ name: String) throws(APIError) -> Int64 {
        do throws(DurationError) { return try parseDuration(parameters[name]) } catch {
            throw .invalidParameter(name, error.message)
        }
    }

    struct DurationError: Error {
        var message: String
    }

    static func parseDuration(_ text: String) throws(DurationError) -> Int64 {
        if let seconds = Double(text), !text.isEmpty {
            let nanoseconds = seconds * 1e9
            guard nanoseconds.isFinite, nanoseconds < 9.2e18, nanoseconds > -9.2e18 else {
                throw DurationError(message: "cannot parse \"\(text)\" to a valid duration. It overflows int64")
            }
            return Int64(nanoseconds) / 1_000_000
        }
        guard let millis = PrometheusDuration.milliseconds(text) else {
            throw DurationError(message: "cannot parse \"\(text)\" to a valid duration")
        }
        return millis
    }

    /// The optional `lookback_delta` parameter, overriding the engine's for one query.
    static func lookbackDelta(_ parameters: FormParameters) throws(APIError) -> Int64? {
        let text = parameters["lookback_delta"]
        guard !text.isEmpty else { return nil }
        do throws(DurationError) { return try parseDuration(text) } catch {
            throw APIError(.badData, "error parsing lookback delta duration: \(error.message)")
        }
    }

    /// The optional `timeout` parameter.
    static func timeout(_ parameters: FormParameters) throws(APIError) -> Duration? {
        guard !parameters["timeout"].isEmpty else { return nil }
        return .milliseconds(try duration(parameters, "timeout"))
    }

    /// `limit`: absent or 0 means no limit; negative or non-numeric is refused.
    static func limit(_ parameters: FormParameters) throws(APIError) -> Int? {
        let text = parameters["limit"]
        guard !text.isEmpty else { return nil }
        guard let limit = Int(text) else {
            throw APIError(.badData, "strconv.Atoi: parsing \"\(text)\": invalid syntax")
        }
        guard limit >= 0 else { throw APIError(.badData, "limit must be non-negative") }
        return limit == 0 ? nil : limit
    }

    /// Each `match[]` as the matchers of one series selector.
    static func selectors(_ parameters: FormParameters, engine: Engine) throws(APIError) -> [[LabelMatcher]] {
        var selectors: [[LabelMatcher]] = []
        for text in parameters.all("match[]") {
            let expr: Expr
            do throws(QueryError) { expr = try engine.parse(text) } catch { throw APIError(.badData, error.description) }
            guard case .vectorSelector(let selector) = expr else {
                throw APIError(.badData, "1:1: parse error: \"\(text)\" is not a series selector")
            }
            selectors.append(selector.matchers)
        }
        return selectors
    }
}
