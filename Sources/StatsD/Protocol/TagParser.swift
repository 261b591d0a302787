/// Reads the tags of a series on its first sighting: DogStatsD tags from `|#`, and InfluxDB
/// (`name,k=v`), Librato (`name#k=v`) and SignalFX (`name[k=v]rest`) tags from the name.
struct TagParser: Sendable {
    var styles: TagStyles

    struct Result: Sendable {
        var name: String
        var labels: [(name: String, value: String)] = []
        /// Tags seen, well-formed or not.
        var tagCount = 0
        /// Tags without a value or with an empty name.
        var tagErrors = 0
        /// Whether the name carried tags of its own.
        var nameHadTags = false
    }

    /// Splits a raw name into the metric name and the tags embedded in it.
    func parseName(_ raw: String) -> Result {
        var name = Substring(raw)
        var result = Result(name: raw)
        if styles.signalFX, let open = name.firstIndex(of: "["), let close = name[open...].firstIndex(of: "]") {
            let tags = name[name.index(after: open)..<close]
            let rest = name[name.index(after: close)...]
            name = Substring(String(name[..<open]) + rest)
            parseList(tags, separator: "=", into: &result)
            result.nameHadTags = true
        }
        if let marker = name.firstIndex(where: { ($0 == "#" && styles.librato) || ($0 == "," && styles.influxDB) }) {
            parseList(name[name.index(after: marker)...], separator: "=", into: &result)
            name = name[..<marker]
            result.nameHadTags = true
        }
        result.name = String(name)
        return result
    }

    /// Adds the DogStatsD tags in `text` (`k:v,k2:v2`).
    func parseDogStatsD(_ text: Substring, into result: inout Result) {
        parseList(text, separator: ":", into: &result)
    }

    private func parseList(_ text: Substring, separator: Character, into result: inout Result) {
        for tag in text.split(separator: ",", omittingEmptySubsequences: true) {
            result.tagCount += 1
            guard let split = tag.firstIndex(of: separator) else {
                result.tagErrors += 1
                continue
            }
            let key = tag[..<split]
            let value = tag[tag.index(after: split)...]
            guard !key.isEmpty, !value.isEmpty else {
                result.tagErrors += 1
                continue
            }
            result.labels.append((MetricNameEscaping.escape(String(key)), String(value)))
        }
    }
}
