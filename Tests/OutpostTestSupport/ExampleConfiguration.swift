import Foundation

/// examples/outpost.yml as shipped, rewritten for a test on 127.0.0.1: a given port, a temporary
/// store, 1s intervals, the test's rule files, a first probe target of the test's choosing plus an
/// https and a dns target (so TLS and DNS panels have data), a 1s group_wait, a webhook receiver,
/// and optionally forwarding to an Alertmanager. Each change must still apply, so an edit of the
/// example that breaks a test's assumptions fails loudly.
public struct ExampleConfiguration {
    public struct MissingText: Error, CustomStringConvertible {
        public var text: String
        public var description: String { "examples/outpost.yml no longer contains \(text)" }
    }

    public var port: Int
    public var storagePath: String
    public var rulesGlob: String
    /// The first probe target's fields after `name:` (`url: …` or `address: …`, and `module: …`),
    /// one per line.
    public var firstTarget: (name: String, fields: [String])
    public var tlsPort: Int
    public var dnsPort: Int
    public var webhookURL: String
    public var alertmanagerURL: String?

    public init(port: Int, storagePath: String, rulesGlob: String, firstTarget: (name: String, fields: [String]),
                tlsPort: Int, dnsPort: Int, webhookURL: String, alertmanagerURL: String? = nil) {
        self.port = port
        self.storagePath = storagePath
        self.rulesGlob = rulesGlob
        self.firstTarget = firstTarget
        self.tlsPort = tlsPort
        self.dnsPort = dnsPort
        self.webhookURL = webhookURL
        self.alertmanagerURL = alertmanagerURL
    }

    public func text() throws -> String {
        var text = try RepositoryFiles.text("examples/outpost.yml")
        func replace(_ old: String, _ new: String) throws {
            guard text.contains(old) else { throw MissingText(text: old) }
            text = text.replacingOccurrences(of: old, with: new)
        }
        try replace("127.0.0.1:9393", "127.0.0.1:\(port)")
        try replace("scrape_interval: 15s", "scrape_interval: 1s")
        try replace("evaluation_interval: 15s", "evaluation_interval: 1s")
        try replace("    interval: 15s", "    interval: 1s")
        try replace("path: ./data", "path: \(storagePath)")
        try replace("listen_udp: 127.0.0.1:8125", "listen_udp: 127.0.0.1:0")
        try replace("listen_tcp: 127.0.0.1:8125", "listen_tcp: \"\"")
        try replace("  - ../rules/*.yml", "  - \(rulesGlob)")
        let first = (["  - name: \(firstTarget.name)"] + firstTarget.fields.map { "    " + $0 } + ["    interval: 1s"])
            .joined(separator: "\n")
        try replace("targets:\n", """
        targets:
        \(first)
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
        if let alertmanagerURL {
            try replace("alerting:\n  route:\n", """
            alerting:
              alertmanagers: [{url: "\(alertmanagerURL)"}]
              route:

            """)
        }
        try replace("group_wait: 30s", "group_wait: 1s")
        try replace("    - name: default\n", """
            - name: default
              webhook_configs:
                - url: \(webhookURL)

        """)
        return text
    }
}
