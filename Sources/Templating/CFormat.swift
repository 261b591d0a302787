#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// C's printf for one number, which matches Go's fmt for finite floats with an explicit
/// precision and for integers; cheaper than Foundation's String(format:).
enum CFormat {
    static func format(_ format: String, _ argument: any CVarArg) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
            let written = withVaList([argument]) { vsnprintf(buffer.baseAddress, 128, format, $0) }
            if written >= 0 && written < 128 {
                return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(written)).bindMemory(to: UInt8.self), as: UTF8.self)
            }
            let size = Int(max(written, 0)) + 1
            var large = [CChar](repeating: 0, count: size)
            _ = withVaList([argument]) { vsnprintf(&large, size, format, $0) }
            return String(decoding: large.prefix(size - 1).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
