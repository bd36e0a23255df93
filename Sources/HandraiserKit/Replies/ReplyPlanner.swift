import Foundation
import HandraiserModel

/// Plans the reply-to list: per post, who wrote a genuine comment, whom the author already
/// answered, and why each waiting person deserves a reply.
///
/// The planner reads verdicts, threading, names, dates and text; it never reads evaluation labels.
public struct ReplyPlanner: Sendable {
    public var options: ReplyOptions

    public init(options: ReplyOptions = .init()) {
        self.options = options
    }

    /// The plan for every thread that passes the post filter, in input order.
    public func plan(_ threads: [ClassifiedThread]) -> ReplyReport {
        let context = context(for: threads)
        var report = ReplyReport()
        for (index, thread) in threads.enumerated() { plan(thread, index: index, context: context, into: &report) }
        return report
    }

    /// What planning a post needs to know about the whole input, from `threads` (every thread of
    /// the input, in order; iterated several times, so a caller that cannot hold them passes a
    /// sequence that reads them again).
    public func context(for threads: some Sequence<ClassifiedThread>) -> ReplyContext {
        ReplyContext(context: PlanContext(threads: threads, options: options))
    }

    /// Adds the plan of `thread`, the `index`th thread of the input `context` was made from, to
    /// `report` when it passes the post filter: a caller that cannot hold the input plans it a
    /// post at a time, as `plan(_:)` does.
    public func plan(_ thread: ClassifiedThread, index: Int, context: ReplyContext, into report: inout ReplyReport) {
        guard passesPostFilter(thread.post) else { return }
        // A comment over a megabyte is planned on its first megabyte, as it is judged: the
        // planner folds and searches all of a comment's text (a 50 MB comment took minutes and
        // gigabytes), and the excerpt and quotes come from its start anyway.
        var thread = thread
        for position in thread.comments.indices where thread.comments[position].comment.isOverJudgedLength {
            thread.comments[position].comment = thread.comments[position].comment.judgedPart
        }
        let analysis = ThreadAnalysis(thread: thread, threadIndex: index, context: context.context)
        report.posts.append(analysis.plan())
        report.warnings += analysis.warnings
        for item in thread.comments { report.ruleFailures.add(item.verdict) }
    }

    func passesPostFilter(_ post: Post) -> Bool {
        guard let wanted = options.post?.trimmingWhitespace(), !wanted.isEmpty else { return true }
        if post.id == wanted { return true }
        guard let title = post.title else { return false }
        return FoldedText.foldedString(title).contains(FoldedText.foldedString(wanted))
    }
}

/// What the planner knows about the whole input (who writes for the blog, who commented where),
/// made by `ReplyPlanner.context(for:)`.
public struct ReplyContext {
    let context: PlanContext
}

/// What the planner knows about the whole input: who writes for the blog and who commented where.
final class PlanContext {
    let options: ReplyOptions
    let dates = LenientDate.Parser()
    /// Names given in the options and (when asked) the authors of all posts.
    let teamNames: Set<String>
    let teamEmails: Set<String>
    /// E-mail addresses seen on the author's own comments, with the post authors they belong to
    /// (`*` when the comment was recognised by a team name).
    private(set) var emailOwners: [String: Set<String>] = [:]
    /// Where each person (by name key `n:` or e-mail `e:`) commented: thread index and date.
    private(set) var appearances: [String: [(thread: Int, position: Int, date: Date?)]] = [:]
    let threadCount: Int
    /// Links posted across the input, to see one promotion under several names.
    private(set) var sharedLinks = SharedLinkIndex()

