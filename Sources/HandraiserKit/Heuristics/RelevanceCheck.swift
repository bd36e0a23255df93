import Foundation
import HandraiserModel

/// Flags a long comment that shares not one content word with the post it sits under (nor with
/// the comment it replies to): text written for no post in particular. Needs the post's text;
/// short comments, posts without text and comments in another language than the post are left alone.
///
/// One shared everyday word ("company", "offer") defeats that test, so a second, weaker id looks
/// at the post's *topic* only: its title words and the words its text uses more than once, less
/// the vocabulary every compliment uses. A comment that uses at most one of them among a dozen or
/// more words of its own, and repeats no two-word phrase of the post ("replication lag"), is not
/// about the post. Readers who talk among themselves do that too,
/// so that id scores nothing alone and feeds rules that combine it with a bot's other habits.
public struct RelevanceCheck: Check {
    static let offTopic = "HC_OFF_TOPIC"
    static let offTopicLong = "HC_OFF_TOPIC_LONG"
    static let offTopicTerms = "HC_OFF_TOPIC_TERMS"

    /// The post needs this many topic terms before missing them means anything.
    static let minimumTopicTerms = 8
    /// At most this many of the post's topic terms, and under this share of the comment's terms.
    static let maximumSharedTopicTerms = 1
    static let maximumSharedTopicShare = 0.08

    /// The post needs this many distinct content terms for overlap to mean anything.
    static let minimumPostTerms = 40
    /// A comment needs this many distinct content terms before zero overlap is suspicious.
    static let minimumCommentTerms = 12
    /// From this many terms on, zero overlap is strong evidence.
    static let longCommentTerms = 30

    private let cache = PostTermsCache.shared

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.offTopic: "12+ content words and not one shared with the post",
            Self.offTopicLong: "30+ content words and not one shared with the post",
            Self.offTopicTerms: "12+ content words and at most one of the post's topic words",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        let post = context.thread.post
        guard let postText = post.text, !context.isPingbackLike else { return [] }
        let tokens = context.words
        let contentTerms = Terms.content(tokens)
        let commentTerms = Set(contentTerms)
        guard commentTerms.count >= Self.minimumCommentTerms else { return [] }
        let postTerms = cache.terms(for: post, text: postText)
        guard postTerms.terms.count >= Self.minimumPostTerms else { return [] }
        guard Language.guess(tokens) == postTerms.language else { return [] }
        if let parentID = context.comment.parentID,
            let parent = context.thread.comments.first(where: { $0.id == parentID }),
            !commentTerms.isDisjoint(with: Terms.content(of: parent.text))
        {
            return []
        }
        var findings: [Finding] = []
        if commentTerms.isDisjoint(with: postTerms.terms) {
            let id = commentTerms.count >= Self.longCommentTerms ? Self.offTopicLong : Self.offTopic
            findings.append(
                Finding(
                    .offTopic(id: id, commentTerms.count, postTerms: postTerms.terms.count),
                    evidence: TextScan.wholeField(.text, context.normalized.text, limit: 120)))
        }
        if postTerms.topicTerms.count >= Self.minimumTopicTerms {
            let shared = commentTerms.intersection(postTerms.topicTerms)
            if shared.count <= Self.maximumSharedTopicTerms,
                Double(shared.count) / Double(commentTerms.count) < Self.maximumSharedTopicShare,
                PostTermsCache.pairs(contentTerms).isDisjoint(with: postTerms.phrases)
            {
                let sharedWord = shared.first.map { term in tokens.first { Terms.stem($0.lower) == term }?.text ?? term
                }
                findings.append(
                    Finding(
                        .offTopicTerms(commentTerms.count, topicTerms: postTerms.topicTerms.count, shared: sharedWord),
                        evidence: TextScan.wholeField(.text, context.normalized.text, limit: 120)))
            }
        }
        return findings
    }
}

/// A rough language guess from function words, only to avoid judging overlap across languages.
enum Language: Hashable {
    case english, spanish, otherLatin, nonLatin

