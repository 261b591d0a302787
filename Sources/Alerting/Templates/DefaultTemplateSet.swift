/// Alertmanager's default notification templates (`default.tmpl`) as Go template definitions, for
/// `{{ template "slack.default.title" . }}` and the like in receiver fields. Unset fields render the
/// same templates through `DefaultTemplates`, which tests hold equal to these.
enum DefaultTemplateSet {
    /// Joined with nothing between them: text outside a `define` would be printed.
    static let definitions = [
        #"{{ define "__alertmanager" }}Alertmanager{{ end }}"#,
        #"{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}"#,
        #"{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] "#
            + #"{{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}"#
            + #"({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}"#,
        "{{ define \"__text_alert_list\" }}{{ range . }}Labels:\n{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}\n"
            + "{{ end }}Annotations:\n{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}\n"
            + "{{ end }}Source: {{ .GeneratorURL }}\n{{ end }}{{ end }}",
        #"{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}"#,
        #"{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}"#,
        #"{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}"#,
        #"{{ define "slack.default.callbackid" }}{{ end }}"#,
        #"{{ define "slack.default.pretext" }}{{ end }}"#,
        #"{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}"#,
        #"{{ define "slack.default.iconemoji" }}{{ end }}"#,
        #"{{ define "slack.default.iconurl" }}{{ end }}"#,
        #"{{ define "slack.default.text" }}{{ end }}"#,
        #"{{ define "slack.default.footer" }}{{ end }}"#,
        "{{ define \"telegram.default.message\" }}\n{{ if gt (len .Alerts.Firing) 0 }}\nAlerts Firing:\n"
            + "{{ template \"__text_alert_list\" .Alerts.Firing }}\n{{ end }}\n{{ if gt (len .Alerts.Resolved) 0 }}\nAlerts Resolved:\n"
            + "{{ template \"__text_alert_list\" .Alerts.Resolved }}\n{{ end }}\n{{ end }}",
    ].joined()
}
