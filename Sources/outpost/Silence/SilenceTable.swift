import Alerting
import Foundation
import OutpostCore

/// amtool's silence listing: aligned columns two spaces apart, one silence per line.
enum SilenceTable {
    static let header = ["ID", "Matchers", "Ends At", "Created By", "Comment"]

    static func render(_ silences: [AlertmanagerAPI.GettableSilence]) -> String {
        let rows = [header] + silences.map { silence in
            [silence.id, silence.matchers.map(\.description).joined(separator: " "), endsAt(silence.endsAt), silence.createdBy,
             silence.comment]
        }
        var widths = Array(repeating: 0, count: header.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell
                if column < row.count - 1 { line += String(repeating: " ", count: widths[column] - cell.count + 2) }
            }
            out += line + "\n"
        }
        return out
    }

    /// `2026-11-21 14:05:00 UTC`, amtool's default date format, at whole seconds.
    static func endsAt(_ text: String) -> String {
        guard let millis = RFC3339.parse(text) else { return text }
        let formatted = RFC3339.format(millis - ((millis % 1000) + 1000) % 1000)
        return formatted.dropLast().replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}
