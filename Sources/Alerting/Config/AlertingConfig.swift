import Foundation
import OutpostCore
import Yams

/// The `alerting:` section of outpost.yml: Alertmanager's configuration format, either inline
/// or in the file named by `config_file`, plus `alertmanagers` to forward alerts to.
public struct AlertingConfig: Sendable {
    /// How long an alert without `endsAt` stays firing after it was last received.
    public var resolveTimeout: Duration = .seconds(300)
    public var route: Route
    public var receivers: [String: ReceiverConfig]
    public var inhibitRules: [InhibitRule]
    public var timeIntervals: [String: [TimeInterval]]
    public var alertmanagers: [AlertmanagerTarget]
    /// The URL notifications link back to (`externalURL` in the payload).
    public var externalURL: String
    /// The Alertmanager document as loaded, secrets redacted: `config.original` of the status API.
    public var original = ""

    /// Decodes the `alerting` section of `file`; relative `config_file` paths are read from
    /// the directory of `file`.
    public static func load(section: ConfigSection, file: String, externalURL: String = "") throws(ConfigError) -> AlertingConfig {
        do throws(ConfigError) {
            let outer = try section.decode(OuterSection.self, file: file)
            if let resolved = outer.configFile {
                let text: String
                do {
                    text = try String(contentsOfFile: resolved, encoding: .utf8)
                } catch {
                    throw section.error("cannot read config_file \"\(resolved)\"", file: file)
                }
                var config = try parse(yaml: text, file: resolved, externalURL: externalURL)
                config.alertmanagers = outer.alertmanagers
                return config
            }
            var config = try build(outer.body!, file: file, externalURL: externalURL, alertmanagers: outer.alertmanagers)
            config.original = OriginalConfig.render(section.node)
            return config
        } catch {
            throw error.located(in: file)
        }
    }

    /// Decodes an alertmanager.yml document.
    public static func parse(yaml: String, file: String, externalURL: String = "") throws(ConfigError) -> AlertingConfig {
        do throws(ConfigError) {
            let body = try ConfigDecoder(file: file).decode(AlertmanagerFile.self, from: yaml)
            var config = try build(body, file: file, externalURL: externalURL, alertmanagers: [])
            config.original = (try? Yams.compose(yaml: yaml)).map(OriginalConfig.render) ?? ""
            return config
        } catch {
            throw error.located(in: file)
        }
    }

    private static func build(_ body: AlertmanagerFile, file: String, externalURL: String,
                              alertmanagers: [AlertmanagerTarget]) throws(ConfigError) -> AlertingConfig {
        var receivers: [String: ReceiverConfig] = [:]
        for receiver in body.receivers {
            guard receivers[receiver.name] == nil else {
                throw receiver.location.error("notification config name \"\(receiver.name)\" is not unique")
            }
            receivers[receiver.name] = receiver
        }
        var intervals: [String: [TimeInterval]] = [:]
        for named in body.timeIntervals {
            guard intervals[named.name] == nil else {
                throw named.location.error("time interval \"\(named.name)\" is not unique")
            }
            intervals[named.name] = named.intervals
        }
        guard let rootConfig = body.route else {
            throw ConfigError(file: file, line: 1, column: 1, keyPath: "route", message: "no route provided in config")
        }
        guard rootConfig.receiver != nil else { throw rootConfig.location.error("root route must specify a default receiver") }
        guard rootConfig.matchers.isEmpty else { throw rootConfig.location.error("root route must not have any matchers") }
        guard !rootConfig.continue else { throw rootConfig.location.error("cannot have continue in root route") }
        guard rootConfig.muteTimeIntervals.isEmpty, rootConfig.activeTimeIntervals.isEmpty else {
            throw rootConfig.location.error("root route must not have any mute or active time intervals")
        }
        let route = try Route(root: rootConfig, receivers: Set(receivers.keys), timeIntervals: Set(intervals.keys))
        var config = AlertingConfig(route: route, receivers: receivers, inhibitRules: body.inhibitRules,
                                    timeIntervals: intervals, alertmanagers: alertmanagers, externalURL: externalURL)
        config.resolveTimeout = body.global?.resolveTimeout ?? config.resolveTimeout
        return config
    }

