#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// An ICMP echo socket: an unprivileged datagram socket where the kernel allows it
/// (`net.ipv4.ping_group_range`), a raw socket otherwise. Blocking, with poll timeouts;
/// it runs on a thread pool thread.
final class ICMPSocket {
    let descriptor: Int32
    let isRaw: Bool
    let isIPv6: Bool

    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    init(ipv6: Bool, ttl: Int) throws {
        isIPv6 = ipv6
        let family = ipv6 ? AF_INET6 : AF_INET
        let proto = Int32(ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)
        var fd = socket(family, Int32(SOCK_DGRAM.rawValue), proto)
        var raw = false
        if fd < 0 {
            let datagramError = errno
            fd = socket(family, Int32(SOCK_RAW.rawValue), proto)
            guard fd >= 0 else {
                throw OpenError(description: "ICMP datagram socket: \(String(cString: strerror(datagramError))); raw socket: \(String(cString: strerror(errno)))")
            }
            raw = true
        }
        descriptor = fd
        isRaw = raw
        var on: Int32 = 1
        var hops = Int32(ttl)
        if ipv6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, &hops, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_RECVHOPLIMIT, &on, socklen_t(MemoryLayout<Int32>.size))
        } else {
            setsockopt(fd, Int32(IPPROTO_IP), IP_TTL, &hops, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(fd, Int32(IPPROTO_IP), IP_RECVTTL, &on, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    deinit {
        close(descriptor)
    }

    func send(_ packet: [UInt8], to address: SocketAddress) -> Bool {
        packet.withUnsafeBytes { bytes in
            address.withSockAddr { pointer, length in
                sendto(descriptor, bytes.baseAddress, bytes.count, 0, pointer, socklen_t(length)) == bytes.count
            }
        }
    }

    struct Received {
        var icmp: [UInt8]
        var hopLimit: Int?
    }

    /// The next packet, without any IP header, or nil when `timeoutMilliseconds` pass first.
    func receive(timeoutMilliseconds: Int32) -> Received? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, max(0, timeoutMilliseconds)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var control = [UInt8](repeating: 0, count: 256)
        let (count, hopLimit) = buffer.withUnsafeMutableBytes { data -> (Int, Int?) in
            control.withUnsafeMutableBytes { controlBytes -> (Int, Int?) in
                var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer -> (Int, Int?) in
                    var header = msghdr()
                    header.msg_iov = vectorPointer
                    header.msg_iovlen = 1
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = controlBytes.count
                    let count = recvmsg(descriptor, &header, 0)
                    guard count > 0 else { return (count, nil) }
                    return (count, Self.hopLimit(header))
                }
            }
        }
        guard count > 0 else { return nil }
        var packet = Array(buffer[..<count])
        var hops = hopLimit
        if isRaw, !isIPv6, let first = packet.first {
            // Raw IPv4 sockets deliver the IP header too; its TTL is byte 8.
            let headerLength = Int(first & 0x0F) * 4
            guard packet.count >= headerLength else { return nil }
            hops = hops ?? Int(packet[8])
            packet.removeFirst(headerLength)
        }
        return Received(icmp: packet, hopLimit: hops)
    }

    private static func hopLimit(_ header: msghdr) -> Int? {
        guard let control = header.msg_control, header.msg_controllen >= MemoryLayout<cmsghdr>.size else { return nil }
        let message = control.assumingMemoryBound(to: cmsghdr.self).pointee
        let isTTL = (message.cmsg_level == Int32(IPPROTO_IP) && message.cmsg_type == IP_TTL)
            || (message.cmsg_level == Int32(IPPROTO_IPV6) && message.cmsg_type == IPV6_HOPLIMIT)
        guard isTTL else { return nil }
        let data = control.advanced(by: MemoryLayout<cmsghdr>.stride)
        return Int(data.loadUnaligned(as: Int32.self))
    }
}
