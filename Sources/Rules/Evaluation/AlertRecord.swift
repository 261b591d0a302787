/// An alert's state as stored between runs (SQLite), so a restart neither restarts `for`
/// nor notifies a firing alert again. Times are milliseconds since the epoch.
public struct AlertRecord: Sendable, Codable, Equatable {
    /// The group's `RuleGroup.key` (file and name).
    public var groupKey: String
    /// The rule's `RuleDefinition.key` (name and labels).
    public var ruleKey: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var state: AlertState
    public var activeAt: Int64
    public var firedAt: Int64?
    public var resolvedAt: Int64?
    public var lastSentAt: Int64?
    public var keepFiringSince: Int64?
    public var validUntil: Int64?
    /// The last sample value, as text so NaN and infinities survive JSON.
    public var value: String

    public init(
        groupKey: String, ruleKey: String, labels: [String: String], annotations: [String: String], state: AlertState,
        activeAt: Int64, firedAt: Int64?, resolvedAt: Int64?, lastSentAt: Int64?, keepFiringSince: Int64?,
        validUntil: Int64?, value: String
    ) {
        self.groupKey = groupKey
        self.ruleKey = ruleKey
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastSentAt = lastSentAt
        self.keepFiringSince = keepFiringSince
        self.validUntil = validUntil
        self.value = value
    }
}
