import OutpostCore
import PromQL
import Synchronization
import TSDB

/// What the `/api/v1` query endpoints read from: the head for series and label look-ups, an
/// engine over it for PromQL, and the bound on concurrent queries.
public struct QueryService: Sendable {
    public let head: Head
    private let settings: EngineSettings
    public let buildInfo: PrometheusBuildInfo
    /// Supplies the default `time` of instant queries.
    public let clock: any WallClock
    let limiter: QueryLimiter
    let executor: ThreadPoolExecutor?

    /// - Parameters:
    ///   - engineOptions: lookback, `max_samples` and the default query timeout.
    ///   - maxConcurrency: `query.max_concurrency`, queries evaluating at once; later ones wait.
    ///   - executor: where queries run; Outpost gives them threads of their own so a heavy
    ///     query cannot starve probing and alerting. Nil runs them on the global executor.
    public init(head: Head, engineOptions: EngineOptions = EngineOptions(), maxConcurrency: Int = 20,
                buildInfo: PrometheusBuildInfo = PrometheusBuildInfo(), clock: any WallClock = SystemClock(),
                executor: ThreadPoolExecutor? = nil) {
        self.head = head
        self.settings = EngineSettings(Engine(queryable: head, options: engineOptions))
        self.buildInfo = buildInfo
        self.clock = clock
        self.limiter = QueryLimiter(limit: maxConcurrency)
        self.executor = executor
    }

    /// The engine with the current options.
    public var engine: Engine { settings.engine.withLock { $0 } }

    /// Applies reloaded query settings to the queries that start from now on.
    public func update(engineOptions: EngineOptions, maxConcurrency: Int) async {
        settings.engine.withLock { $0 = Engine(queryable: head, options: engineOptions) }
        await limiter.setLimit(maxConcurrency)
    }

    /// The engine with the request's `timeout`, when shorter than the configured one, and its
    /// `lookback_delta`, when given.
    func engine(timeout: Duration?, lookbackDelta: Int64?) -> Engine {
        let engine = self.engine
        var options = engine.options
        if let timeout, timeout < options.timeout { options.timeout = timeout }
        if let lookbackDelta, lookbackDelta > 0 { options.lookbackDelta = lookbackDelta }
        return Engine(queryable: engine.queryable, options: options)
    }

    /// Runs synchronous query work on a detached task on the query executor, so it never blocks
    /// an event loop thread, within the concurrency bound; cancelling the caller cancels the work.
    func run(_ work: @escaping @Sendable () throws(APIError) -> [UInt8]) async throws(APIError) -> [UInt8] {
        do { try await limiter.acquire() } catch { throw APIError(QueryError.canceled) }
        let task = Task.detached(executorPreference: executor) { () -> Result<[UInt8], APIError> in
            if Task.isCancelled { return .failure(APIError(QueryError.canceled)) }
            return Result { () throws(APIError) -> [UInt8] in try work() }
        }
        let result = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        await limiter.release()
        return try result.get()
    }
}

/// The engine the query API uses, replaced whole on reload.
private final class EngineSettings: Sendable {
    let engine: Mutex<Engine>

    init(_ engine: Engine) {
        self.engine = Mutex(engine)
    }
}
