import Foundation
import OutpostCore

/// Client TLS settings, as Prometheus' common `tls_config`.
public struct TLSConfig: Decodable, Sendable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var serverName: String?
    public var insecureSkipVerify = false
    public var minVersion: TLSVersion?
    public var maxVersion: TLSVersion?

    enum CodingKeys: String, CodingKey {
        case caFile = "ca_file"
        case certFile = "cert_file"
        case keyFile = "key_file"
        case serverName = "server_name"
        case insecureSkipVerify = "insecure_skip_verify"
        case minVersion = "min_version"
        case maxVersion = "max_version"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        caFile = try container.decodeFilePath(forKey: .caFile, decoder: decoder)
        certFile = try container.decodeFilePath(forKey: .certFile, decoder: decoder)
        keyFile = try container.decodeFilePath(forKey: .keyFile, decoder: decoder)
        serverName = try container.decodeIfPresent(String.self, forKey: .serverName)
        insecureSkipVerify = try container.decodeIfPresent(Bool.self, forKey: .insecureSkipVerify) ?? false
        minVersion = try container.decodeIfPresent(TLSVersion.self, forKey: .minVersion)
        maxVersion = try container.decodeIfPresent(TLSVersion.self, forKey: .maxVersion)
        try container.check((certFile == nil) == (keyFile == nil), forKey: certFile == nil ? .keyFile : .certFile,
                            "cert_file and key_file must be given together")
        // A file that cannot be read would fail every probe; say so at load time instead.
        for (path, key) in [(caFile, CodingKeys.caFile), (certFile, .certFile), (keyFile, .keyFile)] {
            guard let path else { continue }
            try container.check(FileManager.default.isReadableFile(atPath: path), forKey: key, "cannot read \"\(path)\"")
        }
    }
}

public enum TLSVersion: String, Decodable, Sendable, Comparable {
    case tls10 = "TLS10"
    case tls11 = "TLS11"
    case tls12 = "TLS12"
    case tls13 = "TLS13"

    private var order: Int {
        switch self {
        case .tls10: 0
        case .tls11: 1
        case .tls12: 2
        case .tls13: 3
        }
    }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.order < rhs.order }
}
