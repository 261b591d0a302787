/// Limits and defaults of query evaluation, named after Prometheus's flags.
public struct EngineOptions: Sendable {
    /// How far back an instant selector looks for a sample (`--query.lookback-delta`), in ms.
    public var lookbackDelta: Int64 = 5 * 60_000
    /// Subquery step when none is given, in ms (Prometheus uses the global evaluation interval).
    public var defaultSubqueryStep: Int64 = 60_000
    /// Most samples one evaluation step may hold (`--query.max-samples`).
    public var maxSamples: Int = 50_000_000
    /// Wall-clock limit per query (`--query.timeout`).
    public var timeout: Duration = .seconds(120)

    public init() {}
}
