import NIOCore
import NIOPosix

/// Runs a probe with the prober its module names; the one entry point for `/probe` and
/// the scheduler. Holds one prober of each kind, so the HTTP prober's libcurl loop is shared.
public final class ProbeRunner: Sendable {
    private let http: HTTPProber
    private let tcp: TCPProber
    private let udp: UDPProber
    private let dns: DNSProber
    private let icmp: ICMPProber

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, pool: NIOThreadPool = .singleton) {
        http = HTTPProber()
        tcp = TCPProber(pool: pool)
        udp = UDPProber(group: group, pool: pool)
        dns = DNSProber(group: group, pool: pool)
        icmp = ICMPProber(pool: pool)
    }

    public func prober(for kind: ModuleConfig.Prober) -> any Prober {
        switch kind {
        case .http: http
        case .tcp: tcp
        case .udp: udp
        case .dns: dns
        case .icmp: icmp
        }
    }

    /// Where a probe with `module` runs best (see `Prober.preferredExecutor(for:)`); the
    /// scheduler starts its probe tasks there.
    public func preferredExecutor(for module: ModuleConfig) -> (any TaskExecutor)? {
        prober(for: module.prober).preferredExecutor(for: module)
    }

    /// Probes `target`; the timeout is the module's, capped by `timeoutLimit` when given.
    /// The runner times every probe, so each prober's early returns are timed too.
    public func run(target: String, module: ModuleConfig, timeoutLimit: Duration? = nil,
                    hostname: String? = nil, verbose: Bool = false) async -> ProbeResult {
        var timeout = module.timeout ?? timeoutLimit ?? .seconds(10)
        if let limit = timeoutLimit { timeout = min(timeout, limit) }
        let context = ProbeContext(timeout: timeout, hostname: hostname, verbose: verbose)
        let prober = prober(for: module.prober)
        // A nil preference leaves the probe on the caller's executor.
        return await withTaskExecutorPreference(prober.preferredExecutor(for: module)) {
            let start = MonotonicTime.now()
            var result = await prober.probe(target: target, module: module, context: context)
            result.duration = MonotonicTime.now().seconds(since: start)
            return result
        }
    }
}
