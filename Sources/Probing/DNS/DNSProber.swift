import NIOCore
import NIOPosix

/// Asks a DNS server one question and checks the answer, as blackbox's dns prober does.
/// The target is the server, `host[:port]` (port 53 by default).
public struct DNSProber: Prober {
    let group: any EventLoopGroup
    let resolver: HostResolver

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, pool: NIOThreadPool = .singleton) {
        self.group = group
        resolver = HostResolver(pool: pool)
    }

    public func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult {
        var result = ProbeResult()
        guard let config = module.dns else {
            result.fail(.config, "the module has no dns section")
            return result
        }
        result.gauge("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully", 0)
        guard let (host, port) = HostPort.split(target, defaultPort: 53) else {
            result.fail(.config, "target \"\(target)\" is not host[:port]")
            return result
        }
        guard let resolution = await resolver.resolve(host, port: port, settings: config.ip, deadline: context.deadline,
                                                      recordingIn: &result) else { return result }
        let id = UInt16.random(in: 0...UInt16.max)
        guard let query = DNSMessage.query(id: id, name: config.queryName, type: config.queryType,
                                           class: config.queryClass, recursionDesired: config.recursionDesired) else {
            result.fail(.config, "\"\(config.queryName)\" is not a valid name")
            return result
        }
        result.log.append("asking \(resolution.address) over \(config.transport.rawValue) for \(config.queryName) \(DNSRecordType.name(config.queryType))")
        let exchange: DNSExchange.Reply
        do {
            exchange = try await withDeadline(context.deadline) { [group] in
                try await DNSExchange(group: group, address: resolution.address, transport: config.transport).run(query)
            }
        } catch is DeadlineExceeded {
            recordPhases(&result, resolve: resolution.lookupSeconds, connect: 0, request: 0)
            result.fail(.timeout, "no answer before the deadline")
            return result
        } catch {
            recordPhases(&result, resolve: resolution.lookupSeconds, connect: 0, request: 0)
            result.fail(.connect, "\(error)")
            return result
        }
        recordPhases(&result, resolve: resolution.lookupSeconds, connect: exchange.connectSeconds, request: exchange.requestSeconds)
        guard let message = DNSMessage(parsing: exchange.bytes), message.id == id else {
            result.fail(.protocolError, "the reply is not a DNS response to the query")
            return result
        }
        evaluate(message, config: config, into: &result)
        return result
    }

    private func recordPhases(_ result: inout ProbeResult, resolve: Double, connect: Double, request: Double) {
        for (phase, value) in [("resolve", resolve), ("connect", connect), ("request", request)] {
            result.gauge("probe_dns_duration_seconds", "Duration of DNS request by phase", value, labels: ["phase": phase])
        }
    }

    private func evaluate(_ message: DNSMessage, config: DNSProbeConfig, into result: inout ProbeResult) {
        result.success = true
        result.removeGauges(named: "probe_dns_query_succeeded")
        result.gauge("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully", 1)
        result.gauge("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list", Double(message.answers.count))
        result.gauge("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list", Double(message.authorities.count))
        result.gauge("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list", Double(message.additionals.count))
        if let serial = message.answers.first(where: { $0.type == DNSRecordType.soa })?.serial {
            result.gauge("probe_dns_serial", "Returns the serial number of the zone", Double(serial))
        }
        result.log.append("rcode \(DNSRcode.name(message.rcode)), \(message.answers.count) answer(s)")
        for record in message.answers + message.authorities + message.additionals { result.log.append(record.text) }
        guard config.validRcodes.contains(message.rcode) else {
            result.fail(.rcode, "rcode \(DNSRcode.name(message.rcode)) is not valid")
            return
        }
        let sections = [("answer", message.answers, config.validateAnswer),
                        ("authority", message.authorities, config.validateAuthority),
                        ("additional", message.additionals, config.validateAdditional)]
        for (name, records, validation) in sections {
            if let problem = validation.violation(records.map(\.text)) {
                result.fail(.validation, "\(name) section: \(problem)")
            }
        }
    }
}

/// One DNS query and its reply over UDP, or over TCP with the two-byte length prefix.
struct DNSExchange {
    let group: any EventLoopGroup
    let address: SocketAddress
    let transport: DNSProbeConfig.Transport

    struct Reply: Sendable {
        var bytes: [UInt8]
        var connectSeconds: Double
        var requestSeconds: Double
    }

    struct NoReply: Error {}

    func run(_ query: [UInt8]) async throws -> Reply {
        let start = MonotonicTime.now()
        switch transport {
        case .udp:
            guard let bytes = try await UDPExchange(group: group, address: address).run(payload: query, expectReply: true) else {
                throw NoReply()
            }
            return Reply(bytes: bytes, connectSeconds: 0, requestSeconds: MonotonicTime.now().seconds(since: start))
        case .tcp:
            let channel = try await ClientBootstrap(group: group).connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
            let connected = MonotonicTime.now()
            let bytes = try await channel.executeThenClose { inbound, outbound in
                var framed = ByteBuffer()
                framed.writeInteger(UInt16(query.count))
                framed.writeBytes(query)
                try await outbound.write(framed)
                var received: [UInt8] = []
                for try await chunk in inbound {
                    received.append(contentsOf: chunk.readableBytesView)
                    if received.count >= 2 {
                        let length = Int(received[0]) << 8 | Int(received[1])
                        if received.count >= 2 + length { return Array(received[2..<(2 + length)]) }
                    }
                }
                throw NoReply()
            }
            return Reply(bytes: bytes, connectSeconds: connected.seconds(since: start),
                         requestSeconds: MonotonicTime.now().seconds(since: connected))
        }
    }
}
