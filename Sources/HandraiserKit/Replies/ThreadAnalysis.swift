import Foundation
import HandraiserHeuristics
import HandraiserModel

/// One post's comments sorted into the author's answers and the people they answer.
final class ThreadAnalysis {
    enum Role { case author, genuine, held, spam, link, ignored }

    struct Entry {
        let position: Int
        let item: ClassifiedComment
        var role: Role
        let date: Date?
        let folded: FoldedText
        var comment: Comment { item.comment }
    }

    /// A person: the genuine or held comments that share a name or an e-mail address.
    struct Person {
        var entries: [Int] = []
        var names: [PersonName] = []
        /// Comments the author's answers cover.
        var covered: Set<Int> = []
        /// Answers in the order the author wrote them: (author entry, link).
        var answers: [(author: Int, link: AnswerLink)] = []
    }

    let thread: ClassifiedThread
    let threadIndex: Int
    let context: PlanContext
    private(set) var entries: [Entry] = []
    private(set) var people: [Person] = []
    /// Person index for each entry that belongs to one.
    private var personOf: [Int: Int] = [:]
    private(set) var warnings: [ReplyWarning] = []
    /// Entries the classifier called genuine that the plan lists as held, with the reason
    /// (`setAsideDoubtfulComments`).
    private(set) var setAside: [Int: ReplyReason] = [:]

    init(thread: ClassifiedThread, threadIndex: Int, context: PlanContext) {
        self.thread = thread
        self.threadIndex = threadIndex
        self.context = context
        for (position, item) in thread.comments.enumerated() {
            entries.append(
                Entry(
                    position: position, item: item, role: role(of: item),
                    date: item.comment.date.flatMap(context.dates.parse), folded: FoldedText(item.comment.text)))
        }
        setAsideDoubtfulComments()
        groupPeople()
        linkAnswers()
        warnAboutQueuedGenuineComments()
    }

    private func role(of item: ClassifiedComment) -> Role {
        if item.comment.type != .comment || item.verdict.kind == .pingback {
            switch item.verdict.kind {
            case .spam: return .spam
            case .held: return .ignored
            default: return .link
            }
        }
        if context.isAuthor(item, in: thread.post) { return .author }
        switch item.verdict.kind {
        case .spam: return .spam
        case .held: return .held
        case .genuine, .author: return .genuine
        case .pingback: return .link
        }
    }

    /// Comments the classifier let through that are not for the reply list, listed with the held
    /// ones under "check these first" so the list itself spends none of the author's time on them:
    /// - spam signs: a score of `ReplyOptions.doubtfulScore` or more, or any spam score on a
    ///   comment with a link and none of the things a reader writes (a question, a problem, a
    ///   story, the post's subject, the author's name). On the dev corpus this moved 89 of the 300
    ///   spam comments out of the people list, and 75 genuine ones of which the authors had
    ///   answered 1;
    /// - a link shared with a doubtful comment under another name, or the same shortened link
    ///   under two names (`SharedLinkIndex`): one promotion posted by several accounts;
    /// - insults and slurs (a troll is looked at, not answered);
    /// - pleas to the other readers for likes or subscriptions that ask the author nothing
    ///   (`ReplyReasons.likeBait`): on the dev corpus 9 spam and 7 comments not labelled spam,
    ///   six of them the same "thumbs up if you…" the video site kept;
    /// - a link drop: a newcomer's few words beside a link to their own site (`isOwnSiteDrop`);
    /// - nothing to answer: a greeting, a test or the commenter's own name and nothing else;
    /// - a comment the export itself holds as pending or spam: the site's moderation has not let
    ///   it through, so it is checked (and approved) before it is answered; a warning says so.
    private func setAsideDoubtfulComments() {
        for index in entries.indices where entries[index].role == .genuine {
            guard let reason = setAsideReason(entries[index]) else { continue }
            entries[index].role = .held
            setAside[index] = reason
        }
    }

    private func setAsideReason(_ entry: Entry) -> ReplyReason? {
        let verdict = entry.item.verdict
        if verdict.score > 0, verdict.score >= context.options.doubtfulScore || isBareLinkComment(entry) {
            return Self.spamSigns(verdict)
        }
        if let shared = context.sharedLinks.reason(for: entry.comment, post: thread.post) { return shared }
        if let site = ownSiteDrop(entry) {
            return ReplyReason(
                id: "own-site-link",
                description: "a first comment of a few words beside a link to the commenter's own site (\(site)): "
                    + "the shape of a link drop",
                quote: ReplyReasons.quote(entry.comment.text), weight: 0)
        }
        if let abuse = ReplyReasons.abuse(in: entry.folded) { return abuse }
        if let bait = ReplyReasons.likeBait(in: entry.folded) { return bait }
        if ReplyReasons.isContentFree(entry.folded, author: entry.comment.author) {
            return ReplyReason(
                id: "nothing-to-answer", description: "holds nothing to answer (a greeting, a test or a name)",
                quote: ReplyReasons.quote(entry.comment.text), weight: 0)
        }
        if let status = entry.comment.status, status == .pending || status == .spam {
            let place = status == .pending ? "waits for approval" : "is in the spam folder"
            return ReplyReason(
                id: Self.notApproved, description: "\(place) in the export: approve it before answering",
                weight: 0)
        }
        return nil
    }

