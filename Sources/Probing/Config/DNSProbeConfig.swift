import OutpostCore

/// The `dns:` section, as blackbox_exporter reads it.
public struct DNSProbeConfig: Decodable, Sendable {
    public var ip = IPSettings()
    public var queryName = ""
    public var queryType: UInt16 = DNSRecordType.a
    public var queryClass: UInt16 = 1
    public var recursionDesired = true
    public var validRcodes: [UInt8] = [0]
    public var transport: Transport = .udp
    public var validateAnswer = RRValidation()
    public var validateAuthority = RRValidation()
    public var validateAdditional = RRValidation()

    public enum Transport: String, Decodable, Sendable {
        case udp
        case tcp
    }

    /// Regexps checked against each record of a section, in its zone-file text form.
    public struct RRValidation: Decodable, Sendable {
        public var failIfMatches: [ProbeRegex] = []
        public var failIfAllMatch: [ProbeRegex] = []
        public var failIfNotMatches: [ProbeRegex] = []
        public var failIfNoneMatches: [ProbeRegex] = []

        enum CodingKeys: String, CodingKey {
            case failIfMatches = "fail_if_matches_regexp"
            case failIfAllMatch = "fail_if_all_match_regexp"
            case failIfNotMatches = "fail_if_not_matches_regexp"
            case failIfNoneMatches = "fail_if_none_matches_regexp"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            failIfMatches = try container.decodeIfPresent([ProbeRegex].self, forKey: .failIfMatches) ?? []
            failIfAllMatch = try container.decodeIfPresent([ProbeRegex].self, forKey: .failIfAllMatch) ?? []
            failIfNotMatches = try container.decodeIfPresent([ProbeRegex].self, forKey: .failIfNotMatches) ?? []
            failIfNoneMatches = try container.decodeIfPresent([ProbeRegex].self, forKey: .failIfNoneMatches) ?? []
        }

        /// Why `records` fail these checks, or nil when they pass.
        func violation(_ records: [String]) -> String? {
            for regex in failIfMatches {
                if let record = records.first(where: regex.matches) { return "\(record) matched \(regex)" }
            }
            for regex in failIfAllMatch where !records.isEmpty && records.allSatisfy(regex.matches) {
                return "all records matched \(regex)"
            }
            for regex in failIfNotMatches {
                if let record = records.first(where: { !regex.matches($0) }) { return "\(record) did not match \(regex)" }
            }
            for regex in failIfNoneMatches where !records.contains(where: regex.matches) {
                return "no record matched \(regex)"
            }
            return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case queryName = "query_name"
        case queryType = "query_type"
        case queryClass = "query_class"
        case recursionDesired = "recursion_desired"
        case validRcodes = "valid_rcodes"
        case transport = "transport_protocol"
        case validateAnswer = "validate_answer_rrs"
        case validateAuthority = "validate_authority_rrs"
        case validateAdditional = "validate_additional_rrs"
        case preferredIPProtocol = "preferred_ip_protocol"
        case ipProtocolFallback = "ip_protocol_fallback"
    }

    public init(queryName: String) {
        self.queryName = queryName
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        queryName = try container.decode(String.self, forKey: .queryName)
        try container.check(!queryName.isEmpty, forKey: .queryName, "must not be empty")
        if let name = try container.decodeIfPresent(String.self, forKey: .queryType) {
            guard let type = DNSRecordType.code(name) else {
                throw DecodingError.dataCorruptedError(forKey: .queryType, in: container, debugDescription: "\"\(name)\" is not a record type")
            }
            queryType = type
        }
        if let name = try container.decodeIfPresent(String.self, forKey: .queryClass) {
            let classes: [String: UInt16] = ["IN": 1, "CH": 3, "HS": 4, "ANY": 255]
            guard let code = classes[name.uppercased()] else {
                throw DecodingError.dataCorruptedError(forKey: .queryClass, in: container, debugDescription: "\"\(name)\" is not a class")
            }
            queryClass = code
        }
        recursionDesired = try container.decodeIfPresent(Bool.self, forKey: .recursionDesired) ?? true
        if let names = try container.decodeIfPresent([String].self, forKey: .validRcodes) {
            validRcodes = try names.map { name in
                guard let code = DNSRcode.code(name) else {
                    throw DecodingError.dataCorruptedError(forKey: .validRcodes, in: container, debugDescription: "\"\(name)\" is not an rcode")
                }
                return code
            }
        }
        transport = try container.decodeIfPresent(Transport.self, forKey: .transport) ?? .udp
        validateAnswer = try container.decodeIfPresent(RRValidation.self, forKey: .validateAnswer) ?? RRValidation()
        validateAuthority = try container.decodeIfPresent(RRValidation.self, forKey: .validateAuthority) ?? RRValidation()
        validateAdditional = try container.decodeIfPresent(RRValidation.self, forKey: .validateAdditional) ?? RRValidation()
        ip.preferred = try container.decodeIfPresent(IPProtocol.self, forKey: .preferredIPProtocol) ?? .ip6
        ip.fallback = try container.decodeIfPresent(Bool.self, forKey: .ipProtocolFallback) ?? true
    }
}
