#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Pings a host, as blackbox's icmp prober does; `packets: N` sends N echoes and adds loss
/// and round-trip statistics. The socket work blocks, so it runs on NIO's thread pool.
public struct ICMPProber: Prober {
    let pool: NIOThreadPool
    let resolver: HostResolver

    public init(pool: NIOThreadPool = .singleton) {
        self.pool = pool
        resolver = HostResolver(pool: pool)
    }

    public func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult {
        var result = ProbeResult()
        let config = module.icmp
        guard let resolution = await resolver.resolve(target, port: 0, settings: config.ip, deadline: context.deadline,
                                                      recordingIn: &result) else { return result }
        let deadline = context.deadline
        let session: ICMPSession.Outcome
        do {
            session = try await pool.runIfActive {
                try ICMPSession(address: resolution.address, config: config, deadline: deadline).run()
            }
        } catch {
            result.fail(.connect, "\(error)")
            return result
        }
        result.log.append(contentsOf: session.log)
        let phases = [("resolve", resolution.lookupSeconds), ("setup", session.setupSeconds), ("rtt", session.rtts.first ?? 0)]
        for (phase, value) in phases {
            result.gauge("probe_icmp_duration_seconds", "Duration of icmp request by phase", value, labels: ["phase": phase])
        }
        if let hops = session.hopLimit {
            result.gauge("probe_icmp_reply_hop_limit", "Replied packet hop limit (TTL for ipv4)", Double(hops))
        }
        if config.packets > 1 { recordStatistics(session, sent: config.packets, into: &result) }
        if session.rtts.isEmpty {
            result.fail(.timeout, "no echo reply before the deadline")
        } else {
            result.success = true
        }
        return result
    }

    private func recordStatistics(_ session: ICMPSession.Outcome, sent: Int, into result: inout ProbeResult) {
        let received = session.rtts.count
        result.gauge("probe_icmp_packets_sent", "Echo requests sent", Double(session.sent))
        result.gauge("probe_icmp_packets_received", "Echo replies received", Double(received))
        result.gauge("probe_icmp_packet_loss_ratio", "Share of echo requests without a reply", session.sent == 0 ? 1 : 1 - Double(received) / Double(session.sent))
        guard received > 0 else { return }
        let mean = session.rtts.reduce(0, +) / Double(received)
        let variance = session.rtts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(received)
        result.gauge("probe_icmp_rtt_min_seconds", "Smallest round trip time", session.rtts.min()!)
        result.gauge("probe_icmp_rtt_avg_seconds", "Mean round trip time", mean)
        result.gauge("probe_icmp_rtt_max_seconds", "Largest round trip time", session.rtts.max()!)
        result.gauge("probe_icmp_rtt_stddev_seconds", "Standard deviation of the round trip time", variance.squareRoot())
    }
}

/// One ping run on one socket: N echo requests, replies matched by sequence number.
struct ICMPSession {
    let address: SocketAddress
    let config: ICMPProbeConfig
    let deadline: MonotonicTime

    struct Outcome: Sendable {
        var setupSeconds = 0.0
        var sent = 0
        var rtts: [Double] = []
        var hopLimit: Int?
        var log: [String] = []
    }

    func run() throws -> Outcome {
        var outcome = Outcome()
        let setupStart = MonotonicTime.now()
        let ipv6 = address.protocol == .inet6
        let socket = try ICMPSocket(ipv6: ipv6, ttl: config.ttl)
        outcome.log.append("using a \(socket.isRaw ? "raw" : "datagram") ICMP socket")
        let identifier = UInt16.random(in: 1...UInt16.max)
        outcome.setupSeconds = MonotonicTime.now().seconds(since: setupStart)
        var sentAt: [UInt16: MonotonicTime] = [:]
        for sequence in 1...UInt16(config.packets) {
            let packet = ICMPEcho.request(ipv6: ipv6, identifier: identifier, sequence: sequence, payloadSize: config.payloadSize)
            sentAt[sequence] = .now()
            if socket.send(packet, to: address) { outcome.sent += 1 }
            let next = sequence == UInt16(config.packets) ? deadline : min(deadline, MonotonicTime.now().adding(config.packetInterval))
            collectReplies(socket, until: next, identifier: identifier, sentAt: &sentAt, into: &outcome)
            if MonotonicTime.now() >= deadline || (sequence == UInt16(config.packets)) { break }
        }
        if outcome.rtts.count < outcome.sent {
            collectReplies(socket, until: deadline, identifier: identifier, sentAt: &sentAt, into: &outcome)
        }
        return outcome
    }

    private func collectReplies(_ socket: ICMPSocket, until limit: MonotonicTime, identifier: UInt16,
                                sentAt: inout [UInt16: MonotonicTime], into outcome: inout Outcome) {
        while outcome.rtts.count < outcome.sent {
            let remaining = limit.nanoseconds - MonotonicTime.now().nanoseconds
            guard remaining > 0, let packet = socket.receive(timeoutMilliseconds: Int32(min(Int64(Int32.max), (remaining + 999_999) / 1_000_000))) else { return }
            // Datagram sockets get their own identifier from the kernel, so only raw ones check it.
            guard let reply = ICMPEcho.parseReply(packet.icmp, ipv6: socket.isIPv6),
                  socket.isRaw ? reply.identifier == identifier : true,
                  let sent = sentAt.removeValue(forKey: reply.sequence) else { continue }
            outcome.rtts.append(MonotonicTime.now().seconds(since: sent))
            outcome.hopLimit = packet.hopLimit ?? outcome.hopLimit
            outcome.log.append("echo reply \(reply.sequence) after \(outcome.rtts.last!)s")
        }
    }
}

/// ICMP echo packets for IPv4 (types 8/0) and IPv6 (128/129).
enum ICMPEcho {
    static func request(ipv6: Bool, identifier: UInt16, sequence: UInt16, payloadSize: Int) -> [UInt8] {
        var packet: [UInt8] = [ipv6 ? 128 : 8, 0, 0, 0,
                               UInt8(identifier >> 8), UInt8(identifier & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        packet.append(contentsOf: (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0) })
        if !ipv6 {
            // The kernel computes ICMPv6 checksums itself; IPv4 needs ours.
            let sum = checksum(packet)
            packet[2] = UInt8(sum >> 8)
            packet[3] = UInt8(sum & 0xFF)
        }
        return packet
    }

    static func parseReply(_ packet: [UInt8], ipv6: Bool) -> (identifier: UInt16, sequence: UInt16)? {
        guard packet.count >= 8, packet[0] == (ipv6 ? 129 : 0), packet[1] == 0 else { return nil }
        return (UInt16(packet[4]) << 8 | UInt16(packet[5]), UInt16(packet[6]) << 8 | UInt16(packet[7]))
    }

    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
