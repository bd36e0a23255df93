import HandraiserModel

/// Decides which comments of a dump are the post author's own.
///
/// A dump rarely says so outright. `--author` names win; otherwise the reader weighs signals
/// people use when reading a thread: the commenter carries the byline's name or a `Post author`
/// badge; the post names them; they address other commenters by name, thank them for
/// commenting and invite them back like a host; they speak of the post as theirs; they reply to
/// several people. Each signal adds to a score; a commenter is marked only when the score clears
/// a threshold on at least two kinds of signal (or the byline or a badge alone), and the
/// confidence and evidence say how sure that is.
enum DumpAuthorship {
    /// The score a commenter needs before their comments are marked as the author's.
    static let threshold = 0.6
    /// How much of a comment the phrase checks read; an author's replies are short.
    private static let analysedLength = 20_000

    struct Signal {
        var kind: String
        var score: Double
        var evidence: String
    }

    static func apply(to comments: inout [Comment], post: Post, options: ReadOptions, file: String) -> [InputNote] {
        if !options.authorNames.isEmpty { return applyNamed(options.authorNames, to: &comments) }
        var notes: [InputNote] = []
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, comment) in comments.enumerated() where comment.type == .comment {
            // `Anonymous` is many people: each such comment stands alone.
            let named = comment.author.map(DumpNames.key).flatMap {
                $0.isEmpty || anonymousNames.contains($0) ? nil : $0
            }
            let key = named ?? "#\(comment.id)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        let postWords = phrases(in: post.text ?? "")
        let authorKeys = Set(comments.compactMap { $0.author.map(DumpNames.key) })
        // Every word and run of words of the commenters' names, to tell `Harriet` is a commenter.
        var authorNameParts = Set<String>()
        for key in authorKeys { authorNameParts.formUnion(nameParts(key)) }
        var authorByID: [String: String] = [:]
        for comment in comments { authorByID[comment.id] = comment.author.map(DumpNames.key) }
        // Who is spoken to by whom: `Thanks, Charles!` from three people says who the host is.
        var addressedBy: [String: Set<String>] = [:]
        for key in order {
            for i in groups[key] ?? [] {
                for paragraph in comments[i].text.prefix(analysedLength).split(separator: "\n") {
                    for name in addressees(paragraph) + closingVocatives(paragraph) {
                        addressedBy[DumpNames.key(name), default: []].insert(key)
                    }
                }
            }
        }

        struct Candidate {
            var key: String
            var indices: [Int]
            var signals: [Signal]
            var score: Double { min(1.5, signals.reduce(0) { $0 + $1.score }) }
            var isDecisive: Bool { signals.contains { $0.kind == "byline" || $0.kind == "badge" } }
        }
        var candidates: [Candidate] = []
        for key in order {
            guard let indices = groups[key] else { continue }
            let signals = self.signals(
                for: indices, key: key, in: comments, post: post, postWords: postWords, authorKeys: authorKeys,
                authorByID: authorByID, addressedBy: addressedBy, authorNameParts: authorNameParts)
            let kinds = Set(signals.filter { $0.score > 0 }.map(\.kind))
            let candidate = Candidate(key: key, indices: indices, signals: signals)
            if candidate.score >= threshold && (kinds.count >= 2 || candidate.isDecisive) {
                candidates.append(candidate)
            }
        }
        // The page's own word (byline, badge) settles it; otherwise the single strongest candidate.
        var chosen = candidates.filter(\.isDecisive)
        if chosen.isEmpty, let best = candidates.max(by: { $0.score < $1.score }) { chosen = [best] }
        for candidate in chosen {
            let confidence = (min(0.95, candidate.score) * 100).rounded() / 100
            let reasons = candidate.signals.map(\.evidence)
            let evidence = "Likely the post author: " + list(reasons) + "."
            for i in candidate.indices {
                comments[i].authorship = Authorship(isPostAuthor: true, confidence: confidence, evidence: evidence)
            }
            let first = comments[candidate.indices[0]]
            let ids = candidate.indices.map { comments[$0].id }
            let who = first.author.map { "“\($0)”" } ?? "the unnamed commenter"
            notes.append(
                InputNote(
                    severity: .info, code: "author-inferred",
                    message: "took \(ids.count == 1 ? "comment" : "comments") \(ids.joined(separator: ", ")) by \(who) "
                        + "for the post author's (confidence \(confidence)): \(list(reasons))",
                    location: first.location))
        }
        return notes
    }

