import OutpostCore
import Testing

private struct Probe: Decodable {
    var name: String
    var interval: Duration?

    enum CodingKeys: String, CodingKey { case name, interval }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        interval = try container.decodeDuration(forKey: .interval)
    }
}

private struct Root: Decodable {
    var targets: [Probe]
    var labels: [String: String]?
}

@Suite struct ConfigDecoderTests {
    private func decodeError<T: Decodable>(_ type: T.Type, _ yaml: String) -> ConfigError? {
        do {
            _ = try ConfigDecoder(file: "outpost.yml").decode(type, from: yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func namesFileLineColumnAndKeyPathOfABadValue() throws {
        let yaml = """
        targets:
          - name: a
          - name: b
          - name: c
            interval: 3x
        """
        let error = try #require(decodeError(Root.self, yaml))
        #expect(error.description == #"outpost.yml:5:15: targets[2].interval: "3x" is not a duration"#)
    }

    @Test func rejectsUnknownKeysWherever() throws {
        let yaml = """
        targets:
          - name: a
            intervall: 5s
        """
        let error = try #require(decodeError(Root.self, yaml))
        #expect(error.line == 3)
        #expect(error.column == 5)
        #expect(error.keyPath == "targets[0].intervall")
        #expect(error.message == #"unknown key "intervall""#)
    }

    @Test func mappingsDecodedAsDictionariesAcceptAnyKey() throws {
        let root = try ConfigDecoder(file: "x.yml").decode(Root.self, from: "targets: []\nlabels:\n  team: db\n  tier: 1\n")
        #expect(root.labels == ["team": "db", "tier": "1"])
    }

    @Test func reportsMissingRequiredKeysAtTheirMapping() throws {
        let error = try #require(decodeError(Root.self, "targets:\n  - interval: 5s\n"))
        #expect(error.keyPath == "targets[0]")
        #expect(error.message == #"missing required key "name""#)
        #expect(error.line == 2)
    }

    @Test func reportsTypeMismatches() throws {
        let error = try #require(decodeError(Root.self, "targets:\n  name: a\n"))
        #expect(error.keyPath == "targets")
        #expect(error.message == "expected a list")
    }

    @Test func reportsInvalidYAMLWithPosition() throws {
        let error = try #require(decodeError(Root.self, "targets: [\n"))
        #expect(error.message.hasPrefix("invalid YAML"))
        #expect(error.line == 2)
    }

    @Test func sectionsAreCheckedWhenTheirModuleDecodesThem() throws {
        let yaml = """
        global:
          scrape_interval: 10s
        targets:
          - name: a
            bogus: 1
        """
        let config = try ConfigDecoder(file: "o.yml").decode(OutpostConfig.self, from: yaml)
        #expect(config.global.scrapeInterval == .seconds(10))
        let section = try #require(config.targets)
        #expect(throws: ConfigError.self) { try section.decode([Probe].self, file: "o.yml") }
        do {
            _ = try section.decode([Probe].self, file: "o.yml")
        } catch {
            #expect(error.description == #"o.yml:5:5: targets[0].bogus: unknown key "bogus""#)
        }
    }

    @Test func rootConfigAppliesDefaultsAndChecksValues() throws {
        let config = try ConfigDecoder(file: "o.yml").decode(OutpostConfig.self, from: "")
        #expect(config.global.scrapeInterval == .seconds(15))
        #expect(config.storage.path == "data")
        #expect(config.storage.retention == .seconds(21_600))
        let error = try #require(decodeError(OutpostConfig.self, "global:\n  external_labels:\n    bad-name: x\n"))
        #expect(error.keyPath == "global.external_labels")
        #expect(error.message == #""bad-name" is not a valid label name"#)
        let listen = try #require(decodeError(OutpostConfig.self, "web:\n  listen_address: nowhere\n"))
        #expect(listen.keyPath == "web.listen_address")
    }

    @Test func querySectionDefaultsToPrometheussFlagsAndChecksValues() throws {
        let defaults = try ConfigDecoder(file: "o.yml").decode(OutpostConfig.self, from: "").query
        #expect(defaults.maxSamples == 50_000_000)
        #expect(defaults.timeout == .seconds(120))
        #expect(defaults.maxConcurrency == 20)
        #expect(defaults.lookbackDelta == .seconds(300))
        let yaml = "query:\n  max_samples: 1000\n  timeout: 30s\n  max_concurrency: 4\n  lookback_delta: 1m\n"
        let set = try ConfigDecoder(file: "o.yml").decode(OutpostConfig.self, from: yaml).query
        #expect(set == {
            var expected = QueryConfig()
            expected.maxSamples = 1000
            expected.timeout = .seconds(30)
            expected.maxConcurrency = 4
            expected.lookbackDelta = .seconds(60)
            return expected
        }())
        let zero = try #require(decodeError(OutpostConfig.self, "query:\n  max_concurrency: 0\n"))
        #expect(zero.description == "outpost.yml:2:20: query.max_concurrency: must be greater than 0")
        let unknown = try #require(decodeError(OutpostConfig.self, "query:\n  max_sample: 10\n"))
        #expect(unknown.description == #"outpost.yml:2:3: query.max_sample: unknown key "max_sample""#)
    }

    @Test func parsesListenAddresses() throws {
        let any = try #require(ListenAddress(":9393"))
        #expect(any.bindHost == "0.0.0.0")
        #expect(any.port == 9393)
        let v6 = try #require(ListenAddress("[::1]:80"))
        #expect(v6.host == "::1")
        #expect(ListenAddress("localhost") == nil)
        #expect(ListenAddress("a:99999") == nil)
    }
}

@Suite struct ConfigFilePathTests {
    struct Holder: Decodable {
        var path: String?
        enum CodingKeys: String, CodingKey { case path }
        init(from decoder: any Decoder) throws {
            path = try decoder.container(keyedBy: CodingKeys.self).decodeFilePath(forKey: .path, decoder: decoder)
        }
    }

    @Test(arguments: [
        ("/etc/outpost/outpost.yml", "ca.pem", "/etc/outpost/ca.pem"),
        ("/etc/outpost/outpost.yml", "/abs/ca.pem", "/abs/ca.pem"),
        ("/outpost.yml", "ca.pem", "/ca.pem"),
        ("conf/outpost.yml", "tls/ca.pem", "conf/tls/ca.pem"),
        ("outpost.yml", "ca.pem", "ca.pem"),
        ("", "ca.pem", "ca.pem"),
        ("/etc/outpost/outpost.yml", "", ""),
    ])
    func relativePathsAreRelativeToTheConfigFilesFolder(file: String, given: String, expected: String) throws {
        let decoded = try ConfigDecoder(file: file).decode(Holder.self, from: "path: \"\(given)\"\n")
        #expect(decoded.path == expected)
    }
}
