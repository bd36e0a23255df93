import HandraiserModel

/// A link found in a comment, with where it was seen.
public struct FoundLink: Sendable, Hashable {
    /// The URL as written (entities decoded); a bare domain stays bare (`example.com/page`).
    public var url: String
    /// The host, lowercased, when the URL has one.
    public var host: String?
    /// Where it was seen: the `content` field for links in the comment, `url` for the author URL.
    public var evidence: Evidence

    public init(url: String, host: String?, evidence: Evidence) {
        self.url = url
        self.host = host
        self.evidence = evidence
    }

    /// Whether the link is in the comment itself rather than in the author URL field.
    public var isInBody: Bool { evidence.field != .url }
}

/// Finds the links of a comment: `http(s)://` URLs in text and in `<a href>`, `[url=…]` BBCode,
/// `www.` and bare domains (`example.com`), plus the author URL field.
///
/// One scanner over the content as given covers HTML, BBCode and plain text alike, since every
/// one of those forms writes the URL itself out; the same URL seen twice (an anchor whose text
/// repeats its `href`) is reported once.
public enum LinkExtractor {
    public static func links(in comment: Comment) -> [FoundLink] {
        var found: [FoundLink] = []
        var seen: Set<String> = []
        for candidate in scanFoldingFullwidth(comment.content) {
            let key = identity(of: candidate.url)
            // Disqus shows a long href as its truncated text ("http://example.org/wik..."): the same link.
            if candidate.truncated && seen.contains(where: { $0.hasPrefix(key) }) { continue }
            guard seen.insert(key).inserted else { continue }
            found.append(
                FoundLink(
                    url: candidate.url, host: candidate.host,
                    evidence: Evidence(field: .content, in: comment.content, range: candidate.range)))
        }
        if let authorURL = comment.authorURL?.trimmedWhitespace, !authorURL.isEmpty,
            authorURL.contains(".")
        {
            let full = comment.authorURL ?? authorURL
            let range = TextScan.range(of: authorURL, in: full) ?? 0..<full.utf8.count
            found.append(
                FoundLink(
                    url: authorURL, host: host(of: authorURL), evidence: Evidence(field: .url, in: full, range: range)))
        }
        return found
    }

    /// `scan` of `text` with fullwidth forms read as the ASCII they stand for, so a link written
    /// in fullwidth letters (`ｈｔｔｐ://ｗｗｗ.ｅｘａｍｐｌｅ.ｃｏｍ`, as spam does to slip past
    /// link filters) is found like any other; ranges stay byte ranges into `text`.
    ///
    /// Only text with a fullwidth Latin letter is folded: Chinese and Japanese prose uses
    /// fullwidth punctuation (`，`, `：`) all the time, and folding that alone would move where
    /// the links next to it end.
    static func scanFoldingFullwidth(_ text: String) -> [Candidate] {
        guard let folded = FullwidthFold(text) else { return scan(text) }
        return scan(folded.text).map { candidate in
            var candidate = candidate
            candidate.range = folded.original(candidate.range)
            return candidate
        }
    }