    /// `--author` names: exact matches (case and white space ignored) are the author's, nothing else is.
    private static func applyNamed(_ names: [String], to comments: inout [Comment]) -> [InputNote] {
        let keys = Set(names.map(DumpNames.key))
        var matched = false
        for i in comments.indices {
            if let author = comments[i].author, keys.contains(DumpNames.key(author)) {
                comments[i].authorship = Authorship(
                    isPostAuthor: true, confidence: 1, evidence: "“\(author)” is named as the post author with --author"
                )
                matched = true
            } else {
                comments[i].authorship = nil
            }
        }
        if matched || comments.isEmpty { return [] }
        return [
            InputNote(
                severity: .info, code: "author-not-found",
                message: "no comment is signed by \(list(names.map { "“\($0)”" })), the name given as the post author")
        ]
    }

    private static func signals(
        for indices: [Int], key: String, in comments: [Comment], post: Post, postWords: Set<String>,
        authorKeys: Set<String>, authorByID: [String: String], addressedBy: [String: Set<String>],
        authorNameParts: Set<String>
    ) -> [Signal] {
        var signals: [Signal] = []
        let name = comments[indices[0]].author
        let postAuthorKey = post.author.map(DumpNames.key)
        if let name, let postAuthor = post.author, let postAuthorKey {
            if key == postAuthorKey {
                signals.append(
                    Signal(kind: "byline", score: 0.9, evidence: "their name is the byline's (“\(postAuthor)”)"))
            } else {
                let mine = Set(DumpNames.words(name).map(String.init))
                let theirs = Set(DumpNames.words(postAuthor).map(String.init))
                if !mine.isEmpty, mine.isSubset(of: theirs) || theirs.isSubset(of: mine),
                    mine.contains(where: { $0.count >= 3 })
                {
                    signals.append(
                        Signal(
                            kind: "byline-part", score: 0.4,
                            evidence: "their name matches part of the byline's “\(postAuthor)”"))
                }
            }
        }
        if let badge = indices.lazy.compactMap({ comments[$0].authorship }).first(where: \.isPostAuthor) {
            signals.append(Signal(kind: "badge", score: badge.confidence, evidence: badge.evidence))
        }
        if let name {
            let words = DumpNames.words(name).map(String.init)
            let phrase = words.joined(separator: " ")
            if !words.isEmpty, words.count <= 4, words.count > 1 || phrase.count >= 4,
                !DumpNames.stopWords.contains(phrase), postWords.contains(phrase)
            {
                signals.append(Signal(kind: "named-in-post", score: 0.2, evidence: "the post names them"))
            }
        }

        if name != nil {
            var speakers = Set<String>()
            for part in nameParts(key) { speakers.formUnion(addressedBy[part] ?? []) }
            speakers.remove(key)
            if !speakers.isEmpty {
                signals.append(
                    Signal(
                        kind: "addressed", score: speakers.count >= 2 ? 0.3 : 0.15,
                        evidence: speakers.count >= 2
                            ? "\(speakers.count) other commenters speak to them by name"
                            : "another commenter speaks to them by name"))
            }
        }

        var addressed: [String] = []
        var addressedInThread = false
        var addressesPostAuthor: String?
        var firstAddress: Substring?
        var hostPhrases: [String] = []
        var readerPhrase: String?
        var readerComments = 0
        var ownership: String?
        for i in indices {
            let text = comments[i].text.prefix(analysedLength)
            for paragraph in text.split(separator: "\n") {
                let names = addressees(paragraph) + closingVocatives(paragraph)
                for addressee in names {
                    let k = DumpNames.key(addressee)
                    if let postAuthorKey, k == postAuthorKey || isPart(k, of: postAuthorKey) {
                        addressesPostAuthor = addressee
                        continue
                    }
                    if k == key || addressed.contains(k) { continue }
                    addressed.append(k)
                    if authorNameParts.contains(k) { addressedInThread = true }
                    if firstAddress == nil { firstAddress = paragraph }
                }
            }
            let lower = text.lowercased()
            let lowerText = String(lower)
            for phrase in hostPhrasesEncoded.found(in: lowerText) {
                // `glad you liked` also holds `glad you like`: one finding, not two.
                if hostPhrases.contains(where: { DumpBytes.contains($0, phrase) || DumpBytes.contains(phrase, $0) }) {
                    continue
                }
                hostPhrases.append(phrase)
            }
            if let phrase = readerPhrasesEncoded.found(in: lowerText).first {
                readerComments += 1
                if readerPhrase == nil { readerPhrase = wholeWords(phrase, in: String(text), lower: lower) }
            }
            if ownership == nil, let phrase = ownershipPhrasesEncoded.found(in: lowerText).first {
                ownership = wholeWords(phrase, in: String(text), lower: lower)
            }
        }
        if !addressed.isEmpty, let firstAddress {
            let quote = shortQuote(firstAddress)
            signals.append(
                Signal(
                    kind: "addresses-others", score: 0.15 * Double(min(2, addressed.count)),
                    evidence:
                        "addresses \(addressed.count == 1 ? "someone" : "\(addressed.count) people") by name (“\(quote)”)"
                ))
            if addressedInThread {
                signals.append(
                    Signal(kind: "answers-commenters", score: 0.15, evidence: "names other commenters of this thread"))
            }
        }
        if !hostPhrases.isEmpty {
            signals.append(
                Signal(
                    kind: "host-phrases", score: 0.1 * Double(min(3, hostPhrases.count)),
                    evidence: "talks to commenters as a host (\(list(hostPhrases.map { "“\($0)”" })))"))
        }
        if let ownership {
            signals.append(
                Signal(kind: "owns-post", score: 0.3, evidence: "speaks of the post as theirs (“\(ownership)”)"))
        }
        if let addressesPostAuthor {
            signals.append(
                Signal(
                    kind: "reader", score: -0.6,
                    evidence: "though they speak to the post's author, “\(addressesPostAuthor)”, by name"))
        }
        // Authors, too, say `your post` now and then; a reader says such things in most comments.
        if let readerPhrase, readerComments * 2 >= indices.count {
            signals.append(
                Signal(
                    kind: "reader", score: -0.3,
                    evidence: "though they speak to the post's author as a reader (“\(readerPhrase)”)"))
        }

        var repliedTo = Set<String>()
        for i in indices {
            guard let parentID = comments[i].parentID, let parentKey = authorByID[parentID] else { continue }
            if parentKey != key { repliedTo.insert(parentKey) }
        }
        if repliedTo.count >= 2 {
            signals.append(
                Signal(kind: "replies", score: 0.3, evidence: "replies to \(repliedTo.count) other commenters"))
        } else if repliedTo.count == 1 && indices.count >= 2 {
            signals.append(Signal(kind: "replies", score: 0.1, evidence: "replies to another commenter"))
        }
        return signals
    }

