import NIOCore
import NIOPosix

/// A UDP server on 127.0.0.1 answering each datagram with `reply(datagram)`, or not at all for nil.
public final class TestUDPServer: Sendable {
    public let port: Int
    private let task: Task<Void, Never>
    private let channel: any Channel

    public init(reply: @escaping @Sendable ([UInt8]) -> [UInt8]?) async throws {
        let server = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
        channel = server.channel
        task = Task {
            try? await server.executeThenClose { inbound, outbound in
                for try await envelope in inbound {
                    if let answer = reply(Array(envelope.data.readableBytesView)) {
                        try await outbound.write(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: answer)))
                    }
                }
            }
        }
    }

    public func stop() {
        channel.close(promise: nil)
        task.cancel()
    }
}
