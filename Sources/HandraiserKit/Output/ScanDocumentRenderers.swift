import HandraiserModel

/// `scan --output csv`: one row per comment with its verdict and reasons.
public struct ScanCSVRenderer: ScanReportWriter {
    public init() {}

    public func begin() -> String {
        CSVText.row([
            "source", "post_id", "post_title", "id", "parent_id", "author", "author_email", "author_url", "date",
            "type", "status", "verdict", "score", "reasons", "text",
        ])
    }

    public func unreadable(_ location: SourceLocation, message: String) -> String { "" }

    public func end(_ tally: ScanTally) -> String { "" }

    public func thread(_ thread: ClassifiedThread, source: String) -> String {
        var out = ""
        for item in thread.comments {
            let c = item.comment
            let reasons = item.verdict.reasons.map { "\($0.id) \(JSONText.number($0.score))" }.joined(separator: "; ")
            out += CSVText.row([
                source, c.postID ?? thread.post.id ?? "", thread.post.title ?? "", c.id, c.parentID ?? "",
                c.author ?? "", c.authorEmail ?? "", c.authorURL ?? "", c.date ?? "", c.type.rawValue,
                c.status?.rawValue ?? "", item.verdict.kind.rawValue, JSONText.number(item.verdict.score), reasons,
                c.text,
            ])
        }
        return out
    }
}

/// `scan --output markdown`: a section per post, a table of comments, reasons for spam and held.
public struct ScanMarkdownRenderer: ScanReportWriter {
    public init() {}

    public func begin() -> String { "# Handraiser scan\n" }

    public func unreadable(_ location: SourceLocation, message: String) -> String {
        "\n> unreadable: \(Self.markdown(location.description)): \(Self.markdown(message))\n"
    }

    public func end(_ tally: ScanTally) -> String { "\n\(tally.summaryLine)\n" }

    public func thread(_ thread: ClassifiedThread, source: String) -> String {
        let markdown = Self.markdown
        let excerpt = Self.excerpt
        var out = ""
        // A thread handed over in parts (`Thread.part`) is one section, headed by its first part.
        if thread.thread.isFirstPart {
            out += "\n## \(markdown(thread.post.title ?? "(untitled post)"))\n\n"
            out += "_\(markdown(source))_\n\n"
            for note in thread.thread.notes { out += "> \(note.severity.rawValue): \(markdown(note.message))\n\n" }
            guard !thread.comments.isEmpty else { return out + "No comments.\n" }
            out += "| # | verdict | score | author | comment | why |\n|---|---|---:|---|---|---|\n"
        }
        for item in thread.comments {
            let why = item.verdict.reasons.filter { $0.score != 0 }.map { reason in
                "\(reason.id) (\(JSONText.number(reason.score)))"
                    + (reason.evidence.map { ": “\(markdown(excerpt($0.excerpt, 60)))”" } ?? "")
            }.joined(separator: "; ")
            out +=
                "| \(markdown(item.comment.id)) | \(item.verdict.kind.rawValue) | \(JSONText.number(item.verdict.score)) | "
                + "\(markdown(item.comment.author ?? "—")) | \(markdown(excerpt(item.comment.text, 140))) | \(why) |\n"
        }
        return out
    }

    /// Escapes what Markdown would interpret, and keeps table cells on one line.
    static func markdown(_ text: String) -> String {
        var out = ""
        for character in TerminalSafe.clean(text) {
            switch character {
            case "\n", "\r": out += " "
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }

    static func excerpt(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}

/// `scan --output html`: one self-contained page (no scripts, no network), readable on a phone.
public struct ScanHTMLRenderer: ScanReportWriter {
    public init() {}

    public func begin() -> String { HTMLPage.head(title: "Handraiser scan") + "<h1>Handraiser scan</h1>\n" }

    public func unreadable(_ location: SourceLocation, message: String) -> String {
        "<p class=\"note warning\">unreadable: \(HTMLText.escape(location.description)): \(HTMLText.escape(message))</p>\n"
    }

    public func end(_ tally: ScanTally) -> String {
        "<p class=\"summary\">\(HTMLText.escape(tally.summaryLine))</p>\n" + HTMLPage.tail
    }

    public func thread(_ thread: ClassifiedThread, source: String) -> String {
        var body = ""
        // A thread handed over in parts (`Thread.part`) is one section: opened by the first part,
        // closed by the last.
        if thread.thread.isFirstPart {
            body += "<section>\n<h2>\(HTMLText.escape(thread.post.title ?? "(untitled post)"))</h2>\n"
            body += "<p class=\"source\">\(HTMLText.escape(source))</p>\n"
            for note in thread.thread.notes {
                body += "<p class=\"note \(note.severity.rawValue)\">\(HTMLText.escape(note.message))</p>\n"
            }
        }
        for item in thread.comments {
            let c = item.comment
            body += "<article class=\"comment \(item.verdict.kind.rawValue)\">\n"
            body += "<header><span class=\"id\">#\(HTMLText.escape(c.id))</span> "
            body += "<span class=\"verdict\">\(item.verdict.kind.rawValue)</span> "
            body += "<span class=\"score\">\(JSONText.number(item.verdict.score))</span> "
            body += "<span class=\"author\">\(HTMLText.escape(c.author ?? "—"))</span>"
            if let date = c.date { body += " <time>\(HTMLText.escape(date))</time>" }
            body += "</header>\n<p class=\"text\">\(HTMLText.escape(c.text))</p>\n"
            let reasons = item.verdict.reasons.filter { $0.score != 0 }
            if !reasons.isEmpty {
                body += "<ul class=\"reasons\">\n"
                for reason in reasons {
                    body +=
                        "<li><code>\(HTMLText.escape(reason.id))</code> \(JSONText.number(reason.score)) — \(HTMLText.escape(reason.description))"
                    if let evidence = reason.evidence { body += ": <q>\(HTMLText.escape(evidence.excerpt))</q>" }
                    body += "</li>\n"
                }
                body += "</ul>\n"
            }
            body += "</article>\n"
        }
        if thread.thread.isLastPart { body += "</section>\n" }
        return body
    }
}

/// The page shell every HTML report shares: inline CSS, a strict CSP, no scripts.
public enum HTMLPage {
    public static func wrap(title: String, body: String) -> String {
        head(title: title) + body + tail
    }

    public static let tail = "</body>\n</html>\n"

    public static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(HTMLText.escape(title))</title>
        <style>
        body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#222;background:#fff}
        h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
        article{border-left:4px solid #999;padding:.3rem .8rem;margin:.8rem 0;overflow-wrap:anywhere}
        article.spam{border-color:#c62828;opacity:.8}article.held{border-color:#f9a825}
        article.genuine{border-color:#2e7d32}article.author{border-color:#1565c0}article.pingback{border-color:#6a1b9a}
        header span{margin-right:.4rem}.verdict{font-weight:600;text-transform:uppercase;font-size:.8rem}
        .source,.note,time,.score{color:#666;font-size:.9rem}.text{white-space:pre-wrap;margin:.3rem 0}
        ul.reasons{font-size:.9rem;color:#444;padding-left:1.2rem}code{font-size:.85rem}
        </style>
        </head>
        <body>

        """
    }
}