    /// Names a paragraph opens by addressing: `Jane and Bob, glad you…`, `Thanks Jane!`, `@Jane: …`.
    static func addressees(_ paragraph: Substring) -> [String] {
        var s = DumpText.trimmed(paragraph)
        var greeted = false
        let lower = s.prefix(40).lowercased()
        for greeting in [
            "hi ", "hello ", "hey ", "dear ", "thanks so much ", "thank you so much ", "thanks again ", "thank you ",
            "thanks ", "@",
        ] where lower.hasPrefix(greeting) {
            s = s.dropFirst(greeting.count)
            greeted = true
            break
        }
        let head = s.prefix(80)
        guard let cut = head.firstIndex(where: { ",:!—".contains($0) }) else { return [] }
        let rest = s[cut...].dropFirst()
        guard !rest.isEmpty || greeted else { return [] }
        var parts: [String] = []
        for part in head[..<cut].split(separator: " and ").flatMap({ $0.split(separator: " & ") }) {
            var name = DumpText.trimmed(part)
            if name.hasPrefix("@") { name = name.dropFirst() }
            guard DumpNames.isNameLike(name, strict: true), !genericAddressees.contains(name.lowercased()) else {
                return []
            }
            parts.append(String(name))
        }
        if !greeted {
            let tail = rest.prefix(400).lowercased()
            guard DumpBytes.contains(tail, "you") || !hostPhrasesEncoded.found(in: tail).isEmpty else {
                return []
            }
        }
        return parts
    }

