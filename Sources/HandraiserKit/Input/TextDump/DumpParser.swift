import HandraiserModel

/// Reads the structure of a pasted blog page: the post (title, byline, body), the comment
/// section's header, and the entries below it.
///
/// Every line is first classified on its own (`DumpClassifier`); the parser then decides in
/// context, because the same line (`Becky Carroll`, `March 3, 2009`) means different things in
/// different places.
struct DumpParser {
    let lines: [DumpLine]
    let kinds: [DumpLineKind]
    let file: String
    private(set) var notes: [InputNote] = []

    init(lines: [DumpLine], file: String) {
        self.lines = lines
        self.file = file
        self.kinds = Self.namesBeforeDates(lines, lines.map { DumpClassifier.classify($0.body) })
    }

    /// Takes a lower-case line such as `crypto signals daily` for a name when a date line follows
    /// it, in a dump whose other entries already open with a name line and then a date.
    ///
    /// Alone on a line, a name must be capitalised (`mary jones` could be a short comment), so
    /// keyword names of spam, which are often lower case, would otherwise be read as text and
    /// glued to the comment before. The layout seen elsewhere in the same page is what allows it:
    /// where no entry opens with a name and a date (Blogger puts the date after the text), a
    /// short last line before a date is left as text.
    static func namesBeforeDates(_ lines: [DumpLine], _ kinds: [DumpLineKind]) -> [DumpLineKind] {
        func dateFollows(_ index: Int) -> Bool { index + 1 < kinds.count && kinds[index + 1].isDate }
        func opensBlock(_ index: Int) -> Bool { index == 0 || lines[index - 1].isBlank }
        // A handle such as `anna_k` or `ben.t` is no sentence's last line, so it shows the layout too.
        func isMarkedHandle(_ body: Substring) -> Bool {
            body.utf8.count <= 30 && !body.contains(" ")
                && body.contains(where: { $0 == "_" || $0 == "." || $0.isNumber })
                && body.last.map { $0.isLetter || $0.isNumber } == true && DumpNames.isNameLike(body, strict: false)
        }
        var established = 0
        for index in kinds.indices where opensBlock(index) && dateFollows(index) {
            switch kinds[index] {
            case .name: established += 1
            case .text where isMarkedHandle(lines[index].body): established += 1
            default: break
            }
        }
        guard established >= 2 else { return kinds }
        var result = kinds
        for index in kinds.indices where opensBlock(index) && dateFollows(index) {
            guard case .text = kinds[index] else { continue }
            let body = lines[index].body
            guard body.utf8.count <= 40, body.split(separator: " ").count <= 4,
                DumpNames.isNameLike(body, strict: false)
            else { continue }
            result[index] = .name(String(body), url: nil)
        }
        return result
    }

    struct Result {
        var post: Post
        var comments: [Comment]
        var promisedCommentCount: Int?
        /// The line of the section header, for notes about the count.
        var headerLine: Int?
    }

    func location(_ index: Int) -> SourceLocation {
        SourceLocation(file: file, line: lines[index].number, byteOffset: lines[index].byteOffset)
    }

    mutating func parse() -> Result {
        guard let titleIndex = titleLine() else {
            return Result(post: Post(), comments: [])
        }
        var post = Post(title: String(stripHeading(lines[titleIndex].body)))
        let head = postHead(after: titleIndex)
        post.byline = head.byline
        post.author = head.author
        post.date = head.date

        let notesBefore = notes.count
        var result = sectionResult(post: post, head: head)
        // Typepad and Movable Type sign comments below their text; read as opening lines, each
        // signature would give its name to the next comment's text.
        if let signed = signedComments(from: head.bodyStart) {
            notes.removeSubrange(notesBefore...)
            notes += signed.notes
            result.post.text = bodyText(head.bodyStart, signed.bodyEnd)
            if result.post.author == nil { result.post.author = signed.postAuthor }
            result.comments = signed.comments
            result.headerLine = signed.headerLine
            let header = signed.headerLine.flatMap { index -> DumpHeader? in
                guard case .header(let header) = kinds[index] else { return nil }
                return header
            }
            result.promisedCommentCount = header?.count ?? head.commentCount.flatMap { $0 > 0 ? $0 : nil }
        }
        return result
    }

