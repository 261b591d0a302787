import NIOCore
import OutpostCore

/// One TCP connection running a module's script: TLS first when `tls: true`, then each
/// query/response step, upgrading to TLS on a `starttls` step.
struct TCPConversation {
    let steps: [TCPProbeConfig.QueryResponse]
    let address: SocketAddress
    /// Every wait, from connecting on, ends here.
    let deadline: MonotonicTime
    /// How to start TLS; nil when the module never does.
    let tls: TLSSetup?

    struct TLSSetup: Sendable {
        var context: TLSClientContext
        /// Sent as SNI and checked against the certificate.
        var serverName: String
        /// `tls: true`: the handshake comes right after connecting.
        var onConnect: Bool
    }

    /// What the last TLS handshake showed of the server.
    struct TLSState: Sendable {
        var chain: [CertificateInfo]
        var version: String
        var cipher: String
    }

    struct Outcome: Sendable {
        var log: [String] = []
        var failure: FailureReason?
        var failureMessage = ""
        var expectInfo: [(Labels, Double)] = []
        var tls: TLSState?
    }

    func run() async throws -> Outcome {
        let socket = try await TCPSocket(connectingTo: address, deadline: deadline)
        var outcome = Outcome(log: ["connected"])
        var reader = LineReader(socket)
        if let tls, tls.onConnect {
            guard try await startTLS(tls, on: &reader, outcome: &outcome) else { return outcome }
        }
        for (index, step) in steps.enumerated() {
            // As in blackbox_exporter, `send` expands `${1}` from its own step's `expect` only.
            var match: (ProbeRegex, String)?
            if let expect = step.expect {
                guard let line = try await reader.line(matching: expect) else {
                    outcome.failure = .regex
                    outcome.failureMessage = "step \(index): connection closed before a line matched \(expect)"
                    return outcome
                }
                outcome.log.append("step \(index): \"\(line)\" matched \(expect)")
                match = (expect, line)
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
                let text = match.map { $0.0.expand(send, matching: $0.1) } ?? send
                try await reader.stream.send(Array((text + "\n").utf8))
                outcome.log.append("step \(index): sent \"\(text)\"")
            }
            if step.startTLS, let tls {
                guard try await startTLS(tls, on: &reader, outcome: &outcome) else { return outcome }
            }
        }
        return outcome
    }

    /// Runs a TLS handshake over the reader's stream and, when the server is trusted (or
    /// need not be), carries on over TLS. The server's certificates are kept either way.
    private func startTLS(_ setup: TLSSetup, on reader: inout LineReader, outcome: inout Outcome) async throws -> Bool {
        let connection: TLSClientConnection
        do {
            connection = try TLSClientConnection(over: reader.stream, context: setup.context, serverName: setup.serverName,
                                                 received: reader.takeUnread())
            try await connection.handshake()
        } catch let error as TLSClientConnection.Failure {
            outcome.failure = .tls
            outcome.failureMessage = error.description
            return false
        }
        let state = TLSState(chain: connection.peerChain, version: connection.protocolVersion, cipher: connection.cipher)
        outcome.tls = state
        outcome.log.append("TLS handshake done: \(state.version), \(state.cipher)")
        if !setup.context.insecureSkipVerify, let error = connection.verificationError {
            outcome.failure = .tls
            outcome.failureMessage = "certificate not trusted for \"\(setup.serverName)\": \(error)"
            return false
        }
        reader.stream = connection
        return true
    }
}
