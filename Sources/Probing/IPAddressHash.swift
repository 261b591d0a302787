/// `probe_ip_addr_hash`: FNV-1a (32 bit) of the address text, as blackbox computes it, so
/// a change of address shows as a change of value.
enum IPAddressHash {
    static func fnv32a(_ text: String) -> Double {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Double(hash)
    }
}
