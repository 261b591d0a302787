/// The StatsD benchmark traffic: 1,000 names, a third each counters, gauges and timers,
/// DogStatsD tags on every line, 20 lines per datagram. Shared by the load generator and
/// the in-process benchmarks so both measure the same bytes.
public struct StatsDLoadMix: Sendable {
    public var names: Int
    public var linesPerPacket: Int

    public init(names: Int = 1000, linesPerPacket: Int = 20) {
        self.names = names
        self.linesPerPacket = linesPerPacket
    }

    /// Line `index` of the stream; names are visited in a scrambled order, values vary.
    public func line(_ index: Int) -> String {
        let name = (index &* 7919) % names
        let value = (index &* 31) % 1000
        let tags = "|#env:prod,host:web\(name % 8),region:eu-west-1"
        switch name % 3 {
        case 0: return "app.svc\(name % 20).requests\(name):1|c" + tags
        case 1: return "app.svc\(name % 20).queue\(name):\(value)|g" + tags
        default: return "app.svc\(name % 20).latency\(name):\(Double(value) / 10)|ms" + tags
        }
    }

    /// `count` datagrams of `linesPerPacket` lines each, starting at line `first`.
    public func packets(count: Int, first: Int = 0) -> [[UInt8]] {
        (0..<count).map { packet in
            let start = first + packet * linesPerPacket
            return Array((start..<start + linesPerPacket).map(line).joined(separator: "\n").utf8)
        }
    }
}
