import HandraiserModel

/// Flags author names that are not a person's name or handle but an advertisement: commercial
/// keywords ("Cheap Car Insurance", "buy viagra online"), business names ("Glasgow Letting",
/// "SEO Training SW") and names that read as a search phrase ("jerseys from china").
/// A person's name, a handle with digits or a name in a non-Latin script does not fire. Also flags
/// a comment that sends readers to its own author's name ("check out Jane Doe Band").
public struct AuthorNameCheck: Check {
    static let keywords = "HC_AUTHOR_KEYWORDS"
    static let stuffed = "HC_AUTHOR_STUFFED"
    static let business = "HC_AUTHOR_BUSINESS"
    static let phrase = "HC_AUTHOR_PHRASE"
    static let namePointed = "HC_AUTHOR_NAME_POINTED"

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.keywords: "The author name holds a commercial spam keyword (cheap, buy, casino, loans, viagra…)",
            Self.stuffed: "The author name is stuffed with two or more commercial keywords",
            Self.business: "The author name is a business name (… Letting, … Training, … Services)",
            Self.phrase: "The author name is a search phrase: keywords joined by for/from/in/online",
            Self.namePointed: "The comment tells readers to check out or search for its own author's name",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        // Pingbacks and trackbacks carry the linking page's title as their author.
        guard !context.isPingbackLike, let author = context.comment.author else { return [] }
        var findings = Self.findings(for: author)
        if let pointed = Self.pointedName(author, in: context.normalized.text) { findings.append(pointed) }
        return findings
    }

    /// Words that send a reader somewhere, looked for just before the name.
    static let pointers: [[UInt8]] = ["check", "search", "look up", "look for", "type", "google"].map { Array($0.utf8) }
    /// How far before the name a pointer may stand ("check out these guys' cover … just search").
    static let pointerWindow = 48

    /// "Check out Jane Doe Band", "just search … Jane Doe Band" under the name "Jane Doe Band": the
    /// comment points readers at its own author, in the third person. People do not send others
    /// to themselves that way; an act, a channel or a shop posting under its own name does. Only
    /// names of two words or more and six bytes or more: a one-word name ("Adam") is also a friend
    /// the commenter recommends; and not the name that ends the comment, a signature. ASCII letters
    /// are compared without case.
    static func pointedName(_ author: String, in text: String) -> Finding? {
        let name = Array(author.utf8.lazy.map(asciiLower)).trimmingSpaces()
        guard name.count >= 6, name.contains(0x20) else { return nil }
        let body = Array(text.utf8.lazy.map(asciiLower))
        guard body.count > name.count else { return nil }
        var at = 0
        while at + name.count <= body.count {
            defer { at += 1 }
            guard body[at] == name[0], body[at..<(at + name.count)].elementsEqual(name) else { continue }
            let end = at + name.count
            guard at == 0 || !isWordByte(body[at - 1]), end == body.count || !isWordByte(body[end]) else { continue }
            // The name as the last words is a signature ("… check the docs first. Jane Doe"), not a pointer.
            guard body[end...].contains(where: isWordByte) else { continue }
            let window = body[max(0, at - Self.pointerWindow)..<at]
            guard Self.pointers.contains(where: { window.containsRun($0) }) else { continue }
            return Finding(.namePointed(id: Self.namePointed), evidence: TextScan.span(.text, text, at..<end))
        }
        return nil
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// Letters, digits and any byte of a multi-byte character count as part of a word.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80 || byte == 0x5F
    }

    static func findings(for author: String) -> [Finding] {
        let words = nameWords(author)
        guard !words.isEmpty else { return [] }
        var findings: [Finding] = []
        let commercial = words.filter { commercialWord($0.word.lower, joined: $0.joined) }
        if commercial.count >= 2 {
            findings.append(
                Finding(
                    .nameKeywords(id: Self.stuffed, commercial.map(\.word.text)), evidence: evidence(author, commercial)
                ))
        } else if !commercial.isEmpty {
            findings.append(
                Finding(
                    .nameKeywords(id: Self.keywords, commercial.map(\.word.text)),
                    evidence: evidence(author, commercial)))
        }
        // Trade words only count as separate words: "OldSchoolMusic" is a handle.
        let spaced = words.filter { !$0.joined }
        let trade = spaced.filter { businessWords.contains($0.word.lower) }
        // "Training" alone is a handle; a business name needs another word (the place, the brand).
        if !trade.isEmpty && spaced.count >= 2 && commercial.isEmpty {
            findings.append(
                Finding(.nameBusiness(id: Self.business, trade.map(\.word.text)), evidence: evidence(author, trade)))
        }
        // "cheap jerseys from china": a search phrase, not a nickname like "Rise and Fight".
        if spaced.count >= 3, !commercial.isEmpty, spaced.contains(where: { phraseJoiners.contains($0.word.lower) }) {
            findings.append(
                Finding(.namePhrase(id: Self.phrase, spaced.count), evidence: TextScan.wholeField(.author, author)))
        }
        return findings
    }

    /// The name's words, with camelCase and digit runs split (`CheapJerseys2012` → cheap, jerseys);
    /// `joined` marks the pieces of such a split word.
    static func nameWords(_ author: String) -> [(word: WordToken, joined: Bool)] {
        var result: [(word: WordToken, joined: Bool)] = []
        for token in TextScan.words(in: author) where !token.isCJK {
            var pieces: [WordToken] = []
            var current = ""
            var start = token.range.lowerBound
            var offset = token.range.lowerBound
            var previous: Character?
            for character in token.text {
                let split =
                    previous.map { p in
                        (p.isLowercase && character.isUppercase) || (p.isLetter != character.isLetter)
                    } ?? false
                if split && !current.isEmpty {
                    pieces.append(piece(current, start))
                    current = ""
                    start = offset
                }
                current.append(character)
                offset += character.utf8.count
                previous = character
            }
            if !current.isEmpty { pieces.append(piece(current, start)) }
            let letters = pieces.filter(\.hasLetter)
            result.append(contentsOf: letters.map { ($0, pieces.count > 1) })
        }
        return result
    }

    private static func piece(_ text: String, _ start: Int) -> WordToken {
        WordToken(
            text: text, lower: text.lowercased(), range: start..<(start + text.utf8.count), isCJK: false,
            hasLetter: text.contains(where: \.isLetter))
    }

    /// A piece of a joined word ("woody2shoes", "WhipCreamOnTop") only counts when it is one of
    /// the unmistakable stems; ordinary words are part of many nicknames.
    static func commercialWord(_ word: String, joined: Bool) -> Bool {
        if joined { return commercialStems.contains(word) }
        if commercialWords.contains(word) { return true }
        // Run-together names ("cheapjerseysonline"): long keywords inside one lowercase word.
        return word.count >= 9 && commercialStems.contains { word.contains($0) }
    }

    private static func evidence(_ author: String, _ words: [(word: WordToken, joined: Bool)]) -> Evidence? {
        guard let first = words.first, let last = words.last else { return nil }
        return Evidence(field: .author, in: author, range: first.word.range.lowerBound..<last.word.range.upperBound)
    }

    /// Words that a person's name or handle essentially never holds, but SEO names do.
    static let commercialWords: Set<String> = [
        "cheap", "cheapest", "buy", "discount", "discounts", "wholesale", "replica", "replicas", "outlet", "casino",
        "casinos", "poker", "slots", "betting", "viagra", "cialis", "levitra", "pharmacy", "pills", "loan", "loans",
        "payday", "insurance", "mortgage", "mortgages", "seo", "backlink", "backlinks", "jerseys", "handbags",
        "louboutin", "uggs", "porn", "escort", "escorts", "forex", "coupon", "coupons", "promo", "essays",
        "followers", "slimming", "supplements", "cigarettes", "snapback", "garcinia", "cambogia", "hcg", "rehab",
        "locksmith", "plumber", "plumbers", "dentist", "lawyer", "lawyers", "attorney", "attorneys", "malpractice",
        "mesothelioma", "mp3", "download", "downloads", "sale", "sales", "online",
    ]

    static let commercialStems: [String] = [
        "cheap", "wholesale", "discount", "replica", "casino", "viagra", "cialis", "insurance", "payday", "jerseys",
        "handbags", "louboutin", "backlink", "mortgage", "pharmacy", "outlet", "seo",
    ]

    /// Words that make a name a trading name.
    static let businessWords: Set<String> = [
        "letting", "lettings", "training", "services", "solutions", "consulting", "consultancy", "consultants",
        "agency", "repair", "repairs", "plumbing", "roofing", "cleaning", "cleaners", "removals", "movers", "clinic",
        "hotel", "hotels", "rental", "rentals", "limo", "limousine", "taxi", "tours", "ltd", "llc", "inc", "gmbh",
        "supplies", "realty", "properties", "weddings", "catering", "salon", "dental", "accountants", "pvt",
        "enterprises", "locksmiths", "builders", "flooring", "landscaping", "storage", "couriers",
    ]

    /// Words that join a search phrase; name particles (de, van, von, la, bin) are not among them.
    static let phraseJoiners: Set<String> = ["for", "from", "in", "near", "online", "to", "with", "at"]
}

