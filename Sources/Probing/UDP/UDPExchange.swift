import NIOCore
import NIOPosix

/// Sends one datagram to an address and waits for the first reply from it.
struct UDPExchange {
    let group: any EventLoopGroup
    let address: SocketAddress

    /// The reply, or nil when `expectReply` is false (sending is all that was asked).
    func run(payload: [UInt8], expectReply: Bool) async throws -> [UInt8]? {
        let bindHost = address.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group)
            .bind(host: bindHost, port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: payload)))
            guard expectReply else { return nil }
            for try await envelope in inbound where envelope.remoteAddress.port == address.port {
                return Array(envelope.data.readableBytesView)
            }
            return nil
        }
    }
}
