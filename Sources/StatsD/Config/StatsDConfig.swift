import OutpostCore

/// The `statsd:` section of outpost.yml.
///
/// Flags of prometheus/statsd_exporter become keys here (`--statsd.listen-udp` is
/// `listen_udp`), so a deployment moves over by copying values.
public struct StatsDConfig: Decodable, Sendable, Equatable {
    /// UDP address; empty disables UDP.
    public var listenUDP = ":8125"
    /// TCP address; empty disables TCP.
    public var listenTCP = ":8125"
    /// Path of a Unix datagram socket; nil or empty disables it.
    public var listenUnixgram: String?
    /// Mode bits for the Unix datagram socket file.
    public var unixSocketMode: UInt32 = 0o755
    /// statsd_exporter mapping file; relative paths are resolved by the caller.
    public var mappingFile: String?
    /// Largest number of StatsD series; 0 means no limit.
    public var maxSeries = 0
    /// Window over which sets (`|s`) count distinct values.
    public var setWindow: Duration = .seconds(60)
    public var parseDogStatsDTags = true
    public var parseInfluxDBTags = true
    public var parseLibratoTags = true
    public var parseSignalFXTags = true
    /// Longest TCP line; a longer one is counted and its connection closed.
    public var maxTCPLineLength = 65_536
    /// Most TCP connections served at once (a thread each); more are closed and counted.
    public var maxTCPConnections = 1024
    /// Kernel receive buffer asked for on each UDP and Unix datagram socket, in bytes; at
    /// most 1 GiB, the most Linux grants.
    public var readBuffer = 8 << 20
    /// Receiving threads (one socket each, spread by the kernel); 0 means one per core.
    public var workers = 0
    /// How often expired series are removed.
    public var expiryInterval: Duration = .seconds(1)

    enum CodingKeys: String, CodingKey {
        case listenUDP = "listen_udp"
        case listenTCP = "listen_tcp"
        case listenUnixgram = "listen_unixgram"
        case unixSocketMode = "unix_socket_mode"
        case mappingFile = "mapping_file"
        case maxSeries = "max_series"
        case setWindow = "set_window"
        case parseDogStatsDTags = "parse_dogstatsd_tags"
        case parseInfluxDBTags = "parse_influxdb_tags"
        case parseLibratoTags = "parse_librato_tags"
        case parseSignalFXTags = "parse_signalfx_tags"
        case maxTCPLineLength = "max_tcp_line_length"
        case maxTCPConnections = "max_tcp_connections"
        case readBuffer = "read_buffer"
        case workers
        case expiryInterval = "expiry_interval"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listenUDP = try container.decodeIfPresent(String.self, forKey: .listenUDP) ?? listenUDP
        try container.check(listenUDP.isEmpty || ListenAddress(listenUDP) != nil, forKey: .listenUDP,
                            "\"\(listenUDP)\" is not a host:port address")
        listenTCP = try container.decodeIfPresent(String.self, forKey: .listenTCP) ?? listenTCP
        try container.check(listenTCP.isEmpty || ListenAddress(listenTCP) != nil, forKey: .listenTCP,
                            "\"\(listenTCP)\" is not a host:port address")
        listenUnixgram = try container.decodeIfPresent(String.self, forKey: .listenUnixgram)
        if let mode = try container.decodeIfPresent(String.self, forKey: .unixSocketMode) {
            guard let bits = UInt32(mode, radix: 8), bits <= 0o777 else {
                throw DecodingError.dataCorruptedError(forKey: .unixSocketMode, in: container,
                                                       debugDescription: "\"\(mode)\" is not an octal file mode")
            }
            unixSocketMode = bits
        }
        mappingFile = try container.decodeFilePath(forKey: .mappingFile, decoder: decoder)
        maxSeries = try container.decodeIfPresent(Int.self, forKey: .maxSeries) ?? maxSeries
        try container.check(maxSeries >= 0, forKey: .maxSeries, "must not be negative")
        setWindow = try container.decodeDuration(forKey: .setWindow) ?? setWindow
        try container.check(setWindow > .zero, forKey: .setWindow, "must be greater than 0")
        parseDogStatsDTags = try container.decodeIfPresent(Bool.self, forKey: .parseDogStatsDTags) ?? true
        parseInfluxDBTags = try container.decodeIfPresent(Bool.self, forKey: .parseInfluxDBTags) ?? true
        parseLibratoTags = try container.decodeIfPresent(Bool.self, forKey: .parseLibratoTags) ?? true
        parseSignalFXTags = try container.decodeIfPresent(Bool.self, forKey: .parseSignalFXTags) ?? true
        maxTCPLineLength = try container.decodeIfPresent(Int.self, forKey: .maxTCPLineLength) ?? maxTCPLineLength
        try container.check(maxTCPLineLength > 0, forKey: .maxTCPLineLength, "must be greater than 0")
        maxTCPConnections = try container.decodeIfPresent(Int.self, forKey: .maxTCPConnections) ?? maxTCPConnections
        try container.check(maxTCPConnections > 0, forKey: .maxTCPConnections, "must be greater than 0")
        readBuffer = try container.decodeIfPresent(Int.self, forKey: .readBuffer) ?? readBuffer
        try container.check((0...(1 << 30)).contains(readBuffer), forKey: .readBuffer, "must be between 0 and 1073741824")
        workers = try container.decodeIfPresent(Int.self, forKey: .workers) ?? workers
        try container.check((0...256).contains(workers), forKey: .workers, "must be between 0 and 256")
        expiryInterval = try container.decodeDuration(forKey: .expiryInterval) ?? expiryInterval
        try container.check(expiryInterval > .zero, forKey: .expiryInterval, "must be greater than 0")
    }

    /// The tag styles to read, as the parser takes them.
    var tagStyles: TagStyles {
        TagStyles(dogStatsD: parseDogStatsDTags, influxDB: parseInfluxDBTags,
                  librato: parseLibratoTags, signalFX: parseSignalFXTags)
    }
}

/// Which tag syntaxes the parser recognises; each can be switched off.
struct TagStyles: Sendable, Equatable {
    var dogStatsD = true
    var influxDB = true
    var librato = true
    var signalFX = true
}
