import HandraiserModel
import HandraiserReplies

// Renderers of the reply-to list. Every piece of text that came from a comment (names, excerpts,
// quotes, URLs, titles) is untrusted: terminal output passes it through `TerminalSafe`, Markdown
// and HTML escape it, JSON and CSV encode it.

/// The reply-to list for a terminal, grouped by post.
public enum ReplyTextRenderer {
    /// The whole report; ANSI colour only when `useColor` (the caller knows whether the stream is a terminal).
    public static func render(_ report: ReplyReport, useColor: Bool = false) -> String {
        head(ReplyTotals(report), useColor: useColor) + report.posts.map { post($0, useColor: useColor) }.joined()
            + tail(report.warnings, useColor: useColor)
    }

    /// The report's first line, from the totals of all its posts.
    public static func head(_ totals: ReplyTotals, useColor: Bool = false) -> String {
        Style(enabled: useColor).bold("Reply list") + ": " + ReplySummary.line(totals) + "\n"
    }

    /// One post's section.
    public static func post(_ plan: PostReplyPlan, useColor: Bool = false) -> String {
        let style = Style(enabled: useColor)
        var out =
            "\n" + style.bold(safe(plan.displayTitle)) + (plan.post.id.map { " (post \(safe($0)))" } ?? "") + "\n"
        if plan.people.isEmpty && plan.held.isEmpty && plan.thanks.isEmpty {
            out += "  nobody to answer\n"
        }
        for person in plan.people { out += render(person, style: style) }
        if !plan.held.isEmpty {
            out += "  " + style.yellow("Check these first (held for review or showing spam signs):") + "\n"
            for person in plan.held { out += render(person, style: style) }
        }
        if !plan.thanks.isEmpty {
            out += "  Thank for linking:\n"
            for link in plan.thanks {
                out += "  - " + safe(link.title) + (link.url.map { " <\(safe($0))>" } ?? "") + "\n"
            }
        }
        return out
    }

    /// The warnings that close the report.
    public static func tail(_ warnings: [ReplyWarning], useColor: Bool = false) -> String {
        let style = Style(enabled: useColor)
        var out = ""
        if !warnings.isEmpty {
            out += "\n" + style.red("Warnings:") + "\n"
            for warning in warnings {
                let post = warning.postTitle ?? warning.postID.map { "post \($0)" }
                out += "  ! " + (post.map { "\u{201C}\(safe($0))\u{201D}: " } ?? "") + safe(warning.message) + "\n"
                if let quote = warning.quote { out += "    " + style.dim("\u{201C}\(safe(quote))\u{201D}") + "\n" }
            }
        }
        return out
    }

    private static func render(_ person: ReplyCandidate, style: Style) -> String {
        var head = "  \(person.rank). " + style.bold(safe(person.author)) + "  "
        switch person.status {
        case .waiting: head += style.yellow("waiting")
        case .answered: head += style.green("answered")
        }
        if let contact = person.contact { head += "  <\(safe(contact))>" }
        if let date = person.date { head += "  " + safe(date) }
        head += "  #" + person.commentIDs.map(safe).joined(separator: ", #")
        var out = head + "\n"
        out += "     " + style.dim("\u{201C}\(safe(person.excerpt))\u{201D}") + "\n"
        if let answer = person.answeredBy {
            out += "     answered by #\(safe(answer.commentID)) (\(answer.method.rawValue))"
            if let quote = answer.quote { out += ": \u{201C}\(safe(quote))\u{201D}" }
            out += "\n"
        }
        for reason in person.reasons {
            out += "     - \(reason.id): \(safe(reason.description))"
            if let quote = reason.quote { out += " \u{2014} \u{201C}\(safe(quote))\u{201D}" }
            out += "\n"
        }
        return out
    }

    /// Untrusted text on one line, with control and invisible characters made visible.
    static func safe(_ text: String) -> String {
        TerminalSafe.clean(text.replacingLineBreaks())
    }

    private struct Style {
        let enabled: Bool
        func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func bold(_ text: String) -> String { wrap(text, "1") }
        func dim(_ text: String) -> String { wrap(text, "2") }
        func red(_ text: String) -> String { wrap(text, "31") }
        func green(_ text: String) -> String { wrap(text, "32") }
        func yellow(_ text: String) -> String { wrap(text, "33") }
    }
}

