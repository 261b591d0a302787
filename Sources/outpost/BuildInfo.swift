import CBuildInfo

/// What this binary is, for `--version` and `outpost_build_info`.
enum BuildInfo {
    static let version = "0.1.0"
    static let revision = String(cString: outpost_build_revision())
    static let swiftVersion: String = {
        #if swift(>=6.4)
        return "6.4"
        #elseif swift(>=6.3)
        return "6.3"
        #else
        return "6.2"
        #endif
    }()

    static var versionLine: String { "outpost, version \(version) (revision: \(revision), swift: \(swiftVersion))" }
}