    /// Names themes show for commenters who gave none.
    static let anonymousNames: Set<String> = [
        "anonymous", "anon", "guest", "unknown", "a reader", "reader", "visitor", "someone", "nobody", "(no name)",
        "no name", "name", "user", "deleted", "[deleted]", "deleted user",
    ]

    /// Names a paragraph ends a sentence on: `Great tutorial, Charles!`, `Thank you, Jane.`
    static func closingVocatives(_ paragraph: Substring) -> [String] {
        var names: [String] = []
        var rest = paragraph.prefix(400)
        while let comma = rest.firstIndex(of: ",") {
            let after = rest[rest.index(after: comma)...]
            rest = after
            guard let end = after.firstIndex(where: { ".!?,;:\n".contains($0) }) else {
                // The paragraph ends on the name: `Thanks, Jane`
                if paragraph.count <= 400 { appendName(after, to: &names) }
                break
            }
            guard ".!?".contains(after[end]) else { continue }
            appendName(after[..<end], to: &names)
        }
        return names
    }

    private static func appendName(_ text: Substring, to names: inout [String]) {
        let name = DumpText.trimmed(text)
        guard !name.isEmpty, name.split(separator: " ").count <= 3, DumpNames.isNameLike(name, strict: true),
            !genericAddressees.contains(name.lowercased())
        else { return }
        names.append(String(name))
    }

    private static let genericAddressees: Set<String> = [
        "all", "everyone", "everybody", "there", "guys", "folks", "friends", "admin", "webmaster", "sir", "madam",
        "author", "blogger", "team", "y'all", "you", "readers", "people", "mate", "man", "dude", "buddy", "friend",
        "dear", "admin team", "site owner", "blog owner", "moderator",
    ]

    /// Things a host says to people who commented on their post.
    static let hostPhraseList = [
        "thanks for your comment", "thanks for the comment", "thanks for commenting", "thank you for your comment",
        "thank you for the comment", "thank you for commenting", "thanks for stopping by", "thank you for stopping by",
        "thanks for reading", "thank you for reading", "thanks for visiting", "thanks for dropping by",
        "thanks for the kind words", "thank you for the kind words", "thanks for your kind words", "glad you liked",
        "glad you like", "glad you enjoyed", "glad you enjoy", "glad you found", "glad it helped", "glad this helped",
        "happy you liked", "happy you enjoyed", "happy to help", "great question", "good question", "you're welcome",
        "you’re welcome", "you are welcome", "let us know what", "let me know what", "let us know how",
        "let me know how", "let us know if", "let me know if", "hope this helps", "hope that helps", "hope it helps",
        "appreciate you reading", "appreciate your comment", "appreciate the comment", "appreciate your feedback",
        // What maintainers of a post (or of the thing it presents) say to the people using it.
        "thanks for the heads up", "thanks for the heads-up", "thanks for letting me know",
        "thanks for letting us know",
        "thanks for pointing that out", "thanks for catching", "thanks for the tip", "sorry about that",
        "i'll look into", "i’ll look into", "i'm looking into", "i’m looking into", "i will look into",
        "it's fixed", "it’s fixed", "fixed now", "should be fixed", "should be working now", "i've fixed", "i’ve fixed",
        "in the next release", "in the next version", "adding it to my list", "on my list", "i fixed",
    ]

