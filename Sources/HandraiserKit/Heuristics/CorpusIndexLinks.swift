import HandraiserModel

/// One comment's link as the link index keeps it: the page's key and who posted it.
struct LinkPost: Sendable, Hashable, Comparable {
    /// A hash of `LinkIndex.key(of:)`.
    var link: UInt64
    /// Up to three 16-bit hashes of the author name's words (never 0, 0 where there is none)
    /// in the low 48 bits, a 16-bit hash of the whole name in the high 16.
    var nameWords: UInt64
    /// A hash of the author's e-mail address, 0 when there is none.
    var email: UInt64

    static func < (a: Self, b: Self) -> Bool {
        (a.link, a.nameWords, a.email) < (b.link, b.nameWords, b.email)
    }

    static let wordCount = 3
}

/// Who posted a link, as far as names and e-mail addresses tell. Two posts are by one person
/// when their addresses agree or their whole names do; and, unless both give addresses and these
/// differ, when their names share a word ("Ben", "Ben Balter" and "Benjamin J. Balter" on a forum
/// without addresses are one person). Two addresses under "cheap jerseys" and "cheap jerseys
/// sale" are two senders. Unnamed posts without an address are nobody in particular.
struct LinkPoster: Sendable {
    var nameWords: Set<UInt16>
    var names: Set<UInt16>
    var emails: Set<UInt64>

    init(nameWords: UInt64, email: UInt64) {
        self.nameWords = Set(LinkIndex.unpack(nameWords))
        self.names = self.nameWords.isEmpty ? [] : [LinkIndex.wholeName(nameWords)]
        self.emails = email == 0 ? [] : [email]
    }

    var isNobody: Bool { nameWords.isEmpty && emails.isEmpty }

    func isSamePerson(nameWords packed: UInt64, email: UInt64) -> Bool {
        if email != 0 && emails.contains(email) { return true }
        let words = LinkIndex.unpack(packed)
        if !words.isEmpty && names.contains(LinkIndex.wholeName(packed)) { return true }
        if email != 0 && !emails.isEmpty { return false }
        return words.contains(where: nameWords.contains)
    }

    mutating func merge(nameWords packed: UInt64, email: UInt64) {
        let words = LinkIndex.unpack(packed)
        nameWords.formUnion(words)
        if !words.isEmpty { names.insert(LinkIndex.wholeName(packed)) }
        if email != 0 { emails.insert(email) }
    }

    mutating func merge(_ other: LinkPoster) {
        nameWords.formUnion(other.nameWords)
        names.formUnion(other.names)
        emails.formUnion(other.emails)
    }

    /// Adds the words of a name (the post's author's) without an address of theirs.
    mutating func merge(words: [UInt16]) {
        nameWords.formUnion(words)
    }
}

/// Every link the input's comments post (in their text or as their author URL), with who posted
/// each, so a check can ask how many other people posted the same page: the same product page or
/// shop under several names is how a campaign looks.
///
/// Kept as sorted 24-byte records. Past `spillAfter` records they move to a temporary file, are
/// sorted there a slice of key space at a time, and a lookup reads a few blocks found through
/// every `blockSize`-th record's key, held in memory: memory stays flat whatever the input's size.
final class LinkIndex: Sendable {
    private enum Storage: Sendable {
        case memory([LinkPost])
        case file(SpilledLinks)
    }
    private let storage: Storage

    /// The most records of one link a lookup reads: enough to see a few different people.
    static let recordsPerLookup = 256

    var isSpilled: Bool {
        if case .file = storage { return true }
        return false
    }

    /// Collects link records one comment at a time.
    struct Builder {
        fileprivate var records: [LinkPost] = []
        fileprivate var spill: LinkSpillWriter?
        fileprivate var spillAfter: Int

        init(spillAfter: Int) {
            self.spillAfter = max(1, spillAfter)
        }

        mutating func add(_ posts: [LinkPost]) {
            guard !posts.isEmpty else { return }
            records.append(contentsOf: posts)
            if records.count >= spillAfter { moveToFile() }
        }

