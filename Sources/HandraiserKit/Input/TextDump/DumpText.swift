/// Turns the lines of a comment or post, as pasted, into plain text.
enum DumpText {
    /// Joins the lines of each paragraph with a space, undoing hard wrapping, and keeps one blank
    /// line between paragraphs. Lines that start list items keep their own line.
    static func unwrap(_ lines: [Substring]) -> String {
        var out = ""
        out.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count })
        var pendingBreak = false
        for raw in lines {
            let line = trimmed(raw)
            if line.isEmpty {
                if !out.isEmpty { pendingBreak = true }
                continue
            }
            if pendingBreak {
                out += "\n\n"
                pendingBreak = false
            } else if !out.isEmpty {
                out += startsListItem(line) ? "\n" : " "
            }
            out += line
        }
        return out
    }

    /// `raw` without white space at either end.
    static func trimmed(_ raw: Substring) -> Substring {
        let scalars = raw.unicodeScalars
        var start = scalars.startIndex
        while start < scalars.endIndex, DumpLine.whiteWidth(scalars[start]) != nil {
            start = scalars.index(after: start)
        }
        var end = scalars.endIndex
        while end > start, DumpLine.whiteWidth(scalars[scalars.index(before: end)]) != nil {
            end = scalars.index(before: end)
        }
        return raw[start..<end]
    }

    /// `- item`, `* item`, `• item`, `– item`, `1. item`, `a) item`, `> quote`.
    static func startsListItem(_ line: Substring) -> Bool {
        guard let first = line.first else { return false }
        let second = line.dropFirst().first
        if "-*•–—>·".contains(first) { return second == " " || second == nil }
        if first.isASCII, first.isNumber {
            return DumpClassifier.numbered(line) != nil
        }
        return false
    }

    /// The lines with `columns` of leading white space removed (fewer where a line has less).
    static func dedent(_ line: Substring, columns: Int) -> Substring {
        let scalars = line.unicodeScalars
        var width = 0
        var i = scalars.startIndex
        while i < scalars.endIndex, width < columns, let w = DumpLine.whiteWidth(scalars[i]) {
            width += w
            i = scalars.index(after: i)
        }
        var end = scalars.endIndex
        while end > i, DumpLine.whiteWidth(scalars[scalars.index(before: end)]) != nil {
            end = scalars.index(before: end)
        }
        return line[i..<end]
    }
}