    /// The lowercased host of a URL or bare domain, without a leading `www.`.
    public static func host(of url: String) -> String? {
        // On bytes: the separators are ASCII, and the standard library's string search is slow.
        let bytes = Array(url.utf8)
        var start = 0
        if let scheme = TextScan.offset(of: "://", in: bytes) {
            start = scheme + 3
        } else if bytes.starts(with: "//".utf8) {
            start = 2
        }
        if let at = bytes[start...].firstIndex(of: UInt8(ascii: "@")),
            !bytes[start..<at].contains(UInt8(ascii: "/"))
        {
            start = at + 1
        }
        var end = start
        while end < bytes.count {
            let b = bytes[end]
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") || b == UInt8(ascii: ":") {
                break
            }
            end += 1
        }
        guard bytes[start..<end].contains(UInt8(ascii: ".")) else { return nil }
        while end > start && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        var host = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return host.isEmpty ? nil : host
    }

    /// How two spellings of one link compare equal: no scheme, no `www.`, no trailing slash.
    static func identity(of url: String) -> String {
        var bytes = Array(url.lowercased().utf8)
        if let scheme = TextScan.offset(of: "://", in: bytes) { bytes.removeFirst(scheme + 3) }
        if bytes.starts(with: "www.".utf8) { bytes.removeFirst(4) }
        while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    struct Candidate {
        var url: String
        var host: String?
        var range: Range<Int>
        /// Followed by `...` or `…`: a shortened display of a longer URL.
        var truncated: Bool
    }

    /// Every URL-like span of `text`, in order (duplicates included).
    static func scan(_ text: String) -> [Candidate] {
        let bytes = Array(text.utf8)
        var result: [Candidate] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard isAlnum(b) else {
                i += 1
                continue
            }
            let boundary = i == 0 || !isDomainByte(bytes[i - 1]) && bytes[i - 1] != UInt8(ascii: "@")
            guard boundary else {
                i += 1
                continue
            }
            if let end = schemeURLEnd(bytes, at: i) {
                append(bytes, i..<end, hasScheme: true, into: &result)
                i = end
                continue
            }
            // A run of domain characters: maybe `www.example.com` or `example.com`.
            var j = i
            while j < bytes.count, isDomainByte(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "@") {
                i = j + 1  // the local part of an e-mail address
                continue
            }
            // A domain has a dot between labels; most runs are plain words.
            if bytes[i..<j].contains(UInt8(ascii: ".")), let domainEnd = bareDomainEnd(bytes, i..<j) {
                var end = domainEnd
                let hasPath = end < bytes.count && (bytes[end] == UInt8(ascii: "/") || bytes[end] == UInt8(ascii: "?"))
                if hasPath { end = urlEnd(bytes, from: end) }
                if acceptBareDomain(bytes, i..<domainEnd, hasPath: hasPath) {
                    append(bytes, i..<end, hasScheme: false, into: &result)
                }
                i = max(end, j)
                continue
            }
            i = j
        }
        return result
    }

    private static func append(_ bytes: [UInt8], _ range: Range<Int>, hasScheme: Bool, into result: inout [Candidate]) {
        var raw = String(decoding: bytes[range], as: UTF8.self)
        var upper = range.upperBound
        // An entity-encoded quote ends the URL (`href=&quot;http://x&quot;`).
        if raw.utf8.contains(UInt8(ascii: "&")), let quote = TextScan.offset(of: "&quot;", in: bytes[range]) {
            upper = range.lowerBound + quote
            raw = String(decoding: bytes[range.lowerBound..<upper], as: UTF8.self)
        }
        let url = PlainText.decodingEntities(raw)
        guard url.utf8.count >= 4 else { return }
        let host = host(of: url)
        if hasScheme && host == nil { return }
        let after = bytes[range.upperBound...].prefix(3)
        let truncated = after.elementsEqual("...".utf8) || after.elementsEqual("…".utf8)
        result.append(Candidate(url: url, host: host, range: range.lowerBound..<upper, truncated: truncated))
    }

    /// The end of a URL starting with `http://`, `https://` or `ftp://` at `i`.
    private static func schemeURLEnd(_ bytes: [UInt8], at i: Int) -> Int? {
        // Only a letter that can start a scheme is worth comparing.
        guard bytes[i] | 0x20 == UInt8(ascii: "h") || bytes[i] | 0x20 == UInt8(ascii: "f") else { return nil }
        for scheme in schemes where i + scheme.count < bytes.count {
            var matches = true
            for k in 0..<scheme.count where TextScan.lowerASCII(bytes[i + k]) != scheme[k] {
                matches = false
                break
            }
            if matches {
                let end = urlEnd(bytes, from: i + scheme.count)
                return end > i + scheme.count ? end : nil
            }
        }
        return nil
    }

    private static let schemes: [[UInt8]] = [Array("https://".utf8), Array("http://".utf8), Array("ftp://".utf8)]

    /// Extends a URL over its path and trims punctuation that more likely ends the sentence.
    private static func urlEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        var parens = 0
        while end < bytes.count {
            let b = bytes[end]
            if b <= 0x20 || b >= 0x80 { break }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
                || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}")
                || b == UInt8(ascii: "|") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "^") || b == UInt8(ascii: "`")
            {
                break
            }
            if b == UInt8(ascii: "(") { parens += 1 }
            if b == UInt8(ascii: ")") {
                if parens == 0 { break }
                parens -= 1
            }
            end += 1
        }
        while end > start, ".,;:!?*".utf8.contains(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// When `run` (letters, digits, dots, hyphens) is a domain name, the end of its host part.
    private static func bareDomainEnd(_ bytes: [UInt8], _ run: Range<Int>) -> Int? {
        var end = run.upperBound
        while end > run.lowerBound, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") {
            end -= 1
        }
        let labels = bytes[run.lowerBound..<end].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return nil }
        guard let tld = labels.last, tld.allSatisfy(isLetter) else { return nil }
        let name = String(decoding: tld, as: UTF8.self).lowercased()
        guard strongTLDs.contains(name) || weakTLDs.contains(name) else { return nil }
        guard let first = labels.first, first.contains(where: isLetter) else { return nil }
        return end
    }

    /// Filters out the bare "domains" that are really words run together or product names.
    private static func acceptBareDomain(_ bytes: [UInt8], _ host: Range<Int>, hasPath: Bool) -> Bool {
        let text = String(decoding: bytes[host], as: UTF8.self)
        let lower = text.lowercased()
        if lower.hasPrefix("www.") { return true }
        let labels = text.split(separator: ".")
        guard let tld = labels.last, let label = labels.dropLast().last else { return false }
        // `ASP.NET`, `VB.NET`: a product name written in capitals, not a link.
        if !hasPath, tld.allSatisfy({ $0.isUppercase }), tld.count > 1 { return false }
        // `it.Me`, `to.be`: a sentence run on without a space.
        if weakTLDs.contains(tld.lowercased()) && !hasPath { return false }
        // `careers.Geographical` never gets here (no such TLD); `end.Com` would: a capital after the dot
        // with a lowercase word before reads as a missing space.
        if !hasPath, tld.first?.isUppercase == true, tld.dropFirst().allSatisfy({ $0.isLowercase }), labels.count == 2,
            label.count > 1, label.allSatisfy({ $0.isLowercase })
        {
            return false
        }
        return true
    }

    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    @inline(__always) private static func isAlnum(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= 48 && b <= 57)
    }

    @inline(__always) private static func isDomainByte(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    /// Top-level domains that rarely end an ordinary word.
    static let strongTLDs: Set<String> = [
        "com", "net", "org", "info", "biz", "mobi", "name", "pro", "xyz", "online", "site", "top", "club", "shop",
        "store", "live", "tech", "space", "website", "link", "click", "blog", "news", "today", "guru", "io", "ly",
        "gl", "gd", "tk", "ml", "ga", "cf", "gq", "su", "ru", "ua", "by", "kz", "uk", "de", "fr", "es", "nl", "ch",
        "se", "dk", "fi", "cz", "sk", "hu", "ro", "bg", "gr", "pt", "ie", "eu", "ca", "au", "nz", "jp", "cn", "hk",
        "tw",
        "kr", "pk", "bd", "vn", "th", "ph", "sg", "br", "ar", "mx", "cl", "pe", "ve", "za", "ng", "ke", "tv", "ws",
        "cc",
        "fm", "ai", "gov", "edu", "coop", "travel", "pw", "vip", "win", "bid", "loan", "men", "date", "review",
        "trade", "stream", "download", "racing", "science", "party", "icu", "cyou", "buzz", "fun", "ir", "tr", "il",
    ]

    /// Top-level domains that are also common short words (`to.be`, `it.me`): only with a path or `www.`.
    static let weakTLDs: Set<String> = [
        "me", "be", "in", "it", "us", "to", "at", "no", "is", "my", "so", "co", "do", "am", "an", "as", "id", "la",
        "im",
    ]
}

