import OutpostCore

/// An alert as the router holds it: identity, description and the time range it is active.
public struct Alert: Hashable, Sendable {
    public var labels: Labels
    public var annotations: Labels
    public var startsAt: UnixMillis
    /// When the alert stops being active; nil while its end is unknown.
    public var endsAt: UnixMillis?
    public var generatorURL: String
    /// When Outpost last received this alert, to decide which copy is newer on merge.
    public var updatedAt: UnixMillis
    /// True when `endsAt` was not given and was set from `resolve_timeout`.
    public var timeout: Bool
    public let fingerprint: Fingerprint

    public init(labels: Labels, annotations: Labels = Labels(), startsAt: UnixMillis, endsAt: UnixMillis?,
                generatorURL: String = "", updatedAt: UnixMillis, timeout: Bool = false) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.updatedAt = updatedAt
        self.timeout = timeout
        fingerprint = Fingerprint(labels)
    }

    public func isResolved(at now: UnixMillis) -> Bool {
        guard let endsAt else { return false }
        return endsAt <= now
    }

    public func status(at now: UnixMillis) -> AlertStatus { isResolved(at: now) ? .resolved : .firing }

    /// Combines two copies of the same alert the way Alertmanager does: the younger copy wins,
    /// keeping the earliest start and, where it is explicit, the latest end.
    public func merged(with other: Alert, now: UnixMillis) -> Alert {
        if other.updatedAt < updatedAt { return other.merged(with: self, now: now) }
        var result = other
        result.startsAt = min(startsAt, other.startsAt)
        let olderEnd = endsAt ?? Int64.max
        let newerEnd = other.endsAt ?? Int64.max
        if other.isResolved(at: now) {
            if isResolved(at: now), olderEnd > newerEnd { result.endsAt = endsAt }
        } else if olderEnd > newerEnd, !timeout {
            result.endsAt = endsAt
        }
        return result
    }

    /// Whether an incoming copy overlaps this one in time, so the two are one alert.
    func overlaps(_ incoming: Alert) -> Bool {
        let oldEnd = endsAt ?? Int64.max
        let newEnd = incoming.endsAt ?? Int64.max
        return (newEnd >= startsAt && newEnd <= oldEnd) || (incoming.startsAt >= startsAt && incoming.startsAt <= oldEnd)
    }
}

public enum AlertStatus: String, Sendable, Codable {
    case firing, resolved
}