    private func bodyText(_ start: Int, _ end: Int) -> String? {
        let text = DumpText.unwrap(lines[min(start, end)..<end].map { Substring($0.body) })
        return text.isEmpty ? nil : text
    }

    private mutating func sectionResult(post: Post, head: PostHead) -> Result {
        var post = post
        let section = sectionStart(from: head.bodyStart)
        post.text = bodyText(head.bodyStart, section?.headerIndex ?? section?.firstLine ?? lines.count)

        guard let section else {
            var result = Result(post: post, comments: [])
            if let count = head.commentCount, count > 0 { result.promisedCommentCount = count }
            return result
        }
        if section.guessed {
            notes.append(
                InputNote(
                    severity: .info, code: "comment-section-guessed",
                    message: "no comment-section header; the comments are taken to start here",
                    location: location(section.firstLine)))
        }
        let entries = segment(section)
        var comments: [Comment] = []
        var lastIDByAuthor: [String: String] = [:]
        for entry in entries {
            guard let comment = build(entry, lastIDByAuthor: lastIDByAuthor) else { continue }
            if let author = comment.author { lastIDByAuthor[DumpNames.key(author)] = comment.id }
            comments.append(comment)
        }
        return Result(
            post: post, comments: comments,
            promisedCommentCount: section.header?.count ?? head.commentCount.flatMap { $0 > 0 ? $0 : nil },
            headerLine: section.headerIndex)
    }

    // MARK: The post

    /// The first non-blank line that is not page furniture such as `Skip to content`.
    private func titleLine() -> Int? {
        for (i, line) in lines.enumerated() where !line.isBlank {
            let lower = line.body.lowercased()
            if ["skip to content", "skip to main content", "menu", "main menu", "search", "home"].contains(lower) {
                continue
            }
            return i
        }
        return nil
    }

    private func stripHeading(_ s: Substring) -> Substring {
        var t = s
        while t.first == "#" { t = t.dropFirst() }
        return DumpText.trimmed(t)
    }

    struct PostHead {
        var byline: String?
        var author: String?
        var date: String?
        /// `| 3 comments` in the byline.
        var commentCount: Int?
        var bodyStart: Int
    }

    /// The byline and date lines just under the title.
    private func postHead(after title: Int) -> PostHead {
        var head = PostHead(bodyStart: title + 1)
        var i = title + 1
        var seen = 0
        while i < lines.count, seen < 5 {
            let line = lines[i]
            if line.isBlank {
                i += 1
                continue
            }
            guard line.body.utf8.count <= 200, isMeta(line.body) else { break }
            seen += 1
            let text = DumpMarkdown.unwrapLinks(line.body)
            if head.byline == nil && !DumpDates.isDate(text) { head.byline = text }
            if head.author == nil { head.author = bylineAuthor(text) }
            if head.date == nil { head.date = DumpDates.firstDate(in: text) }
            if head.commentCount == nil { head.commentCount = bylineCount(text) }
            if head.byline == nil, head.date != nil { head.byline = text }
            i += 1
            head.bodyStart = i
        }
        return head
    }

    private func isMeta(_ body: Substring) -> Bool {
        let lower = DumpMarkdown.unwrapLinks(body).lowercased()
        let prefixes = [
            "by ", "by:", "by|", "posted ", "published ", "written by", "author:", "filed under", "categories:",
            "category:", "tags:", "tagged:", "updated ", "last updated", "posted:", "date:",
            // WordPress's `Posted on %s by %s` in its most used translations.
            "veröffentlicht ", "von ", "publié ", "par ", "publicado ", "por ", "pubblicato ", "da ",
            "geplaatst ", "door ",
        ]
        if lower == "by" || prefixes.contains(where: lower.hasPrefix) { return true }
        if DumpDates.isDate(lower) { return true }
        if DumpBytes.contains(lower, "min read") { return true }
        if lower.contains("|") || lower.contains("·") || lower.contains("•") {
            return DumpDates.firstDate(in: lower) != nil || DumpBytes.contains(lower, "comment")
                || DumpBytes.contains(lower, "by ")
        }
        if let header = DumpClassifier.header(lower), header.count != nil { return true }
        return false
    }

