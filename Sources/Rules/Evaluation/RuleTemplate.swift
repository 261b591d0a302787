import OutpostCore

/// Where alert label and annotation templates are checked and expanded.
///
/// Until the `Templating` module is merged, templates are passed through unexpanded and not checked.
enum RuleTemplate {
    static func syntaxError(ruleName: String, text: String) -> String? {
        nil
    }

    static func expand(_ text: String, context: Context) -> String {
        text
    }

    /// What a template sees: `$labels`, `$value`, `$externalLabels`, `$externalURL`, and queries at `timestamp`.
    struct Context {
        var ruleName: String
        var labels: Labels
        var value: Double
        var externalLabels: Labels
        var externalURL: String
        var timestamp: Int64
        var queryAt: @Sendable (String) throws -> [(labels: Labels, value: Double)]
    }
}
