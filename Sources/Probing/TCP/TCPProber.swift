import NIOPosix
import OutpostCore

/// Connects to `host:port`, optionally over TLS, and walks the module's query/response
/// script, as blackbox's tcp prober does: each `expect` waits for a line matching it, each
/// `send` writes a line, `starttls` upgrades the connection.
///
/// The connection is a plain non-blocking socket driven by the shared `SocketReactor`,
/// whose waits end at the probe's deadline: far cheaper per probe than a NIO channel.
public struct TCPProber: Prober {
    let resolver: HostResolver
    let tlsContexts = TLSContextCache()

    public init(pool: NIOThreadPool = .singleton) {
        resolver = HostResolver(pool: pool)
    }

    /// The socket reactor, unless the module speaks TLS: a handshake's CPU would stall every
    /// other probe's socket events.
    public func preferredExecutor(for module: ModuleConfig) -> (any TaskExecutor)? {
        module.tcp.usesTLS ? nil : SocketReactor.shared
    }

    public func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult {
        var result = ProbeResult()
        let config = module.tcp
        guard let (host, port) = HostPort.split(target, defaultPort: nil) else {
            result.fail(.config, "target \"\(target)\" is not host:port")
            return result
        }
        var tls: TCPConversation.TLSSetup?
        if config.usesTLS {
            do {
                // As blackbox: server_name, else the `hostname` parameter, else the target's host.
                let serverName = config.tlsConfig.serverName ?? context.hostname ?? host
                tls = TCPConversation.TLSSetup(context: try tlsContexts.context(for: config.tlsConfig),
                                               serverName: serverName, onConnect: config.tls)
            } catch {
                result.fail(.config, "tls_config: \(error)")
                return result
            }
        }
        guard let resolution = await resolver.resolve(host, port: port, settings: config.ip, deadline: context.deadline,
                                                      recordingIn: &result) else { return result }
        result.log.append("connecting to \(resolution.address)")
        let outcome: TCPConversation.Outcome
        do {
            outcome = try await TCPConversation(steps: config.queryResponse, address: resolution.address,
                                                deadline: context.deadline, tls: tls).run()
        } catch is DeadlineExceeded {
            result.fail(.timeout, "no answer before the deadline")
            return result
        } catch {
            result.fail(.connect, "\(error)")
            return result
        }
        result.log.append(contentsOf: outcome.log)
        result.success = true
        if let state = outcome.tls {
            TLSMetrics.record(chain: state.chain, session: (TLSMetrics.goVersionName(state.version), state.cipher), into: &result)
        }
        if !config.queryResponse.isEmpty {
            result.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex", outcome.failure == .regex ? 1 : 0)
        }
        for (labels, value) in outcome.expectInfo {
            result.gauge("probe_expect_info", "Explicit content matched", value, labels: labels)
        }
        if let failure = outcome.failure { result.fail(failure, outcome.failureMessage) }
        return result
    }
}