    /// `by Jane Doe | …`, `Posted on March 3, 2009 by Jane`, `Author: Jane`, `Jane Doe · Mar 3 · 5 min read`.
    private func bylineAuthor(_ text: String) -> String? {
        let lower = text.lowercased()
        let chars = Array(text)
        guard chars.count == lower.count else { return nil }
        var candidates: [Int] = []
        for word in ["by", "von", "par", "por", "da", "door"] {
            var search = lower.startIndex
            while let range = lower[search...].firstRange(of: word) {
                let start = range.lowerBound
                let before = start == lower.startIndex ? " " : lower[lower.index(before: start)]
                let after = range.upperBound == lower.endIndex ? " " : lower[range.upperBound]
                if !before.isLetter && !after.isLetter {
                    candidates.append(lower.distance(from: lower.startIndex, to: range.upperBound))
                }
                search = range.upperBound
            }
        }
        candidates.sort()
        if lower.hasPrefix("author:") { candidates.append(7) }
        for offset in candidates {
            var name = String(chars[offset...]).drop(while: { $0 == ":" || $0 == " " })
            for stop in [
                "|", "·", "•", " on ", " in ", " - ", " – ", " — ", ",", " at ", " / ", " am ", " le ", " el ", " il ",
                " em ", " op ",
            ] {
                if let range = name.firstRange(of: stop) { name = name[..<range.lowerBound] }
            }
            // `by Jane Doe March 3, 2009`: cut where a date starts.
            let tokens = DumpDates.tokens(name)
            if let k = tokens.indices.first(where: { $0 > 0 && DumpDates.match(tokens, at: $0) != nil }) {
                name = name.prefix(tokens[k].start)
            }
            let candidate = String(name).trimmingDumpPunctuation
            if !candidate.isEmpty, DumpNames.isNameLike(candidate, strict: false) { return candidate }
        }
        // `Jane Doe · Mar 3, 2019 · 5 min read`
        if let first = text.split(whereSeparator: { "|·•".contains($0) }).first, first.count < text.count {
            let candidate = first.trimmingDumpPunctuation
            if DumpNames.isNameLike(candidate, strict: true), !DumpDates.isDate(candidate) { return candidate }
        }
        return nil
    }

    /// `3 comments` / `No Comments` / `one response` inside a byline.
    private func bylineCount(_ text: String) -> Int? {
        for part in text.split(whereSeparator: { "|·•".contains($0) }) {
            if let header = DumpClassifier.header(part.lowercased()), let count = header.count { return count }
        }
        return nil
    }

    // MARK: The comment section

    struct Section {
        var headerIndex: Int?
        var header: DumpHeader?
        var firstLine: Int
        var guessed: Bool
    }

    /// Where the comments start: the first header line, or, failing one, the first run of author lines.
    private func sectionStart(from start: Int) -> Section? {
        guard start < lines.count else { return nil }
        for i in start..<lines.count {
            guard case .header(let header) = kinds[i] else { continue }
            if header.isBare && !entriesFollow(i) { continue }
            if header.isReplyCount, let entry = datedEntry(in: start..<i) {
                // A thread's `2 Replies` under a comment that already opened the section.
                return Section(headerIndex: nil, header: nil, firstLine: entry, guessed: true)
            }
            return Section(headerIndex: i, header: header, firstLine: i + 1, guessed: false)
        }
        // No header: comments still show by their author lines (`Jane says:` … `Reply`).
        var authorLines: [Int] = []
        var sawReply = false
        for i in start..<lines.count {
            switch kinds[i] {
            case .author(let a) where a.kind != .link && !a.isLoose: authorLines.append(i)
            case .chrome(terminator: true): if !authorLines.isEmpty { sawReply = true }
            default: break
            }
        }
        if let first = authorLines.first, authorLines.count >= 2 || sawReply {
            return Section(headerIndex: nil, header: nil, firstLine: first, guessed: true)
        }
        return nil
    }

    /// The first line in `range` that opens a comment with its author and date: `Jane says:` with
    /// a date, or a name line with a date line under it.
    private func datedEntry(in range: Range<Int>) -> Int? {
        range.first { i in
            switch kinds[i] {
            case .author(let a): return a.kind != .link && !a.isLoose && !a.isTrackbackOrPingback && a.date != nil
            case .name:
                guard let next = nextSignificant(after: i, limit: 1) else { return false }
                return isDate(next)
            default: return false
            }
        }
    }

