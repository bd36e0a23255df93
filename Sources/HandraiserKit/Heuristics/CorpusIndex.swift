import HandraiserModel

/// What the whole input says about one comment's text: how often it appears elsewhere.
public struct DuplicateCount: Sendable, Hashable {
    /// Other comments with the same or nearly the same text under another author name.
    public var elsewhere: Int
    /// How many different authors those comments have (the comment's own author excluded).
    public var otherAuthors: Int
    /// Other comments by the same author with the same text: double posts, or one person's
    /// comment present twice in an export (Disqus repeats threads under several ids).
    public var repeatsBySameAuthor: Int

    public init(elsewhere: Int = 0, otherAuthors: Int = 0, repeatsBySameAuthor: Int = 0) {
        self.elsewhere = elsewhere
        self.otherAuthors = otherAuthors
        self.repeatsBySameAuthor = repeatsBySameAuthor
    }
}

/// A near-duplicate index over every comment of the input, built once before classification.
///
/// Only copies under another author name count as duplicates: the same person's text seen twice
/// is a double post or an export artefact (Disqus exports repeat a page's thread under several ids).
///
/// Each comment's text is reduced to a template (lowercased, URLs, numbers and the author's own
/// name masked), then to a MinHash signature of its word 3-shingles; locality-sensitive bands find
/// candidates and the signatures' agreement estimates their Jaccard similarity. Texts shorter than
/// `minimumWords` are not indexed: "Thanks!" under many names is ordinary.
public final class CorpusIndex: Sendable {
    /// The shortest text, in words, that takes part in duplicate detection.
    public static let minimumWords = 8
    /// The estimated shingle similarity at which two texts count as the same template.
    public static let similarity = 0.7

    // Flat arrays, not an array of structs holding strings and dictionaries of arrays: the index
    // holds every comment of an export (over half a million in a 1 GB WXR), at 128 bytes each.
    // Past `Builder.memoryEntries` entries they move to temporary files (`SpilledIndex`), so
    // memory stays flat whatever the input's size; lookups then read a few small blocks.
    private enum Storage: Sendable {
        /// Per entry: a hash of the comment's identity (so it can skip itself) and of the author
        /// key; `hashCount` signature values per entry (16 bits of each MinHash value are enough
        /// to compare: two different values agree by chance once in 65,536); per band, the band
        /// key's high 40 bits and the entry number in the low 24, sorted.
        case memory(identities: [UInt64], authors: [UInt64], signatures: [UInt16], bands: [[UInt64]])
        case file(SpilledIndex)
    }
    private let storage: Storage
    private let count: Int
    /// Who posted each link of the input (`SharedLinkCheck`), built in the same pass.
    let links: LinkIndex

    static let hashCount = 24
    static let rowsPerBand = 3
    static var bandCount: Int { hashCount / rowsPerBand }
    static let entryBits: UInt64 = 24
    static let entryMask: UInt64 = (1 << entryBits) - 1
    /// Comments past this many are not indexed (the packed band entries have 24 bits).
    public static let capacity = Int(entryMask)

    public convenience init(comments: some Sequence<Comment>) {
        var builder = Builder()
        for comment in comments { builder.add(comment) }
        self.init(builder)
    }

    /// Whether the index moved to temporary files (it outgrew `Builder.memoryEntries`).
    public var isSpilled: Bool {
        if case .file = storage { return true }
        return false
    }

    /// Builds an index one comment at a time, so a streamed input never has to be held whole.
    public struct Builder {
        /// Entries kept in memory before they move to temporary files: 65,536 entries are 8 MB.
        public static let memoryEntries = 1 << 16

        fileprivate var identities: [UInt64] = []
        fileprivate var authors: [UInt64] = []
        fileprivate var signatures: [UInt16] = []
        fileprivate var bands = [[UInt64]](repeating: [], count: CorpusIndex.bandCount)
        /// Entries already written to `spill`.
        fileprivate var spilled = 0
        fileprivate var spill: SpillWriter?
        fileprivate var spillAfter: Int
        fileprivate var links: LinkIndex.Builder

