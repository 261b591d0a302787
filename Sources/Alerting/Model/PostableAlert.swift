import OutpostCore

/// An alert as clients send it to `POST /api/v2/alerts`, before validation.
public struct PostableAlert: Codable, Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]?
    public var startsAt: String?
    public var endsAt: String?
    public var generatorURL: String?

    public init(labels: [String: String], annotations: [String: String]? = nil, startsAt: String? = nil,
                endsAt: String? = nil, generatorURL: String? = nil) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// The alert Outpost keeps, or why this one is refused.
    ///
    /// As in Alertmanager, a missing start is now and a missing end is now plus
    /// `resolveTimeout`, marked as a timeout so an explicit end from a later copy wins.
    public func validated(now: UnixMillis, resolveTimeout: Duration) throws(AlertValidationError) -> Alert {
        guard !labels.isEmpty else { throw AlertValidationError("at least one label pair required") }
        for (name, value) in labels {
            guard MetricNames.isValidLabelName(name) else { throw AlertValidationError("invalid label name \"\(name)\"") }
            guard !value.isEmpty else { throw AlertValidationError("empty value for label \"\(name)\"") }
        }
        for name in (annotations ?? [:]).keys where !MetricNames.isValidLabelName(name) {
            throw AlertValidationError("invalid annotation name \"\(name)\"")
        }
        var start = now
        if let text = startsAt, !text.isEmpty {
            guard let parsed = RFC3339.parse(text) else { throw AlertValidationError("startsAt \"\(text)\" is not an RFC 3339 time") }
            start = parsed
        }
        var end: UnixMillis?
        if let text = endsAt, !text.isEmpty, text != RFC3339.zeroTime {
            guard let parsed = RFC3339.parse(text) else { throw AlertValidationError("endsAt \"\(text)\" is not an RFC 3339 time") }
            end = parsed
        }
        if let end, end < start { throw AlertValidationError("endsAt must not be before startsAt") }
        let timeout = end == nil
        return Alert(labels: Labels(labels), annotations: Labels(annotations ?? [:]), startsAt: start,
                     endsAt: end ?? now + resolveTimeout.milliseconds, generatorURL: generatorURL ?? "",
                     updatedAt: now, timeout: timeout)
    }
}

/// Why a posted alert was refused.
public struct AlertValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