    /// Whether comment entries follow a bare header such as `Comments` within a few lines.
    private func entriesFollow(_ index: Int) -> Bool {
        var seen = 0
        var i = index + 1
        while i < lines.count, seen < 12 {
            defer { i += 1 }
            if lines[i].isBlank { continue }
            seen += 1
            switch kinds[i] {
            case .numbered(1, _), .author: return true
            case .name:
                if let next = nextSignificant(after: i), isDate(next) || isBodyText(next) { return true }
            default: continue
            }
        }
        return false
    }

    private func nextSignificant(after index: Int, limit: Int = 3) -> Int? {
        var i = index + 1
        var blanks = 0
        while i < lines.count {
            switch kinds[i] {
            case .blank:
                blanks += 1
                if blanks > limit { return nil }
            case .badge: break
            default: return i
            }
            i += 1
        }
        return nil
    }

    private func isDate(_ index: Int) -> Bool { kinds[index].isDate }

    // MARK: Entries

    struct RawEntry {
        var id: String
        var parentID: String?
        var start: Int
        var indent: Int
        var lines: [Int] = []
        /// For numbered entries, the text after the number.
        var firstRest: Substring?
        var defaultType: CommentType
        var hasBody = false
        var authorName: String?
        var startedByName = false
        /// Opened by a `Pingback:` or `Trackback:` line.
        var isPingback = false
        /// Holds a `[…]` excerpt line.
        var hasExcerpt = false
    }