    init(threads: some Sequence<ClassifiedThread>, options: ReplyOptions) {
        self.options = options
        var names: Set<String> = []
        var emails: Set<String> = []
        var given = options.authorNames + options.team
        if options.postAuthorsAreTeam {
            given += threads.compactMap(\.post.author)
            given += threads.flatMap(\.post.authorAliases)
        }
        for entry in given {
            let trimmed = entry.trimmingWhitespace()
            if trimmed.contains("@"), trimmed.contains(".") {
                emails.insert(trimmed.lowercased())
            } else if let name = PersonName(trimmed) {
                names.insert(name.key)
            }
        }
        teamNames = names
        teamEmails = emails
        threadCount = threads.count { !$0.comments.isEmpty }

        for thread in threads {
            let postKeys = Self.postAuthorKeys(thread.post)
            for item in thread.comments where Self.canBeAuthor(item) {
                guard let email = Self.emailKey(item.comment) else { continue }
                let nameKey = PersonName(item.comment.author)?.key
                if let nameKey, names.contains(nameKey), !postKeys.contains(nameKey) {
                    emailOwners[email, default: []].insert("*")
                } else if item.verdict.kind == .author || item.comment.authorship?.isPostAuthor == true
                    || nameKey.map(postKeys.contains) == true
                {
                    emailOwners[email, default: []].insert(postKeys.first ?? "")
                }
            }
        }
        for (threadIndex, thread) in threads.enumerated() {
            for (position, item) in thread.comments.enumerated() where !isAuthor(item, in: thread.post) {
                guard item.comment.type == .comment, item.verdict.kind == .genuine || item.verdict.kind == .held
                else { continue }
                let date = item.comment.date.flatMap(dates.parse)
                for key in Self.identityKeys(item.comment) {
                    appearances[key, default: []].append((threadIndex, position, date))
                }
            }
        }
        sharedLinks = SharedLinkIndex(
            threads: threads, isAuthor: { [unowned self] in isAuthor($0, in: $1) },
            doubtfulScore: options.doubtfulScore)
    }

    static func canBeAuthor(_ item: ClassifiedComment) -> Bool {
        item.comment.type == .comment && item.verdict.kind != .spam && item.verdict.kind != .pingback
    }

    static func postAuthorKeys(_ post: Post) -> [String] {
        ([post.author] + post.authorAliases.map(Optional.some)).compactMap { PersonName($0)?.key }
    }

    static func emailKey(_ comment: Comment) -> String? {
        guard let email = comment.authorEmail?.trimmingWhitespace().lowercased(), email.contains("@") else {
            return nil
        }
        return email
    }

    /// Keys that identify a person across posts.
    static func identityKeys(_ comment: Comment) -> [String] {
        var keys: [String] = []
        if let name = PersonName(comment.author) { keys.append("n:" + name.key) }
        if let email = emailKey(comment) { keys.append("e:" + email) }
        return keys
    }

    /// The post author's (or the team's) own comment.
    func isAuthor(_ item: ClassifiedComment, in post: Post) -> Bool {
        guard Self.canBeAuthor(item) else { return false }
        if item.verdict.kind == .author || item.comment.authorship?.isPostAuthor == true { return true }
        let postKeys = Self.postAuthorKeys(post)
        if let name = PersonName(item.comment.author), postKeys.contains(name.key) || teamNames.contains(name.key) {
            return true
        }
        guard let email = Self.emailKey(item.comment) else { return false }
        if teamEmails.contains(email) { return true }
        guard let owners = emailOwners[email] else { return false }
        if owners.contains("*") || options.postAuthorsAreTeam { return true }
        return owners.contains(postKeys.first ?? "")
    }

    /// Whether the person commented on another post before this comment; whether this is
    /// their first comment anywhere in the input.
    func history(of comment: Comment, thread: Int, position: Int, date: Date?) -> (returning: Bool, firstTime: Bool) {
        var returning = false
        var earlierHere = false
        for key in Self.identityKeys(comment) {
            for seen in appearances[key] ?? [] {
                let earlier: Bool
                if let date, let seenDate = seen.date, seenDate != date {
                    earlier = seenDate < date
                } else {
                    earlier = seen.thread < thread || (seen.thread == thread && seen.position < position)
                }
                guard earlier else { continue }
                if seen.thread != thread { returning = true } else { earlierHere = true }
            }
        }
        let anyIdentity = !Self.identityKeys(comment).isEmpty
        return (returning, anyIdentity && !returning && !earlierHere && threadCount > 1)
    }
}
