#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import OutpostCore
import OutpostMetrics
import Testing
@testable import StatsD

/// A real client on 127.0.0.1.
enum TestClient {
    static func sendUDP(_ datagrams: [String], port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = loopback(port: port)
        for datagram in datagrams {
            let bytes = Array(datagram.utf8)
            let sent = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            #expect(sent == bytes.count)
        }
    }

    /// Connects, writes `text`, and returns the socket (closed by the caller).
    static func connectTCP(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(result == 0)
        return fd
    }

    static func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        #expect(Glibc.write(fd, bytes, bytes.count) == bytes.count)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Polls until `condition` holds or a few seconds pass; datagrams arrive asynchronously.
func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<250 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

func scalar(_ registry: MetricsRegistry, _ name: String, _ labels: Labels = Labels()) -> Double? {
    guard let family = registry.snapshot().first(where: { $0.name == name }),
          case .scalar(let value)? = family.series.first(where: { $0.labels == labels })?.value else { return nil }
    return value
}

func exposition(_ registry: MetricsRegistry) -> String {
    var text = ""
    var encoder = ExpositionEncoder(format: .text) { text += String(decoding: $0, as: UTF8.self) }
    registry.visit(&encoder)
    encoder.finish()
    return text
}

func localConfig(_ changes: (inout StatsDConfig) -> Void = { _ in }) -> StatsDConfig {
    var config = StatsDConfig()
    config.listenUDP = "127.0.0.1:0"
    config.listenTCP = "127.0.0.1:0"
    config.workers = 2
    changes(&config)
    return config
}

@Suite(.serialized) struct StatsDServiceTests {
    @Test func udpClientReachesTheExposition() async throws {
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig(), registry: registry)
        let endpoints = try service.start()
        defer { service.stop() }
        let port = try #require(endpoints.udpPort)
        try TestClient.sendUDP(["app.hits:3|c|#env:prod\napp.temp:21.5|g", "app.hits:2|c|#env:prod", "garbage"], port: port)
        #expect(await eventually { scalar(registry, "app_hits", ["env": "prod"]) == 5 })
        #expect(scalar(registry, "app_temp") == 21.5)
        #expect(await eventually { scalar(registry, "outpost_statsd_sample_errors_total", ["reason": "malformed_line"]) == 1 })
        #expect(scalar(registry, "outpost_statsd_packets_total", ["transport": "udp"]) == 3)
        let text = exposition(registry)
        #expect(text.contains("app_hits{env=\"prod\"} 5"))
        #expect(text.contains("# TYPE app_temp gauge"))
        #expect(text.contains("outpost_statsd_udp_packet_drops_total 0"))
    }

