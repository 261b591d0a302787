#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CStatsD
import Dispatch
import Foundation
import Logging
import OutpostCore
import OutpostMetrics
import ServiceLifecycle
import Synchronization

/// Where a started `StatsDService` listens; ports are the bound ones, so port 0 works.
public struct StatsDEndpoints: Sendable, Equatable {
    public var udpPort: Int?
    public var tcpPort: Int?
    public var unixgramPath: String?
}

/// StatsD ingestion, compatible with prometheus/statsd_exporter: UDP, TCP and Unix datagram
/// listeners feeding the metrics registry through a statsd_exporter mapping file.
///
/// Each UDP socket (one per worker, sharing the port through SO_REUSEPORT) and each TCP
/// connection has its own thread, so ingestion spreads over the cores; the kernel spreads
/// UDP senders over the sockets. `run()` starts everything, expires series with a TTL
/// every `expiry_interval`, and stops on cancellation or graceful shutdown.
public final class StatsDService: Service, Sendable {
    /// Receives series removed because their TTL ran out, so rules can treat them as stale.
    public typealias StaleHandler = @Sendable ([(name: String, labels: Labels)]) -> Void

    private struct Running {
        var stop = StopSignal()
        var group = DispatchGroup()
        var fds: [Int32] = []
        var endpoints = StatsDEndpoints()
    }

    private let config: StatsDConfig
    private let resolver: SeriesResolver
    private let registry: MetricsRegistry
    private let logger: Logger
    private let onStale: StaleHandler?
    private let running = Mutex<Running?>(nil)
    private let collectorKey = "statsd.udp_drops"

    /// Loads the mapping file named in `config` (errors carry file:line:column) and registers
    /// the `outpost_statsd_*` metrics; listens only once started.
    public init(config: StatsDConfig, registry: MetricsRegistry, clock: any WallClock = SystemClock(),
                logger: Logger = Logger(label: "outpost.statsd"), onStale: StaleHandler? = nil) throws {
        self.config = config
        self.registry = registry
        self.logger = logger
        self.onStale = onStale
        let mapper = try Self.loadMapper(config.mappingFile)
        let metrics = try StatsDMetrics(registry: registry)
        resolver = SeriesResolver(registry: registry, metrics: metrics, mapper: mapper, styles: config.tagStyles,
                                  maxSeries: config.maxSeries, setWindow: config.setWindow, clock: clock)
    }

    /// Replaces the mapping, tag settings and `max_series`; on any error the old mapping
    /// stays in force. Listener addresses, workers, buffer sizes and `set_window` take
    /// effect on restart only.
    public func reload(config newConfig: StatsDConfig) throws(ConfigError) {
        do {
            let mapper = try Self.loadMapper(newConfig.mappingFile)
            resolver.replace(mapper: mapper, styles: newConfig.tagStyles, maxSeries: newConfig.maxSeries)
            resolver.metrics.reloadSuccesses.increment()
        } catch {
            resolver.metrics.reloadFailures.increment()
            logger.error("StatsD mapping not reloaded, keeping the previous one", metadata: ["error": "\(error)"])
            throw error
        }
        if newConfig.listenUDP != config.listenUDP || newConfig.listenTCP != config.listenTCP
            || newConfig.listenUnixgram != config.listenUnixgram {
            logger.warning("StatsD listen addresses change on restart only")
        }
    }

