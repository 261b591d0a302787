import OutpostCore
import Testing

/// Expected values come from the reference xxHash implementation (python-xxhash's xxh64, seed 0).
struct XXHash64Tests {
    @Test(arguments: [
        ("", 0xEF46_DB37_51D8_E999 as UInt64),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1),
    ])
    func matchesReferenceVectors(input: String, expected: UInt64) {
        #expect(XXHash64.hash(Array(input.utf8)) == expected)
    }

    @Test func labelHashSeparatesNamesAndValuesWithFF() {
        let labels = Labels(["name": "example", "file": "rules/a.yml"])
        #expect(labels.prometheusHash == 0x8C24_10DD_49EE_D90D)
    }
}
