import NIOCore
import NIOPosix

/// Sends the module's payload to `host:port` over UDP and, when it expects something,
/// waits for a reply matching `expect` (a regexp) or containing `expect_bytes`.
public struct UDPProber: Prober {
    let group: any EventLoopGroup
    let resolver: HostResolver

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, pool: NIOThreadPool = .singleton) {
        self.group = group
        resolver = HostResolver(pool: pool)
    }

    public func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult {
        var result = ProbeResult()
        let config = module.udp
        guard let (host, port) = HostPort.split(target, defaultPort: nil) else {
            result.fail(.config, "target \"\(target)\" is not host:port")
            return result
        }
        guard let resolution = await resolver.resolve(host, port: port, settings: config.ip, deadline: context.deadline,
                                                      recordingIn: &result) else { return result }
        let expectsReply = config.expect != nil || config.expectBytes != nil
        let reply: [UInt8]?
        do {
            reply = try await withDeadline(context.deadline) { [group] in
                try await UDPExchange(group: group, address: resolution.address).run(payload: config.payload, expectReply: expectsReply)
            }
        } catch is DeadlineExceeded {
            result.fail(.timeout, "no reply before the deadline")
            return result
        } catch {
            result.fail(.connect, "\(error)")
            return result
        }
        result.success = true
        result.log.append("sent \(config.payload.count) bytes to \(resolution.address)")
        guard expectsReply else { return result }
        guard let reply else {
            result.fail(.expect, "no reply")
            return result
        }
        result.log.append("received \(reply.count) bytes")
        if let regex = config.expect {
            let matched = regex.matches(String(decoding: reply, as: UTF8.self))
            result.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex", matched ? 0 : 1)
            if !matched { result.fail(.regex, "reply did not match \(regex)") }
        }
        if let bytes = config.expectBytes, reply.firstRange(of: bytes) == nil {
            result.fail(.expect, "reply did not contain the expected bytes")
        }
        return result
    }
}