        /// `spillAfter`: entries held in memory before the index moves to temporary files (and
        /// link records before the link index does).
        public init(spillAfter: Int = Builder.memoryEntries) {
            self.spillAfter = max(1, spillAfter)
            self.links = LinkIndex.Builder(spillAfter: spillAfter)
        }

        fileprivate var count: Int { spilled + identities.count }

        public mutating func add(_ comment: Comment) {
            links.add(LinkIndex.posts(of: comment))
            add(comment, signature: CorpusIndex.signature(of: comment))
        }

        /// Adds `comments` in order, working out their signatures on `workers` threads at once
        /// (the text work is the index's whole cost; adding is cheap).
        public mutating func add(contentsOf comments: [Comment], workers: Int) {
            guard workers > 1, comments.count > 1 else {
                comments.forEach { add($0) }
                return
            }
            let parts = ParallelMap.map(comments, workers: workers) {
                (signature: CorpusIndex.signature(of: $0), links: LinkIndex.posts(of: $0))
            }
            for (comment, part) in zip(comments, parts) {
                links.add(part.links)
                add(comment, signature: part.signature)
            }
        }

        private mutating func add(_ comment: Comment, signature: [UInt64]?) {
            guard count < CorpusIndex.capacity, let signature else { return }
            let entry = UInt64(count)
            identities.append(CorpusIndex.fnv1a(CorpusIndex.identity(of: comment)))
            authors.append(CorpusIndex.fnv1a(CorpusIndex.authorKey(comment)))
            signatures.append(contentsOf: signature.map { UInt16(truncatingIfNeeded: $0) })
            for band in 0..<bands.count {
                bands[band].append(CorpusIndex.bandKey(signature, band) & ~CorpusIndex.entryMask | entry)
            }
            if identities.count >= spillAfter { moveToFiles() }
        }

        /// Writes the entries held in memory to the temporary files. When the files cannot be
        /// made or written (no space left), what was written is read back and the index stays in
        /// memory from then on: it costs memory, never a verdict.
        fileprivate mutating func moveToFiles() {
            guard !identities.isEmpty else { return }
            if spill == nil { spill = SpillWriter() }
            guard let writer = spill, writer.append(identities, authors, signatures, bands) else {
                keepInMemory()
                return
            }
            spilled += identities.count
            identities.removeAll(keepingCapacity: true)
            authors.removeAll(keepingCapacity: true)
            signatures.removeAll(keepingCapacity: true)
            for band in bands.indices { bands[band].removeAll(keepingCapacity: true) }
        }

        fileprivate mutating func keepInMemory() {
            spillAfter = .max
            guard let writer = spill else { return }
            spill = nil
            guard spilled > 0 else { return }
            let back = writer.readBack(entries: spilled)
            identities = back.identities + identities
            authors = back.authors + authors
            signatures = back.signatures + signatures
            for band in bands.indices { bands[band] = back.bands[band] + bands[band] }
            spilled = 0
        }
    }

    /// Feeds a builder a batch of comments at a time, their signatures worked out on every
    /// worker, for readers that hand over comments one thread or one record at a time.
    public struct BatchingBuilder {
        let workers: Int
        let batchSize: Int
        private var builder: Builder
        private var pending: [Comment] = []

        /// `spillAfter`: see `Builder.init(spillAfter:)`.
        public init(workers: Int, batchSize: Int, spillAfter: Int = Builder.memoryEntries) {
            self.workers = workers
            self.batchSize = batchSize
            self.builder = Builder(spillAfter: spillAfter)
        }

        public mutating func add(_ comments: some Sequence<Comment>) {
            pending.append(contentsOf: comments)
            if pending.count >= batchSize { flush() }
        }

        private mutating func flush() {
            builder.add(contentsOf: pending, workers: workers)
            pending.removeAll(keepingCapacity: true)
        }

        /// Adds what is still pending and hands over the builder's storage without a copy.
        public mutating func finish() -> Builder {
            flush()
            var taken = Builder()
            swap(&taken, &builder)
            return taken
        }
    }