    /// Splits the comment section into entries.
    private mutating func segment(_ section: Section) -> [RawEntry] {
        var entries: [RawEntry] = []
        var current: RawEntry?
        var defaultType: CommentType = section.header?.isPingbackList == true ? .pingback : .comment
        var idPrefix = ""
        var laterSections = 0
        var counter = 0
        var levels: [(indent: Int, next: Int, prefix: String, parent: String?)] = []
        var indentStack: [(indent: Int, id: String)] = []
        var childCounts: [String: Int] = [:]
        var terminated = false
        var numberedMode = false
        var modeDecided = false
        var nameStarts = 0
        var markerStarts = 0
        var sectionStyle: EntryStyle?

        var i = skipPreamble(from: section.firstLine)
        var usedIDs = Set<String>()
        // Numbering schemes can meet (`3.1` from a nested list, then an unnumbered reply to 3);
        // ids stay unique so parent links stay unambiguous.
        func unique(_ id: String) -> String {
            var candidate = id
            var n = 2
            while usedIDs.contains(candidate) {
                candidate = "\(id)-\(n)"
                n += 1
            }
            usedIDs.insert(candidate)
            return candidate
        }

        func finish() {
            if let entry = current { entries.append(entry) }
            current = nil
        }
        func context(_ index: Int) -> Bool {
            guard index > section.firstLine else { return true }
            switch kinds[index - 1] {
            case .blank, .chrome, .date, .voteCount, .header, .badge: return true
            default: return false
            }
        }
        func startUnnumbered(at index: Int) {
            finish()
            var entry = RawEntry(id: "", start: index, indent: lines[index].indent, defaultType: defaultType)
            if numberedMode, let parent = entries.last(where: { !$0.id.contains(".") }) ?? entries.last {
                // An unnumbered reply inside a numbered list: `3.1`, `3.2`.
                let count = (childCounts[parent.id] ?? 0) + 1
                childCounts[parent.id] = count
                entry.id = unique("\(parent.id).\(count)")
                entry.parentID = parent.id
            } else {
                counter += 1
                entry.id = unique("\(counter)")
                while let top = indentStack.last, top.indent >= entry.indent { indentStack.removeLast() }
                entry.parentID = indentStack.last?.id
                indentStack.append((entry.indent, entry.id))
            }
            if sectionStyle == nil { sectionStyle = EntryStyle(kinds[index]) }
            switch kinds[index] {
            case .author(let a):
                entry.authorName = a.name
                entry.hasBody = a.inlineText != nil
                entry.isPingback = a.isTrackbackOrPingback
                if !a.isTrackbackOrPingback { markerStarts += 1 }
            case .name(let name, _):
                entry.authorName = name
                entry.startedByName = true
                nameStarts += 1
            case .excerpt:
                entry.hasBody = true
                entry.hasExcerpt = true
            case .text, .numbered: entry.hasBody = true
            default: break
            }
            current = entry
        }

        while i < lines.count {
            let kind = kinds[i]
            defer { i += 1 }
            if case .blank = kind {
                current?.lines.append(i)
                continue
            }
            if !modeDecided {
                switch kind {
                case .chrome, .voteCount, .badge, .header, .footer: break
                case .numbered:
                    numberedMode = true
                    modeDecided = true
                default: modeDecided = true
                }
            }
            switch kind {
            case .footer(let pagination):
                if current == nil && entries.isEmpty { continue }
                if pagination {
                    notes.append(
                        InputNote(
                            severity: .info, code: "paginated-comments",
                            message: "the comments continue on another page (“\(lines[i].body)”)", location: location(i)
                        ))
                }
                finish()
                return entries
            case .header(let header):
                guard header.isPingbackList else { continue }
                finish()
                defaultType = .pingback
                laterSections += 1
                idPrefix = entries.isEmpty ? "" : "pingback-"
                levels = []
                indentStack = []
                terminated = false
                modeDecided = false
                numberedMode = false
                continue
            case .chrome(let terminator):
                if terminator { terminated = true }
                continue
            case .voteCount where neighboursFurniture(i):
                continue
            default:
                break
            }

            if numberedMode, case .numbered(let number, let rest) = kind,
                let place = placeNumbered(
                    number, rest: rest, indent: lines[i].indent, levels: &levels, current: current, prefix: idPrefix)
            {
                finish()
                var entry = RawEntry(
                    id: unique(place.id), parentID: place.parent, start: i, indent: lines[i].indent, firstRest: rest,
                    defaultType: defaultType)
                switch DumpClassifier.classifyUnnumbered(rest) {
                case .author(let a):
                    entry.authorName = a.name
                    entry.hasBody = a.inlineText != nil
                case .name, .blank, .date, .badge, .chrome: break
                default: entry.hasBody = true
                }
                current = entry
                terminated = false
                continue
            }
            if current == nil {
                if numberedMode { continue }  // stray furniture before the first number
                startUnnumbered(at: i)
            } else if let entry = current,
                startsEntry(
                    i, kind, entry, numberedMode: numberedMode,
                    terminated: terminated, context: context(i), nameStarts: nameStarts, markerStarts: markerStarts,
                    style: sectionStyle)
            {
                startUnnumbered(at: i)
            } else {
                current?.lines.append(i)
                switch kind {
                case .date, .badge, .replyTo: break
                case .excerpt:
                    current?.hasBody = true
                    current?.hasExcerpt = true
                case .name(let name, _):
                    if current?.authorName == nil && current?.hasBody == false {
                        current?.authorName = name
                    } else {
                        current?.hasBody = true
                    }
                case .author(let a):
                    if current?.authorName == nil && current?.hasBody == false {
                        current?.authorName = a.name
                        if a.inlineText != nil { current?.hasBody = true }
                    } else {
                        current?.hasBody = true
                    }
                default: current?.hasBody = true
                }
            }
            terminated = false
        }
        finish()
        return entries
    }

    /// How a section's first entry opened; later entries are expected to open alike.
    enum EntryStyle {
        case says, dated, name, other

        init(_ kind: DumpLineKind) {
            switch kind {
            case .author(let a) where a.kind == .says: self = .says
            case .author(let a) where !a.isTrackbackOrPingback: self = .dated
            case .name: self = .name
            default: self = .other
            }
        }
    }

    /// Skips the lines between an unnumbered section's header and its first entry (sort menus,
    /// `Join the discussion…`, log-in prompts) when an author line follows shortly.
    private func skipPreamble(from start: Int) -> Int {
        var i = start
        var significant = 0
        var first: Int?
        while i < lines.count, significant < 15 {
            defer { i += 1 }
            switch kinds[i] {
            case .blank, .chrome, .voteCount, .badge: continue
            case .numbered, .author, .excerpt: return first == nil ? start : i
            case .name:
                if first == nil { return start }
                if nextSignificant(after: i).map({ isDate($0) }) == true { return i }
            case .footer, .header: break
            default:
                if lines[i].body.utf8.count > 80 { return start }
            }
            if first == nil { first = i }
            significant += 1
        }
        return start
    }

