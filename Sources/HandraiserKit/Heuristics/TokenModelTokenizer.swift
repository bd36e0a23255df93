import HandraiserModel

/// Turns a comment into the tokens a `TokenModel` counts, the way bogofilter and SpamAssassin's
/// Bayes tokenise mail: the words of the text, plus tokens for the parts of a comment that are not
/// prose.
///
/// - words of the normalised text, lowercased (one-letter Latin words and long digit runs are
///   dropped; a run of 5+ digits becomes `#digits:N`, since phone numbers and order codes are
///   telling by their shape, not their value);
/// - CJK text as overlapping character pairs (`新年`, `年快`, `快乐`), since Chinese and Japanese
///   write no spaces between words; a lone CJK character is its own token;
/// - symbols such as emoji and hearts as `s:♥`;
/// - link hosts as `h:spam.example.com` and their last two labels `h:example.com`, the author URL's
///   host as `uh:…`, each top-level domain as `tld:ru`;
/// - author-name words as `a:word`, the e-mail domain as `ed:gmail.com`;
/// - the shape of the whole comment: `links:0`, `links:1`, `links:2-3`, `links:4+`, and
///   `words:N+` with N a power of two;
/// - how a link in the text points: `lp:home` (a bare host), `lp:page` (one path segment) or
///   `lp:deep` (more, or a query), since a drop links one page deep into a site;
/// - how the text is written: `shape:caps` (mostly capitals), `shape:bangs` (`!!!`),
///   `shape:stretched` (a letter four times, "pleasssse").
///
/// Prefixes keep the kinds apart: the word `casino` in a name says more than in a text. Each
/// token is counted once per comment; the list is sorted so training and scoring are deterministic.
public enum TokenModelTokenizer {
    /// Words longer than this are cut: long runs are hashes and URL parts, rarely seen twice.
    static let maximumWordLength = 30

    /// The distinct tokens of `comment`, sorted.
    public static func tokens(of comment: Comment) -> [String] {
        tokens(of: comment, normalized: NormalizedText(comment.text), links: LinkExtractor.links(in: comment))
    }

    /// The distinct tokens of `comment`, reusing its normalised text and links when a caller has them.
    public static func tokens(of comment: Comment, normalized: NormalizedText, links: [FoundLink]) -> [String] {
        tokenSet(of: comment, normalized: normalized, links: links).sorted(by: TokenModel.tokenOrder)
    }

    /// The distinct tokens of `comment`, unordered: learning and scoring count each token once
    /// whatever the order, and sorting them took a quarter of `learn`'s time. `words` are those
    /// of `normalized.text` when the caller has scanned them (a check's context has).
    static func tokenSet(
        of comment: Comment, normalized: NormalizedText, links: [FoundLink], words scanned: [WordToken]? = nil
    ) -> Set<String> {
        var tokens: Set<String> = []
        let words = scanned ?? TextScan.words(in: normalized.text)
        addTextTokens(words, in: normalized.text, into: &tokens)
        addSymbols(normalized.text, into: &tokens)

        var wordCount = 0
        for word in words where !word.isCJK { wordCount += 1 }
        // A CJK character is about half a word; counting pairs keeps Chinese comments comparable.
        wordCount += words.lazy.filter(\.isCJK).count / 2
        tokens.insert("words:\(bucket(wordCount))")

        var bodyLinks = 0
        for link in links {
            guard let host = link.host else {
                if link.isInBody { bodyLinks += 1 }
                continue
            }
            let prefix = link.isInBody ? "h:" : "uh:"
            if link.isInBody { bodyLinks += 1 }
            tokens.insert(prefix + host)
            let labels = host.split(separator: ".")
            if labels.count > 2 { tokens.insert(prefix + labels.suffix(2).joined(separator: ".")) }
            if let tld = labels.last, tld.allSatisfy(\.isLetter) { tokens.insert("tld:" + tld) }
            if link.isInBody { tokens.insert("lp:" + pathDepth(link.url)) }
        }
        tokens.insert("links:" + linkBucket(bodyLinks))
        addShape(normalized.text, into: &tokens)

        if let author = comment.author, !author.isEmpty {
            for word in TextScan.words(in: NormalizedText(author).text) {
                if let token = wordToken(word) { tokens.insert("a:" + token) }
            }
        }
        if let email = comment.authorEmail, let at = email.lastIndex(of: "@") {
            let domain = email[email.index(after: at)...].lowercased()
            if domain.contains(".") { tokens.insert("ed:" + domain) }
        }
        return tokens.filter(isStorable)
    }

