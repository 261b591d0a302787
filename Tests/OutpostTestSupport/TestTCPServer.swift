import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 with an ephemeral port, running `handler` for every connection.
public final class TestTCPServer: Sendable {
    public typealias Handler = @Sendable (NIOAsyncChannelInboundStream<ByteBuffer>, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void

    public let port: Int
    private let channel: any Channel

    public init(handler: @escaping Handler) async throws {
        // Each accepted connection is handed to its own task right in the child initializer, not
        // through the listener's async stream: closing the listener drops whatever that stream
        // still buffers, and a dropped NIOAsyncChannel traps (apple/swift-nio#2813).
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { connection in
                connection.eventLoop.makeCompletedFuture {
                    let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: connection)
                    Task {
                        try? await wrapped.executeThenClose { inbound, outbound in
                            try await handler(inbound, outbound)
                        }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
    }

    /// Closes the listening socket. Connections already accepted run their handler to the end.
    public func stop() {
        channel.close(promise: nil)
    }
}
