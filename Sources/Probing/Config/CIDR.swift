#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 network such as `10.0.0.0/8` or `fd00::/8`.
public struct CIDR: Sendable, Equatable {
    public let network: [UInt8]
    public let prefixLength: Int

    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/"), let length = Int(text[text.index(after: slash)...]),
              let address = IPAddressBytes.parse(String(text[..<slash])),
              length >= 0, length <= address.count * 8 else { return nil }
        network = address
        prefixLength = length
    }

    public func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address, network) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }
}

/// Literal IP addresses as bytes: 4 for IPv4, 16 for IPv6.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        var host = text
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