    static func guess(_ tokens: [WordToken]) -> Language {
        var english = 0
        var spanish = 0
        var other = 0
        var latinLetters = 0
        var otherLetters = 0
        for token in tokens {
            if token.isCJK {
                otherLetters += 1
                continue
            }
            if let first = token.lower.unicodeScalars.first, first.value < 0x250 {
                latinLetters += 1
            } else {
                otherLetters += 1
            }
            guard let lists = StopWords.languages[token.lower] else { continue }
            english += Int(lists & 1)
            spanish += Int((lists >> 1) & 1)
            other += Int((lists >> 2) & 1)
        }
        if otherLetters > latinLetters { return .nonLatin }
        if english >= spanish && english >= other { return .english }
        return spanish >= other ? .spanish : .otherLatin
    }
}

/// The post's terms, computed once per post rather than once per comment.
final class PostTermsCache: @unchecked Sendable {
    struct Entry {
        var terms: Set<String>
        /// Title terms and terms the text uses more than once, without template-praise vocabulary.
        var topicTerms: Set<String>
        /// Pairs of consecutive content terms ("replic lag"): a comment that repeats one engages with the post.
        var phrases: Set<String>
        var language: Language
    }

    static func pairs(_ terms: [String]) -> Set<String> {
        guard terms.count >= 2 else { return [] }
        return Set((1..<terms.count).map { terms[$0 - 1] + " " + terms[$0] })
    }

    /// One cache for every check that compares comments with their post.
    static let shared = PostTermsCache()
    /// Posts, and bytes of their text, one generation holds at most. An entry's sets of terms
    /// take several times its text's bytes (a few dozen bytes a term), so 1 MB of text is about
    /// 10 MB of memory per generation.
    static let capacity = 256
    static let byteBudget = 1 << 20

    private let lock = NSLock()
    // Two generations: a post found in the older moves to the newer, and when the newer is full
    // the older is dropped. An input whose threads are interleaved (a Disqus export, a shuffled
    // file) keeps its posts; one that holds thousands of posts keeps only the recent ones.
    private var recent: [String: Entry] = [:]
    private var older: [String: Entry] = [:]
    private var recentBytes = 0

    func terms(for post: Post, text: String) -> Entry {
        let key = "\(post.id ?? "")\u{1}\(post.title ?? "")\u{1}\(text.utf8.count)"
        let bytes = text.utf8.count + (post.title?.utf8.count ?? 0)
        lock.lock()
        if let cached = recent[key] {
            lock.unlock()
            return cached
        }
        if let cached = older[key] {
            insert(cached, key: key, bytes: bytes)
            lock.unlock()
            return cached
        }
        lock.unlock()
        let titleTerms = Terms.content(of: NormalizedText(post.title ?? "").text)
        let tokens = TextScan.words(in: NormalizedText((post.title ?? "") + "\n" + text).text)
        let terms = Terms.content(tokens)
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        let repeated = counts.compactMap { $0.value >= 2 ? $0.key : nil }
        let topicTerms = Set(repeated).subtracting(CommonWords.stems).union(titleTerms)
            .subtracting(GenericPraiseCheck.genericStems)
        let entry = Entry(
            terms: Set(terms), topicTerms: topicTerms, phrases: Self.pairs(terms), language: Language.guess(tokens))
        lock.lock()
        insert(entry, key: key, bytes: bytes)
        lock.unlock()
        return entry
    }

    /// Called with the lock held.
    private func insert(_ entry: Entry, key: String, bytes: Int) {
        if recent.count >= Self.capacity || recentBytes >= Self.byteBudget {
            older = recent
            recent = [:]
            recentBytes = 0
        }
        recent[key] = entry
        recentBytes += bytes
    }
}

extension Finding.Message {
    fileprivate static func offTopic(id: String, _ terms: Int, postTerms: Int) -> Self {
        Self(id: id, description: "\(terms) content words, none of them among the post's \(postTerms)")
    }

    fileprivate static func offTopicTerms(_ terms: Int, topicTerms: Int, shared: String?) -> Self {
        Self(
            id: RelevanceCheck.offTopicTerms,
            description: "\(terms) content words, "
                + (shared.map { "only “\($0)” among" } ?? "none of") + " the post's \(topicTerms) topic words")
    }
}
