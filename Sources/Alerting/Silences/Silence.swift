import OutpostCore

/// A silence: alerts matching all its matchers are muted between `startsAt` and `endsAt`.
public struct Silence: Sendable, Equatable, Identifiable {
    public enum State: String, Sendable {
        case pending, active, expired
    }

    public var id: String
    public var matchers: [Matcher]
    public var startsAt: UnixMillis
    public var endsAt: UnixMillis
    public var createdBy: String
    public var comment: String
    public var updatedAt: UnixMillis

    public init(id: String = "", matchers: [Matcher], startsAt: UnixMillis, endsAt: UnixMillis, createdBy: String,
                comment: String, updatedAt: UnixMillis = 0) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.updatedAt = updatedAt
    }

    public func state(at now: UnixMillis) -> State {
        if now < startsAt { return .pending }
        if now < endsAt { return .active }
        return .expired
    }

    public func mutes(_ labels: Labels, now: UnixMillis) -> Bool {
        state(at: now) == .active && matchers.matches(labels)
    }

    /// Alertmanager's checks: some matcher, a matcher that does not match everything, and an
    /// end after the start.
    public func validate() throws(SilenceError) {
        guard !matchers.isEmpty else { throw .invalid("at least one matcher required") }
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw .invalid("at least one matcher must not match the empty string")
        }
        guard endsAt > startsAt else { throw .invalid("end time must not be before start time") }
        guard !createdBy.isEmpty else { throw .invalid("createdBy must not be empty") }
        guard !comment.isEmpty else { throw .invalid("comment must not be empty") }
    }
}

public enum SilenceError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case notFound(String)
    case alreadyExpired(String)

    public var description: String {
        switch self {
        case .invalid(let message): "invalid silence: \(message)"
        case .notFound(let id): "silence \(id) not found"
        case .alreadyExpired(let id): "silence \(id) already expired"
        }
    }
}
