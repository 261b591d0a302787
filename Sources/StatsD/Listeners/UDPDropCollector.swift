import Foundation
import OutpostMetrics

/// Reports the kernel's count of datagrams dropped on Outpost's StatsD sockets (receive
/// buffer full), read from /proc/net/udp and /proc/net/udp6 at scrape time.
struct UDPDropCollector: MetricsCollector {
    let inodes: Set<UInt64>

    func collect() -> [FamilySnapshot] {
        var drops: UInt64 = 0
        for path in ["/proc/net/udp", "/proc/net/udp6"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            drops += Self.drops(in: text, inodes: inodes)
        }
        return [FamilySnapshot(name: "outpost_statsd_udp_packet_drops_total",
                               help: "StatsD UDP datagrams the kernel dropped before Outpost read them.",
                               type: .counter, series: [.init(labels: [:], value: .scalar(Double(drops)))])]
    }

    /// Sums the last column (drops) of the rows whose inode column is one of ours.
    static func drops(in table: String, inodes: Set<UInt64>) -> UInt64 {
        var total: UInt64 = 0
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 13, let inode = UInt64(fields[9]), inodes.contains(inode),
                  let drops = UInt64(fields[fields.count - 1]) else { continue }
            total += drops
        }
        return total
    }
}
