import OutpostCore
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The standard `process_*` metrics of Prometheus client libraries, read from /proc at scrape time.
public struct ProcessCollector: MetricsCollector {
    private let procRoot: String

    public init(procRoot: String = "/proc/self") {
        self.procRoot = procRoot
    }

    public func collect() -> [FamilySnapshot] {
        var families: [FamilySnapshot] = []
        func gauge(_ name: String, _ help: String, _ value: Double?, type: MetricType = .gauge) {
            guard let value else { return }
            families.append(FamilySnapshot(name: name, help: help, type: type, series: [.init(labels: Labels(), value: .scalar(value))]))
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let stat = Self.statFields(read("stat"))
        if let stat, stat.count > 21, let user = Double(stat[11]), let system = Double(stat[12]) {
            gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", (user + system) / ticks, type: .counter)
            gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", Double(stat[20]))
            gauge("process_resident_memory_bytes", "Resident memory size in bytes.", Double(stat[21]).map { $0 * pageSize })
            if let started = Double(stat[19]), let boot = bootTime() {
                gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", boot + started / ticks)
            }
        }
        gauge("process_open_fds", "Number of open file descriptors.",
              (try? FileManager.default.contentsOfDirectory(atPath: procRoot + "/fd")).map { Double($0.count) })
        gauge("process_max_fds", "Maximum number of open file descriptors.", maxOpenFiles())
        return families
    }

    private func read(_ name: String) -> String? {
        try? String(contentsOfFile: "\(procRoot)/\(name)", encoding: .utf8)
    }

    /// Fields of /proc/PID/stat after the command name (which may contain spaces), so
    /// index 0 is the state field (field 3 in proc(5)).
    static func statFields(_ text: String?) -> [String]? {
        guard let text, let closing = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: closing)...].split(separator: " ").map(String.init)
    }

    private func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmedWhitespace)
        }
        return nil
    }

    private func maxOpenFiles() -> Double? {
        guard let text = read("limits") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 4 { return Double(fields[3]) }
        }
        return nil
    }
}