    /// The reason id of a comment set aside because the export holds it as pending or spam.
    static let notApproved = "not-approved"

    /// The classifier's reasons, strongest first, as the reason a comment was set aside.
    private static func spamSigns(_ verdict: Verdict) -> ReplyReason {
        let strongest = verdict.reasons.filter { $0.score > 0 }.sorted { $0.score > $1.score }
        let ids = strongest.prefix(3).map(\.id).joined(separator: ", ")
        let score =
            verdict.score == verdict.score.rounded()
            ? String(Int(verdict.score)) : String(format: "%.1f", verdict.score)
        // Weight 0: the signs explain the listing, they do not make a reply more urgent.
        return ReplyReason(
            id: "spam-signs", description: "shows spam signs (score \(score): \(ids))",
            quote: strongest.first?.description, weight: 0)
    }

    /// A comment with a link in its text and nothing in it that reads as a reader's.
    private func isBareLinkComment(_ entry: Entry) -> Bool {
        guard LinkExtractor.links(in: entry.comment).contains(where: \.isInBody) else { return false }
        let text = entry.folded
        let titleOnly = (thread.post.text?.trimmingWhitespace() ?? "").isEmpty
        let readerSigns: [ReplyReason?] = [
            ReplyReasons.question(in: text), ReplyReasons.disagreement(in: text), ReplyReasons.problem(in: text),
            ReplyReasons.story(in: text),
            ReplyReasons.engagement(in: text, postWords: postSubjectWords, titleOnly: titleOnly),
            ReplyReasons.addressesAuthor(in: text, authorNames: authorNames),
        ]
        return readerSigns.allSatisfy { $0 == nil }
    }

    /// The host of a link in the text that spells the commenter's name ("Good Laptops" beside
    /// goodlaptops-shop.com), when that comment is the person's first anywhere in the input and
    /// holds at most `ownSiteDropWords` words besides, with no question, problem or disagreement:
    /// a vague remark ("works great, I use it on …") carrying a link home. Text in a script written
    /// without spaces is left alone: its words cannot be counted so. A reader who links
    /// their own site to show a bug asks or describes it; one who comes back is known by then.
    /// On the dev corpus this set aside 1 comment labelled spam and no reader (the readers who
    /// linked their own site beside a few words had commented before, or linked a page on a
    /// shared host such as a code forge, whose host holds no name).
    private func ownSiteDrop(_ entry: Entry) -> String? {
        let comment = entry.comment
        let nameLetters = Self.letters(comment.author ?? "")
        guard nameLetters.count >= Self.ownSiteNameLetters else { return nil }
        let own = LinkExtractor.links(in: comment).first { link in
            guard link.isInBody, let host = link.host else { return false }
            // The registrable part: no `www.` (already gone), no top-level domain.
            let labels = host.split(separator: ".")
            guard labels.count >= 2 else { return false }
            return Self.letters(labels.dropLast().joined()).contains(nameLetters)
        }
        guard let site = own?.host else { return nil }
        // Words besides the links: URL-like tokens (a scheme, `www.`, or a dotted name) are dropped.
        let words = comment.text.split(whereSeparator: \.isWhitespace).filter { token in
            let trimmed = String(token.reversed().drop { !$0.isLetter && !$0.isNumber }.reversed())
            return
                !(trimmed.contains("://") || trimmed.lowercased().hasPrefix("www.")
                || LinkExtractor.host(of: trimmed) != nil)
        }
        .flatMap { $0.split { !$0.isLetter && !$0.isNumber } }
        guard words.count <= Self.ownSiteDropWords, !entry.folded.chars.contains(where: FoldedText.isSpacelessScript)
        else { return nil }
        let text = entry.folded
        guard ReplyReasons.question(in: text) == nil, ReplyReasons.problem(in: text) == nil,
            ReplyReasons.disagreement(in: text) == nil
        else { return nil }
        let history = context.history(
            of: comment, thread: threadIndex, position: entry.position, date: entry.date)
        guard !history.returning, !hasEarlierComment(than: entry) else { return nil }
        return site
    }