    @Test func anEmptyHostListensOnAllAddresses() async throws {
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig { $0.listenUDP = ":0"; $0.listenTCP = "" }, registry: registry)
        let port = try #require(try service.start().udpPort)
        defer { service.stop() }
        try TestClient.sendUDP(["any.host:1|c"], port: port)
        #expect(await eventually { scalar(registry, "any_host") == 1 })
    }

    @Test func manyUDPSendersSpreadOverWorkers() async throws {
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig { $0.workers = 4 }, registry: registry)
        let port = try #require(try service.start().udpPort)
        defer { service.stop() }
        for sender in 0..<8 {
            try TestClient.sendUDP(Array(repeating: "spread:1|c|#s:\(sender % 2)\nspread:1|c|#s:\(sender % 2)", count: 25), port: port)
        }
        #expect(await eventually { (scalar(registry, "spread", ["s": "0"]) ?? 0) + (scalar(registry, "spread", ["s": "1"]) ?? 0) == 400 })
    }

    @Test func datagramsOfEverySizeArriveWhole() async throws {
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig(), registry: registry)
        let port = try #require(try service.start().udpPort)
        defer { service.stop() }
        // Around the receiver's 2 KiB compact slot, and up to the largest UDP payload.
        let sizes = [100, 2047, 2048, 2049, 9000, 65_507]
        var lines = 0
        var datagrams: [String] = []
        for size in sizes {
            // Counter lines, then a gauge padded with leading zeros to the exact size.
            let count = (size - 25) / 14
            let body = String(repeating: "big.lines:1|c\n", count: count)
            let padding = size - body.utf8.count - 11
            datagrams.append(body + "big.pad:" + String(repeating: "0", count: padding) + "1|g")
            #expect(datagrams.last!.utf8.count == size)
            lines += count
        }
        try TestClient.sendUDP(datagrams, port: port)
        #expect(await eventually { scalar(registry, "big_lines") == Double(lines) })
        #expect(scalar(registry, "big_pad") == 1)
        #expect(await eventually { scalar(registry, "outpost_statsd_lines_total") == Double(lines + sizes.count) })
    }

    @Test func grantedReceiveBufferIsReported() throws {
        let path = NSTemporaryDirectory() + "outpost-statsd-buffer-\(getpid()).sock"
        let registry = MetricsRegistry()
        // 64 KiB is under every default net.core.rmem_max, so the kernel grants it (doubled).
        let service = try StatsDService(config: localConfig { $0.readBuffer = 65_536; $0.listenUnixgram = path }, registry: registry)
        try service.start()
        defer { service.stop() }
        #expect(scalar(registry, "outpost_statsd_receive_buffer_bytes", ["transport": "udp"]) == 131_072)
        #expect(scalar(registry, "outpost_statsd_receive_buffer_bytes", ["transport": "unixgram"]) == 131_072)
    }

    @Test func tcpLinesAndTooLongLines() async throws {
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig { $0.maxTCPLineLength = 64 }, registry: registry)
        let port = try #require(try service.start().tcpPort)
        defer { service.stop() }
        let fd = TestClient.connectTCP(port: port)
        TestClient.write(fd, "tcp.a:1|c\ntcp.b:2|")
        TestClient.write(fd, "g\ntcp.a:1|c\nlast:7|g")
        close(fd)
        #expect(await eventually { scalar(registry, "last") == 7 })
        #expect(scalar(registry, "tcp_a") == 2)
        #expect(scalar(registry, "tcp_b") == 2)

        let long = TestClient.connectTCP(port: port)
        TestClient.write(long, "ok:1|c\n" + String(repeating: "x", count: 100) + ":1|c\nafter:1|c\n")
        #expect(await eventually { scalar(registry, "outpost_statsd_tcp_too_long_lines_total") == 1 })
        close(long)
        #expect(scalar(registry, "after") == nil)
        #expect(scalar(registry, "outpost_statsd_tcp_connections_total") == 2)
    }

    @Test func tcpConnectionsBeyondTheCapAreClosed() async throws {
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig { $0.maxTCPConnections = 1 }, registry: registry)
        let port = try #require(try service.start().tcpPort)
        defer { service.stop() }
        let first = TestClient.connectTCP(port: port)
        defer { close(first) }
        TestClient.write(first, "held:1|c\n")
        #expect(await eventually { scalar(registry, "held") == 1 })
        let second = TestClient.connectTCP(port: port)
        defer { close(second) }
        var byte: UInt8 = 0
        #expect(read(second, &byte, 1) == 0)
        #expect(scalar(registry, "outpost_statsd_tcp_connection_errors_total") == 1)
        TestClient.write(first, "held:1|c\n")
        #expect(await eventually { scalar(registry, "held") == 2 })
    }

    @Test func unixgramListener() async throws {
        let path = NSTemporaryDirectory() + "outpost-statsd-\(getpid()).sock"
        let registry = MetricsRegistry()
        let service = try StatsDService(config: localConfig { $0.listenUnixgram = path; $0.listenUDP = ""; $0.listenTCP = "" },
                                        registry: registry)
        let endpoints = try service.start()
        #expect(endpoints.udpPort == nil)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bytes = Array("unix.hits:4|c".utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        close(fd)
        #expect(sent == bytes.count)
        #expect(await eventually { scalar(registry, "unix_hits") == 4 })
        service.stop()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func reloadKeepsTheOldMappingWhenTheNewOneIsBad() async throws {
        let directory = NSTemporaryDirectory() + "outpost-statsd-reload-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/mapping.yml"
        try "mappings:\n  - match: svc.*\n    name: first_$1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let registry = MetricsRegistry()
        let config = localConfig { $0.mappingFile = file }
        let service = try StatsDService(config: config, registry: registry)
        let port = try #require(try service.start().udpPort)
        defer { service.stop() }
        try TestClient.sendUDP(["svc.a:1|c"], port: port)
        #expect(await eventually { scalar(registry, "first_a") == 1 })

        try "mappings:\n  - match: svc..*\n    name: broken\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try service.reload(config: config) }
        #expect(scalar(registry, "outpost_statsd_config_reloads_total", ["outcome": "failure"]) == 1)
        try TestClient.sendUDP(["svc.a:1|c"], port: port)
        #expect(await eventually { scalar(registry, "first_a") == 2 })

        try "mappings:\n  - match: svc.*\n    name: second_$1\n".write(toFile: file, atomically: true, encoding: .utf8)
        try service.reload(config: config)
        try TestClient.sendUDP(["svc.a:1|c"], port: port)
        #expect(await eventually { scalar(registry, "second_a") == 1 })
        #expect(scalar(registry, "outpost_statsd_config_reloads_total", ["outcome": "success"]) == 1)
    }

    @Test func badMappingFileFailsConstructionWithItsLocation() throws {
        let file = NSTemporaryDirectory() + "outpost-statsd-bad-\(getpid()).yml"
        try "mappings:\n  - match: a.b\n    name: ok\n  - match: c\n    nmae: typo\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        do {
            _ = try StatsDService(config: localConfig { $0.mappingFile = file }, registry: MetricsRegistry())
            Issue.record("bad mapping accepted")
        } catch let error as ConfigError {
            #expect(error.file == file)
            #expect(error.line == 4 || error.line == 5)
        }
    }

    @Test func runExpiresSeriesAndReportsThemStale() async throws {
        let file = NSTemporaryDirectory() + "outpost-statsd-ttl-\(getpid()).yml"
        try "defaults:\n  ttl: 1s\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let clock = ManualClock(now: 1_000_000)
        let registry = MetricsRegistry()
        let stale = StaleRecorder()
        let service = try StatsDService(config: localConfig { $0.mappingFile = file; $0.expiryInterval = .seconds(1) },
                                        registry: registry, clock: clock, onStale: { stale.add($0.map(\.name)) })
        let port = try #require(try service.start().udpPort)
        let task = Task { try await service.run() }
        try TestClient.sendUDP(["short.lived:1|g"], port: port)
        #expect(await eventually { scalar(registry, "short_lived") == 1 })
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(2))
        #expect(await eventually { stale.names == ["short_lived"] })
        #expect(scalar(registry, "short_lived") == nil)
        task.cancel()
        _ = try? await task.value
    }
}