    /// Takes the builder's storage; the bands are sorted in place (or, spilled, on disk).
    public init(_ builder: consuming Builder) {
        count = builder.count
        var linkBuilder = LinkIndex.Builder(spillAfter: 1)
        swap(&linkBuilder, &builder.links)
        links = LinkIndex(linkBuilder)
        if builder.spill != nil {
            builder.moveToFiles()
            if let writer = builder.spill, let index = writer.finish(entries: builder.spilled) {
                storage = .file(index)
                return
            }
            builder.keepInMemory()
        }
        var bands = builder.bands
        builder.bands = []
        for band in bands.indices { bands[band].sort() }
        storage = .memory(
            identities: builder.identities, authors: builder.authors, signatures: builder.signatures, bands: bands)
    }

    /// An empty index (no duplicates anywhere), for checking a comment on its own.
    public convenience init() {
        self.init(Builder())
    }

    /// How many other comments of the input share `comment`'s text or template.
    public func duplicates(of comment: Comment) -> DuplicateCount {
        guard count > 0 else { return DuplicateCount() }
        return duplicates(of: comment, signature: Self.signature(of: comment))
    }

    /// The same, from the words and link ranges of the comment's normalised text that a check
    /// context has already scanned.
    func duplicates(of comment: Comment, words: [WordToken], linkRanges: [Range<Int>]) -> DuplicateCount {
        guard count > 0 else { return DuplicateCount() }
        return duplicates(
            of: comment, signature: Self.signature(Self.template(of: comment, words: words, linkRanges: linkRanges)))
    }

    private func duplicates(of comment: Comment, signature: [UInt64]?) -> DuplicateCount {
        guard let signature else { return DuplicateCount() }
        let identity = Self.fnv1a(Self.identity(of: comment))
        let author = Self.fnv1a(Self.authorKey(comment))
        var candidates: Set<Int> = []
        for band in 0..<Self.bandCount {
            let key = Self.bandKey(signature, band) & ~Self.entryMask
            switch storage {
            case .memory(_, _, _, let bands):
                let packed = bands[band]
                // Lower bound of `key` among the packed values.
                var low = 0
                var high = packed.count
                while low < high {
                    let middle = (low + high) / 2
                    if packed[middle] < key { low = middle + 1 } else { high = middle }
                }
                while low < packed.count, packed[low] & ~Self.entryMask == key {
                    candidates.insert(Int(packed[low] & Self.entryMask))
                    low += 1
                }
            case .file(let index):
                index.collect(band: band, key: key, into: &candidates)
            }
        }
        var count = DuplicateCount()
        var otherAuthors: Set<UInt64> = []
        var skippedSelf = false
        let needed = Int((Self.similarity * Double(Self.hashCount)).rounded(.up))
        let truncated = signature.map { UInt16(truncatingIfNeeded: $0) }
        for entry in candidates.sorted() {
            // An entry that cannot be read back from disk counts as no duplicate.
            guard let other = compare(entry, with: truncated) else { continue }
            if !skippedSelf && other.identity == identity && other.author == author {
                skippedSelf = true
                continue
            }
            guard other.agree >= needed else { continue }
            if other.author == author {
                count.repeatsBySameAuthor += 1
            } else {
                count.elsewhere += 1
                otherAuthors.insert(other.author)
            }
        }
        count.otherAuthors = otherAuthors.count
        return count
    }

    /// Entry `entry`'s identity and author hashes, and in how many of the `hashCount` positions
    /// its signature agrees with `signature`; nil when it cannot be read back from disk.
    private func compare(_ entry: Int, with signature: [UInt16]) -> (identity: UInt64, author: UInt64, agree: Int)? {
        switch storage {
        case .memory(let identities, let authors, let signatures, _):
            let base = entry * Self.hashCount
            var agree = 0
            for k in 0..<Self.hashCount where signatures[base + k] == signature[k] { agree += 1 }
            return (identities[entry], authors[entry], agree)
        case .file(let index):
            return index.compare(entry, with: signature)
        }
    }

    // MARK: Templates and signatures

