#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Builds each distinct `tls_config` into an OpenSSL context once, since loading CA files
/// costs far more than a probe. A context is rebuilt when one of its files changes on disk,
/// so rotated certificates are picked up without a restart.
final class TLSContextCache: Sendable {
    /// Everything of a `tls_config` that goes into the context (the server name does not).
    private struct Settings: Hashable {
        var caFile: String?
        var certFile: String?
        var keyFile: String?
        var insecureSkipVerify: Bool
        var minVersion: String?
        var maxVersion: String?
    }

    private struct Entry {
        var fileStamps: [Int]
        var context: TLSClientContext
    }

    private let entries = Mutex<[Settings: Entry]>([:])

    func context(for config: TLSConfig) throws(TLSClientContext.SetupError) -> TLSClientContext {
        let settings = Settings(caFile: config.caFile, certFile: config.certFile, keyFile: config.keyFile,
                                insecureSkipVerify: config.insecureSkipVerify, minVersion: config.minVersion?.rawValue,
                                maxVersion: config.maxVersion?.rawValue)
        let stamps = [config.caFile, config.certFile, config.keyFile].compactMap { $0 }.map(Self.modificationStamp)
        if let entry = entries.withLock({ $0[settings] }), entry.fileStamps == stamps { return entry.context }
        let context = try TLSClientContext(config)
        entries.withLock { $0[settings] = Entry(fileStamps: stamps, context: context) }
        return context
    }

    /// Modification time in nanoseconds, or -1 when the file cannot be read.
    private static func modificationStamp(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
    }
}