/// A text with its fullwidth forms (U+FF01–U+FF5E) replaced by the ASCII characters they are
/// wide versions of, and the way back from a byte offset in the folded text to the original.
struct FullwidthFold {
    let text: String
    /// Per byte of `text`, and one past its end: the byte offset it came from in the original.
    private let offsets: [Int]

    /// Nil when `original` holds no fullwidth Latin letter (nothing worth folding).
    init?(_ original: String) {
        let bytes = Array(original.utf8)
        // A fullwidth form is EF BC 81–BF (U+FF01–FF3F) or EF BD 80–9E (U+FF40–FF5E) in UTF-8.
        func ascii(at i: Int) -> UInt8? {
            guard i + 2 < bytes.count, bytes[i] == 0xEF else { return nil }
            let low = bytes[i + 2] & 0x3F
            guard bytes[i + 2] & 0xC0 == 0x80 else { return nil }
            if bytes[i + 1] == 0xBC && low >= 0x01 { return 0x20 + low }
            if bytes[i + 1] == 0xBD && low <= 0x1E { return 0x60 + low }
            return nil
        }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        var hasLetter = false
        var i = 0
        while i < bytes.count && !hasLetter {
            if let b = ascii(at: i), isLetter(b) { hasLetter = true }
            i += 1
        }
        guard hasLetter else { return nil }
        var folded: [UInt8] = []
        var offsets: [Int] = []
        folded.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        i = 0
        while i < bytes.count {
            if let b = ascii(at: i) {
                folded.append(b)
                offsets.append(i)
                i += 3
            } else {
                folded.append(bytes[i])
                offsets.append(i)
                i += 1
            }
        }
        offsets.append(bytes.count)
        self.text = String(decoding: folded, as: UTF8.self)
        self.offsets = offsets
    }

    /// `range` of the folded text as a range of the original's bytes.
    func original(_ range: Range<Int>) -> Range<Int> {
        offsets[range.lowerBound]..<offsets[range.upperBound]
    }
}
