import Foundation
import OutpostTestSupport

/// The configuration files of the end-to-end stack, all on 127.0.0.1.
struct StackConfiguration {
    var outpostPort: Int
    var prometheusPort: Int
    var alertmanagerPort: Int
    var rulesGlob: String
    var targetURL: String
    var tlsPort: Int
    var dnsPort: Int
    var webhookURL: String

    /// examples/outpost.yml rewritten for the stack: the switchable target first, the
    /// shortened rule packs, the webhook receiver, and forwarding to the real Alertmanager.
    func outpost(storage: URL) throws -> String {
        try ExampleConfiguration(
            port: outpostPort, storagePath: storage.path, rulesGlob: rulesGlob,
            firstTarget: ("web", ["url: \(targetURL)", "module: http_2xx"]), tlsPort: tlsPort, dnsPort: dnsPort,
            webhookURL: webhookURL, alertmanagerURL: "http://127.0.0.1:\(alertmanagerPort)"
        ).text()
    }

    /// Prometheus scraping Outpost's /metrics as examples/prometheus.yml does, every second,
    /// with the same shortened rule packs.
    var prometheus: String {
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - \(rulesGlob)
        scrape_configs:
          - job_name: outpost
            honor_labels: true
            static_configs:
              - targets: ["127.0.0.1:\(outpostPort)"]

        """
    }

    /// A real Alertmanager that only has to list what Outpost forwards to it.
    static let alertmanager = """
    route:
      receiver: "null"
    receivers:
      - name: "null"

    """
}
