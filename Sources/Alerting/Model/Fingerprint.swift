import OutpostCore

/// An alert's identity: the FNV-1a 64-bit hash of its sorted labels, as Alertmanager computes it.
///
/// Each name and value is followed by the byte 0xff, which cannot occur in UTF-8, so no two
/// label sets hash the same input. Printed as 16 lowercase hex digits.
public struct Fingerprint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public init(_ labels: Labels) {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 1_099_511_628_211
        }
        for label in labels {
            for byte in label.name.utf8 { add(byte) }
            add(0xff)
            for byte in label.value.utf8 { add(byte) }
            add(0xff)
        }
        rawValue = hash
    }

    /// Parses the 16-digit hex form.
    public init?(hex: String) {
        guard hex.utf8.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        rawValue = value
    }

    public var description: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { lhs.rawValue < rhs.rawValue }
}