    private func neighboursFurniture(_ index: Int) -> Bool {
        for j in [index - 1, index + 1] where j >= 0 && j < lines.count {
            if case .chrome = kinds[j] { return true }
        }
        return false
    }

    /// Where a numbered line sits: next in the current list, first of a nested list, or back in an outer one.
    private func placeNumbered(
        _ number: Int, rest: Substring, indent: Int,
        levels: inout [(indent: Int, next: Int, prefix: String, parent: String?)], current: RawEntry?, prefix: String
    ) -> (id: String, parent: String?)? {
        guard let top = levels.last else {
            levels = [(indent, number + 1, prefix, nil)]
            return (prefix + "\(number)", nil)
        }
        if abs(indent - top.indent) <= 1 && number == top.next {
            levels[levels.count - 1].next += 1
            return (top.prefix + "\(number)", top.parent)
        }
        // A deeper list is a list of replies only when it opens with an author; otherwise it is
        // a list inside the comment (`1. water early`).
        if indent > top.indent + 1 && number == 1, let current, opensWithAuthor(rest) {
            levels.append((indent, 2, current.id + ".", current.id))
            return (current.id + ".1", current.id)
        }
        if indent < top.indent - 1,
            let level = levels.lastIndex(where: { abs($0.indent - indent) <= 1 && $0.next == number })
        {
            levels.removeSubrange((level + 1)...)
            levels[level].next += 1
            return (levels[level].prefix + "\(number)", levels[level].parent)
        }
        return nil
    }

    private func opensWithAuthor(_ text: Substring) -> Bool {
        switch DumpClassifier.classifyUnnumbered(text) {
        case .author, .name: true
        default: false
        }
    }

    /// Whether line `index` opens a new entry rather than continuing `current`.
    private func startsEntry(
        _ index: Int, _ kind: DumpLineKind, _ current: RawEntry, numberedMode: Bool, terminated: Bool, context: Bool,
        nameStarts: Int, markerStarts: Int, style: EntryStyle?
    ) -> Bool {
        let fresh = !current.hasBody
        let ownsAuthorLine = fresh && current.authorName == nil
        switch kind {
        case .author(let a):
            if ownsAuthorLine { return false }
            if numberedMode { return terminated && !fresh }
            if a.isLoose {
                return nextSignificant(after: index).map { isDate($0) } == true || terminated && style == .says
            }
            // `Jane says: text` on one line could be a sentence of the comment; it needs a break before it.
            if a.kind == .says && a.inlineText != nil && !(context || terminated) { return false }
            // `Mackenzie said: "…"` right under an author line quotes someone: it is the body.
            if a.kind == .says, let inline = a.inlineText {
                if fresh && current.authorName != nil { return false }
                if let first = inline.first, "\"“'‘«>".contains(first) { return terminated }
            }
            if a.isTrackbackOrPingback || a.kind == .says { return !fresh || current.authorName != nil }
            // In a section whose entries open with `says:`, a dated line inside a comment
            // (`Magonismo Yesterday and Today`) opens nothing until a `Reply` closes the comment.
            if style == .says { return terminated }
            return context || terminated
        case .name(let name, _):
            if ownsAuthorLine { return false }
            if numberedMode { return terminated && !fresh }
            guard context || terminated else { return false }
            if terminated { return true }
            // Where every entry so far opened with `says:` or a dated author line, a bare name
            // inside a comment (a signature, a heading) does not open one.
            if markerStarts >= 2 && nameStarts == 0 || style == .says { return false }
            if let next = nextSignificant(after: index), isDate(next) || isAuthorBadge(next) { return true }
            // Entries that open with a bare name, one after another; a sign-off repeating the
            // entry's own author is its signature, not a new entry.
            if nameStarts > 0, current.startedByName, !fresh, index > 0, lines[index - 1].isBlank,
                !isSignature(name, of: current.authorName),
                nextSignificant(after: index, limit: 1).map({ isBodyText($0) }) == true
            {
                return true
            }
            return false
        case .excerpt:
            // A pingback quotes with several `[…]` paragraphs; only a comment's end opens a new one.
            return !fresh && context && !numberedMode && !current.isPingback && !current.hasExcerpt
        case .date:
            return terminated && !fresh && !numberedMode
        case .text, .numbered:
            if numberedMode { return false }
            if terminated { return true }
            if context, !fresh, markerStarts < 2 || nameStarts > 0, isHandle(lines[index].body),
                let next = nextSignificant(after: index), isDate(next)
            {
                return true
            }
            // A pingback's title line followed by its `[…]` excerpt; in a pingback list they
            // follow each other without blank lines.
            let inPingbacks = current.defaultType != .comment || current.isPingback
            if context || inPingbacks, !fresh || current.authorName != nil, lines[index].body.utf8.count < 160,
                let next = nextSignificant(after: index, limit: 1), case .excerpt = kinds[next]
            {
                return true
            }
            return false
        default:
            return false
        }
    }