    /// The word and CJK-pair tokens of already scanned words.
    static func addTextTokens(_ words: [WordToken], in text: String, into tokens: inout Set<String>) {
        let bytes = Array(text.utf8)
        func isSpaceOnly(_: String, _ range: Range<Int>) -> Bool {
            range.lowerBound <= range.upperBound && range.upperBound <= bytes.count
                && bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        }
        var index = 0
        var previous: (token: String, end: Int)?
        while index < words.count {
            let word = words[index]
            guard word.isCJK else {
                if let token = wordToken(word) {
                    tokens.insert(token)
                    // Pairs of neighbouring words ("check_out", "my_channel"): templates live in
                    // phrases whose words are common alone. Only across white space, not punctuation.
                    if let previous, isSpaceOnly(text, previous.end..<word.range.lowerBound) {
                        tokens.insert(previous.token + "_" + token)
                    }
                    previous = (token, word.range.upperBound)
                } else {
                    previous = nil
                }
                index += 1
                continue
            }
            previous = nil
            // A run of adjacent CJK characters (punctuation or a space ends it).
            var end = index + 1
            while end < words.count, words[end].isCJK, words[end].range.lowerBound == words[end - 1].range.upperBound {
                end += 1
            }
            if end - index == 1 {
                tokens.insert(word.lower)
            } else {
                for k in index..<(end - 1) { tokens.insert(words[k].lower + words[k + 1].lower) }
            }
            index = end
        }
    }

    /// The token for one non-CJK word, or nil for words that carry no signal.
    static func wordToken(_ word: WordToken) -> String? {
        if word.isCJK { return word.lower }
        if !word.hasLetter {
            let digits = word.lower.count
            return digits >= 5 ? "#digits:\(digits)" : word.lower
        }
        if word.lower.count < 2 && word.lower.unicodeScalars.allSatisfy({ $0.isASCII }) { return nil }
        return word.lower.count > maximumWordLength ? String(word.lower.prefix(maximumWordLength)) : word.lower
    }

    /// Emoji and other symbols (`So`), each as `s:` and the symbol.
    static func addSymbols(_ text: String, into tokens: inout Set<String>) {
        for scalar in text.unicodeScalars where scalar.value > 0x7F && scalar.properties.generalCategory == .otherSymbol
        {
            tokens.insert("s:" + String(scalar))
        }
    }

    /// Below this many letters a text is too short to be "mostly capitals" ("OK", "LOL").
    static let minimumCapsLetters = 12

    /// `shape:caps`, `shape:bangs` and `shape:stretched`, from one pass over the text.
    ///
    /// ASCII characters are judged from their byte: the Unicode property look-ups and the
    /// lowercased copy per character took a tenth of `scan --model`. Other characters keep
    /// `Character`'s own letter and case rules, so every text gets the tokens it always got.
    static func addShape(_ text: String, into tokens: inout Set<String>) {
        var letters = 0
        var upper = 0
        var bangs = 0
        var run = 0
        // The previous character when it was a letter, lowercased: ASCII as its byte, others as text.
        var previousASCII: UInt8?
        var previousFolded: String?
        for character in text {
            let isLetter: Bool
            if let ascii = character.asciiValue {
                let folded = ascii | 0x20
                isLetter = folded >= 0x61 && folded <= 0x7A
                if isLetter {
                    letters += 1
                    if ascii <= 0x5A { upper += 1 }
                    run = previousASCII == folded ? run + 1 : 1
                    previousASCII = folded
                } else {
                    run = 1
                    previousASCII = nil
                }
                previousFolded = nil
                bangs = ascii == 0x21 ? bangs + 1 : 0
            } else {
                isLetter = character.isLetter
                if isLetter {
                    letters += 1
                    if character.isUppercase { upper += 1 }
                    let folded = character.lowercased()
                    run = previousFolded == folded ? run + 1 : 1
                    previousFolded = folded
                } else {
                    run = 1
                    previousFolded = nil
                }
                previousASCII = nil
                bangs = 0
            }
            if bangs == 3 { tokens.insert("shape:bangs") }
            if run == 4 { tokens.insert("shape:stretched") }
        }
        // Caseless scripts (Chinese, Arabic) have no capitals and never count as shouting.
        if letters >= minimumCapsLetters && upper * 10 >= letters * 7 { tokens.insert("shape:caps") }
    }

    /// `home` for `http://host/`, `page` for one path segment, `deep` for more or a query.
    static func pathDepth(_ url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "home" }
        let path = rest[slash...]
        if path.contains("?") { return "deep" }
        let segments = path.split(separator: "/").filter { !$0.isEmpty }
        switch segments.count {
        case 0: return "home"
        case 1: return "page"
        default: return "deep"
        }
    }

    /// 0, 1, 2+, 4+, 8+, … 64+.
    static func bucket(_ count: Int) -> String {
        guard count >= 2 else { return String(count) }
        var power = 2
        while power * 2 <= count && power < 64 { power *= 2 }
        return "\(power)+"
    }

    static func linkBucket(_ count: Int) -> String {
        switch count {
        case 0: "0"
        case 1: "1"
        case 2...3: "2-3"
        default: "4+"
        }
    }

    /// A token fits the model file's one-token-per-line format: no white space, no control characters.
    static func isStorable(_ token: String) -> Bool {
        guard !token.isEmpty else { return false }
        // Most tokens are ASCII, where a byte above the space and below DEL is all it takes;
        // the Unicode property look-ups below took a tenth of `scan --model`.
        var isASCII = true
        for byte in token.utf8 {
            guard byte < 0x80 else {
                isASCII = false
                break
            }
            if byte <= 0x20 || byte == 0x7F { return false }
        }
        return isASCII
            || token.unicodeScalars.allSatisfy {
                $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace
                    && $0.properties.generalCategory != .control
            }
    }
}
