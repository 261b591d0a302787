import Alerting
import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

/// `outpost silence add|query|expire` run as subprocesses against a running `outpost`, with
/// the results checked through the API.
@Suite struct SilenceCommandTests {
    /// Runs the binary on its own thread, so the blocking wait holds no cooperative thread.
    private func outpost(_ arguments: [String]) async throws -> ProcessRunner.Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try OutpostBinaryTests.run(arguments) }) }.start()
        }
    }

    private func startDaemon() throws -> OutpostDaemon {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outpost-silence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("outpost.yml")
        try """
        web:
          listen_address: 127.0.0.1:0
        storage:
          path: \(directory.path)/data
        alerting:
          route:
            receiver: default
          receivers:
            - name: default
              webhook_configs: [{url: "http://127.0.0.1:9/hook?token=webhook-secret"}]

        """.write(to: file, atomically: true, encoding: .utf8)
        return try OutpostDaemon(arguments: ["--config.file", file.path])
    }

    private func silence(_ id: String, _ client: LoopbackHTTPClient) async throws -> AlertmanagerAPI.GettableSilence {
        let response = try await client.request("GET", "/api/v2/silence/\(id)")
        #expect(response.status == 200, "\(response.text)")
        return try JSONDecoder().decode(AlertmanagerAPI.GettableSilence.self, from: Data(response.body))
    }

    @Test func addQueryAndExpireAgainstARunningOutpost() async throws {
        let daemon = try startDaemon()
        defer { daemon.process.terminate() }
        let port = try await daemon.waitForPort()
        let client = LoopbackHTTPClient(port: port)
        let url = ["--alertmanager.url", "http://127.0.0.1:\(port)/"]

        let added = try await outpost(["silence", "add"] + url + ["--author", "tester", "--comment", "disk swap", "--duration", "2h",
                                                                 "DiskFull", #"env=~"prod|staging""#, "severity!=info"])
        #expect(added.status == 0, "\(added.stderr)")
        let diskID = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!diskID.isEmpty && !diskID.contains("\n"))
        let disk = try await silence(diskID, client)
        #expect(disk.matchers.map(\.description) == [#"alertname="DiskFull""#, #"env=~"prod|staging""#, #"severity!="info""#])
        #expect(disk.createdBy == "tester")
        #expect(disk.comment == "disk swap")
        #expect(disk.status.state == "active")
        let start = try #require(RFC3339.parse(disk.startsAt))
        let end = try #require(RFC3339.parse(disk.endsAt))
        #expect(end - start == 2 * 3_600_000)

        let endsAt = RFC3339.format(start + 86_400_000)
        let other = try await outpost(["silence", "add"] + url + ["-c", "other", "-a", "tester", "--end", endsAt, "alertname=Other"])
        #expect(other.status == 0, "\(other.stderr)")
        let otherID = other.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await silence(otherID, client).endsAt == endsAt)

        // The silence mutes a matching alert on the server.
        let alert = #"[{"labels":{"alertname":"DiskFull","env":"prod","severity":"page"}}]"#
        #expect(try await client.request("POST", "/api/v2/alerts", headers: ["Content-Type": "application/json"], body: Array(alert.utf8)).status == 200)
        let alerts = try JSONDecoder().decode([AlertmanagerAPI.GettableAlert].self, from: Data(try await client.request("GET", "/api/v2/alerts").body))
        #expect(alerts.first?.status.silencedBy == [diskID])

        let table = try await outpost(["silence", "query"] + url)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("ID") == true)
        for column in ["Matchers", "Ends At", "Created By", "Comment"] { #expect(lines.first?.contains(column) == true) }
        // Soonest end first, columns aligned under the header.
        #expect(lines[1].hasPrefix(diskID))
        #expect(lines[2].hasPrefix(otherID))
        let matchersColumn = try #require(lines[0].range(of: "Matchers")).lowerBound.utf16Offset(in: lines[0])
        #expect(lines[1].dropFirst(matchersColumn).hasPrefix(#"alertname="DiskFull" env=~"prod|staging" severity!="info""#))
        #expect(lines[1].contains("tester"))
        #expect(lines[1].hasSuffix("disk swap"))
        let endColumn = try #require(lines[0].range(of: "Ends At")).lowerBound.utf16Offset(in: lines[0])
        let diskEnd = RFC3339.format(end / 1000 * 1000).replacingOccurrences(of: "T", with: " ").dropLast() + " UTC"
        #expect(lines[1].dropFirst(endColumn).hasPrefix(diskEnd))

        let quiet = try await outpost(["silence", "query", "-q"] + url)
        #expect(quiet.stdout == "\(diskID)\n\(otherID)\n")
        let filtered = try await outpost(["silence", "query", "--quiet"] + url + ["DiskFull"])
        #expect(filtered.stdout == "\(diskID)\n")
        let byMatcher = try await outpost(["silence", "query", "-q"] + url + ["alertname=Other"])
        #expect(byMatcher.stdout == "\(otherID)\n")

        let expired = try await outpost(["silence", "expire"] + url + [diskID])
        #expect(expired.status == 0, "\(expired.stderr)")
        #expect(try await silence(diskID, client).status.state == "expired")
        #expect(try await outpost(["silence", "query", "-q"] + url).stdout == "\(otherID)\n")
        #expect(try await outpost(["silence", "query", "-q", "--expired"] + url).stdout == "\(diskID)\n")

        let unknown = try await outpost(["silence", "expire"] + url + ["no-such-silence"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("404"))
        #expect(unknown.stderr.contains("not found"))

        // The status reports the alerting configuration as loaded, the webhook URL redacted.
        let status = try await client.request("GET", "/api/v2/status")
        let original = try #require(((try JSONSerialization.jsonObject(with: Data(status.body)) as? [String: Any])?["config"]
                as? [String: String])?["original"])
        #expect(original.contains("receiver: default"))
        #expect(!original.contains("webhook-secret"))

        daemon.process.terminate()
        daemon.process.waitUntilExit()
    }

    @Test func mistakesFailWithAMessage() async throws {
        let daemon = try startDaemon()
        defer { daemon.process.terminate() }
        let port = try await daemon.waitForPort()
        let url = ["--alertmanager.url", "http://127.0.0.1:\(port)"]

        let badMatcher = try await outpost(["silence", "add"] + url + ["-c", "x", #"job=~"(""#])
        #expect(badMatcher.status == 1)
        #expect(badMatcher.stderr.contains(#"bad matcher "job=~"(""#))
        let noMatchers = try await outpost(["silence", "add"] + url + ["-c", "x"])
        #expect(noMatchers.status == 1)
        #expect(noMatchers.stderr.contains("no matchers specified"))
        let noComment = try await outpost(["silence", "add"] + url + ["Foo"])
        #expect(noComment.status == 1)
        #expect(noComment.stderr.contains("comment"))
        let backwards = try await outpost(["silence", "add"] + url + ["-c", "x", "--start", "2030-01-02T00:00:00Z", "--end", "2030-01-01T00:00:00Z", "Foo"])
        #expect(backwards.status == 1)
        #expect(backwards.stderr.contains("cannot start after it ends"))
        // The server's own checks come back as its message: a matcher matching everything.
        let matchesAll = try await outpost(["silence", "add"] + url + ["-c", "x", #"alertname=~".*""#])
        #expect(matchesAll.status == 1)
        #expect(matchesAll.stderr.contains("400"))
        #expect(matchesAll.stderr.contains("must not match the empty string"))
        let noIDs = try await outpost(["silence", "expire"] + url)
        #expect(noIDs.status == 1)
        #expect(noIDs.stderr.contains("no silence IDs specified"))

        daemon.process.terminate()
        daemon.process.waitUntilExit()
        let unreachable = try await outpost(["silence", "query"] + url)
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot reach http://127.0.0.1:\(port)/api/v2/silences"))
    }
}
