import OutpostCore

/// Where an alert is in its life: pending while `for` runs, firing, or inactive once resolved.
public enum AlertState: String, Sendable, Codable, Comparable {
    case inactive
    case pending
    case firing

    private var rank: Int {
        switch self {
        case .inactive: 0
        case .pending: 1
        case .firing: 2
        }
    }

    public static func < (lhs: AlertState, rhs: AlertState) -> Bool { lhs.rank < rhs.rank }
}

/// One alert of an alerting rule, identified by its labels. Times are milliseconds since the epoch.
public struct RuleAlert: Sendable, Equatable {
    /// Sample labels without `__name__`, the rule's expanded labels, and `alertname`.
    public var labels: Labels
    public var annotations: Labels
    public var state: AlertState
    /// The sample value at the last evaluation that produced the alert.
    public var value: Double
    /// When the alert became pending.
    public var activeAt: Int64
    public var firedAt: Int64?
    public var resolvedAt: Int64?
    public var lastSentAt: Int64?
    /// When the expression stopped returning the alert while `keep_firing_for` holds it firing.
    public var keepFiringSince: Int64?
    /// Until when the last notification holds the alert active in the receiver (its `endsAt`).
    public var validUntil: Int64?

    public init(
        labels: Labels, annotations: Labels, state: AlertState, value: Double, activeAt: Int64, firedAt: Int64? = nil,
        resolvedAt: Int64? = nil, lastSentAt: Int64? = nil, keepFiringSince: Int64? = nil, validUntil: Int64? = nil
    ) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastSentAt = lastSentAt
        self.keepFiringSince = keepFiringSince
        self.validUntil = validUntil
    }

    public static func == (lhs: RuleAlert, rhs: RuleAlert) -> Bool {
        lhs.labels == rhs.labels && lhs.annotations == rhs.annotations && lhs.state == rhs.state
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)) && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.resolvedAt == rhs.resolvedAt && lhs.lastSentAt == rhs.lastSentAt
            && lhs.keepFiringSince == rhs.keepFiringSince && lhs.validUntil == rhs.validUntil
    }

    /// Whether a notification is due: never while pending; at once after resolving; otherwise
    /// when the last one is older than `resendDelay` (Prometheus's `needsSending`).
    func needsSending(at t: Int64, resendDelay: Int64) -> Bool {
        if state == .pending { return false }
        if let resolvedAt, resolvedAt > (lastSentAt ?? .min) { return true }
        guard let lastSentAt else { return true }
        return lastSentAt + resendDelay < t
    }
}
