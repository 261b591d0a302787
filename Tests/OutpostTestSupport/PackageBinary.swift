import Foundation

/// A program from a Debian package that tests run (CI installs it with scripts/install-deps).
public struct PackageBinary: Sendable {
    public var package: String
    public var path: String

    public init(package: String, path: String) {
        self.package = package
        self.path = path
    }

    public var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Whether tests that need it must run: it is installed, or this is CI where it must be.
    public var isRequired: Bool { isInstalled || ProcessInfo.processInfo.environment["CI"] != nil }

    public var url: URL { URL(fileURLWithPath: path) }
}
