import HandraiserModel

/// The line Typepad and Movable Type put *after* a comment: `Posted by: Jane Roe | March 04,
/// 2010 at 09:12 AM`, `Posted by Jane Roe at March 4, 2010 9:12 AM`, `Posted by: [Jane](url) |`.
struct DumpTrailer {
    var name: String
    var url: String?
    var date: String?
}

enum DumpTrailers {
    /// The trailer a line is, if it is one.
    ///
    /// The `Posted by` marker is explicit, so the name may be lower case (`essay writing service`),
    /// as keyword names of spam often are.
    static func parse(_ body: Substring) -> DumpTrailer? {
        guard body.utf8.count <= 240, let first = body.utf8.first, first | 0x20 == UInt8(ascii: "p") else {
            return nil
        }
        let marker = "posted by"
        guard body.prefix(marker.count).lowercased() == marker else { return nil }
        var rest = body.dropFirst(marker.count)
        guard let next = rest.first, next == ":" || next == " " else { return nil }
        rest = rest.drop(while: { $0 == ":" || $0 == " " })
        var url: String?
        var name: Substring
        var after: Substring
        if let link = DumpMarkdown.leadingLink(rest), !link.isImage {
            name = link.text
            url = String(link.url)
            after = link.rest
        } else {
            name = rest
            after = ""
            // The earliest separator ends the name: `Jane at 09:00 AM in Notes | Permalink`.
            let ranges = ["|", " at ", " on ", " • ", " · "].compactMap { rest.range(of: $0) }
            if let range = ranges.min(by: { $0.lowerBound < $1.lowerBound }) {
                name = rest[..<range.lowerBound]
                after = rest[range.upperBound...]
            }
        }
        let cleanName = name.trimmingDumpPunctuation
        guard !cleanName.isEmpty, DumpNames.isNameLike(cleanName, strict: false) else { return nil }
        var date = after.trimmingCharacters(inLineSet: " |•·:")
        for prefix in ["at ", "on "] where date.lowercased().hasPrefix(prefix) {
            date = String(date.dropFirst(prefix.count))
        }
        if !date.isEmpty, !DumpDates.isDate(date) {
            // `Posted by: Jane | Reply` and the like: the name is still the name.
            date = ""
        }
        return DumpTrailer(name: cleanName, url: url, date: date.isEmpty ? nil : date)
    }
}

extension DumpParser {
    /// Comments signed below their text, one `Posted by:` line each, when the comment section's
    /// header has at least two such lines under it: `nil` for every other layout.
    ///
    /// Each comment is the text between the header (or the signature before it) and its own
    /// signature; text after the last signature, up to a footer, is not signed and is pointed out
    /// in a note. A signature above the header is the post's own footer (`Posted by Jane at
    /// 09:12 AM in Notebooks | Permalink`).
    func signedComments(from bodyStart: Int) -> SignedComments? {
        guard
            let header = (bodyStart..<lines.count).first(where: { kinds[$0].isHeader })
        else { return nil }
        var signatures: [(line: Int, trailer: DumpTrailer)] = []
        for index in header + 1..<lines.count where !lines[index].isBlank {
            if let trailer = DumpTrailers.parse(lines[index].body) { signatures.append((index, trailer)) }
        }
        guard signatures.count >= 2, let first = signatures.first else { return nil }

        // Signed below: text comes between the header and the first signature. Where a signature
        // is the first thing under the header, it opens its comment and the other readers apply;
        // without a header the same lines could be either, and they read them as opening lines.
        guard (header + 1..<first.line).contains(where: { !lines[$0].isBlank && !kinds[$0].isChrome })
        else { return nil }
        var start = header + 1

        var notes: [InputNote] = []
        var comments: [Comment] = []
        func add(_ range: Range<Int>, _ trailer: DumpTrailer) {
            var contentLines: [Substring] = []
            var firstLine: Int?
            for index in range {
                if kinds[index].isChrome { continue }
                if firstLine == nil, lines[index].isBlank { continue }
                firstLine = firstLine ?? index
                contentLines.append(lines[index].body)
            }
            while contentLines.last?.isEmpty == true { contentLines.removeLast() }
            guard let firstLine else { return }
            comments.append(
                Comment(
                    id: "\(comments.count + 1)", parentID: nil, author: trailer.name, authorURL: trailer.url,
                    date: trailer.date, type: .comment, content: contentLines.joined(separator: "\n"),
                    text: DumpText.unwrap(contentLines), location: location(firstLine)))
        }
        for signature in signatures {
            add(start..<signature.line, signature.trailer)
            start = signature.line + 1
        }
        // What follows the last signature up to a footer is the comment form's furniture
        // (`Verify your Comment`) or an unsigned comment: not taken for one, but pointed out.
        if let leftover = (start..<lines.count).prefix(while: { !kinds[$0].isFooter }).first(where: {
            !lines[$0].isBlank
        }) {
            notes.append(
                InputNote(
                    severity: .info, code: "unsigned-text",
                    message: "text after the last “Posted by” line has no signature and was not read as a comment",
                    location: location(leftover)))
        }
        // The post's own footer closes its text.
        let footer = (bodyStart..<header).last { DumpTrailers.parse(lines[$0].body) != nil }
        return SignedComments(
            bodyEnd: footer ?? header, headerLine: header,
            postAuthor: footer.flatMap { DumpTrailers.parse(lines[$0].body)?.name }, comments: comments, notes: notes)
    }

    struct SignedComments {
        /// Where the post's text ends: its own `Posted by` footer, or the section header.
        var bodyEnd: Int
        var headerLine: Int?
        /// The name in the post's own `Posted by` footer.
        var postAuthor: String?
        var comments: [Comment]
        var notes: [InputNote]
    }
}
