import OutpostCore
import PromQL
import Synchronization
import TSDB

/// Evaluates the rules of one group, in order, at one timestamp per call, and keeps their
/// state: health, last error, and the alerts of alerting rules.
///
/// Recording results and `ALERTS`/`ALERTS_FOR_STATE` series go to the head at once, so later
/// rules see earlier results; series a rule stops producing are marked stale. Thread-safe;
/// evaluations of one group are serialized.
public final class RuleGroupEvaluator: Sendable {
    public let group: RuleGroup
    let engine: Engine
    let externalLabels: [String: String]
    let externalURL: String
    /// Per rule: its label and annotation templates, parsed once (nil for recording rules).
    let templates: [AlertTemplates?]
    let state: Mutex<State>
    /// What `status` shows, copied from `state` whenever it changes (copy-on-write makes that
    /// cheap), so `/api/v1/rules` never waits for an evaluation in progress.
    let published: Mutex<Published>

    struct Published {
        var rules: [RuleRuntime]
        var lastEvaluation: Int64?
        var evaluationTime: Duration
    }

    struct State {
        var rules: [RuleRuntime]
        /// One per rule: writes its output and marks vanished output series stale.
        var outputs: [ScrapeAppender]
        /// Outputs of rules dropped by a reload, marked stale at the next evaluation.
        var retiredOutputs: [ScrapeAppender] = []
        var lastEvaluation: Int64?
        var evaluationTime: Duration = .zero
    }

    struct RuleRuntime {
        var health: RuleHealth = .unknown
        var lastError: String?
        var lastEvaluation: Int64?
        var evaluationTime: Duration = .zero
        var tracker: AlertTracker
    }

    /// - Parameters:
    ///   - engine: queries run through it; its queryable should be `head` so rules see each other.
    ///   - externalLabels: the config's `external_labels`, for templates (`$externalLabels`).
    ///   - externalURL: Outpost's external URL, for templates and alert generator URLs.
    public init(group: RuleGroup, engine: Engine, head: Head, externalLabels: Labels = Labels(), externalURL: String = "") {
        self.group = group
        self.engine = engine
        self.externalLabels = externalLabels.dictionary
        self.externalURL = externalURL
        templates = group.rules.map { $0.kind == .alerting ? AlertTemplates(rule: $0) : nil }
        let rules = group.rules.map { RuleRuntime(tracker: AlertTracker(holdDuration: $0.holdDuration, keepFiringFor: $0.keepFiringFor)) }
        state = Mutex(State(rules: rules, outputs: group.rules.map { _ in ScrapeAppender(head: head) }))
        published = Mutex(Published(rules: rules, lastEvaluation: nil, evaluationTime: .zero))
    }

    /// Changes the state under its lock, then publishes what `status` shows.
    func withState<Result>(_ body: (inout State) -> Result) -> Result {
        state.withLock { state in
            let result = body(&state)
            published.withLock { $0 = Published(rules: state.rules, lastEvaluation: state.lastEvaluation, evaluationTime: state.evaluationTime) }
            return result
        }
    }

    /// Evaluates every rule at `t` (ms); a failing rule is recorded and the next one runs.
    @discardableResult
    public func evaluate(at t: Int64) -> GroupEvaluation {
        withState { state in
            let clock = ContinuousClock()
            let groupStart = clock.now
            var results: [RuleEvaluation] = []
            for output in state.retiredOutputs { output.markAllStale(at: t - group.queryOffset) }
            state.retiredOutputs = []
            for (index, rule) in group.rules.enumerated() {
                let start = clock.now
                var outcome: (samples: Int, rejected: Int, error: String?)
                switch rule.kind {
                case .recording: outcome = evaluateRecording(rule, output: state.outputs[index], at: t)
                case .alerting:
                    outcome = evaluateAlerting(rule, templates: templates[index] ?? AlertTemplates(rule: rule), output: state.outputs[index],
                                               at: t, tracker: &state.rules[index].tracker)
                }
                if outcome.error == nil && outcome.rejected > 0 {
                    outcome.error = "\(outcome.rejected) samples rejected by the head (out of order or duplicate timestamp)"
                }
                let duration = clock.now - start
                state.rules[index].health = outcome.error == nil ? .ok : .err
                state.rules[index].lastError = outcome.error
                state.rules[index].lastEvaluation = t
                state.rules[index].evaluationTime = duration
                results.append(RuleEvaluation(
                    name: rule.name, kind: rule.kind, health: state.rules[index].health, lastError: outcome.error,
                    samples: outcome.samples, rejected: outcome.rejected, duration: duration
                ))
            }
            let duration = clock.now - groupStart
            state.lastEvaluation = t
            state.evaluationTime = duration
            return GroupEvaluation(at: t, duration: duration, rules: results)
        }
    }

    /// Marks every series this group wrote stale at `t`, for a group removed on reload or at shutdown.
    public func markAllStale(at t: Int64) {
        state.withLock { state in
            for output in state.outputs + state.retiredOutputs { output.markAllStale(at: t) }
            state.retiredOutputs = []
        }
    }

    /// Runs the rule's query at `t` as Prometheus's rule query function does: a scalar becomes
    /// one sample without labels; strings and range vectors are errors.
    func query(_ rule: RuleDefinition, at t: Int64) throws -> [VectorSample] {
        let result: QueryResult
        do { result = try engine.instantQuery(rule.expr, at: t) } catch { throw RuleError(description: error.description) }
        switch result.value {
        case .vector(let samples): return samples
        case .scalar(_, let value): return [VectorSample(labels: Labels(), t: t, value: value)]
        case .string, .matrix: throw RuleError(description: "rule result is not a vector or scalar")
        }
    }
}

/// A rule evaluation failure, with Prometheus's message.
struct RuleError: Error, CustomStringConvertible {
    let description: String
}
