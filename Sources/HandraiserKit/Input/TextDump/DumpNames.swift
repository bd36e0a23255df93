/// Whether a piece of a line reads as a person's (or a site's) name, and how names compare.
enum DumpNames {
    /// `true` for `Becky Carroll`, `C.C. Chapman`, `SEO Training SW`, `Jan van der Berg`, `李雷`;
    /// `false` for sentences (`Love your takeaways!`) and words that open comments (`Thanks`).
    ///
    /// `strict` is for a name standing alone on a line, where a short comment could look the same;
    /// it wants capitalised words. Otherwise (a name before `says:` or a date) lower-case handles such
    /// as `jdoe42` pass too.
    static func isNameLike(_ s: some StringProtocol, strict: Bool) -> Bool {
        guard !s.isEmpty, s.utf8.count <= (strict ? 60 : 90) else { return false }
        let words = s.split(whereSeparator: { $0 == " " || $0 == "\u{A0}" })
        guard !words.isEmpty, words.count <= (strict ? 5 : 7) else { return false }
        let lower = s.lowercased()
        for marker in ["http", "www.", "://", "="] where DumpBytes.contains(lower, marker) { return false }
        if let first = words.first {
            let word = String(first).lowercased().trimmingDumpPunctuation
            // Before `says:` a name can be `Best Cheap Loans`; alone on a line, `Best wishes` is a comment.
            if (strict ? stopWords : sentenceStarters).contains(word) { return false }
        }
        if nonNames.contains(lower.trimmingDumpPunctuation) { return false }
        var letters = 0
        var digits = 0
        for c in s {
            if c.isLetter { letters += 1 } else if c.isNumber { digits += 1 }
            if "!?;,\"“”<>{}[]|*+/\\".contains(c) { return false }
        }
        // `D2` and `jo` sign comments too, but a name alone on its line needs more to go on.
        guard strict ? letters >= 2 : letters >= 1, digits <= max(letters, 2) else { return false }
        if let last = s.last, ".:".contains(last) {
            // Only initials and short abbreviations end in a full stop (`Jr.`, `C.`, `A.P.L.F.`).
            guard last == ".", let lastWord = words.last,
                lastWord.count <= 3 || lastWord.split(separator: ".").allSatisfy({ $0.count == 1 })
            else { return false }
        }
        // A name does not end on `and` or `of` (`Magonismo Yesterday and` is a sentence's start).
        if words.count > 1, let lastWord = words.last, connectors.contains(String(lastWord).lowercased()) {
            return false
        }
        var lowercaseWords = 0
        for word in words {
            let plain = String(word).lowercased().trimmingDumpPunctuation
            if connectors.contains(plain) { continue }
            guard let firstLetter = word.first(where: { $0.isLetter || $0.isNumber }) else { continue }
            if firstLetter.isLowercase { lowercaseWords += 1 }
        }
        if strict { return lowercaseWords == 0 && !(words.count == 1 && words[0].count > 25) }
        // Handles (`jdoe42`) and names typed in lower case (`mary jones`), but not a sentence's start.
        return lowercaseWords == 0 || words.count == 1 || (lowercaseWords == words.count && words.count <= 3)
    }

    /// The form names are compared in: lower case, white space folded, surrounding punctuation dropped.
    static func key(_ name: some StringProtocol) -> String {
        name.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").trimmingDumpPunctuation
    }

    /// The words of a name or text for matching: lower case, letters and digits only.
    static func words(_ text: some StringProtocol) -> [Substring] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") })
            .map { $0.dumpTrimming("'’") }
            .filter { !$0.isEmpty }
    }

    /// Particles inside names that are written in lower case.
    static let connectors: Set<String> = [
        "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "el", "al", "bin", "ibn", "y",
        "e",
        "of", "and", "&", "the", "st", "zu", "dos", "das", "do", "ten", "ter", "mc", "mac", "on",
    ]

    /// First words that open comments rather than names.
    static let stopWords: Set<String> = [
        "i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll", "im", "it", "it's", "it’s", "its", "this",
        "that",
        "these", "those", "there", "here", "my", "we", "you", "your", "he", "she", "they", "our", "his", "her",
        "thanks",
        "thank", "thx", "great", "good", "nice", "wow", "agreed", "agree", "yes", "yeah", "yep", "no", "nope", "hi",
        "hello",
        "hey", "dear", "love", "loved", "awesome", "interesting", "excellent", "amazing", "well", "so", "but", "and",
        "or",
        "if", "what", "how", "why", "when", "where", "who", "which", "please", "just", "very", "really", "totally",
        "absolutely", "congrats", "congratulations", "cheers", "lol", "haha", "ok", "okay", "sure", "indeed", "exactly",
        "true", "same", "bookmarked", "subscribed", "update", "updated", "edit", "edited", "note", "ps", "p.s", "reply",
        "replies", "share", "like", "comments", "comment", "responses", "response", "posted", "written", "filed",
        "tags",
        "tagged", "categories", "category", "related", "leave", "read", "click", "visit", "check", "see", "www", "http",
        "https", "all", "any", "some", "such", "is", "are", "was", "were", "be", "a", "an", "in", "on", "at", "to",
        "for",
        "with", "by", "from", "as", "not", "do", "does", "did", "can", "could", "should", "would", "will", "may",
        "might",
        "must", "have", "has", "had", "also", "then", "now", "after", "before", "since", "because", "although",
        "though",
        "anyway", "btw", "fyi", "imho", "imo", "agreed", "definitely", "perfect", "brilliant", "fantastic", "helpful",
        "useful", "informative", "beautiful", "cool", "sweet", "omg", "ugh", "hmm", "oh", "ah", "me", "too", "post",
        "article", "blog", "site", "website", "page", "more", "next", "previous", "older", "newer", "home", "menu",
        "search", "posts", "archives", "subscribe", "login", "log", "sign", "pingback", "trackback", "avatar",
        "anonymous's",
        "regards", "kind", "best", "warm", "warmest", "sincerely", "yours", "xoxo", "peace", "happy", "merry", "sorry",
        "welcome", "bravo", "kudos", "respect", "noted", "done", "fixed", "correct", "right", "wrong", "nice,", "same,",
    ]

    /// Words that open sentences, never names, even before `says:` (`My dad says:`, `Everyone said`).
    static let sentenceStarters: Set<String> = [
        "i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll", "im", "it", "it's", "it’s", "its", "this",
        "that", "these", "those", "there", "here", "my", "we", "you", "your", "he", "she", "they", "our", "his", "her",
        "and", "but", "or", "if", "so", "then", "when", "where", "what", "why", "how", "who", "which", "because",
        "although", "though", "also", "just", "me", "him", "them", "everyone", "everybody", "someone", "nobody",
        "people", "somebody", "one", "a", "an", "in", "on", "at", "to", "for", "as", "is", "was", "he's", "she's",
    ]

    /// Whole lines that are page furniture, never an author.
    static let nonNames: Set<String> = [
        "post author", "author", "reply", "share", "recommend", "like", "likes",
        "trackbacks/pingbacks", "pingbacks", "trackbacks", "discussion", "comments", "responses", "permalink",
        "uncategorized", "skip to content", "main menu", "primary menu", "navigation",
    ]
}

extension StringProtocol {
    /// The text without surrounding punctuation and white space (`“Jane,”` → `Jane`).
    var trimmingDumpPunctuation: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace || (f.isPunctuation && f != "@") || f.isSymbol { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace || l.isPunctuation || l.isSymbol { s = s.dropLast() }
        return String(s)
    }

    fileprivate func dumpTrimming(_ set: String) -> Substring {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
