import OutpostCore
import PromQL
import TSDB

/// What the `/api/v1` query endpoints read from: the head for series and label look-ups, an
/// engine over it for PromQL, and the bound on concurrent queries.
public struct QueryService: Sendable {
    public let head: Head
    public let engine: Engine
    public let buildInfo: PrometheusBuildInfo
    /// Supplies the default `time` of instant queries.
    public let clock: any WallClock
    let limiter: QueryLimiter

    /// - Parameters:
    ///   - engineOptions: lookback, `max_samples` and the default query timeout.
    ///   - maxConcurrency: `query.max_concurrency`, queries evaluating at once; later ones wait.
    public init(head: Head, engineOptions: EngineOptions = EngineOptions(), maxConcurrency: Int = 20,
                buildInfo: PrometheusBuildInfo = PrometheusBuildInfo(), clock: any WallClock = SystemClock()) {
        self.head = head
        self.engine = Engine(queryable: head, options: engineOptions)
        self.buildInfo = buildInfo
        self.clock = clock
        self.limiter = QueryLimiter(limit: maxConcurrency)
    }

    /// The engine with the request's `timeout`, when shorter than the configured one, and its
    /// `lookback_delta`, when given.
    func engine(timeout: Duration?, lookbackDelta: Int64?) -> Engine {
        var options = engine.options
        if let timeout, timeout < options.timeout { options.timeout = timeout }
        if let lookbackDelta, lookbackDelta > 0 { options.lookbackDelta = lookbackDelta }
        return Engine(queryable: engine.queryable, options: options)
    }

    /// Runs synchronous query work on a detached task, so it never blocks an event loop thread,
    /// within the concurrency bound; cancelling the caller cancels the work.
    func run(_ work: @escaping @Sendable () throws(APIError) -> [UInt8]) async throws(APIError) -> [UInt8] {
        do { try await limiter.acquire() } catch { throw APIError(QueryError.canceled) }
        let task = Task.detached { () -> Result<[UInt8], APIError> in
            if Task.isCancelled { return .failure(APIError(QueryError.canceled)) }
            return Result { () throws(APIError) -> [UInt8] in try work() }
        }
        let result = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        await limiter.release()
        return try result.get()
    }
}