    /// Words besides the links in a link drop; a reader's report runs longer.
    static let ownSiteDropWords = 15
    /// A shorter name ("Jo", "Li") turns up inside unrelated hosts by chance.
    static let ownSiteNameLetters = 5

    private static func letters(_ text: String) -> String {
        String(FoldedText(text).chars.filter { $0.isLetter })
    }

    /// Whether someone under the same name or e-mail wrote in this thread before `entry`.
    private func hasEarlierComment(than entry: Entry) -> Bool {
        let keys = Set(PlanContext.identityKeys(entry.comment))
        guard !keys.isEmpty else { return false }
        return entries.contains { other in
            other.position != entry.position && other.role != .author
                && isBefore(other.position, entry.position)
                && !keys.isDisjoint(with: PlanContext.identityKeys(other.comment))
        }
    }

    /// Names the post author goes by: the byline, aliases, options, and the names on their
    /// comments here. Worked out once: every candidate's reasons ask, and a thread can be long.
    private(set) lazy var authorNames: [PersonName] = {
        var names =
            ([thread.post.author] + thread.post.authorAliases.map(Optional.some)
            + context.options.authorNames.map(Optional.some))
            .compactMap { PersonName($0) }
        for entry in entries where entry.role == .author {
            if let name = PersonName(entry.comment.author), !names.contains(name) { names.append(name) }
        }
        return names
    }()

    /// The genuine and held replies to each comment id, in thread order (for open sub-threads).
    private(set) lazy var repliesByParent: [String: [Int]] = {
        var map: [String: [Int]] = [:]
        for index in entries.indices where entries[index].role == .genuine || entries[index].role == .held {
            if let parent = entries[index].comment.parentID { map[parent, default: []].append(index) }
        }
        return map
    }()

    /// `a` was written before `b`: by date when both have one, else by position.
    func isBefore(_ a: Int, _ b: Int) -> Bool {
        if let da = entries[a].date, let db = entries[b].date, da != db { return da < db }
        return entries[a].position < entries[b].position
    }

    // MARK: - People

    private func groupPeople() {
        var byName: [String: Int] = [:]
        var byEmail: [String: Int] = [:]
        for index in entries.indices where entries[index].role == .genuine || entries[index].role == .held {
            let comment = entries[index].comment
            let name = PersonName(comment.author)
            let email = PlanContext.emailKey(comment)
            var person = name.flatMap { byName[$0.key] } ?? email.flatMap { byEmail[$0] }
            if person == nil {
                people.append(Person())
                person = people.count - 1
            }
            guard let p = person else { continue }
            people[p].entries.append(index)
            if let name, !people[p].names.contains(where: { $0.key == name.key }) { people[p].names.append(name) }
            if let name, byName[name.key] == nil { byName[name.key] = p }
            if let email, byEmail[email] == nil { byEmail[email] = p }
            personOf[index] = p
        }
    }

    // MARK: - Answers

    /// The entry of each comment id (the first, when an id repeats).
    private(set) lazy var entryByID: [String: Int] = {
        var map: [String: Int] = [:]
        for index in entries.indices where map[entries[index].comment.id] == nil {
            map[entries[index].comment.id] = index
        }
        return map
    }()

    private func linkAnswers() {
        let ids = entryByID
        let spamNames: [(Int, PersonName)] = entries.indices.compactMap { index in
            guard entries[index].role == .spam, entries[index].comment.type == .comment,
                let name = PersonName(entries[index].comment.author)
            else { return nil }
            return (index, name)
        }
        for a in entries.indices where entries[a].role == .author {
            var linkedPeople: Set<Int> = []
            let linkedByParent = linkByParent(a, ids: ids, linked: &linkedPeople)
            linkByName(a, linked: &linkedPeople)
            warnAboutAnsweredSpamNames(a, spamNames: spamNames)
            let unmatchedNames = checkAddressedNames(a, spamNames: spamNames)
            if !linkedByParent {
                linkByWords(a, linked: &linkedPeople, wanted: max(1, unmatchedNames))
            }
        }
    }

