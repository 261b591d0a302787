import Foundation
import OutpostTestSupport
import Testing
import Yams

/// examples/ and grafana/provisioning: Outpost's loader accepts the Outpost configurations,
/// promtool accepts prometheus.yml, and the files the others point at exist.
@Suite struct ExampleFileTests {
    @Test(arguments: ["examples/outpost.yml", "examples/outpost-reference.yml"])
    func outpostAcceptsTheExampleConfiguration(_ path: String) throws {
        let result = try ProcessRunner.run(OutpostDaemon.binary, ["check", "config", RepositoryFiles.url(path).path], mergeStandardError: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS"))
    }

    /// The reference loads the shipped rule packs, and shows status_page only as a comment,
    /// since this version refuses it; once it loads, the comment should turn into an option.
    @Test func theReferenceLoadsRulesAndMentionsTheSectionNotSupportedYet() throws {
        let text = try RepositoryFiles.text("examples/outpost-reference.yml")
        #expect(text.contains("\nrule_files:\n  - ../rules/*.yml"))
        #expect(text.contains("# status_page:"))
    }

    /// Checked where compose mounts it: beside a `rules` folder holding rules/, so promtool
    /// also checks the rule files it loads.
    @Test func promtoolAcceptsPrometheusYml() throws {
        guard Promtool.isRequired else {
            print("promtool not installed: skipping promtool check config (CI installs it)")
            return
        }
        let directory = try RepositoryFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("prometheus.yml")
        try FileManager.default.copyItem(at: RepositoryFiles.url("examples/prometheus.yml"), to: config)
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("rules"), withDestinationURL: RepositoryFiles.url("rules"))
        let result = try Promtool.run(["check", "config", config.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS: \(RuleFileTests.expected.count) rule files found"), "\(result.output)")
    }

    /// What Prometheus probes through /probe must be a target Outpost's default config lists,
    /// or Outpost refuses it.
    @Test func prometheusProbesOnlyTargetsTheDefaultConfigAllows() throws {
        let prometheus = try yaml("examples/prometheus.yml")
        let outpost = try yaml("examples/outpost.yml")
        let allowed = Set((outpost["targets"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String ?? $0["address"] as? String })
        let jobs = try #require(prometheus["scrape_configs"] as? [[String: Any]])
        let probe = try #require(jobs.first { $0["metrics_path"] as? String == "/probe" })
        let probed = (probe["static_configs"] as? [[String: Any]] ?? []).flatMap { $0["targets"] as? [String] ?? [] }
        #expect(!probed.isEmpty)
        for target in probed { #expect(allowed.contains(target), "\(target) is not in examples/outpost.yml targets") }
        let outpostJob = try #require(jobs.first { $0["job_name"] as? String == "outpost" })
        #expect(outpostJob["honor_labels"] as? Bool == true, "probe results carry their own instance label")
    }

    @Test func grafanaProvisionsPrometheusAndOutpostAsPrometheusDataSources() throws {
        let document = try yaml("grafana/provisioning/datasources.yml")
        let sources = try #require(document["datasources"] as? [[String: Any]])
        #expect(sources.allSatisfy { $0["type"] as? String == "prometheus" })
        let urls = sources.compactMap { $0["url"] as? String }
        #expect(urls.contains("http://prometheus:9090"))
        #expect(urls.contains("http://outpost:9393"))
        let dashboards = try yaml("grafana/provisioning/dashboards.yml")
        let providers = try #require(dashboards["providers"] as? [[String: Any]])
        let path = try #require((providers.first?["options"] as? [String: Any])?["path"] as? String)
        #expect(try compose().contains("../grafana/dashboards:\(path):ro"))
    }

    /// Every host path compose.yml mounts or builds from exists in the repository.
    @Test func composeMountsFilesThatExist() throws {
        let document = try #require(try Yams.load(yaml: compose()) as? [String: Any])
        let services = try #require(document["services"] as? [String: [String: Any]])
        #expect(Set(services.keys) == ["outpost", "prometheus", "grafana"])
        let examples = RepositoryFiles.url("examples")
        var mounted = 0
        for service in services.values {
            for volume in service["volumes"] as? [String] ?? [] where volume.hasPrefix(".") {
                let source = String(volume.split(separator: ":")[0])
                #expect(FileManager.default.fileExists(atPath: examples.appendingPathComponent(source).path), "\(volume)")
                mounted += 1
            }
        }
        #expect(mounted >= 6)
        let build = try #require(services["outpost"]?["build"] as? [String: Any])
        let dockerfile = examples.appendingPathComponent(try #require(build["context"] as? String))
            .appendingPathComponent(try #require(build["dockerfile"] as? String))
        #expect(FileManager.default.fileExists(atPath: dockerfile.path))
    }

    /// systemd's own verifier finds no problem in the unit (run with the binary of this build
    /// in place of /usr/local/bin/outpost, which it checks exists).
    @Test func systemdAcceptsTheUnit() throws {
        let analyzer = "/usr/bin/systemd-analyze"
        guard FileManager.default.isExecutableFile(atPath: analyzer) else {
            print("systemd-analyze not installed: skipping the systemd unit check")
            return
        }
        let directory = try RepositoryFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unit = directory.appendingPathComponent("outpost.service")
        try RepositoryFiles.text("examples/outpost.service")
            .replacingOccurrences(of: "/usr/local/bin/outpost", with: OutpostDaemon.binary.path)
            .write(to: unit, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run(URL(fileURLWithPath: analyzer), ["verify", unit.path], mergeStandardError: true)
        #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
    }

    private func yaml(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: RepositoryFiles.text(path)) as? [String: Any])
    }

    private func compose() throws -> String { try RepositoryFiles.text("examples/compose.yml") }
}
