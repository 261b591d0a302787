// StatsD load generator and measuring receiver.
//
//   statsd-load receive [--port 8125] [--workers 0] [--observer histogram|summary] [--seconds 60] [--idle 3]
//   statsd-load send [--port 8125] [--rate 1000000] [--seconds 10] [--senders 4] [--flows 16] [--names 1000] [--lines-per-packet 20]
//
// `send` paces the benchmark mix (StatsDLoadMix) to 127.0.0.1 at `rate` lines per second
// for a bounded time from `flows` sockets (source ports, as many clients would) spread over
// `senders` threads, and prints how many lines it sent and its own CPU per line. `receive`
// runs Outpost's StatsD ingestion on its own and prints, each second and at the end, lines
// received, process CPU per line, resident memory, kernel drops and, at the end, the CPU
// of each receiving thread. Run them as two processes, each in its own session (`setsid`)
// so that Linux's autogroup scheduling gives them separate CPU shares as separate services
// would have; loss is sent minus received.
#if canImport(Glibc)
import Glibc
#endif
import CStatsD
import Foundation
import OutpostCore
import OutpostMetrics
import StatsD
import StatsDLoadMix

struct Options {
    var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let key = iterator.next() {
            guard key.hasPrefix("--"), let value = iterator.next() else {
                fatalError("expected --option value pairs, got \(key)")
            }
            values[String(key.dropFirst(2))] = value
        }
    }

    func int(_ key: String, _ fallback: Int) -> Int { values[key].flatMap { Int($0) } ?? fallback }
    func string(_ key: String, _ fallback: String) -> String { values[key] ?? fallback }
}

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func residentMegabytes() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

func counterValue(_ registry: MetricsRegistry, _ name: String) -> Double {
    registry.snapshot().first { $0.name == name }?.series.reduce(0) { total, series in
        if case .scalar(let value) = series.value { return total + value }
        return total
    } ?? 0
}

func receive(_ options: Options) throws {
    let port = options.int("port", 8125)
    let observer = options.string("observer", "histogram")
    let mappingPath = NSTemporaryDirectory() + "statsd-load-mapping-\(getpid()).yml"
    try "defaults:\n  observer_type: \(observer)\n".write(toFile: mappingPath, atomically: true, encoding: .utf8)
    defer { unlink(mappingPath) }
    var config = StatsDConfig()
    config.listenUDP = "127.0.0.1:\(port)"
    config.listenTCP = ""
    config.mappingFile = mappingPath
    config.workers = options.int("workers", 0)
    config.readBuffer = options.int("read-buffer", 32 << 20)
    let registry = MetricsRegistry()
    let service = try StatsDService(config: config, registry: registry)
    try service.start()
    print("receiving on 127.0.0.1:\(port), observer \(observer), \(config.workers == 0 ? "one worker per core" : "\(config.workers) workers")")
    let deadline = monotonicSeconds() + Double(options.int("seconds", 60))
    let idleLimit = Double(options.int("idle", 3))
    var firstLine: (time: Double, cpu: Double, lines: Double)?
    var last = (time: monotonicSeconds(), cpu: processCPUSeconds(), lines: 0.0)
    var lastChange = monotonicSeconds()
    var lastActive = last
    while monotonicSeconds() < deadline {
        usleep(1_000_000)
        let now = (time: monotonicSeconds(), cpu: processCPUSeconds(), lines: counterValue(registry, "outpost_statsd_lines_total"))
        let lines = now.lines - last.lines
        if lines > 0 {
            if firstLine == nil { firstLine = last }
            lastChange = now.time
            lastActive = now
            let cpuPerLine = (now.cpu - last.cpu) / lines * 1e6
            print(String(format: "%8.0f lines/s  %6.3f µs CPU/line  %7.1f MB RSS  %.0f lines total  %.0f kernel drops",
                         lines / (now.time - last.time), cpuPerLine, residentMegabytes(), now.lines,
                         counterValue(registry, "outpost_statsd_udp_packet_drops_total")))
        } else if firstLine != nil, now.time - lastChange >= idleLimit {
            break
        }
        last = now
    }
    let drops = counterValue(registry, "outpost_statsd_udp_packet_drops_total")
    let threads = threadCPUSeconds(named: "statsd-udp")
    service.stop()
    guard let first = firstLine else {
        print("no lines received")
        return
    }
    let lines = lastActive.lines - first.lines
    print(String(format: "total: %.0f lines in %.1f s, %.3f µs CPU/line, %.0f UDP datagrams dropped by the kernel, %.0f series",
                 lastActive.lines, lastActive.time - first.time, (lastActive.cpu - first.cpu) / lines * 1e6,
                 drops, Double(service.seriesCount)))
    print("receiving threads' CPU seconds: " + threads.map { String(format: "%.2f", $0) }.joined(separator: " "))
}

