import OutpostCore

/// Serves `/logs`, the scheduled targets' recent results, as blackbox_exporter's `/logs` shows
/// its recent probes: without parameters a line per target with its latest result; with
/// `target=` (a target's name, URL or address) and optionally `module=`, that target's kept
/// results newest first, each with its log and the metrics it produced.
public struct ProbeLogsPage: Sendable {
    private let scheduler: ProbeScheduler

    public init(scheduler: ProbeScheduler) {
        self.scheduler = scheduler
    }

    public func handle(query: [String: String]) -> ProbeResponse {
        let statuses = scheduler.statuses()
        guard let wanted = query["target"], !wanted.isEmpty else { return Self.text(200, Self.index(statuses)) }
        let module = query["module"].flatMap { $0.isEmpty ? nil : $0 }
        let matching = statuses.filter { status in
            (status.target.name == wanted || status.target.target == wanted)
                && (module == nil || status.target.moduleName == module)
        }
        guard !matching.isEmpty else {
            return Self.text(404, "Target \"\(wanted)\" is not a scheduled target\(module.map { " with module \"\($0)\"" } ?? "")\n")
        }
        return Self.text(200, matching.map(Self.history).joined(separator: "\n"))
    }

    private static func index(_ statuses: [TargetStatus]) -> String {
        var body = "Scheduled targets and their latest probe (newest results: /logs?target=<name>)\n\n"
        for status in statuses {
            body += "\(status.target.name)\tmodule=\(status.target.moduleName)\ttarget=\(status.target.target)\t"
            if let latest = status.history.last {
                body += "\(RFC3339.format(latest.timestamp))\t\(verdict(latest.result))\n"
            } else {
                body += "not probed yet\n"
            }
        }
        return body
    }

    private static func history(_ status: TargetStatus) -> String {
        var body = "Target \(status.target.name) (\(status.target.target)), module \(status.target.moduleName): "
        body += "\(status.history.count) recent result\(status.history.count == 1 ? "" : "s"), newest first\n"
        for record in status.history.reversed() {
            body += "\n=== \(RFC3339.format(record.timestamp)): \(verdict(record.result))\n"
            body += "Logs for the probe:\n"
            for line in record.result.log { body += line + "\n" }
            body += "Metrics that were returned:\n" + ProbeExposition.text(record.result.allFamilies)
        }
        return body
    }

    private static func verdict(_ result: ProbeResult) -> String {
        let outcome = result.success ? "success" : "failure (\((result.failureReason ?? .protocolError).rawValue))"
        return "\(outcome) in \(result.duration)s"
    }

    private static func text(_ status: Int, _ body: String) -> ProbeResponse {
        ProbeResponse(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }
}
