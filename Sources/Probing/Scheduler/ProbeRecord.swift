import OutpostCore

/// One finished scheduled probe, kept in a target's history.
public struct ProbeRecord: Sendable {
    /// When the probe started, Unix milliseconds.
    public var timestamp: UnixMillis
    public var result: ProbeResult
}

/// What the scheduler knows about one target: its config and latest results, newest last.
public struct TargetStatus: Sendable {
    public var target: TargetConfig
    public var module: ModuleConfig
    public var history: [ProbeRecord]
}