    /// Whether `name` under a comment is its author signing off (`Sunil` under Sunil Varma's comment).
    private func isSignature(_ name: String, of author: String?) -> Bool {
        guard let author else { return false }
        let signed = Set(DumpNames.words(name).map(String.init))
        return !signed.isEmpty && signed.isSubset(of: Set(DumpNames.words(author).map(String.init)))
    }

    private func isAuthorBadge(_ index: Int) -> Bool {
        if case .badge = kinds[index] { return true }
        return false
    }

    private func isBodyText(_ index: Int) -> Bool {
        switch kinds[index] {
        case .text, .numbered, .excerpt: return true
        default: return false
        }
    }

    // MARK: Building comments

    private struct Item {
        var line: Int
        var text: Substring
        var kind: DumpLineKind
        /// The text stands on its own (after a list number or `says:`), so it is not dedented.
        var isFragment: Bool
    }

    /// Turns an entry into a comment: author and date from its opening lines, content from the rest.
    private func build(_ entry: RawEntry, lastIDByAuthor: [String: String]) -> Comment? {
        var items: [Item] = []
        if let rest = entry.firstRest {
            items.append(
                Item(line: entry.start, text: rest, kind: DumpClassifier.classifyUnnumbered(rest), isFragment: true))
        } else {
            var kind = kinds[entry.start]
            if case .numbered = kind { kind = .text }
            items.append(Item(line: entry.start, text: lines[entry.start].body, kind: kind, isFragment: false))
        }
        for j in entry.lines {
            var kind = kinds[j]
            if case .numbered = kind { kind = .text }
            items.append(Item(line: j, text: lines[j].body, kind: kind, isFragment: false))
        }

        var author: String?
        var url: String?
        var date: String?
        var type = entry.defaultType
        var parentName: String?
        var badge: DumpBadge?
        var content: [Item] = []

        var k = 0
        header: while k < items.count {
            let item = items[k]
            switch item.kind {
            case .blank, .chrome, .voteCount:
                k += 1
            case .badge where k == 0 && author == nil && entry.firstRest != nil && hasBody(after: k, in: items):
                // `3. admin` opens a comment by the user named admin, not a badge line.
                author = String(item.text)
                badge = .moderator
                k += 1
            case .badge(let b):
                badge = b
                k += 1
            case .date where date == nil:
                date = String(item.text)
                k += 1
            case .replyTo(let parent):
                parentName = parent
                k += 1
            case .author(let a) where author == nil:
                author = a.name.isEmpty ? nil : a.name
                url = a.url
                date = a.date ?? date
                parentName = a.parentName ?? parentName
                badge = a.badge ?? badge
                k += 1
                if a.isTrackbackOrPingback {
                    type = a.kind == .pingback ? .pingback : .trackback
                    content.append(item)
                    break header
                }
                if let inline = a.inlineText {
                    content.append(Item(line: item.line, text: inline, kind: .text, isFragment: true))
                    break header
                }
            case .name(let name, let link) where author == nil && hasBody(after: k, in: items):
                author = name
                url = link
                k += 1
            case .text
            where k == 0 && author == nil && hasBody(after: k, in: items)
                && (entry.firstRest != nil && items.count > 1 && items[1].text.isEmpty && isLowercaseName(item.text)
                    || isHandle(item.text) && nextIsDate(after: k, in: items)):
                // A lower-case handle (`woody2shoes`) alone on an entry's first line, set off by a
                // blank line or followed by the date.
                author = String(item.text)
                k += 1
            default:
                break header
            }
        }
        var end = items.count
        trailing: while end > k {
            let item = items[end - 1]
            switch item.kind {
            case .blank, .chrome, .voteCount, .badge:
                end -= 1
            case .date:
                if date == nil { date = String(item.text) }
                end -= 1
            default:
                break trailing
            }
        }
        if k < end {
            for item in items[k..<end] {
                if case .chrome = item.kind { continue }
                content.append(item)
            }
        }
        // A pingback list's entry: its title line, then the `[…]` excerpt.
        if type != .comment, author == nil, let first = content.first, !DumpClassifier.isExcerpt(first.text) {
            author = excerptTitle(first.text)
        }
        if type == .comment, let first = content.first, DumpClassifier.isExcerpt(first.text) {
            type = .pingback
        } else if type == .comment, author == nil, content.count >= 2, DumpClassifier.isExcerpt(content[1].text),
            content[0].text.utf8.count < 160
        {
            type = .pingback
            author = excerptTitle(content[0].text)
        }

        let columns =
            content.filter { !$0.isFragment && !lines[$0.line].isBlank }.map { lines[$0.line].indent }.min() ?? 0
        var contentLines: [Substring] = content.map { item in
            item.isFragment ? item.text : DumpText.dedent(Substring(lines[item.line].text), columns: columns)
        }
        while contentLines.first?.isEmpty == true { contentLines.removeFirst() }
        while contentLines.last?.isEmpty == true { contentLines.removeLast() }
        if contentLines.isEmpty && author == nil && entry.firstRest == nil { return nil }

        var parentID = entry.parentID
        if let parentName, let parent = lastIDByAuthor[DumpNames.key(parentName)] { parentID = parent }
        var comment = Comment(
            id: entry.id, parentID: parentID, author: author, authorURL: url, date: date.map(cleanDate), type: type,
            content: contentLines.joined(separator: "\n"), text: DumpText.unwrap(contentLines),
            location: location(entry.start))
        if let badge {
            comment.authorship = Authorship(
                isPostAuthor: true, confidence: badge == .postAuthor ? 0.9 : 0.7,
                evidence: badge == .postAuthor
                    ? "the page marks this comment as the post author's"
                    : "the page marks the commenter as a moderator of the site")
        }
        return comment
    }