/// CPU seconds (user and system) of this process's threads with the given name, from /proc.
func threadCPUSeconds(named name: String) -> [Double] {
    guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return [] }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    return tasks.compactMap { task -> Double? in
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"),
              stat[stat.index(after: open)..<close] == name else { return nil }
        // Fields after the command: state is the first, utime the 12th, stime the 13th.
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticks
    }.sorted(by: >)
}

func send(_ options: Options) {
    let port = options.int("port", 8125)
    let rate = Double(options.int("rate", 1_000_000))
    let seconds = Double(options.int("seconds", 10))
    let senders = max(1, options.int("senders", 4))
    let flowsPerSender = max(1, options.int("flows", 16) / senders)
    let mix = StatsDLoadMix(names: options.int("names", 1000), linesPerPacket: options.int("lines-per-packet", 20))
    let packetsPerSecond = rate / Double(mix.linesPerPacket) / Double(senders)
    let totals = UnsafeMutableBufferPointer<Int>.allocate(capacity: senders * 2)
    totals.initialize(repeating: 0)
    let done = DispatchGroup()
    let cpuBefore = processCPUSeconds()
    let totalsAddress = Int(bitPattern: totals.baseAddress)
    for sender in 0..<senders {
        done.enter()
        Thread {
            let slots = UnsafeMutablePointer<Int>(bitPattern: totalsAddress)! + sender * 2
            let (sent, failed) = sendLoop(port: port, flows: flowsPerSender, mix: mix, first: sender * 100_003,
                                          packetsPerSecond: packetsPerSecond, seconds: seconds)
            slots[0] = sent
            slots[1] = failed
            done.leave()
        }.start()
    }
    done.wait()
    var sent = 0
    var failed = 0
    for sender in 0..<senders {
        sent += totals[sender * 2]
        failed += totals[sender * 2 + 1]
    }
    print(String(format: "sent %d lines (%d datagrams) in %.0f s, %.0f lines/s target, from %d sockets; %d datagrams failed to send; sender CPU %.3f µs/line",
                 sent * mix.linesPerPacket, sent, seconds, rate, flowsPerSender * senders, failed,
                 (processCPUSeconds() - cpuBefore) / Double(max(1, sent * mix.linesPerPacket)) * 1e6))
}

/// A UDP socket connected to 127.0.0.1:`port`, with its own ephemeral source port.
func connectedSocket(port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return fd
}

/// Paces datagrams from a pre-built pool with sendmmsg, each batch from the next of `flows`
/// sockets; returns datagrams sent and failed.
func sendLoop(port: Int, flows: Int, mix: StatsDLoadMix, first: Int, packetsPerSecond: Double, seconds: Double) -> (Int, Int) {
    let fds = (0..<flows).map { _ in connectedSocket(port: port) }
    defer { for fd in fds { close(fd) } }
    var flow = 0
    let pool = mix.packets(count: 2048, first: first)
    let slotSize = (pool.map(\.count).max() ?? 0) + 1
    let batch = 64
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: pool.count * slotSize)
    defer { buffer.deallocate() }
    var lengths = [Int](repeating: 0, count: pool.count)
    for (index, packet) in pool.enumerated() {
        packet.withUnsafeBufferPointer { (buffer + index * slotSize).update(from: $0.baseAddress!, count: packet.count) }
        lengths[index] = packet.count
    }
    let start = monotonicSeconds()
    var sent = 0
    var failed = 0
    var next = 0
    while true {
        let elapsed = monotonicSeconds() - start
        if elapsed >= seconds { break }
        let due = Int(elapsed * packetsPerSecond) - sent - failed
        if due < batch {
            // Sleep until a whole batch is due: waking more often costs the sender CPU
            // that, on a small machine, the receiver under test would otherwise get.
            usleep(UInt32(max(50, Double(batch - due) / packetsPerSecond * 1e6)))
            continue
        }
        let count = min(due, batch, pool.count - next)
        let fd = fds[flow]
        flow = (flow + 1) % fds.count
        let result = lengths.withUnsafeBufferPointer { lengths in
            outpost_statsd_send_batch(fd, buffer + next * slotSize, slotSize, UInt32(count), lengths.baseAddress! + next)
        }
        if result > 0 { sent += Int(result) } else { failed += count }
        next = (next + max(Int(result), count)) % pool.count
    }
    return (sent, failed)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: statsd-load receive|send [--option value ...]")
    exit(2)
}
let options = Options(arguments.dropFirst(2))
switch arguments[1] {
case "receive": try receive(options)
case "send": send(options)
default:
    print("unknown mode \(arguments[1])")
    exit(2)
}
