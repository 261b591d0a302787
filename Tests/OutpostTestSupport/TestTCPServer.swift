import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 with an ephemeral port, running `handler` for every connection.
public final class TestTCPServer: Sendable {
    public typealias Handler = @Sendable (NIOAsyncChannelInboundStream<ByteBuffer>, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void

    public let port: Int
    private let channel: any Channel

    public init(handler: @escaping Handler) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
        channel = server.channel
        Task {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask {
                            try? await connection.executeThenClose { inbound, outbound in
                                try await handler(inbound, outbound)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Closes the listening socket. The accept loop then ends by itself, after handing every
    /// connection already accepted to a handler (cancelling it instead would drop them unfinished).
    public func stop() {
        channel.close(promise: nil)
    }
}