    /// Links the author's comment to the nearest non-author comment above it in the thread.
    /// Returns whether the comment had a parent in this thread at all.
    private func linkByParent(_ a: Int, ids: [String: Int], linked: inout Set<Int>) -> Bool {
        guard let parentID = entries[a].comment.parentID, var target = ids[parentID] else { return false }
        var seen: Set<Int> = [a]
        // An author's follow-up under their own reply continues the same answer.
        while entries[target].role == .author {
            guard let up = entries[target].comment.parentID, let next = ids[up], !seen.contains(next) else {
                return true
            }
            seen.insert(target)
            target = next
        }
        switch entries[target].role {
        case .spam:
            warnings.append(
                warning(
                    .answeredSpam, ids: [entries[a].comment.id, entries[target].comment.id],
                    message: "The author replied to comment \(entries[target].comment.id), which is spam.",
                    quote: ReplyReasons.quote(entries[a].comment.text)))
        case .genuine, .held:
            guard let p = personOf[target] else { return true }
            var covered: Set<Int> = [target]
            // The person's own earlier comments up the same sub-thread are answered too.
            var current = target
            while let up = entries[current].comment.parentID, let next = ids[up], !covered.contains(next),
                personOf[next] == p
            {
                covered.insert(next)
                current = next
            }
            record(
                p, answer: a, covers: covered,
                link: AnswerLink(
                    commentID: entries[a].comment.id, method: .parent,
                    quote: ReplyReasons.quote(entries[a].comment.text)))
            linked.insert(p)
        default:
            break
        }
        return true
    }

    private func linkByName(_ a: Int, linked: inout Set<Int>) {
        let text = entries[a].folded
        // Which pairs of neighbouring characters the reply holds: a name with a pair not among
        // them cannot be in it, which spares most of the searches when a long thread has
        // thousands of people.
        let pairs = text.characterPairs
        for p in nameIndex.candidates(in: text) where !linked.contains(p) {
            for name in people[p].names {
                guard !context.teamNames.contains(name.key),
                    let range = NameAddressing.address(of: name, in: text, pairs: pairs)
                else { continue }
                let earlier = people[p].entries.filter { isBefore($0, a) }
                guard !earlier.isEmpty else { break }
                record(
                    p, answer: a, covers: Set(earlier),
                    link: AnswerLink(
                        commentID: entries[a].comment.id, method: .name,
                        quote: ReplyReasons.quote(ReplyReasons.sentence(around: range, in: text))))
                linked.insert(p)
                break
            }
        }
    }

    /// The people of the thread by the words their names start with, so a reply is compared
    /// only with the people it could name (`NameIndex`).
    private(set) lazy var nameIndex = NameIndex(people.map(\.names))

    /// The name keys of everyone in the thread, and the first names among them.
    private(set) lazy var peopleNameKeys: (keys: Set<String>, firsts: Set<String>) = {
        let names = people.flatMap(\.names)
        return (Set(names.map(\.key)), Set(names.compactMap { $0.first.map { String($0) } }))
    }()

    private func warnAboutAnsweredSpamNames(_ a: Int, spamNames: [(Int, PersonName)]) {
        let text = entries[a].folded
        let genuineKeys = peopleNameKeys.keys
        for (index, name) in spamNames where isBefore(index, a) && !genuineKeys.contains(name.key) {
            guard let range = NameAddressing.address(of: name, in: text) else { continue }
            warnings.append(
                warning(
                    .answeredSpam, ids: [entries[a].comment.id, entries[index].comment.id],
                    message:
                        "The author addressed \(name.display), whose comment \(entries[index].comment.id) is spam.",
                    quote: ReplyReasons.quote(ReplyReasons.sentence(around: range, in: text))))
        }
    }

    /// Names the author addresses that match nobody in the thread: warns about those that look
    /// like spammers' names and returns how many others there are (people whose names the dump lost).
    private func checkAddressedNames(_ a: Int, spamNames: [(Int, PersonName)]) -> Int {
        var others: [PersonName] = spamNames.map(\.1)
        others += PlanContext.postAuthorKeys(thread.post).compactMap { PersonName($0) }
        if let own = PersonName(entries[a].comment.author) { others.append(own) }
        var knownKeys = peopleNameKeys.keys
        var knownFirsts = peopleNameKeys.firsts
        for other in others {
            knownKeys.insert(other.key)
            if let first = other.first { knownFirsts.insert(String(first)) }
        }
        var unmatched = 0
        for (raw, line) in NameAddressing.addressedNames(in: entries[a].comment.text) {
            guard let name = PersonName(raw) else { continue }
            let matchesKnown =
                knownKeys.contains(name.key) || knownFirsts.contains(name.key)
                || name.first.map { knownKeys.contains(String($0)) } == true
            guard !matchesKnown, !context.teamNames.contains(name.key) else { continue }
            if let why = context.options.spamNameJudge(raw) {
                warnings.append(
                    warning(
                        .addressedSpamName, ids: [entries[a].comment.id],
                        message:
                            "The author addressed \u{201C}\(raw)\u{201D}, a name that looks like a spammer's (\(why)).",
                        quote: ReplyReasons.quote(line)))
            } else {
                unmatched += 1
            }
        }
        return unmatched
    }

