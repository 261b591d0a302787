import NIOCore
import NIOPosix
import OutpostCore

/// Connects to `host:port` and walks the module's query/response script, as blackbox's tcp
/// prober does: each `expect` waits for a line matching it, each `send` writes a line.
public struct TCPProber: Prober {
    let group: any EventLoopGroup
    let resolver: HostResolver

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, pool: NIOThreadPool = .singleton) {
        self.group = group
        resolver = HostResolver(pool: pool)
    }

    public func probe(target: String, module: ModuleConfig, context: ProbeContext) async -> ProbeResult {
        var result = ProbeResult()
        let config = module.tcp
        if config.tls || config.queryResponse.contains(where: \.startTLS) {
            result.fail(.config, "TLS over tcp is not supported by this build")
            return result
        }
        guard let (host, port) = HostPort.split(target, defaultPort: nil) else {
            result.fail(.config, "target \"\(target)\" is not host:port")
            return result
        }
        let resolution: HostResolver.Resolution
        do {
            resolution = try await resolver.resolve(host, port: port, settings: config.ip, deadline: context.deadline)
        } catch {
            result.fail(error is DeadlineExceeded ? .timeout : .dns, "resolving \(host): \(error)")
            return result
        }
        result.record(resolution, host: host)
        result.log.append("connecting to \(resolution.address)")
        let outcome: TCPConversation.Outcome
        do {
            outcome = try await withDeadline(context.deadline) { [group] in
                try await TCPConversation(steps: config.queryResponse, group: group, address: resolution.address,
                                          timeout: context.remaining).run()
            }
        } catch is DeadlineExceeded {
            result.fail(.timeout, "no answer before the deadline")
            return result
        } catch {
            result.fail(.connect, "\(error)")
            return result
        }
        result.log.append(contentsOf: outcome.log)
        result.success = true
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

/// One TCP connection running a query/response script.
struct TCPConversation {
    let steps: [TCPProbeConfig.QueryResponse]
    let group: any EventLoopGroup
    let address: SocketAddress
    let timeout: Duration

    struct Outcome: Sendable {
        var log: [String] = []
        var failure: FailureReason?
        var failureMessage = ""
        var expectInfo: [(Labels, Double)] = []
    }

    func run() async throws -> Outcome {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(max(1, timeout.wholeMilliseconds))))
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var outcome = Outcome(log: ["connected"])
            var reader = LineReader(inbound.makeAsyncIterator())
            var lastMatch: (ProbeRegex, String)?
            for (index, step) in steps.enumerated() {
                if let expect = step.expect {
                    guard let line = try await reader.line(matching: expect) else {
                        outcome.failure = .regex
                        outcome.failureMessage = "step \(index): connection closed before a line matched \(expect)"
                        return outcome
                    }
                    outcome.log.append("step \(index): \"\(line)\" matched \(expect)")
                    lastMatch = (expect, line)
                    if !step.labels.isEmpty {
                        let labels = Labels(step.labels.map { ($0.name, expect.expand($0.value, matching: line)) })
                        outcome.expectInfo.append((labels, 1))
                    }
                }
                if let bytes = step.expectBytes {
                    guard try await reader.bytes(containing: bytes) else {
                        outcome.failure = .expect
                        outcome.failureMessage = "step \(index): connection closed before the expected bytes arrived"
                        return outcome
                    }
                    outcome.log.append("step \(index): expected bytes received")
                }
                if let send = step.send {
                    let text = lastMatch.map { $0.0.expand(send, matching: $0.1) } ?? send
                    try await outbound.write(ByteBuffer(string: text + "\n"))
                    outcome.log.append("step \(index): sent \"\(text)\"")
                }
            }
            return outcome
        }
    }
}

/// Reads lines and byte runs from a channel's inbound stream, keeping what is left over.
struct LineReader {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending: [UInt8] = []

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.iterator = iterator
    }

    /// The first line matching `regex`, skipping others; nil when the peer closes first.
    mutating func line(matching regex: ProbeRegex) async throws -> String? {
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = String(decoding: pending[..<newline], as: UTF8.self)
                if line.hasSuffix("\r") { line.removeLast() }
                pending.removeSubrange(...newline)
                if regex.matches(line) { return line }
            }
            guard let chunk = try await iterator.next() else {
                // A last line without a newline still counts.
                let rest = String(decoding: pending, as: UTF8.self)
                pending.removeAll()
                return !rest.isEmpty && regex.matches(rest) ? rest : nil
            }
            pending.append(contentsOf: chunk.readableBytesView)
        }
    }

    /// Reads until `expected` appears in the data; false when the peer closes first.
    mutating func bytes(containing expected: [UInt8]) async throws -> Bool {
        while true {
            if let range = pending.firstRange(of: expected) {
                pending.removeSubrange(..<range.upperBound)
                return true
            }
            guard let chunk = try await iterator.next() else { return false }
            pending.append(contentsOf: chunk.readableBytesView)
        }
    }
}
