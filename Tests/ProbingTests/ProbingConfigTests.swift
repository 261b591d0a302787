import OutpostCore
import Testing
@testable import Probing

@Suite struct ProbingConfigTests {
    func load(_ yaml: String) throws(ConfigError) -> ProbingConfig {
        let config = try ConfigDecoder(file: "outpost.yml").decode(OutpostConfig.self, from: yaml)
        return try ProbingConfig(config, file: "outpost.yml")
    }

    @Test func readsBlackboxModulesAndTargets() throws {
        let config = try load("""
            global:
              scrape_interval: 30s
            modules:
              http_2xx:
                prober: http
                timeout: 5s
                http:
                  valid_status_codes: [200, 204]
                  valid_http_versions: ["HTTP/1.1", "HTTP/2.0"]
                  method: POST
                  headers: {Accept: application/json}
                  fail_if_header_matches:
                    - {header: Server, regexp: "^nginx", allow_missing: true}
                  body_size_limit: 1MB
                  preferred_ip_protocol: ip4
                  ip_protocol_fallback: false
                  bearer_token: abc
              ssh_banner:
                prober: tcp
                tcp:
                  query_response:
                    - expect: "^SSH-2.0-"
              dns_soa:
                prober: dns
                dns:
                  query_name: example.org
                  query_type: SOA
                  valid_rcodes: [NOERROR]
            targets:
              - name: site
                url: https://example.org/
                module: http_2xx
                interval: 10s
                labels: {team: web}
              - address: 10.0.0.1:22
                module: ssh_banner
              - address: 10.0.0.2
                module:
                  prober: icmp
            probe_endpoint:
              allowed_targets: ["10.0.0.0/8", "https://.*\\\\.example\\\\.org/.*"]
            """)
        let http = try #require(config.modules["http_2xx"])
        #expect(http.timeout == .seconds(5))
        #expect(http.http.validStatusCodes == [200, 204])
        #expect(http.http.bodySizeLimit == 1 << 20)
        #expect(http.http.ip.preferred == .ip4 && !http.http.ip.fallback)
        #expect(http.http.authorization?.credentials == "abc")
        #expect(config.modules["dns_soa"]?.dns?.queryType == 6)
        #expect(config.targets.count == 3)
        #expect(config.targets[0].interval == .seconds(10))
        #expect(config.targets[0].labels["team"] == "web")
        #expect(config.targets[1].name == "10.0.0.1:22")
        #expect(config.targets[2].inlineModule?.prober == .icmp)
        #expect(config.defaultInterval == .seconds(30))
        #expect(config.probeEndpoint.allowedTargets.count == 2)
    }

    @Test func unknownOptionIsLocated() {
        #expect(throws: ConfigError(file: "outpost.yml", line: 5, column: 7, keyPath: "modules.web.http.no_such_option",
                                    message: "unknown key \"no_such_option\"")) {
            try load("""
                modules:
                  web:
                    prober: http
                    http:
                      no_such_option: 1
                """)
        }
    }

    @Test func unknownProberIsLocated() throws {
        do {
            _ = try load("modules:\n  x:\n    prober: gopher\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 13)
            #expect(error.message.contains("unknown prober \"gopher\""))
        }
    }

    @Test func targetWithUnknownModuleIsLocated() throws {
        do {
            _ = try load("modules: {}\ntargets:\n  - url: http://a/\n    module: nope\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.keyPath == "targets[0]")
            #expect(error.message == "unknown module \"nope\"")
        }
    }

    @Test func badValuesAreRejected() {
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: http\n    http:\n      fail_if_body_matches_regexp: ['(']\n") }
        // blackbox compiles with Go's regexp, which has no back-references.
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: http\n    http:\n      fail_if_body_matches_regexp: ['(a)\\1']\n") }
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: dns\n    dns:\n      query_name: a\n      query_type: BOGUS\n") }
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: dns\n") }
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: http\n    timeout: 5\n") }
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: http\n    http:\n      json_assertions: ['status UP']\n") }
        #expect(throws: ConfigError.self) { try load("modules:\n  x:\n    prober: http\ntargets:\n  - url: a\n    module: x\n    labels: {instance: y}\n") }
    }
}

@Suite struct SupportTypeTests {
    @Test func cidrContains() throws {
        let v4 = try #require(CIDR("10.1.0.0/16"))
        #expect(v4.contains(try #require(IPAddressBytes.parse("10.1.200.3"))))
        #expect(!v4.contains(try #require(IPAddressBytes.parse("10.2.0.1"))))
        let v6 = try #require(CIDR("fd00::/8"))
        #expect(v6.contains(try #require(IPAddressBytes.parse("fd12::1"))))
        #expect(!v6.contains(try #require(IPAddressBytes.parse("10.1.0.1"))))
        #expect(CIDR("10.0.0.0/33") == nil)
    }

    @Test func sha256KnownAnswers() {
        // FIPS 180-2 test vectors.
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func datesAndNames() {
        #expect(DateParsing.certificateDate("2030-01-02 03:04:05 GMT") == 1_893_553_445)
        #expect(DateParsing.certificateDate("Jan  2 03:04:05 2030 GMT") == 1_893_553_445)
        #expect(DateParsing.httpDate("Thu, 01 Jan 1970 00:01:00 GMT") == 60)
        #expect(CertificateInfo.distinguishedName("C = US, O = Example, CN = host") == "CN=host,O=Example,C=US")
        #expect(CertificateInfo.serial("00:0A:1b") == "0a1b")
        #expect(HTTPRedaction.redact(url: "https://bob:pw@host/x") == "https://bob:<secret>@host/x")
        #expect(HTTPRedaction.redact(url: "http://a:b:c@host:8080?q=1") == "http://a:<secret>@host:8080?q=1")
        #expect(HTTPRedaction.redact(url: "http://bob@host/") == "http://bob@host/")
        #expect(HTTPRedaction.redact(url: "http://host/p?u=a:b@c") == "http://host/p?u=a:b@c")
        #expect(HTTPRedaction.redact(url: "host:1") == "host:1")
        #expect(URLParts.hasScheme("https://host") && URLParts.hasScheme("x::://h"))
        #expect(!URLParts.hasScheme("host:443") && !URLParts.hasScheme("[::1]:80") && !URLParts.hasScheme(":/"))
        #expect(HTTPRedaction.redact(headerLine: "Authorization: Bearer t") == "Authorization: <secret>")
    }

    @Test func hostPortSplitting() {
        #expect(HostPort.split("a:1", defaultPort: nil)! == ("a", 1))
        #expect(HostPort.split("[::1]:53", defaultPort: nil)! == ("::1", 53))
        #expect(HostPort.split("::1", defaultPort: 53)! == ("::1", 53))
        #expect(HostPort.split("a", defaultPort: nil) == nil)
        #expect(HostPort.split("a:99999", defaultPort: nil) == nil)
    }
}