/// Judges an author name on its own, for the reply planner's warning when the post author
/// thanked a commenter whose name is an advertisement.
public enum AuthorNameJudge {
    /// The strongest name-only finding, or nil when the name could be a person's.
    public static func looksLikeSpamName(_ name: String) -> Finding? {
        if let url = LinkExtractor.scan(name).first {
            return Finding(
                id: LinksCheck.urlInAuthor, description: "author name holds \(url.url)",
                evidence: Evidence(field: .author, in: name, range: url.range))
        }
        let order = [
            AuthorNameCheck.stuffed, AuthorNameCheck.keywords, AuthorNameCheck.business, AuthorNameCheck.phrase,
        ]
        let findings = AuthorNameCheck.findings(for: name)
        return order.lazy.compactMap { id in findings.first { $0.id == id } }.first
    }
}

extension Finding.Message {
    fileprivate static func nameKeywords(id: String, _ words: [String]) -> Self {
        Self(id: id, description: "author name holds " + words.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    fileprivate static func nameBusiness(id: String, _ words: [String]) -> Self {
        Self(id: id, description: "author name is a business name (" + words.joined(separator: ", ") + ")")
    }

    fileprivate static func namePhrase(id: String, _ count: Int) -> Self {
        Self(id: id, description: "author name is a \(count)-word phrase")
    }

    fileprivate static func namePointed(id: String) -> Self {
        Self(id: id, description: "the comment points readers to its own author's name")
    }
}

extension Array where Element == UInt8 {
    fileprivate func trimmingSpaces() -> [UInt8] {
        guard let first = firstIndex(where: { $0 != 0x20 }), let last = lastIndex(where: { $0 != 0x20 }) else {
            return []
        }
        return Array(self[first...last])
    }
}

extension ArraySlice where Element == UInt8 {
    fileprivate func containsRun(_ run: [UInt8]) -> Bool {
        guard run.count <= count else { return false }
        var index = startIndex
        while index + run.count <= endIndex {
            if self[index..<(index + run.count)].elementsEqual(run) { return true }
            index += 1
        }
        return false
    }
}