    private func nextIsDate(after k: Int, in items: [Item]) -> Bool {
        guard let next = items[(k + 1)...].first(where: { !$0.text.isEmpty }) else { return false }
        if case .date = next.kind { return true }
        return false
    }

    /// A name typed in lower case (`ret marut`), on a numbered entry's first line of its own.
    private func isLowercaseName(_ text: Substring) -> Bool {
        text.utf8.count <= 40 && text.split(separator: " ").count <= 3 && DumpNames.isNameLike(text, strict: false)
    }

    /// A single word that can be a user name: `jdoe42`, `woody2shoes`, `ranska`.
    private func isHandle(_ text: Substring) -> Bool {
        text.utf8.count <= 30 && !text.contains(" ") && DumpNames.isNameLike(text, strict: false)
    }

    private func hasBody(after k: Int, in items: [Item]) -> Bool {
        items[(k + 1)...].contains { item in
            switch item.kind {
            case .blank, .chrome, .voteCount, .badge, .date, .replyTo: false
            default: true
            }
        }
    }

    /// The site or post title a pingback line names: `Site » Post – […]` gives `Site » Post`.
    private func excerptTitle(_ text: Substring) -> String? {
        var title = text
        for marker in ["[…]", "[...]", "[..]"] {
            if let range = title.firstRange(of: marker) { title = title[..<range.lowerBound] }
        }
        let cleaned = title.trimmingDumpPunctuation
        return cleaned.isEmpty || cleaned.utf8.count > 200 ? nil : cleaned
    }

    private func cleanDate(_ date: String) -> String {
        var s = Substring(DumpMarkdown.unwrapLinks(Substring(date)))
        let lower = s.lowercased()
        for prefix in ["on ", "posted ", "at "] where lower.hasPrefix(prefix) { s = s.dropFirst(prefix.count) }
        while let last = s.last, ":|#•·-–—".contains(last) || last == " " { s = s.dropLast() }
        return String(s)
    }
}