    /// For comments without names: the author's reply repeats distinctive words of an earlier comment.
    private func linkByWords(_ a: Int, linked: inout Set<Int>, wanted: Int) {
        let candidates = entries.indices.filter { index in
            guard let p = personOf[index], !linked.contains(p), people[p].names.isEmpty else { return false }
            return isBefore(index, a)
        }
        guard !candidates.isEmpty else { return }
        let replyWords = Set(TextTools.contentWords(entries[a].folded.chars))
        guard !replyWords.isEmpty else { return }
        let postWords = postContentWords
        let candidateWords = candidates.map { Set(TextTools.contentWords(entries[$0].folded.chars)) }
        var frequency: [String: Int] = [:]
        for words in candidateWords { for word in words { frequency[word, default: 0] += 1 } }
        var scored: [(index: Int, score: Double, shared: [String])] = []
        for (offset, index) in candidates.enumerated() {
            let shared = candidateWords[offset].intersection(replyWords).sorted()
            let score = shared.reduce(0.0) { sum, word in
                sum + (postWords.contains(word) ? 0.4 : 1.0) / Double(frequency[word] ?? 1)
            }
            if score >= 1.0 { scored.append((index, score, shared)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : isBefore($1.index, $0.index) }
        for match in scored.prefix(wanted) {
            guard let p = personOf[match.index], !linked.contains(p) else { continue }
            let quote = wordsQuote(in: entries[a].folded, words: Set(match.shared))
            record(
                p, answer: a, covers: [match.index],
                link: AnswerLink(
                    commentID: entries[a].comment.id, method: .words, quote: quote))
            linked.insert(p)
        }
    }

    private func wordsQuote(in text: FoldedText, words: Set<String>) -> String? {
        var best: (count: Int, text: String)?
        for sentence in ReplyReasons.sentenceRanges(in: text) {
            let count = Set(TextTools.contentWords(Array(text.chars[sentence]))).intersection(words).count
            if count > (best?.count ?? 0) { best = (count, text.originalText(sentence)) }
        }
        return best.map { ReplyReasons.quote($0.text) }
    }

    private func record(_ p: Int, answer a: Int, covers: Set<Int>, link: AnswerLink) {
        people[p].covered.formUnion(covers)
        people[p].answers.append((a, link))
    }

    lazy var postContentWords: Set<String> = {
        let post = thread.post
        return Set(TextTools.contentWords([post.title, post.text].compactMap { $0 }.joined(separator: "\n")))
    }()

    /// The post's subject words: those of the title, and those the body uses more than once.
    /// Words a long post uses in passing ("offer", "find") say little about its subject.
    lazy var postSubjectWords: Set<String> = {
        let post = thread.post
        var words = Set(TextTools.contentWords(post.title ?? ""))
        var counts: [String: Int] = [:]
        for word in TextTools.contentWords(post.text ?? "") { counts[word, default: 0] += 1 }
        for (word, count) in counts where count >= 2 { words.insert(word) }
        return words
    }()

    // MARK: - Warnings

    private func warnAboutQueuedGenuineComments() {
        for (index, entry) in entries.enumerated() where isListed(entry) {
            // Genuine, or set aside only for its status: the warning is about a reader stuck there.
            guard entry.role == .genuine || setAside[index]?.id == Self.notApproved else { continue }
            guard let status = entry.comment.status, status == .pending || status == .spam else { continue }
            let place = status == .pending ? "still waits for approval" : "sits in the spam folder"
            warnings.append(
                warning(
                    .genuineNotApproved, ids: [entry.comment.id],
                    message: "Comment \(entry.comment.id) by \(displayName(of: entry)) looks genuine but \(place).",
                    quote: ReplyReasons.quote(entry.comment.text)))
        }
    }

    func warning(_ kind: ReplyWarning.Kind, ids: [String], message: String, quote: String?) -> ReplyWarning {
        ReplyWarning(
            kind: kind, postID: thread.post.id, postTitle: thread.post.title, commentIDs: ids, message: message,
            quote: quote)
    }

    /// Inside the `since` window (comments without a readable date always are).
    func isListed(_ entry: Entry) -> Bool {
        guard let since = context.options.since, let date = entry.date else { return true }
        return date >= since
    }

    func displayName(of entry: Entry) -> String {
        if let name = entry.comment.author?.trimmingWhitespace(), !name.isEmpty { return name }
        return "comment #\(entry.comment.id)"
    }
}
