import Foundation
import HandraiserModel

/// Flags a long comment that shares not one content word with the post it sits under (nor with
/// the comment it replies to): text written for no post in particular. Needs the post's text;
/// short comments, posts without text and comments in another language than the post are left alone.
public struct RelevanceCheck: Check {
    static let offTopic = "HC_OFF_TOPIC"
    static let offTopicLong = "HC_OFF_TOPIC_LONG"

    /// The post needs this many distinct content terms for overlap to mean anything.
    static let minimumPostTerms = 40
    /// A comment needs this many distinct content terms before zero overlap is suspicious.
    static let minimumCommentTerms = 12
    /// From this many terms on, zero overlap is strong evidence.
    static let longCommentTerms = 30

    private let cache = PostTermsCache()

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.offTopic: "12+ content words and not one shared with the post",
            Self.offTopicLong: "30+ content words and not one shared with the post",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        let post = context.thread.post
        guard let postText = post.text, !context.isPingbackLike else { return [] }
        let tokens = TextScan.words(in: context.normalized.text)
        let commentTerms = Set(Terms.content(tokens))
        guard commentTerms.count >= Self.minimumCommentTerms else { return [] }
        let postTerms = cache.terms(for: post, text: postText)
        guard postTerms.terms.count >= Self.minimumPostTerms else { return [] }
        guard Language.guess(tokens) == postTerms.language else { return [] }
        if !commentTerms.isDisjoint(with: postTerms.terms) { return [] }
        if let parentID = context.comment.parentID,
            let parent = context.thread.comments.first(where: { $0.id == parentID }),
            !commentTerms.isDisjoint(with: Terms.content(of: parent.text))
        {
            return []
        }
        let id = commentTerms.count >= Self.longCommentTerms ? Self.offTopicLong : Self.offTopic
        return [
            Finding(
                .offTopic(id: id, commentTerms.count, postTerms: postTerms.terms.count),
                evidence: TextScan.wholeField(.text, context.normalized.text, limit: 120))
        ]
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
            if let first = token.lower.unicodeScalars.first, first.value < 0x250 { latinLetters += 1 } else { otherLetters += 1 }
            if StopWords.english.contains(token.lower) { english += 1 }
            if StopWords.spanish.contains(token.lower) { spanish += 1 }
            if StopWords.otherLatin.contains(token.lower) { other += 1 }
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
        var language: Language
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func terms(for post: Post, text: String) -> Entry {
        let key = "\(post.id ?? "")\u{1}\(post.title ?? "")\u{1}\(text.utf8.count)"
        lock.lock()
        if let cached = entries[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let tokens = TextScan.words(in: NormalizedText((post.title ?? "") + "\n" + text).text)
        let entry = Entry(terms: Set(Terms.content(tokens)), language: Language.guess(tokens))
        lock.lock()
        if entries.count > 10_000 { entries.removeAll() }
        entries[key] = entry
        lock.unlock()
        return entry
    }
}

extension Finding.Message {
    fileprivate static func offTopic(id: String, _ terms: Int, postTerms: Int) -> Self {
        Self(id: id, description: "\(terms) content words, none of them among the post's \(postTerms)")
    }
}
