/// Record type codes and names, for `query_type` and for printing records.
public enum DNSRecordType {
    public static let a: UInt16 = 1
    public static let soa: UInt16 = 6
    private static let names: [(String, UInt16)] = [
        ("A", 1), ("NS", 2), ("CNAME", 5), ("SOA", 6), ("PTR", 12), ("HINFO", 13), ("MX", 15), ("TXT", 16),
        ("AAAA", 28), ("SRV", 33), ("NAPTR", 35), ("DS", 43), ("RRSIG", 46), ("NSEC", 47), ("DNSKEY", 48),
        ("SVCB", 64), ("HTTPS", 65), ("ANY", 255), ("CAA", 257),
    ]

    public static func code(_ name: String) -> UInt16? {
        names.first { $0.0 == name.uppercased() }?.1
    }

    public static func name(_ code: UInt16) -> String {
        names.first { $0.1 == code }?.0 ?? "TYPE\(code)"
    }
}

/// Response codes, for `valid_rcodes`.
public enum DNSRcode {
    private static let names = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"]

    public static func code(_ name: String) -> UInt8? {
        names.firstIndex(of: name.uppercased()).map { UInt8($0) }
    }

    public static func name(_ code: UInt8) -> String {
        Int(code) < names.count ? names[Int(code)] : "RCODE\(code)"
    }
}