final class StaleRecorder: Sendable {
    private let state = Mutex<[String]>([])
    func add(_ names: [String]) { state.withLock { $0 += names } }
    var names: [String] { state.withLock { $0 } }
}

@Suite struct StatsDConfigTests {
    @Test func decodesEveryKey() throws {
        let section = try ConfigDecoder(file: "outpost.yml").decode(StatsDConfig.self, from: """
            listen_udp: "127.0.0.1:9125"
            listen_tcp: ""
            listen_unixgram: /tmp/statsd.sock
            unix_socket_mode: "660"
            mapping_file: mapping.yml
            max_series: 1000
            set_window: 5m
            parse_dogstatsd_tags: false
            parse_influxdb_tags: false
            parse_librato_tags: false
            parse_signalfx_tags: false
            max_tcp_line_length: 1024
            read_buffer: 1048576
            workers: 3
            expiry_interval: 10s
            """)
        #expect(section.listenUDP == "127.0.0.1:9125")
        #expect(section.listenTCP == "")
        #expect(section.unixSocketMode == 0o660)
        #expect(section.maxSeries == 1000)
        #expect(section.setWindow == .seconds(300))
        #expect(section.tagStyles == TagStyles(dogStatsD: false, influxDB: false, librato: false, signalFX: false))
        #expect(section.workers == 3)
    }

    @Test func mappingFileIsResolvedAgainstTheConfigDirectory() throws {
        func mappingFile(_ value: String) throws -> String? {
            try ConfigDecoder(file: "/etc/outpost/outpost.yml").decode(StatsDConfig.self, from: "mapping_file: \"\(value)\"\n").mappingFile
        }
        #expect(try mappingFile("statsd/mapping.yml") == "/etc/outpost/statsd/mapping.yml")
        #expect(try mappingFile("/abs/mapping.yml") == "/abs/mapping.yml")
        #expect(try mappingFile("") == "")
    }

    @Test func defaultsMatchStatsDExporter() throws {
        let config = try ConfigDecoder(file: "outpost.yml").decode(StatsDConfig.self, from: "{}")
        #expect(config.listenUDP == ":8125")
        #expect(config.listenTCP == ":8125")
        #expect(config.listenUnixgram == nil)
        #expect(config.tagStyles == TagStyles())
    }

    @Test func badValuesAreLocated() {
        #expect(throws: ConfigError.self) { try ConfigDecoder(file: "f").decode(StatsDConfig.self, from: "listen_udp: nope") }
        do {
            _ = try ConfigDecoder(file: "f").decode(StatsDConfig.self, from: "max_series: 5\nset_window: -1s\n")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 2)
        }
        for (yaml, line) in [("workers: 2\nread_buffer: 2147483648\n", 2), ("read_buffer: -1\n", 1), ("workers: 300\n", 1)] {
            do {
                _ = try ConfigDecoder(file: "f").decode(StatsDConfig.self, from: yaml)
                Issue.record("accepted \(yaml)")
            } catch {
                #expect(error.line == line)
            }
        }
    }
}