    public init(route: Route, receivers: [String: ReceiverConfig], inhibitRules: [InhibitRule] = [],
                timeIntervals: [String: [TimeInterval]] = [:], alertmanagers: [AlertmanagerTarget] = [], externalURL: String = "") {
        self.route = route
        self.receivers = receivers
        self.inhibitRules = inhibitRules
        self.timeIntervals = timeIntervals
        self.alertmanagers = alertmanagers
        self.externalURL = externalURL
    }
}

/// An external Alertmanager every received alert is forwarded to.
public struct AlertmanagerTarget: Decodable, Sendable {
    public var url: HTTPURL
    public var timeout: Duration
    public var httpConfig: HTTPClientConfig

    enum CodingKeys: String, CodingKey {
        case url, timeout
        case httpConfig = "http_config"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .url)
        guard let url = HTTPURL(text) else {
            throw DecodingError.dataCorruptedError(forKey: .url, in: container, debugDescription: "\"\(text)\" is not an http(s) URL")
        }
        self.url = url
        timeout = try container.decodeDuration(forKey: .timeout) ?? .seconds(10)
        httpConfig = try container.decodeIfPresent(HTTPClientConfig.self, forKey: .httpConfig) ?? HTTPClientConfig()
    }
}

/// The `alerting` section: either Alertmanager's keys inline, or `config_file`.
private struct OuterSection: Decodable {
    var configFile: String?
    var alertmanagers: [AlertmanagerTarget]
    var body: AlertmanagerFile?

    enum CodingKeys: String, CodingKey {
        case alertmanagers
        case configFile = "config_file"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configFile = try container.decodeFilePath(forKey: .configFile, decoder: decoder)
        alertmanagers = try container.decodeIfPresent([AlertmanagerTarget].self, forKey: .alertmanagers) ?? []
        if configFile == nil {
            body = try AlertmanagerFile(from: decoder)
        }
    }
}

/// The keys of alertmanager.yml that Outpost reads.
private struct AlertmanagerFile: Decodable {
    var global: GlobalSection?
    var route: RouteConfig?
    var receivers: [ReceiverConfig]
    var inhibitRules: [InhibitRule]
    var timeIntervals: [NamedTimeInterval]

    struct GlobalSection: Decodable {
        var resolveTimeout: Duration?

        enum CodingKeys: String, CodingKey {
            case resolveTimeout = "resolve_timeout"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resolveTimeout = try container.decodeDuration(forKey: .resolveTimeout)
        }
    }

    enum CodingKeys: String, CodingKey {
        case global, route, receivers
        case inhibitRules = "inhibit_rules"
        case timeIntervals = "time_intervals"
        case muteTimeIntervals = "mute_time_intervals"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        global = try container.decodeIfPresent(GlobalSection.self, forKey: .global)
        route = try container.decodeIfPresent(RouteConfig.self, forKey: .route)
        receivers = try container.decodeIfPresent([ReceiverConfig].self, forKey: .receivers) ?? []
        inhibitRules = try container.decodeIfPresent([InhibitRule].self, forKey: .inhibitRules) ?? []
        timeIntervals = try container.decodeIfPresent([NamedTimeInterval].self, forKey: .timeIntervals) ?? []
        timeIntervals += try container.decodeIfPresent([NamedTimeInterval].self, forKey: .muteTimeIntervals) ?? []
    }
}

extension ConfigError {
    /// Errors built before the file name was known get it here.
    func located(in file: String) -> ConfigError {
        guard self.file.isEmpty else { return self }
        var copy = self
        copy.file = file
        return copy
    }
}