    public func run() async throws {
        _ = try start()
        defer { stop() }
        let interval = config.expiryInterval
        let clock = resolver.clock
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                expireSeries()
            }
        }
    }

    /// Binds the listeners and starts their threads; returns where they listen.
    @discardableResult
    public func start() throws(StatsDSocketError) -> StatsDEndpoints {
        if let endpoints = running.withLock({ $0?.endpoints }) { return endpoints }
        var state = Running()
        do {
            try bindAll(&state)
        } catch {
            for fd in state.fds { close(fd) }
            throw error
        }
        running.withLock { $0 = state }
        logger.info("StatsD listening", metadata: [
            "udp": "\(state.endpoints.udpPort.map(String.init) ?? "off")",
            "tcp": "\(state.endpoints.tcpPort.map(String.init) ?? "off")",
        ])
        return state.endpoints
    }

    /// Stops the listeners and waits for their threads to finish.
    public func stop() {
        guard let state = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        state.stop.stop()
        for fd in state.fds { shutdown(fd, Int32(SHUT_RDWR)) }
        state.group.wait()
        for fd in state.fds { close(fd) }
        if let path = state.endpoints.unixgramPath { unlink(path) }
        registry.unregisterCollector(key: collectorKey)
    }

    /// Removes series whose TTL ran out and reports them stale; `run()` calls it periodically.
    public func expireSeries() {
        let removed = resolver.expire(now: resolver.clock.now())
        if !removed.isEmpty { onStale?(removed) }
    }

    /// StatsD series currently exposed.
    public var seriesCount: Int { resolver.seriesCount }

    private func bindAll(_ state: inout Running) throws(StatsDSocketError) {
        let workers = config.workers > 0 ? config.workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
        var udpInodes: Set<UInt64> = []
        if !config.listenUDP.isEmpty, var address = ListenAddress(config.listenUDP) {
            for _ in 0..<workers {
                let fd = try Socket.udp(address, reusePort: true, receiveBuffer: config.readBuffer)
                state.fds.append(fd)
                if address.port == 0 { address.port = Socket.port(of: fd) }
                udpInodes.insert(Socket.inode(of: fd))
                spawnDatagramReader(fd: fd, transport: .udp, state: state)
            }
            reportReceiveBuffer(of: state.fds[state.fds.count - 1], transport: .udp)
            state.endpoints.udpPort = address.port
        }
        if !config.listenTCP.isEmpty, let address = ListenAddress(config.listenTCP) {
            let fd = try Socket.tcp(address)
            state.fds.append(fd)
            state.endpoints.tcpPort = Socket.port(of: fd)
            spawnAcceptor(fd: fd, state: state)
        }
        if let path = config.listenUnixgram, !path.isEmpty {
            let fd = try Socket.unixgram(path: path, mode: config.unixSocketMode, receiveBuffer: config.readBuffer)
            state.fds.append(fd)
            state.endpoints.unixgramPath = path
            reportReceiveBuffer(of: fd, transport: .unixgram)
            spawnDatagramReader(fd: fd, transport: .unixgram, state: state)
        }
        if !udpInodes.isEmpty {
            registry.register(collector: UDPDropCollector(inodes: udpInodes), key: collectorKey)
        }
    }

    /// Publishes the receive buffer the kernel granted and says whether it is what was asked.
    private func reportReceiveBuffer(of fd: Int32, transport: StatsDMetrics.Transport) {
        let granted = Socket.receiveBufferSize(fd)
        resolver.metrics.receiveBuffers.labels(Labels([("transport", transport.rawValue)])).set(Double(granted))
        let metadata: Logger.Metadata = ["transport": "\(transport.rawValue)", "asked": "\(config.readBuffer)",
                                         "granted": "\(granted)"]
        // Linux grants twice the size asked (at most INT_MAX), to cover per-datagram
        // overhead; less means net.core.rmem_max capped it and SO_RCVBUFFORCE was refused.
        if config.readBuffer > 0, granted < min(config.readBuffer, Int(Int32.max / 2)) * 2 {
            logger.warning("StatsD receive buffer capped by the kernel; raise net.core.rmem_max or run with CAP_NET_ADMIN to avoid drops",
                           metadata: metadata)
        } else {
            logger.info("StatsD receive buffer", metadata: metadata)
        }
    }

    private func spawnDatagramReader(fd: Int32, transport: StatsDMetrics.Transport, state: Running) {
        Socket.setReceiveTimeout(fd, milliseconds: 200)
        let resolver = resolver
        let stop = state.stop
        spawn(group: state.group, name: "statsd-\(transport.rawValue)") {
            DatagramReader.run(fd: fd, resolver: resolver, transport: transport, stop: stop)
        }
    }

    private func spawnAcceptor(fd: Int32, state: Running) {
        Socket.setReceiveTimeout(fd, milliseconds: 200)
        let resolver = resolver
        let stop = state.stop
        let group = state.group
        let maxLine = config.maxTCPLineLength
        let maxConnections = config.maxTCPConnections
        let open = Atomic<Int>(0)
        spawn(group: group, name: "statsd-tcp-accept") {
            while !stop.isStopped {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else {
                    if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR, !stop.isStopped {
                        resolver.metrics.tcpConnectionErrors.increment()
                        usleep(10_000)
                    }
                    continue
                }
                resolver.metrics.tcpConnections.increment()
                guard open.add(1, ordering: .relaxed).newValue <= maxConnections else {
                    open.subtract(1, ordering: .relaxed)
                    resolver.metrics.tcpConnectionErrors.increment()
                    close(connection)
                    continue
                }
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                Socket.setReceiveTimeout(connection, milliseconds: 200)
                Self.spawn(group: group, name: "statsd-tcp") {
                    TCPConnectionReader.run(fd: connection, resolver: resolver, maxLineLength: maxLine, stop: stop)
                    open.subtract(1, ordering: .relaxed)
                }
            }
        }
    }

    private func spawn(group: DispatchGroup, name: String, _ body: @escaping @Sendable () -> Void) {
        Self.spawn(group: group, name: name, body)
    }

    private static func spawn(group: DispatchGroup, name: String, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        NamedThread.start(name) {
            body()
            group.leave()
        }
    }

    private static func loadMapper(_ path: String?) throws(ConfigError) -> Mapper {
        guard let path, !path.isEmpty else { return Mapper() }
        return Mapper(try MappingFile.load(path: path))
    }
}