    private static let hostPhrasesEncoded = DumpBytes.Phrases(hostPhraseList)
    private static let readerPhrasesEncoded = DumpBytes.Phrases(readerPhraseList)
    private static let ownershipPhrasesEncoded = DumpBytes.Phrases(ownershipPhraseList)

    /// Ways of speaking to the post's author from outside: a reader's, not the host's.
    static let readerPhraseList = [
        "thanks for the post", "thanks for the article", "thanks for the tutorial", "thanks for the screencast",
        "thanks for this post", "thanks for this article", "thanks for this tutorial", "thanks for this great",
        "thanks for the great", "thank you for the post", "thank you for the article", "thank you for the tutorial",
        "thanks for writing", "thank you for writing", "great post", "great article", "great tutorial",
        "great write-up", "nice post", "nice article", "nice tutorial", "excellent post", "excellent article",
        "awesome post", "love this post", "your post", "your article", "your tutorial", "your screencast",
        "your write-up", "your writeup",
    ]

    /// Ways of speaking of the post as one's own.
    static let ownershipPhraseList = [
        "my takeaway", "my post", "my article", "my review", "my write-up", "my writeup", "my piece", "my essay",
        "my blog post", "my chapter", "my series", "my podcast", "my talk", "my slides", "i wrote this",
        "i wrote about", "when i wrote", "as i wrote", "as i said in the post", "as i mentioned in the post",
        "i mentioned in the post", "in the post i", "in this post i", "my next post", "a follow-up post",
        "a future post", "i'll write", "i’ll write", "i will write", "updated the post",
    ]

    /// Every run of one to four words of `text`, for finding names in the post.
    private static func phrases(in text: String) -> Set<String> {
        let words = DumpNames.words(text.prefix(300_000)).map(String.init)
        var set = Set<String>()
        for i in words.indices {
            var phrase = words[i]
            set.insert(phrase)
            for n in 1..<4 where i + n < words.count {
                phrase += " " + words[i + n]
                set.insert(phrase)
            }
        }
        return set
    }

    /// `phrase` as it stands in `text`, carried on to the end of its last word (`my takeaway` → `my takeaways`).
    private static func wholeWords(_ phrase: String, in text: String, lower: String) -> String {
        guard let range = lower.firstRange(of: phrase) else { return phrase }
        let end = lower[range.upperBound...].firstIndex(where: { !$0.isLetter }) ?? lower.endIndex
        let start = lower.distance(from: lower.startIndex, to: range.lowerBound)
        let length = lower.distance(from: range.lowerBound, to: end)
        // Quote the comment's own spelling when lower-casing kept the characters in place.
        let original = Array(text)
        guard original.count == lower.count else { return String(lower[range.lowerBound..<end]) }
        return String(original[start..<(start + length)])
    }

    /// The name and every run of its words: `ann de vries` gives `ann`, `de`, `vries`, `ann de`, …
    private static func nameParts(_ key: String) -> [String] {
        let words = key.split(separator: " ")
        guard words.count > 1, words.count <= 6 else { return [key] }
        var parts: [String] = []
        for start in words.indices {
            for end in (start + 1)...words.count {
                let part = words[start..<end].joined(separator: " ")
                if end - start == 1 && DumpNames.connectors.contains(part) { continue }
                parts.append(part)
            }
        }
        return parts
    }

    /// Whether the name `part` (`harriet`) is part of the name `whole` (`harriet okafor`).
    private static func isPart(_ part: String, of whole: String) -> Bool {
        let words = part.split(separator: " ")
        let wholeWords = whole.split(separator: " ")
        return !words.isEmpty && words.count < wholeWords.count && words.allSatisfy { wholeWords.contains($0) }
    }

    /// The start of `text`, cut at a word boundary near 50 characters.
    private static func shortQuote(_ text: Substring) -> String {
        guard text.count > 50 else { return String(text) }
        let head = text.prefix(50)
        let cut = head.lastIndex(of: " ") ?? head.endIndex
        return head[..<cut].trimmingDumpPunctuation + "…"
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }
}
