import HandraiserModel

/// The terminal view of a scan: one block per post, one row per comment, reasons with `--why`.
///
/// Every piece of comment-derived text goes through `TerminalSafe.clean`, so escape sequences,
/// bidi overrides and control characters in comments never reach the terminal raw.
public struct ScanTableRenderer: ScanReportWriter {
    public var useColor: Bool
    /// Show every reason with its evidence under each comment.
    public var showReasons: Bool
    /// Total line width to fit excerpts into.
    public var width: Int

    public init(useColor: Bool = false, showReasons: Bool = false, width: Int = 100) {
        self.useColor = useColor
        self.showReasons = showReasons
        self.width = max(60, width)
    }

    public func begin() -> String { "" }

    /// A thread handed over in parts (`Thread.part`) renders as one block: the heading with the
    /// first part, the blank line after the last.
    public func thread(_ thread: ClassifiedThread, source: String) -> String {
        renderThread(thread, source: source) + (thread.thread.isLastPart ? "\n" : "")
    }

    public func unreadable(_ location: SourceLocation, message: String) -> String {
        style("unreadable", .red) + " \(TerminalSafe.clean(location.description)): \(TerminalSafe.clean(message))\n"
    }

    public func end(_ tally: ScanTally) -> String { tally.summaryLine + "\n" }

    private func renderThread(_ thread: ClassifiedThread, source: String) -> String {
        var out = ""
        let first = thread.thread.isFirstPart
        if first {
            let title = thread.post.title.map { TerminalSafe.clean($0) } ?? "(untitled post)"
            out += style(title, .bold) + "  " + style("(\(TerminalSafe.clean(source)))", .dim) + "\n"
            for note in thread.thread.notes {
                out +=
                    "  "
                    + style(
                        note.severity == .warning ? "warning:" : "note:", note.severity == .warning ? .yellow : .dim)
                    + " " + TerminalSafe.clean(note.message) + "\n"
            }
        }
        if thread.comments.isEmpty {
            if thread.thread.part == nil { out += "  no comments\n" }
            return out
        }
        // The parts of a long thread share the whole thread's column width: its longest id as
        // cleaned (a control character in an id shows as a wider mark).
        var idWidth = max(2, thread.comments.map { TerminalSafe.clean($0.comment.id).count }.max() ?? 2)
        if let part = thread.thread.part { idWidth = max(idWidth, TerminalSafe.clean(part.longestID).count) }
        let authorWidth = 18
        let fixed = 2 + idWidth + 2 + 8 + 2 + 6 + 2 + authorWidth + 2
        let excerptWidth = max(20, width - fixed)
        if first {
            out +=
                "  " + pad("#", idWidth) + "  " + pad("verdict", 8) + "  " + pad("score", 6, right: true) + "  "
                + pad("author", authorWidth) + "  comment\n"
        }
        for item in thread.comments {
            let comment = item.comment
            let verdict = item.verdict
            let author = comment.author.map { TerminalSafe.clean($0) } ?? "—"
            let excerpt = Self.oneLine(TerminalSafe.clean(comment.text), limit: excerptWidth)
            out +=
                "  " + pad(TerminalSafe.clean(comment.id), idWidth) + "  "
                + style(pad(verdict.kind.rawValue, 8), color(for: verdict.kind)) + "  "
                + pad(JSONText.number(verdict.score), 6, right: true) + "  "
                + pad(truncate(author, authorWidth), authorWidth) + "  " + truncate(excerpt, excerptWidth) + "\n"
            if showReasons {
                for reason in verdict.reasons {
                    out += "  " + String(repeating: " ", count: idWidth + 2) + reasonLine(reason) + "\n"
                }
            } else if verdict.kind == .spam || verdict.kind == .held,
                let top = verdict.reasons.max(by: { $0.score < $1.score })
            {
                out +=
                    "  " + String(repeating: " ", count: idWidth + 2) + style("why: ", .dim)
                    + truncate(reasonSummary(top), width - idWidth - 9) + "\n"
            }
        }
        return out
    }

    private func reasonLine(_ reason: Reason) -> String {
        let score = (reason.score >= 0 ? "+" : "") + JSONText.number(reason.score)
        var line = pad(score, 6, right: true) + "  " + reason.id + "  " + TerminalSafe.clean(reason.description)
        if let evidence = reason.evidence {
            line += ": “" + truncate(Self.oneLine(TerminalSafe.clean(evidence.excerpt)), 80) + "”"
            if evidence.field != .text { line += " (in \(evidence.field.rawValue))" }
        }
        return line
    }

    private func reasonSummary(_ reason: Reason) -> String {
        var line = reason.id + " " + TerminalSafe.clean(reason.description)
        if let evidence = reason.evidence {
            line += ": “" + Self.oneLine(TerminalSafe.clean(evidence.excerpt)) + "”"
        }
        return line
    }

    /// `text` on one line: each run of line breaks and tabs becomes one space, none at either end.
    /// With a `limit`, stops after `limit + 1` characters (enough for `truncate` to see the text
    /// is longer), so a long comment costs no more than its excerpt.
    static func oneLine(_ text: String, limit: Int? = nil) -> String {
        var out = ""
        var count = 0
        var pendingSpace = false
        for character in text {
            if character == "\n" || character == "\r" || character == "\t" {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            out.append(character)
            count += 1
            if let limit, count > limit { break }
        }
        return out
    }

    private func truncate(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(1, limit - 1))) + "…"
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = max(0, width - text.count)
        let spaces = String(repeating: " ", count: gap)
        return right ? spaces + text : text + spaces
    }

    private enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35"
    }

    private func color(for kind: VerdictKind) -> Style {
        switch kind {
        case .spam: .red
        case .held: .yellow
        case .genuine: .green
        case .pingback: .magenta
        case .author: .blue
        }
    }

    private func style(_ text: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