    /// `comment` with only what the index reads (id, author and address, plain text, the content
    /// and author URL for their links, type, location), so a batch of comments waiting for their
    /// signatures does not hold their extra fields.
    public static func indexedPart(of comment: Comment) -> Comment {
        Comment(
            id: comment.id, author: comment.author, authorEmail: comment.authorEmail, authorURL: comment.authorURL,
            type: comment.type, content: comment.isOverJudgedLength ? comment.judgedPart.content : comment.content,
            text: comment.text, location: comment.location)
    }

    static func identity(of comment: Comment) -> String {
        "\(comment.location.file)\u{1}\(comment.location.line ?? -1)\u{1}\(comment.location.byteOffset ?? -1)\u{1}\(comment.id)"
    }

    /// Anonymous comments count as written by different people.
    static func authorKey(_ comment: Comment) -> String {
        let name = (comment.author ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
        return name.isEmpty || name == "anonymous" || name == "guest" ? "\u{0}" + identity(of: comment) : name
    }

    /// The masked word sequence of a comment's text: what two copies of one template share.
    static func template(of comment: Comment) -> [String] {
        // The same part the classifier judges, so both passes see the same text.
        let text = NormalizedText(comment.judgedPart.text).text
        return template(of: comment, words: TextScan.words(in: text), linkRanges: LinkExtractor.scan(text).map(\.range))
    }

    /// `words` and `linkRanges` are those of the comment's normalised text.
    static func template(of comment: Comment, words tokens: [WordToken], linkRanges: [Range<Int>]) -> [String] {
        let masked = linkRanges.sorted { $0.lowerBound < $1.lowerBound }
        // An array: a name has a few words, and hashing every token of the text for a set lookup
        // cost more than comparing it with each (most comparisons stop at the length).
        let nameWords = TextScan.words(in: comment.author ?? "").map(\.lower).filter { $0.count > 1 }
        var words: [String] = []
        words.reserveCapacity(tokens.count)
        var next = 0
        var afterLink = false
        for token in tokens {
            while next < masked.count, masked[next].upperBound <= token.range.lowerBound { next += 1 }
            if next < masked.count, masked[next].contains(token.range.lowerBound) {
                if !afterLink { words.append("<url>") }
                afterLink = true
                continue
            }
            afterLink = false
            if !token.hasLetter {
                words.append("0")
            } else if nameWords.contains(where: { $0.utf8.count == token.lower.utf8.count && $0 == token.lower }) {
                words.append("<name>")
            } else {
                words.append(token.lower)
            }
        }
        return words
    }

    static func signature(of comment: Comment) -> [UInt64]? {
        signature(template(of: comment))
    }

    static func signature(_ words: [String]) -> [UInt64]? {
        // Lengths first: most words differ from the placeholders in length, and comparing
        // strings that differ calls into the standard library each time.
        let wordCount = words.count { word in
            let length = word.utf8.count
            return !(length == 5 && word == "<url>") && !(length == 1 && word == "0")
        }
        guard wordCount >= minimumWords else { return nil }
        let hashes = words.map(fnv1a)
        var signature = [UInt64](repeating: .max, count: hashCount)
        let width = min(3, hashes.count)
        // Every shingle's 24 hashes are compared with the minimums: the index's inner loop.
        signature.withUnsafeMutableBufferPointer { minimums in
            hashes.withUnsafeBufferPointer { hashes in
                for start in 0...(hashes.count - width) {
                    var shingle: UInt64 = 0x9E37_79B9_7F4A_7C15
                    for k in start..<(start + width) { shingle = mix(shingle ^ hashes[k]) }
                    for h in 0..<hashCount {
                        let value = mix(shingle &+ UInt64(h) &* 0xD6E8_FEB8_6659_FD93)
                        if value < minimums[h] { minimums[h] = value }
                    }
                }
            }
        }
        return signature
    }

    static func bandKey(_ signature: [UInt64], _ band: Int) -> UInt64 {
        var key = UInt64(band) &* 0xA076_1D64_78BD_642F
        for k in (band * rowsPerBand)..<((band + 1) * rowsPerBand) { key = mix(key ^ signature[k]) }
        return key
    }

    /// FNV-1a: stable across runs, unlike `Hasher`, so results never depend on the process.
    static func fnv1a(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
    }

    /// splitmix64's finaliser.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
