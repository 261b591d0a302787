import OutpostCore
import Templating

/// The JSON bodies of Alertmanager's v2 API, for the HTTP layer to encode and decode.
public enum AlertmanagerAPI {
    public struct Receiver: Codable, Sendable, Equatable {
        public var name: String

        public init(name: String) {
            self.name = name
        }
    }

    public struct AlertStatus: Codable, Sendable, Equatable {
        public var state: String
        public var silencedBy: [String]
        public var inhibitedBy: [String]
        public var mutedBy: [String]
    }

    /// An element of `GET /api/v2/alerts`.
    public struct GettableAlert: Codable, Sendable, Equatable {
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: String
        public var endsAt: String
        public var updatedAt: String
        public var generatorURL: String
        public var fingerprint: String
        public var receivers: [Receiver]
        public var status: AlertStatus

        public init(_ snapshot: AlertSnapshot) {
            let alert = snapshot.alert
            labels = alert.labels.dictionary
            annotations = alert.annotations.dictionary
            startsAt = RFC3339.format(alert.startsAt)
            endsAt = alert.endsAt.map(RFC3339.format) ?? RFC3339.zeroTime
            updatedAt = RFC3339.format(alert.updatedAt)
            generatorURL = alert.generatorURL
            fingerprint = alert.fingerprint.description
            receivers = snapshot.receivers.map(Receiver.init)
            status = AlertStatus(state: snapshot.state.rawValue, silencedBy: snapshot.silencedBy, inhibitedBy: snapshot.inhibitedBy, mutedBy: [])
        }
    }

    /// An element of `GET /api/v2/alerts/groups`.
    public struct AlertGroup: Codable, Sendable, Equatable {
        public var labels: [String: String]
        public var receiver: Receiver
        public var alerts: [GettableAlert]

        public init(_ group: AlertGroupSnapshot) {
            labels = group.labels.dictionary
            receiver = Receiver(name: group.receiver)
            alerts = group.alerts.map(GettableAlert.init)
        }
    }

    public struct Matcher: Codable, Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var value: String
        public var isRegex: Bool
        /// Absent means true, as in Alertmanager.
        public var isEqual: Bool?

        public init(name: String, value: String, isRegex: Bool, isEqual: Bool?) {
            self.name = name
            self.value = value
            self.isRegex = isRegex
            self.isEqual = isEqual
        }

        public init(_ matcher: Alerting.Matcher) {
            name = matcher.name
            value = matcher.value
            isRegex = matcher.kind == .regexMatch || matcher.kind == .regexNoMatch
            isEqual = matcher.kind == .equal || matcher.kind == .regexMatch
        }

        /// `name="value"` with the operator its flags stand for, as Alertmanager prints matchers.
        public var description: String { name + kind.rawValue + GoQuote.quote(value) }

        private var kind: Alerting.Matcher.Kind {
            let equal = isEqual ?? true
            return isRegex ? (equal ? .regexMatch : .regexNoMatch) : (equal ? .equal : .notEqual)
        }

        func matcher() throws(SilenceError) -> Alerting.Matcher {
            guard MetricNames.isValidLabelName(name) else { throw .invalid("invalid label name \"\(name)\"") }
            do {
                return try Alerting.Matcher(name: name, kind: kind, value: value)
            } catch {
                throw .invalid(error.message)
            }
        }
    }

    public struct SilenceStatus: Codable, Sendable, Equatable {
        public var state: String
    }

    /// An element of `GET /api/v2/silences`.
    public struct GettableSilence: Codable, Sendable, Equatable {
        public var id: String
        public var status: SilenceStatus
        public var updatedAt: String
        public var matchers: [Matcher]
        public var startsAt: String
        public var endsAt: String
        public var createdBy: String
        public var comment: String

        public init(_ silence: Silence, now: UnixMillis) {
            id = silence.id
            status = SilenceStatus(state: silence.state(at: now).rawValue)
            updatedAt = RFC3339.format(silence.updatedAt)
            matchers = silence.matchers.map(Matcher.init)
            startsAt = RFC3339.format(silence.startsAt)
            endsAt = RFC3339.format(silence.endsAt)
            createdBy = silence.createdBy
            comment = silence.comment
        }
    }

    /// The body of `POST /api/v2/silences`; an `id` updates that silence.
    public struct PostableSilence: Codable, Sendable, Equatable {
        public var id: String?
        public var matchers: [Matcher]
        public var startsAt: String
        public var endsAt: String
        public var createdBy: String
        public var comment: String

        public init(id: String? = nil, matchers: [Matcher], startsAt: String, endsAt: String, createdBy: String, comment: String) {
            self.id = id
            self.matchers = matchers
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.createdBy = createdBy
            self.comment = comment
        }

        /// The silence to pass to `AlertingService.upsertSilence`, or why the body is invalid.
        public func silence() throws(SilenceError) -> Silence {
            guard let start = RFC3339.parse(startsAt) else { throw .invalid("startsAt \"\(startsAt)\" is not an RFC 3339 time") }
            guard let end = RFC3339.parse(endsAt) else { throw .invalid("endsAt \"\(endsAt)\" is not an RFC 3339 time") }
            var converted: [Alerting.Matcher] = []
            for matcher in matchers { converted.append(try matcher.matcher()) }
            return Silence(id: id ?? "", matchers: converted, startsAt: start, endsAt: end, createdBy: createdBy, comment: comment)
        }
    }
}
