import Foundation
import OutpostCore
import PromQL
import TSDB

/// Runs Prometheus's PromQL `.test` files against Outpost's engine, the way `promqltest` does:
/// every instant eval is also run as a range query and with `@` pinned to the eval time.
public enum ConformanceRunner {
    public struct FileResult: Sendable {
        public var file: String
        public var passed = 0
        public var failed = 0
        /// Evals that need native histograms, which the engine does not support yet.
        public var unsupported = 0
        public var failures: [String] = []
        /// Why each unsupported eval failed, to spot float bugs hidden behind histogram series.
        public var unsupportedDetails: [String] = []

        public var summary: String {
            "\(file): \(passed) passed, \(failed) failed, \(unsupported) unsupported (native histograms)"
        }
    }

    /// Functions whose result depends on the evaluation time itself; the pinned-`@` re-runs skip them.
    static let atModifierUnsafeFunctions: Set<String> = [
        "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year",
        "predict_linear", "time", "timestamp",
    ]

    public static func run(path: String) -> FileResult {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var result = FileResult(file: name)
        let script: TestScript
        do {
            script = try TestScript(String(contentsOfFile: path, encoding: .utf8))
        } catch {
            result.failed = 1
            result.failures.append("cannot parse \(name): \(error)")
            return result
        }
        var state = StoreState()
        for command in script.commands {
            switch command {
            case .clear:
                state = StoreState()
            case .load(let step, let series, let withNHCB):
                state.load(step: step, series: series, withNHCB: withNHCB)
            case .eval(let eval):
                let engine = Engine(queryable: state.head)
                let failure = EvalCheck(engine: engine, command: eval).run()
                // An eval touching native histograms that still passes on the float data counts as passed.
                if let failure, state.needsNativeHistograms(eval) {
                    result.unsupported += 1
                    result.unsupportedDetails.append("line \(eval.line): \(eval.expr): \(failure)")
                } else if let failure {
                    result.failed += 1
                    result.failures.append("line \(eval.line): \(eval.expr): \(failure)")
                } else {
                    result.passed += 1
                }
            }
        }
        return result
    }
}

/// The loaded data of a test file and which series hold native histograms.
struct StoreState {
    var head = Head()
    var nativeSeries: [Labels] = []

    mutating func load(step: Int64, series: [SeriesLine], withNHCB: Bool) {
        // A later line for the same series replaces an earlier one, as in Prometheus's loader.
        var lastIndex: [Labels: Int] = [:]
        for (index, line) in series.enumerated() { lastIndex[line.labels] = index }
        for (index, line) in series.enumerated() where lastIndex[line.labels] == index {
            var hasHistogram = false
            for (index, value) in line.values.enumerated() {
                let t = Int64(index) * step
                switch value {
                case .float(let v): _ = try? head.append(line.labels, t, v)
                case .histogram: hasHistogram = true
                case .omitted: break
                }
            }
            if hasHistogram { nativeSeries.append(line.labels) }
            if withNHCB, let name = line.labels.name {
                for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
                    var converted = line.labels.removing(["le"])
                    converted[Labels.metricName] = String(name.dropLast(suffix.count))
                    nativeSeries.append(converted)
                }
            }
        }
    }

    func needsNativeHistograms(_ eval: TestScript.EvalCommand) -> Bool {
        if eval.expected.contains(where: { $0.values.contains(.histogram) }) { return true }
        guard !nativeSeries.isEmpty, let expr = try? Parser.parse(eval.expr) else { return false }
        for selector in expr.selectors {
            for labels in nativeSeries where selector.matchers.allSatisfy({ $0.matches(labels) }) { return true }
        }
        return false
    }
}
