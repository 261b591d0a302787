import Foundation
import OutpostTestSupport

/// The configuration files of the end-to-end stack, all on 127.0.0.1.
struct StackConfiguration {
    struct MissingText: Error, CustomStringConvertible {
        var text: String
        var description: String { "examples/outpost.yml no longer contains \(text)" }
    }

    var outpostPort: Int
    var prometheusPort: Int
    var alertmanagerPort: Int
    var rulesGlob: String
    var targetURL: String
    var tlsPort: Int
    var dnsPort: Int
    var webhookURL: String

    /// examples/outpost.yml as shipped, except: free ports, a temporary store, 1s intervals,
    /// the shortened rule packs, the test's targets (the switchable one, an https and a dns
    /// one so TLS and DNS panels have data), a 1s group_wait, the webhook receiver, and
    /// forwarding to the real Alertmanager. Each change must still apply, so an edit of the
    /// example that breaks this test's assumptions fails loudly.
    func outpost(storage: URL) throws -> String {
        var text = try RepositoryFiles.text("examples/outpost.yml")
        func replace(_ old: String, _ new: String) throws {
            guard text.contains(old) else { throw MissingText(text: old) }
            text = text.replacingOccurrences(of: old, with: new)
        }
        try replace("127.0.0.1:9393", "127.0.0.1:\(outpostPort)")
        try replace("scrape_interval: 15s", "scrape_interval: 1s")
        try replace("evaluation_interval: 15s", "evaluation_interval: 1s")
        try replace("    interval: 15s", "    interval: 1s")
        try replace("path: ./data", "path: \(storage.path)")
        try replace("listen_udp: 127.0.0.1:8125", "listen_udp: 127.0.0.1:0")
        try replace("listen_tcp: 127.0.0.1:8125", "listen_tcp: \"\"")
        try replace("  - ../rules/*.yml", "  - \(rulesGlob)")
        try replace("targets:\n", """
        targets:
          - name: web
            url: \(targetURL)
            module: http_2xx
            interval: 1s
          - name: tls
            url: https://127.0.0.1:\(tlsPort)/
            module: https_self_signed
            interval: 1s
          - name: dns
            address: 127.0.0.1:\(dnsPort)
            module: dns_example_test
            interval: 1s

        """)
        try replace("modules:\n", """
        modules:
          https_self_signed:
            prober: http
            timeout: 5s
            http:
              tls_config:
                insecure_skip_verify: true
          dns_example_test:
            prober: dns
            timeout: 2s
            dns:
              query_name: example.test
              preferred_ip_protocol: ip4

        """)
        try replace("alerting:\n  route:\n", """
        alerting:
          alertmanagers: [{url: "http://127.0.0.1:\(alertmanagerPort)"}]
          route:

        """)
        try replace("group_wait: 30s", "group_wait: 1s")
        try replace("    - name: default\n", """
            - name: default
              webhook_configs:
                - url: \(webhookURL)

        """)
        return text
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
