import Templating

/// A receiver field that Alertmanager treats as a Go template. Text without `{{` is kept literal
/// and never parsed; templates are parsed when the configuration loads.
public struct MessageTemplate: Sendable {
    public let text: String
    let template: Template?

    /// Parses `text`; `name` (the config key) is the template name parse errors mention.
    init(name: String, text: String) throws(TemplateError) {
        self.text = text
        guard text.contains("{{") else {
            template = nil
            return
        }
        // Parsed alone first, so an error's line number counts lines of the user's text only.
        _ = try Template(name: name, text: text, functions: AlertmanagerFunctions.set)
        // The default definitions follow the text; they print nothing where they are defined.
        template = try Template(name: name, text: text + DefaultTemplateSet.definitions, functions: AlertmanagerFunctions.set)
    }

    /// The rendered text; an execution error is sent as the message text (as Alertmanager logs and
    /// still notifies) and appended to `errors` for the caller to log and count.
    func render(_ templates: DefaultTemplates, errors: inout [String]) -> String {
        guard let template else { return text }
        do throws(TemplateError) {
            return try template.execute(data: templates.templateData, environment: templates.templateEnvironment)
        } catch {
            errors.append(error.message)
            return error.message
        }
    }
}