/// The reply-to list as a Markdown document.
public enum ReplyMarkdownRenderer {
    public static func render(_ report: ReplyReport) -> String {
        head(ReplyTotals(report)) + report.posts.map(post).joined() + tail(report.warnings)
    }

    /// The title and summary, from the totals of all the report's posts.
    public static func head(_ totals: ReplyTotals) -> String {
        "# Reply list\n\n" + ReplySummary.line(totals) + "\n"
    }

    /// One post's section.
    public static func post(_ plan: PostReplyPlan) -> String {
        var out = "\n## " + md(plan.displayTitle) + "\n\n"
        if let url = plan.post.url, let link = ReplyLinks.safeURL(url) { out += "<\(link)>\n\n" }
        if plan.people.isEmpty && plan.held.isEmpty && plan.thanks.isEmpty { out += "Nobody to answer.\n" }
        for person in plan.people { out += render(person) }
        if !plan.held.isEmpty {
            out += "\n### Check these first (held for review or showing spam signs)\n\n"
            for person in plan.held { out += render(person) }
        }
        if !plan.thanks.isEmpty {
            out += "\n### Thank for linking\n\n"
            for link in plan.thanks {
                if let url = link.url.flatMap(ReplyLinks.safeURL) {
                    out += "- [\(md(link.title))](\(url))\n"
                } else {
                    out += "- " + md(link.title) + "\n"
                }
            }
        }
        return out
    }

    /// The warnings that close the report.
    public static func tail(_ warnings: [ReplyWarning]) -> String {
        var out = ""
        if !warnings.isEmpty {
            out += "\n## Warnings\n\n"
            for warning in warnings {
                let post = warning.postTitle ?? warning.postID.map { "post \($0)" }
                out += "- " + (post.map { "**\(md($0))**: " } ?? "") + md(warning.message)
                if let quote = warning.quote { out += " \u{2014} \u{201C}\(md(quote))\u{201D}" }
                out += "\n"
            }
        }
        return out
    }

    private static func render(_ person: ReplyCandidate) -> String {
        var out = "\(person.rank). **\(md(person.author))** \u{2014} \(person.status.rawValue)"
        if let contact = person.contact.flatMap(ReplyLinks.safeURL) { out += " \u{00B7} [contact](\(contact))" }
        if let date = person.date { out += " \u{00B7} " + md(date) }
        out += " \u{00B7} comment " + person.commentIDs.map { "#" + md($0) }.joined(separator: ", ")
        out += "\n   > " + md(person.excerpt) + "\n"
        if let answer = person.answeredBy {
            out += "   - answered by #\(md(answer.commentID)) (\(answer.method.rawValue))"
            if let quote = answer.quote { out += ": \u{201C}\(md(quote))\u{201D}" }
            out += "\n"
        }
        for reason in person.reasons {
            out += "   - \(md(reason.description))"
            if let quote = reason.quote { out += ": \u{201C}\(md(quote))\u{201D}" }
            out += "\n"
        }
        return out
    }

