/// The staleness marker: a NaN with a bit pattern of its own, written when a series disappears.
///
/// Ordinary NaN values are data; only this exact pattern means "no longer present".
public enum StaleMarker {
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    public static let value = Double(bitPattern: bitPattern)

    public static func isStale(_ value: Double) -> Bool { value.bitPattern == bitPattern }
}
