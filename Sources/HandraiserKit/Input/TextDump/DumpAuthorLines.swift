/// Markdown links as page-to-Markdown converters write them: `[Jane](https://jane.example)`.
enum DumpMarkdown {
    struct Link {
        var text: Substring
        var url: Substring
        /// What follows the link, without leading white space.
        var rest: Substring
        var isImage: Bool
    }

    /// The link or image at the very start of `s`, if `s` starts with one.
    static func leadingLink(_ s: Substring) -> Link? {
        var i = s.startIndex
        var isImage = false
        if i < s.endIndex, s[i] == "!" {
            isImage = true
            i = s.index(after: i)
        }
        guard i < s.endIndex, s[i] == "[" else { return nil }
        let textStart = s.index(after: i)
        var depth = 0
        var j = textStart
        var scanned = 0
        while j < s.endIndex {
            if s[j] == "[" { depth += 1 }
            if s[j] == "]" {
                if depth == 0 { break }
                depth -= 1
            }
            j = s.index(after: j)
            scanned += 1
            if scanned > 300 { return nil }
        }
        guard j < s.endIndex else { return nil }
        let text = s[textStart..<j]
        let open = s.index(after: j)
        guard open < s.endIndex, s[open] == "(" else { return nil }
        let urlStart = s.index(after: open)
        guard let close = s[urlStart...].prefix(2000).firstIndex(of: ")") else { return nil }
        var url = s[urlStart..<close]
        // `[Jane](https://jane.example "Jane's site")`
        if let space = url.firstIndex(of: " ") { url = url[..<space] }
        let rest = s[s.index(after: close)...].drop(while: { DumpLine.whiteWidth($0) != nil })
        return Link(text: text, url: url, rest: rest, isImage: isImage)
    }