        /// When the file cannot be made or written (no space left), what was written is read
        /// back and the records stay in memory: it costs memory, never a verdict.
        fileprivate mutating func moveToFile() {
            guard !records.isEmpty else { return }
            if spill == nil { spill = LinkSpillWriter() }
            guard let writer = spill, writer.append(records) else {
                keepInMemory()
                return
            }
            records.removeAll(keepingCapacity: true)
        }

        fileprivate mutating func keepInMemory() {
            spillAfter = .max
            guard let writer = spill else { return }
            spill = nil
            records = writer.readBack() + records
        }
    }

    init(_ builder: consuming Builder) {
        if builder.spill != nil {
            builder.moveToFile()
            if let writer = builder.spill, let spilled = writer.finish() {
                storage = .file(spilled)
                return
            }
            builder.keepInMemory()
        }
        var records = builder.records
        builder.records = []
        records.sort()
        storage = .memory(records)
    }

    /// How many people other than `poster` (and whoever `poster` already holds, such as the
    /// post's author) posted `link`, up to `limit`. The first `recordsPerLookup` records of the
    /// link are grouped into people, whatever their order: a post that shares a word with one
    /// group and an address with another joins them.
    func otherPeople(posting link: UInt64, besides poster: LinkPoster, limit: Int) -> Int {
        var people = [poster]
        var seen = 0
        visit(link) { post in
            seen += 1
            guard !Self.unpack(post.nameWords).isEmpty || post.email != 0 else { return seen < Self.recordsPerLookup }
            let matching = people.indices.filter {
                people[$0].isSamePerson(nameWords: post.nameWords, email: post.email)
            }
            if let first = matching.first {
                // Into the first group found, so `poster` stays the first.
                people[first].merge(nameWords: post.nameWords, email: post.email)
                for other in matching.dropFirst().reversed() {
                    people[first].merge(people[other])
                    people.remove(at: other)
                }
            } else {
                people.append(LinkPoster(nameWords: post.nameWords, email: post.email))
            }
            // A later post may join two groups, so the count is known only at the end.
            return seen < Self.recordsPerLookup
        }
        return min(limit, people.count - 1)
    }

    /// Calls `body` with every record of `link` in order until it returns false.
    private func visit(_ link: UInt64, _ body: (LinkPost) -> Bool) {
        switch storage {
        case .memory(let records):
            var low = 0
            var high = records.count
            while low < high {
                let middle = (low + high) / 2
                if records[middle].link < link { low = middle + 1 } else { high = middle }
            }
            while low < records.count, records[low].link == link, body(records[low]) { low += 1 }
        case .file(let spilled):
            spilled.visit(link, body)
        }
    }

    // MARK: Keys

    /// The records of `comment`'s links that can stand for one page, under its author.
    static func posts(of comment: Comment) -> [LinkPost] {
        guard comment.type == .comment else { return [] }
        let keys = Set(LinkExtractor.links(in: comment.judgedPart).compactMap { key(of: $0.url) })
        guard !keys.isEmpty else { return [] }
        let nameWords = pack(comment.author)
        let email = emailHash(comment)
        return keys.sorted().map { LinkPost(link: CorpusIndex.fnv1a($0), nameWords: nameWords, email: email) }
    }

    /// The 16-bit hashes (never 0) of the name's words of two or more letters, at most four;
    /// none for an anonymous name.
    static func nameWordHashes(_ name: String?) -> [UInt16] {
        var hashes: [UInt16] = []
        for word in nameWords(name) where hashes.count < LinkPost.wordCount {
            let hash = max(1, UInt16(truncatingIfNeeded: CorpusIndex.mix(CorpusIndex.fnv1a(word))))
            if !hashes.contains(hash) { hashes.append(hash) }
        }
        return hashes
    }