    /// Untrusted text made inert in Markdown: one line, invisible characters shown, and every
    /// character that could start emphasis, code, a link, an image, HTML or a table cell
    /// backslash-escaped. Block markers (`#`, `-`, `1.`) need no escape: this text never starts a line.
    static func md(_ text: String) -> String {
        var out = ""
        for c in TerminalSafe.clean(text.replacingLineBreaks()) {
            if "\\`*_[]<>|~&".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

/// The reply-to list as one self-contained HTML page: no scripts, no network, readable on a phone.
public enum ReplyHTMLRenderer {
    public static func render(_ report: ReplyReport, title: String = "Reply list") -> String {
        head(ReplyTotals(report), title: title) + report.posts.map(post).joined() + tail(report.warnings)
    }

    /// The page up to the first post, with the summary from the totals of all the report's posts.
    public static func head(_ totals: ReplyTotals, title: String = "Reply list") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(html(title))</title>
        <style>
        body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#222;background:#fff}
        h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
        ol{padding-left:1.4rem}li{margin:.8rem 0}blockquote{margin:.3rem 0;padding-left:.7rem;border-left:3px solid #ccc;color:#555}
        .waiting{color:#a15c00;font-weight:600}.answered{color:#2b7a2b}.meta{color:#666;font-size:.9rem}
        .warn{background:#fff4f4;border:1px solid #e8b4b4;padding:.5rem .8rem}
        a{color:#1a5fb4;word-break:break-all}
        </style>
        </head>
        <body>
        <h1>\(html(title))</h1>
        <p>\(html(ReplySummary.line(totals)))</p>

        """
    }

    /// One post's section.
    public static func post(_ plan: PostReplyPlan) -> String {
        var out = "<section>\n<h2>" + html(plan.displayTitle) + "</h2>\n"
        if let url = plan.post.url.flatMap(ReplyLinks.safeURL) {
            out += "<p class=\"meta\"><a href=\"\(html(url))\">\(html(url))</a></p>\n"
        }
        if plan.people.isEmpty && plan.held.isEmpty && plan.thanks.isEmpty { out += "<p>Nobody to answer.</p>\n" }
        if !plan.people.isEmpty {
            out += "<ol>\n" + plan.people.map(render).joined() + "</ol>\n"
        }
        if !plan.held.isEmpty {
            out +=
                "<h3>Check these first (held for review or showing spam signs)</h3>\n<ol>\n"
                + plan.held.map(render).joined() + "</ol>\n"
        }
        if !plan.thanks.isEmpty {
            out += "<h3>Thank for linking</h3>\n<ul>\n"
            for link in plan.thanks {
                if let url = link.url.flatMap(ReplyLinks.safeURL) {
                    out += "<li><a href=\"\(html(url))\">\(html(link.title))</a></li>\n"
                } else {
                    out += "<li>\(html(link.title))</li>\n"
                }
            }
            out += "</ul>\n"
        }
        out += "</section>\n"
        return out
    }

    /// The warnings and the end of the page.
    public static func tail(_ warnings: [ReplyWarning]) -> String {
        var out = ""
        if !warnings.isEmpty {
            out += "<section class=\"warn\">\n<h2>Warnings</h2>\n<ul>\n"
            for warning in warnings {
                let post = warning.postTitle ?? warning.postID.map { "post \($0)" }
                out += "<li>" + (post.map { "<strong>\(html($0))</strong>: " } ?? "") + html(warning.message)
                if let quote = warning.quote { out += "<blockquote>\(html(quote))</blockquote>" }
                out += "</li>\n"
            }
            out += "</ul>\n</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    private static func render(_ person: ReplyCandidate) -> String {
        var out = "<li value=\"\(person.rank)\"><strong>"
        if let contact = person.contact.flatMap(ReplyLinks.safeURL) {
            out += "<a href=\"\(html(contact))\">\(html(person.author))</a>"
        } else {
            out += html(person.author)
        }
        out += "</strong> <span class=\"\(person.status.rawValue)\">\(person.status.rawValue)</span>"
        out += "<br><span class=\"meta\">" + (person.date.map { html($0) + " \u{00B7} " } ?? "")
        out += "comment " + person.commentIDs.map { "#" + html($0) }.joined(separator: ", ") + "</span>"
        out += "<blockquote>\(html(person.excerpt))</blockquote>"
        var items: [String] = []
        if let answer = person.answeredBy {
            items.append(
                "answered by #\(html(answer.commentID)) (\(answer.method.rawValue))"
                    + (answer.quote.map { ": \u{201C}\(html($0))\u{201D}" } ?? ""))
        }
        for reason in person.reasons {
            items.append(html(reason.description) + (reason.quote.map { ": \u{201C}\(html($0))\u{201D}" } ?? ""))
        }
        if !items.isEmpty { out += "<ul>" + items.map { "<li>\($0)</li>" }.joined() + "</ul>" }
        return out + "</li>\n"
    }

    /// Text escaped for HTML content and attribute values; invisible characters shown.
    static func html(_ text: String) -> String {
        var out = ""
        for c in TerminalSafe.clean(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}

/// The reply-to list as JSON Lines: one object per person per post, in rank order
/// (people first, then held), keys sorted.
public enum ReplyJSONLRenderer {
    public static func render(_ report: ReplyReport) -> String {
        report.posts.map(post).joined()
    }

    /// One post's people, one line each.
    public static func post(_ plan: PostReplyPlan) -> String {
        var out = ""
        for (list, people) in [("people", plan.people), ("held", plan.held)] {
            for person in people { out += object(person, list: list, post: plan.post) + "\n" }
        }
        return out
    }

    private static func object(_ person: ReplyCandidate, list: String, post: Post) -> String {
        var fields: [(String, String)] = [
            ("author", json(person.author)),
            ("comment_ids", "[" + person.commentIDs.map(json).joined(separator: ",") + "]"),
            ("excerpt", json(person.excerpt)),
            ("list", json(list)),
            ("post_id", post.id.map(json) ?? "null"),
            ("post_title", post.title.map(json) ?? "null"),
            ("rank", String(person.rank)),
            (
                "reasons",
                "["
                    + person.reasons.map { reason in
                        "{\"description\":\(json(reason.description)),\"id\":\(json(reason.id)),"
                            + "\"quote\":\(reason.quote.map(json) ?? "null"),\"weight\":\(number(reason.weight))}"
                    }.joined(separator: ",") + "]"
            ),
            ("status", json(person.status.rawValue)),
        ]
        fields.append(("contact", person.contact.map(json) ?? "null"))
        fields.append(("date", person.date.map(json) ?? "null"))
        fields.append(("answered_comment_ids", "[" + person.answeredCommentIDs.map(json).joined(separator: ",") + "]"))
        if let answer = person.answeredBy {
            fields.append(
                (
                    "answered_by",
                    "{\"comment_id\":\(json(answer.commentID)),\"method\":\(json(answer.method.rawValue)),"
                        + "\"quote\":\(answer.quote.map(json) ?? "null")}"
                ))
        } else {
            fields.append(("answered_by", "null"))
        }
        fields.sort { $0.0 < $1.0 }
        return "{" + fields.map { "\(json($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal. Line and paragraph separators are escaped too, so the output is
    /// also valid JavaScript.
    static func json(_ text: String) -> String { JSONString.literal(text) }

    /// A number without a trailing `.0` for whole values.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

/// The reply-to list as CSV, one row per person per post, safe to open in a spreadsheet.
public enum ReplyCSVRenderer {
    public static let header = [
        "post_id", "post_title", "list", "rank", "status", "author", "contact", "date", "comment_ids", "reasons",
        "answered_by", "excerpt",
    ]

    public static func render(_ report: ReplyReport) -> String {
        header.joined(separator: ",") + "\n" + report.posts.map(post).joined()
    }

    /// One post's rows.
    public static func post(_ plan: PostReplyPlan) -> String {
        var out = ""
        for (list, people) in [("people", plan.people), ("held", plan.held)] {
            for person in people {
                let row = [
                    plan.post.id ?? "", plan.post.title ?? "", list, String(person.rank), person.status.rawValue,
                    person.author, person.contact ?? "", person.date ?? "",
                    person.commentIDs.joined(separator: " "),
                    person.reasons.map(\.id).joined(separator: " "),
                    person.answeredBy.map { "\($0.commentID) (\($0.method.rawValue))" } ?? "", person.excerpt,
                ]
                out += row.map(cell).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// One CSV cell: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` so spreadsheets
    /// read it as text, not a formula; control, bidi and invisible characters are shown as marks;
    /// cells with commas, quotes or line breaks are quoted.
    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        value = TerminalSafe.clean(value)
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
        }
        return value
    }
}

/// The one-line summary all renderers open with.
enum ReplySummary {
    static func line(_ totals: ReplyTotals) -> String {
        var parts = [
            plural(totals.posts, "post"), "\(totals.waiting) waiting", "\(totals.answered) answered",
        ]
        if totals.held > 0 { parts.append("\(totals.held) held") }
        if totals.thanks > 0 { parts.append(plural(totals.thanks, "site") + " to thank") }
        if totals.warnings > 0 { parts.append(plural(totals.warnings, "warning")) }
        let line = parts.joined(separator: ", ")
        return totals.ruleFailures.summary.map { line + "; " + $0 } ?? line
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

/// Links built from untrusted addresses.
enum ReplyLinks {
    /// `url` when it is an http(s) or mailto address with no spaces or control characters; with
    /// characters that would end a Markdown link target percent-encoded. Nil otherwise
    /// (`javascript:` and the like are never links).
    static func safeURL(_ url: String) -> String? {
        let trimmed = url.trimmingSpaces()
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") else {
            return nil
        }
        guard
            !trimmed.unicodeScalars.contains(where: {
                $0.value <= 0x20 || $0.value == 0x7F || TerminalSafe.needsMark($0)
            })
        else { return nil }
        var out = ""
        for c in trimmed {
            switch c {
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            case "\"": out += "%22"
            case "'": out += "%27"
            case "`": out += "%60"
            case "\\": out += "%5C"
            default: out.append(c)
            }
        }
        return out
    }
}

extension String {
    /// Line breaks of any kind as single spaces.
    fileprivate func replacingLineBreaks() -> String {
        guard contains(where: \.isNewline) else { return self }
        return split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    fileprivate func trimmingSpaces() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }

    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}

/// What the summary line counts, added up a post at a time so a report written as it is planned
/// can open with it.
public struct ReplyTotals: Sendable, Hashable {
    public var posts = 0
    public var waiting = 0
    public var answered = 0
    public var held = 0
    public var thanks = 0
    public var warnings = 0
    public var ruleFailures = RuleFailureTally()

    public init() {}

    /// The totals of all of `report`.
    public init(_ report: ReplyReport) {
        for plan in report.posts { add(plan) }
        warnings = report.warnings.count
        ruleFailures = report.ruleFailures
    }

    /// Counts one post's plan (not its warnings or rule failures, which the report keeps).
    public mutating func add(_ plan: PostReplyPlan) {
        posts += 1
        waiting += plan.people.count { $0.status == .waiting }
        answered += plan.people.count { $0.status == .answered }
        held += plan.held.count
        thanks += plan.thanks.count
    }
}

/// A reply-list format, rendered whole (`render`) or a piece at a time: `head` (from the totals
/// of every post), each post's section, then `tail` (the warnings). The pieces joined are the
/// whole rendering, byte for byte.
public enum ReplyDocument: Sendable, Hashable {
    case table(useColor: Bool)
    case markdown, html, jsonl, csv

    /// The whole report.
    public func render(_ report: ReplyReport) -> String {
        head(ReplyTotals(report)) + report.posts.map(post).joined() + tail(report.warnings)
    }

    /// Whether `head` says what the posts hold, so it can only be written after them.
    public var headCountsPosts: Bool {
        switch self {
        case .table, .markdown, .html: true
        case .jsonl, .csv: false
        }
    }

    public func head(_ totals: ReplyTotals) -> String {
        switch self {
        case .table(let useColor): ReplyTextRenderer.head(totals, useColor: useColor)
        case .markdown: ReplyMarkdownRenderer.head(totals)
        case .html: ReplyHTMLRenderer.head(totals)
        case .jsonl: ""
        case .csv: ReplyCSVRenderer.header.joined(separator: ",") + "\n"
        }
    }

    public func post(_ plan: PostReplyPlan) -> String {
        switch self {
        case .table(let useColor): ReplyTextRenderer.post(plan, useColor: useColor)
        case .markdown: ReplyMarkdownRenderer.post(plan)
        case .html: ReplyHTMLRenderer.post(plan)
        case .jsonl: ReplyJSONLRenderer.post(plan)
        case .csv: ReplyCSVRenderer.post(plan)
        }
    }

    public func tail(_ warnings: [ReplyWarning]) -> String {
        switch self {
        case .table(let useColor): ReplyTextRenderer.tail(warnings, useColor: useColor)
        case .markdown: ReplyMarkdownRenderer.tail(warnings)
        case .html: ReplyHTMLRenderer.tail(warnings)
        case .jsonl, .csv: ""
        }
    }
}
