/// One kind of probe (http, tcp, dns, ...): checks a target the way a module says.
///
/// A prober never throws and never outlives `context.deadline`: every failure, including
/// running out of time, comes back as a result with `success == false` and a reason.
public protocol Prober: Sendable {
    func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult

    /// The executor a probe with `module` runs best on: the prober's own event-loop thread,
    /// where a ready socket resumes the probe without waking another thread. Nil where the
    /// probe would hold that thread too long (TLS handshakes, body checks) or has none.
    func preferredExecutor(for module: ModuleConfig) -> (any TaskExecutor)?
}

extension Prober {
    public func preferredExecutor(for module: ModuleConfig) -> (any TaskExecutor)? { nil }
}

/// What a single probe run knows besides its target and module.
public struct ProbeContext: Sendable {
    /// How long the probe may take in all.
    public var timeout: Duration
    /// When the probe must be over, on the monotonic clock (`MonotonicTime.now()`).
    public var deadline: MonotonicTime
    /// The `hostname` parameter of `/probe`: the Host header and TLS server name to use.
    public var hostname: String?
    /// Whether to keep a detailed log (for `debug=true`); a short log is always kept.
    public var verbose: Bool

    public init(timeout: Duration, hostname: String? = nil, verbose: Bool = false, start: MonotonicTime = .now()) {
        self.timeout = timeout
        self.deadline = start.adding(timeout)
        self.hostname = hostname
        self.verbose = verbose
    }

    /// Time left before the deadline, never negative.
    public var remaining: Duration { max(.zero, deadline.duration(since: .now())) }
}