    static func nameWords(_ name: String?) -> [String] {
        let words = (name ?? "").lowercased().split { !$0.isLetter }.filter { $0.count >= 2 }.map(String.init)
        return words.count == 1 && ["anonymous", "guest", "anon"].contains(words[0]) ? [] : words
    }

    /// A name's word hashes and the hash of its whole lowercased letters, packed as `LinkPost` keeps them.
    static func pack(_ name: String?) -> UInt64 {
        let words = nameWords(name)
        guard !words.isEmpty else { return 0 }
        let whole = UInt64(UInt16(truncatingIfNeeded: CorpusIndex.mix(CorpusIndex.fnv1a(words.joined(separator: " ")))))
        return nameWordHashes(name).enumerated().reduce(whole << 48) {
            $0 | UInt64($1.element) << (16 * UInt64($1.offset))
        }
    }

    static func wholeName(_ packed: UInt64) -> UInt16 {
        UInt16(truncatingIfNeeded: packed >> 48)
    }

    static func unpack(_ packed: UInt64) -> [UInt16] {
        (0..<LinkPost.wordCount).compactMap { k in
            let hash = UInt16(truncatingIfNeeded: packed >> (16 * UInt64(k)))
            return hash == 0 ? nil : hash
        }
    }

    static func emailHash(_ comment: Comment) -> UInt64 {
        guard let email = comment.authorEmail?.trimmedWhitespace.lowercased(), email.contains("@") else { return 0 }
        return max(1, CorpusIndex.fnv1a(email))
    }

    /// Query parameters that say where a visitor came from, not which page it is.
    static func isTracking(_ parameter: Substring) -> Bool {
        let name = parameter.prefix { $0 != "=" }
        return name.hasPrefix("utm_")
            || ["fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src", "igshid"].contains(name)
    }

