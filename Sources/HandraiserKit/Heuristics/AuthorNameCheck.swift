import HandraiserModel

/// Flags author names that are not a person's name or handle but an advertisement: commercial
/// keywords ("Cheap Car Insurance", "buy viagra online"), business names ("Glasgow Letting",
/// "SEO Training SW") and names that read as a search phrase ("jerseys from china").
/// A person's name, a handle with digits or a name in a non-Latin script does not fire.
public struct AuthorNameCheck: Check {
    static let keywords = "HC_AUTHOR_KEYWORDS"
    static let stuffed = "HC_AUTHOR_STUFFED"
    static let business = "HC_AUTHOR_BUSINESS"
    static let phrase = "HC_AUTHOR_PHRASE"

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.keywords: "The author name holds a commercial spam keyword (cheap, buy, casino, loans, viagra…)",
            Self.stuffed: "The author name is stuffed with two or more commercial keywords",
            Self.business: "The author name is a business name (… Letting, … Training, … Services)",
            Self.phrase: "The author name reads as a search phrase (several words joined by for/from/in/online)",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        // Pingbacks and trackbacks carry the linking page's title as their author.
        guard context.comment.type == .comment, let author = context.comment.author else { return [] }
        return Self.findings(for: author)
    }

    static func findings(for author: String) -> [Finding] {
        let words = nameWords(author)
        guard !words.isEmpty else { return [] }
        var findings: [Finding] = []
        let commercial = words.filter { commercialWord($0.lower) }
        if commercial.count >= 2 {
            findings.append(Finding(.nameKeywords(id: Self.stuffed, commercial.map(\.text)), evidence: evidence(author, commercial)))
        } else if !commercial.isEmpty {
            findings.append(Finding(.nameKeywords(id: Self.keywords, commercial.map(\.text)), evidence: evidence(author, commercial)))
        }
        let trade = words.filter { businessWords.contains($0.lower) }
        // "Training" alone is a handle; a business name needs another word (the place, the brand).
        if !trade.isEmpty && words.count >= 2 && commercial.isEmpty {
            findings.append(Finding(.nameBusiness(id: Self.business, trade.map(\.text)), evidence: evidence(author, trade)))
        }
        let joiners = words.filter { phraseJoiners.contains($0.lower) }
        if words.count >= 3, !joiners.isEmpty, words.filter({ !phraseJoiners.contains($0.lower) }).count >= 2 {
            findings.append(Finding(.namePhrase(id: Self.phrase, words.count), evidence: TextScan.wholeField(.author, author)))
        }
        return findings
    }

    /// The name's words, with camelCase and digit runs split (`CheapJerseys2012` → cheap, jerseys).
    static func nameWords(_ author: String) -> [WordToken] {
        var result: [WordToken] = []
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
            result.append(contentsOf: pieces.filter(\.hasLetter))
        }
        return result
    }

    private static func piece(_ text: String, _ start: Int) -> WordToken {
        WordToken(
            text: text, lower: text.lowercased(), range: start..<(start + text.utf8.count), isCJK: false,
            hasLetter: text.contains(where: \.isLetter))
    }

    static func commercialWord(_ word: String) -> Bool {
        if commercialWords.contains(word) { return true }
        // Run-together names ("cheapjerseysonline"): long keywords inside one lowercase word.
        return word.count >= 9 && commercialStems.contains { word.contains($0) }
    }

    private static func evidence(_ author: String, _ words: [WordToken]) -> Evidence? {
        guard let first = words.first, let last = words.last else { return nil }
        return Evidence(field: .author, in: author, range: first.range.lowerBound..<last.range.upperBound)
    }

    /// Words that a person's name or handle essentially never holds, but SEO names do.
    static let commercialWords: Set<String> = [
        "cheap", "cheapest", "buy", "buying", "discount", "discounts", "wholesale", "replica", "replicas", "outlet",
        "sale", "sales", "online", "casino", "casinos", "poker", "slots", "betting", "viagra", "cialis", "levitra",
        "pharmacy", "pills", "loan", "loans", "payday", "insurance", "mortgage", "mortgages", "debt", "credit",
        "seo", "backlink", "backlinks", "jerseys", "handbags", "louboutin", "uggs", "porn", "xxx", "escort",
        "escorts", "forex", "coupon", "coupons", "promo", "download", "downloads", "mp3", "essay", "essays",
        "followers", "diet", "weight", "slimming", "supplement", "supplements", "cigarettes", "ecig", "vape",
        "shoes", "sneakers", "boots", "watches", "replica", "prada", "gucci", "chanel", "oakley", "nfl", "nba", "nhl",
        "snapback", "hats", "kids", "china", "free", "best", "top", "hosting", "reviews", "review", "price",
        "prices", "deals", "shop", "store", "marketing", "traffic", "garcinia", "cambogia", "acne", "hcg",
        "cure", "treatment", "rehab", "bail", "bonds", "locksmith", "plumber", "plumbers", "dentist", "lawyer",
        "lawyers", "attorney", "attorneys", "injury", "malpractice", "mesothelioma", "rentals", "condos", "apartments",
    ]

    static let commercialStems: [String] = [
        "cheap", "wholesale", "discount", "replica", "casino", "viagra", "cialis", "insurance", "payday", "jerseys",
        "handbags", "louboutin", "backlink", "mortgage", "pharmacy", "outlet",
    ]

    /// Words that make a name a trading name.
    static let businessWords: Set<String> = [
        "letting", "lettings", "training", "services", "service", "solutions", "consulting", "consultancy",
        "consultants", "agency", "repair", "repairs", "plumbing", "roofing", "cleaning", "cleaners", "removals",
        "movers", "clinic", "hotel", "hotels", "resort", "rental", "limo", "limousine", "taxi", "tours", "travel",
        "ltd", "llc", "inc", "gmbh", "company", "corp", "supplies", "products", "estate", "realty", "properties",
        "photography", "weddings", "catering", "salon", "spa", "dental", "surgery", "law", "legal", "finance",
        "financial", "accounting", "accountants", "tax", "web", "webdesign", "design", "designs", "development",
        "software", "studio", "studios", "media", "digital", "academy", "institute", "school", "courses", "center",
        "centre", "group", "systems", "technologies", "tech", "pvt", "enterprises", "industries", "store", "shop",
    ]

    /// Words that join a search phrase; name particles (de, van, von, la, bin) are not among them.
    static let phraseJoiners: Set<String> = [
        "for", "from", "in", "on", "online", "to", "with", "and", "the", "of", "near", "how", "best", "cheap", "buy",
        "sale", "your", "my", "free",
    ]
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
        let order = [AuthorNameCheck.stuffed, AuthorNameCheck.keywords, AuthorNameCheck.business, AuthorNameCheck.phrase]
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
}