    /// `s` with each `[text](url)` replaced by `text` and images dropped. Only for short lines.
    static func unwrapLinks(_ s: Substring) -> String {
        guard DumpBytes.contains(s, "](") else { return String(s) }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "[" || (s[i] == "!" && s.index(after: i) < s.endIndex && s[s.index(after: i)] == "[") {
                if let link = leadingLink(s[i...]) {
                    if !link.isImage { out += link.text }
                    let consumed = s[i...].count - link.rest.count
                    i = s.index(i, offsetBy: consumed)
                    if !link.rest.isEmpty, !link.isImage { out += " " }
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out.trimmingCharacters(inLineSet: " ")
    }
}

/// Parses the lines themes open a comment with:
/// `Jane Roe says:`, `Jane Roe on February 4th, 2009 11:51 am`, `Jane said...`,
/// `[Jane](url) on March 3, 2009 at 4:12 pm`, `Jane Roe • 3 years ago`, `Jane Roe March 3, 2009`,
/// `Bob Mod → Jane Roe • 3 years ago`, `Pingback: Title « Site`, `Trackback from Site`.
enum DumpAuthorLines {
    /// How far into a line an author marker may sit.
    private static let window = 160

    static func parse(_ body: Substring) -> DumpAuthorLine? {
        var s = body
        if s.first == "!", let image = DumpMarkdown.leadingLink(s), image.isImage { s = image.rest }
        if let first = s.utf8.first,
            first | 0x20 == UInt8(ascii: "c") || first | 0x20 == UInt8(ascii: "p")
                || first | 0x20 == UInt8(ascii: "r")
        {
            let head = s.prefix(16).lowercased()
            for prefix in [
                "comment by ", "comment from ", "posted by: ", "posted by ", "reply from ", "response from ",
                "reply by ",
            ]
            where head.hasPrefix(prefix) {
                s = s.dropFirst(prefix.count)
                break
            }
        }
        if let first = s.utf8.first, first | 0x20 == UInt8(ascii: "p") || first | 0x20 == UInt8(ascii: "t"),
            let ping = pingback(s)
        {
            return ping
        }
        if s.first == "[", let link = DumpMarkdown.leadingLink(s), !link.isImage {
            guard DumpNames.isNameLike(link.text, strict: false) else { return nil }
            var line = tail(link.rest, name: String(link.text)) ?? DumpAuthorLine(kind: .link, name: String(link.text))
            if !link.rest.isEmpty, line.kind == .link { return nil }
            line.url = String(link.url)
            return named(line)
        }
        if mayHoldSaysMarker(s), let says = saysMarker(in: s) { return says }
        // A name and a date fit in a short line, and a date holds a digit or a relative word.
        guard s.utf8.count <= 180, DumpDates.mayHoldDate(s) else { return nil }
        let text = DumpMarkdown.unwrapLinks(s)
        return onDate(text) ?? separated(text) ?? nameDate(text)
    }

    /// What follows a name that a Markdown link gave: `says:`, `on <date>`, `• 3 years ago`, a date.
    private static func tail(_ rest: Substring, name: String) -> DumpAuthorLine? {
        if rest.isEmpty { return DumpAuthorLine(kind: .link, name: name) }
        let text = DumpMarkdown.unwrapLinks(rest.prefix(DumpClassifier.shortLine))
        let lower = text.lowercased()
        for marker in saysMarkers {
            let bare = marker.trimmingCharacters(inLineSet: " ")
            if lower.hasPrefix(bare) {
                let after = text.dropFirst(bare.count).trimmingCharacters(inLineSet: " ")
                var line = DumpAuthorLine(kind: .says, name: name)
                if DumpDates.isDate(after) {
                    line.date = after
                } else if !after.isEmpty {
                    line.inlineText = Substring(after)
                }
                return line
            }
        }
        if lower.hasPrefix("on "), DumpDates.isDate(text.dropFirst(3)) {
            return DumpAuthorLine(kind: .onDate, name: name, date: cleanDate(text.dropFirst(3)))
        }
        let stripped = text.trimmingCharacters(inLineSet: " •·|—–-:")
        if DumpDates.isDate(stripped) { return DumpAuthorLine(kind: .separated, name: name, date: cleanDate(stripped)) }
        return nil
    }

    // MARK: Pingbacks

    /// `Pingback : Title « Site`, `Pingback: [Title](url)`, `Trackback from Site`, `Trackback: Title`.
    private static func pingback(_ s: Substring) -> DumpAuthorLine? {
        let head = s.prefix(12).lowercased()
        let kind: DumpAuthorLine.Kind
        let word: Int
        if head.hasPrefix("pingback") {
            kind = .pingback
            word = 8
        } else if head.hasPrefix("trackback") {
            kind = .trackback
            word = 9
        } else {
            return nil
        }
        var rest = s.dropFirst(word)
        if let next = rest.first, next.isLetter { return nil }  // `Pingbacks are…`
        rest = rest.drop(while: { $0 == " " || $0 == "\u{A0}" })
        let lowerRest = rest.prefix(6).lowercased()
        if lowerRest.hasPrefix("from ") || lowerRest.hasPrefix("by ") {
            rest = rest.drop(while: { $0 != " " })
        } else if let first = rest.first, ":-–—»|".contains(first) {
            rest = rest.dropFirst()
        } else if !rest.isEmpty {
            return nil  // `Pingback is a…`: a sentence, not a pingback line
        }
        rest = rest.drop(while: { $0 == " " || $0 == "\u{A0}" })
        var url: String?
        if let link = DumpMarkdown.leadingLink(rest), !link.isImage { url = String(link.url) }
        var title = DumpMarkdown.unwrapLinks(rest.prefix(DumpClassifier.shortLine))
        for suffix in [" says:", " said:", " says", " said"] where title.lowercased().hasSuffix(suffix) {
            title = String(title.dropLast(suffix.count))
        }
        title = title.trimmingCharacters(inLineSet: " ")
        return DumpAuthorLine(kind: kind, name: title, url: url)
    }

    // MARK: Name says:

    private static let saysMarkers = [
        " says:", " said:", " said…", " said...", " wrote:", " writes:", " commented:", " replied:", " says…",
        " says...",
        " schreibt:", " sagt:", " sagte:", " dice:", " disse:", " a dit :", " a dit:", " dit :", " dit:",
        " escribió:", " comentó:", " ha detto:", " scrive:", " zegt:", " schreef:", " says", " said", " wrote",
    ]

    /// The verbs of `saysMarkers`, to rule out most lines with one pass over their first words.
    private static let saysVerbs: Set<String> = [
        "says", "said", "wrote", "writes", "commented", "replied", "schreibt", "sagt", "sagte", "dice", "disse", "dit",
        "escribió", "comentó", "detto", "scrive", "zegt", "schreef",
    ]

    /// Whether one of the first words is a `says` verb; a byte scan, since most lines are prose.
    private static func mayHoldSaysMarker(_ s: Substring) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { mayHoldSaysMarker(bytes: $0) }
            ?? Array(s.utf8).withUnsafeBufferPointer { mayHoldSaysMarker(bytes: $0) }
    }

    private static func mayHoldSaysMarker(bytes all: UnsafeBufferPointer<UInt8>) -> Bool {
        let bytes = UnsafeBufferPointer(rebasing: all.prefix(window))
        var start = 0
        var words = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x20 {
            defer { start = i + 1 }
            guard i > start else { continue }
            words += 1
            if words > 16 { return false }
            // Look closer only at words starting as a verb does.
            guard saysVerbFirstBytes.contains(bytes[start] | 0x20) else { continue }
            if isSaysVerb(bytes[start..<i]) { return true }
        }
        return false
    }

    private static func isSaysVerb(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var end = word.endIndex
        // Trailing `:`, `.`, or `…` (E2 80 A6); other bytes above 0x7F are letters (`escribió`).
        while end > word.startIndex {
            if word[end - 1] == 0x3A || word[end - 1] == 0x2E {
                end -= 1
            } else if end - word.startIndex >= 3, word[end - 3] == 0xE2, word[end - 2] == 0x80, word[end - 1] == 0xA6 {
                end -= 3
            } else {
                break
            }
        }
        guard end - word.startIndex >= 3, end - word.startIndex <= 10 else { return false }
        return saysVerbBytes.contains(word[word.startIndex..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
    }

    private static let saysVerbBytes: Set<[UInt8]> = Set(saysVerbs.map { Array($0.utf8) })
    private static let saysVerbFirstBytes: Set<UInt8> = Set(saysVerbs.compactMap(\.utf8.first))

    /// `Jane Roe says:`, `Jane said...`, `Jane Roe on March 3, 2009 at 4:12 pm said:`, `admin says: March 3, 2009`.
    private static func saysMarker(in s: Substring) -> DumpAuthorLine? {
        let head = String(s.prefix(window))
        let lower = head.lowercased()
        guard head.count == lower.count else { return nil }
        var best: (offset: Int, marker: String)?
        for marker in saysMarkers {
            guard let range = lower.firstRange(of: marker) else { continue }
            let offset = lower.distance(from: lower.startIndex, to: range.lowerBound)
            if best == nil || offset < best!.offset || (offset == best!.offset && marker.count > best!.marker.count) {
                best = (offset, marker)
            }
        }
        guard let (offset, marker) = best else { return nil }
        let left = DumpMarkdown.unwrapLinks(head.prefix(offset)[...])
        let afterStart = s.index(s.startIndex, offsetBy: offset + marker.count)
        let after = s[afterStart...].drop(while: { DumpLine.whiteWidth($0) != nil })
        // Markers without a colon (`Jane says`) only count at the end of the line or before a date.
        if !marker.hasSuffix(":") && !marker.hasSuffix(".") && !marker.hasSuffix("…") {
            guard after.isEmpty || (after.utf8.count < window && DumpDates.isDate(after)) else { return nil }
        }
        var line: DumpAuthorLine
        if let dated = onDate(left) ?? separated(left) ?? nameDate(left) {
            line = dated
            line.kind = .says
        } else if let plain = validated(DumpAuthorLine(kind: .says, name: left), strict: false) {
            line = plain
        } else {
            guard marker.hasSuffix(":"), after.isEmpty, !left.isEmpty, left.utf8.count <= 150 else { return nil }
            line = named(DumpAuthorLine(kind: .says, name: left))
            line.isLoose = true
        }
        if !after.isEmpty {
            if after.utf8.count < window, DumpDates.isDate(after) {
                line.date = cleanDate(after)
            } else {
                line.inlineText = after
            }
        }
        return line
    }

    // MARK: Name and date

    /// `Jane Roe on February 4th, 2009 11:51 am` (a trailing `said:` allowed).
    private static func onDate(_ text: String) -> DumpAuthorLine? {
        var search = text.startIndex
        while let range = text[search...].firstRange(of: " on ") {
            let left = String(text[..<range.lowerBound])
            let right = text[range.upperBound...]
            if DumpDates.isDate(right),
                let line = validated(DumpAuthorLine(kind: .onDate, name: left, date: cleanDate(right)), strict: false)
            {
                return line
            }
            search = range.upperBound
            if text.distance(from: text.startIndex, to: search) > window { break }
        }
        return nil
    }

    /// `Jane Roe • 3 years ago`, `Jane Roe | March 3, 2009`, `Bob Mod → Jane Roe · 2 days ago`.
    private static func separated(_ text: String) -> DumpAuthorLine? {
        for separator in [" • ", "•", " · ", "·", " | ", " — ", " – ", " - "] {
            guard let range = text.firstRange(of: separator) else { continue }
            let left = String(text[..<range.lowerBound]).trimmingCharacters(inLineSet: " ")
            let right = text[range.upperBound...].trimmingCharacters(inLineSet: " •·|")
            guard DumpDates.isDate(right) else { continue }
            if let line = validated(DumpAuthorLine(kind: .separated, name: left, date: cleanDate(right)), strict: false)
            {
                return line
            }
        }
        return nil
    }

    /// `Jane Roe March 3, 2009 at 4:12 pm`, `Jane Roe 3 years ago`: a name followed directly by a date.
    private static func nameDate(_ text: String) -> DumpAuthorLine? {
        let tokens = DumpDates.tokens(text)
        let chars = Array(text.prefix(DumpDates.window))
        guard tokens.count >= 2, chars.count == Array(text.prefix(DumpDates.window).lowercased()).count else {
            return nil
        }
        for k in 1..<min(tokens.count, 9) where tokens[k].kind != .punct {
            guard let end = DumpDates.match(tokens, at: k),
                tokens[end...].allSatisfy({ DumpDates.trailers.contains($0.text) })
            else { continue }
            // `Fast Loans Today`, `Psychology Today`: with no separator, a bare relative word is the
            // name's last word (`Jane Roe • today` still splits, on its bullet).
            if end == k + 1, ["today", "yesterday"].contains(tokens[k].text.lowercased()) { continue }
            let name = String(chars[0..<tokens[k].start]).trimmingCharacters(inLineSet: " ,")
            let date = String(chars[tokens[k].start..<tokens[end - 1].end])
            if let line = validated(DumpAuthorLine(kind: .nameDate, name: name, date: date), strict: true) {
                return line
            }
            // `jdoe42 3 hours ago | parent | next [–]`: a one-word handle, where the furniture after
            // the date shows the line is a thread's heading and not a sentence.
            if !name.contains(" "), tokens[end...].contains(where: { $0.text == "|" }),
                let line = validated(DumpAuthorLine(kind: .nameDate, name: name, date: date), strict: false)
            {
                return line
            }
        }
        return nil
    }

    /// The date as written, without a leading `on` or a trailing `said:`/`|`.
    private static func cleanDate(_ text: some StringProtocol) -> String {
        var s = String(text).trimmingCharacters(inLineSet: " :|#•·")
        let lower = s.lowercased()
        for suffix in [" said", " says", " wrote", " permalink", " reply", " edit"] where lower.hasSuffix(suffix) {
            s = String(s.dropLast(suffix.count)).trimmingCharacters(inLineSet: " :|#•·")
        }
        if s.lowercased().hasPrefix("on ") { s = String(s.dropFirst(3)) }
        return s
    }

    /// The line with badges and reply targets split off its name, if what is left reads as a name.
    private static func validated(_ line: DumpAuthorLine, strict: Bool) -> DumpAuthorLine? {
        let clean = named(line)
        return DumpNames.isNameLike(clean.name, strict: strict) ? clean : nil
    }

    /// Splits badges and reply targets off the name: `Bob Mod → Jane` gives Bob, moderator, parent Jane.
    private static func named(_ line: DumpAuthorLine) -> DumpAuthorLine {
        var line = line
        var name = line.name.trimmingCharacters(inLineSet: " ")
        for marker in [" → ", " ➜ ", " ► ", " ▶ ", " > ", " replied to ", " in reply to ", " replying to ", " ↪ "] {
            if let range = name.firstRange(of: marker) {
                let parent = String(name[range.upperBound...]).trimmingDumpPunctuation
                if !parent.isEmpty { line.parentName = parent }
                name = String(name[..<range.lowerBound])
                break
            }
        }
        let badges: [(String, DumpBadge)] = [
            (" (post author)", .postAuthor), (" post author", .postAuthor), (" (author)", .postAuthor),
            (" [author]", .postAuthor), (" author", .postAuthor), (" (admin)", .moderator), (" mod", .moderator),
            (" moderator", .moderator), (" (mod)", .moderator), (" admin", .moderator),
        ]
        for (suffix, badge) in badges where name.lowercased().hasSuffix(suffix) {
            let stripped = String(name.dropLast(suffix.count)).trimmingCharacters(inLineSet: " ")
            if !stripped.isEmpty {
                name = stripped
                line.badge = badge
            }
            break
        }
        // Disqus without an arrow: `Bob Mod Jane Roe`.
        if line.parentName == nil, let range = name.firstRange(of: " Mod ") {
            line.parentName = String(name[range.upperBound...]).trimmingCharacters(inLineSet: " ")
            name = String(name[..<range.lowerBound])
            line.badge = .moderator
        }
        if name.hasPrefix("@") { name = String(name.dropFirst()) }
        line.name = name
        return line
    }
}

extension StringProtocol {
    func trimmingCharacters(inLineSet set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) || f == "\u{A0}" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, set.contains(l) || l == "\u{A0}" || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