    /// The page a link names, for comparing: no scheme, `www.`, fragment, tracking parameters,
    /// trailing slash or punctuation. Nil for what two people share without any campaign: a bare
    /// site (one blog's home page is linked by all its readers), an image or script, a display
    /// cut short ("example.org/wik..."), a mailto link, and the sites readers cite to each
    /// other (`sharedHosts`).
    static func key(of url: String) -> String? {
        var text = Substring(url.lowercased().replacingOccurrences(of: "&amp;", with: "&"))
        guard !text.hasPrefix("mailto:"), !text.hasSuffix("..."), !text.hasSuffix("…") else { return nil }
        guard let host = LinkExtractor.host(of: String(text)), host.contains("."), !isSharedHost(host) else {
            return nil
        }
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        if text.hasPrefix("www.") { text = text.dropFirst(4) }
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        let hostEnd = text.firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
        var path = text[hostEnd...]
        var query: [Substring] = []
        if let mark = path.firstIndex(of: "?") {
            query = path[path.index(after: mark)...].split(separator: "&").filter { !isTracking($0) }
            path = path[..<mark]
        }
        while let last = path.last, "/.,;:!?)]}\"'”’\u{FEFF}".contains(last) { path = path.dropLast() }
        guard !path.isEmpty || !query.isEmpty else { return nil }
        let staticFiles = [".gif", ".png", ".jpg", ".jpeg", ".webp", ".svg", ".ico", ".css", ".js"]
        guard !staticFiles.contains(where: path.hasSuffix) else { return nil }
        return host + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// Sites whose pages readers point each other to all the time (code, encyclopaedias, Q&A,
    /// video, standards and plugin directories): two readers citing one such page is a
    /// discussion, not a campaign. Subdomains count (`en.wikipedia.org`).
    static let sharedHosts: [String] = [
        "github.com", "githubusercontent.com", "gist.github.com", "gitlab.com", "bitbucket.org", "sourceforge.net",
        "wikipedia.org", "wikimedia.org", "wiktionary.org", "stackoverflow.com", "stackexchange.com",
        "superuser.com", "serverfault.com", "askubuntu.com", "youtube.com", "youtu.be", "vimeo.com",
        "wordpress.org", "w3.org", "mozilla.org", "python.org", "php.net", "apple.com", "microsoft.com",
        "archive.org",
    ]

    static func isSharedHost(_ host: String) -> Bool {
        sharedHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    /// Whether `host` is `own` or one of its subdomains (a blog's pages and its media host).
    static func isOwnHost(_ host: String, _ own: String?) -> Bool {
        guard let own else { return false }
        return host == own || host.hasSuffix("." + own) || own.hasSuffix("." + host)
    }
}

/// Writes link records to a temporary file, three 64-bit words each, in the order they came.
final class LinkSpillWriter {
    private let file: ScratchFile
    private var written = 0
    static let recordWords = 3
    /// Records sorted at once: 12 MB. More are sorted a slice of key space at a time.
    static let sortBudget = 1 << 19
    /// Records read at once while sorting.
    static let readChunk = 1 << 15

    init?() {
        guard let file = ScratchFile.index() else { return nil }
        self.file = file
    }

    func append(_ records: [LinkPost]) -> Bool {
        guard file.write(Self.words(records), at: written * Self.recordWords * 8) else { return false }
        written += records.count
        return true
    }

    static func words(_ records: [LinkPost]) -> [UInt64] {
        var words: [UInt64] = []
        words.reserveCapacity(records.count * recordWords)
        for record in records { words += [record.link, record.nameWords, record.email] }
        return words
    }

    static func records(_ words: [UInt64]) -> [LinkPost] {
        stride(from: 0, to: words.count - recordWords + 1, by: recordWords).map {
            LinkPost(link: words[$0], nameWords: words[$0 + 1], email: words[$0 + 2])
        }
    }

    private func read(_ count: Int, from start: Int) -> [LinkPost]? {
        file.read(count * Self.recordWords, at: start * Self.recordWords * 8).map(Self.records)
    }

    /// Everything written, for records that must stay in memory after all.
    func readBack() -> [LinkPost] {
        read(written, from: 0) ?? []
    }

    /// Sorts the records into a second file, at most `sortBudget` at a time; nil when the files fail.
    func finish(sortBudget: Int = LinkSpillWriter.sortBudget) -> SpilledLinks? {
        guard let sorted = ScratchFile.index() else { return nil }
        let slices = max(1, (written + sortBudget - 1) / sortBudget)
        var fences: [UInt64] = []
        var position = 0
        for slice in 0..<slices {
            var records: [LinkPost] = []
            var start = 0
            while start < written {
                guard let chunk = read(min(Self.readChunk, written - start), from: start) else { return nil }
                // Link keys are hashes, so their top bits share the records out evenly.
                records.append(
                    contentsOf: slices == 1 ? chunk : chunk.filter { SpillWriter.slice($0.link, of: slices) == slice })
                start += chunk.count
            }
            records.sort()
            for index in records.indices where (position + index) % SpilledLinks.blockSize == 0 {
                fences.append(records[index].link)
            }
            guard sorted.write(Self.words(records), at: position * Self.recordWords * 8) else { return nil }
            position += records.count
        }
        return SpilledLinks(file: sorted, count: written, fences: fences)
    }
}

/// Link records on disk, sorted, found through the first link of every block.
final class SpilledLinks: Sendable {
    static let blockSize = 256
    private let file: ScratchFile
    private let count: Int
    private let fences: [UInt64]

    init(file: ScratchFile, count: Int, fences: [UInt64]) {
        self.file = file
        self.count = count
        self.fences = fences
    }

    /// Calls `body` with every record of `link` in order until it returns false.
    func visit(_ link: UInt64, _ body: (LinkPost) -> Bool) {
        var block = fences.firstBlock(for: link)
        while block * Self.blockSize < count {
            let start = block * Self.blockSize
            let length = min(Self.blockSize, count - start)
            guard
                let words = file.read(length * LinkSpillWriter.recordWords, at: start * LinkSpillWriter.recordWords * 8)
            else { return }
            for record in LinkSpillWriter.records(words) where record.link >= link {
                guard record.link == link, body(record) else { return }
            }
            block += 1
        }
    }
}
