import HandraiserModel

/// Reads a WordPress eXtended RSS export (WXR 1.0 to 1.2), streamed.
///
/// Each `<item>` of type post or page becomes a thread as soon as its `</item>` is read; items of
/// other types (attachments, menu items) become threads only when they carry comments. Only the
/// open item is ever in memory, so a file of any size is read in bounded space.
///
/// The post author's comments are recognised from what the export itself says: the comment's
/// WordPress user id is the author's (`wp:author_id`, WXR 1.1+), its e-mail is the author's
/// `wp:author_email`, or its user id was seen earlier writing under the author's name. What was
/// learned about user ids carries forward through the file, never backward.
public struct WXRReader: CommentReader {
    public var format: InputFormat { .wxr }

    public init() {}

    public func read(_ reader: ByteReader, options: ReadOptions, into sink: inout some ReadSink) throws {
        var state = WXRState(authorNames: options.authorNames, options: options)
        // A post of more comments than a part comes in parts when its comments can be read again.
        if let part = options.threadPartComments, reader.isSeekable { state.partComments = max(1, part) }
        var xml = XMLStreamReader(reader)
        do {
            while let event = try xml.next() {
                switch event {
                case .start(let tag):
                    try state.start(tag, depth: xml.depth)
                    if state.item?.firstComment == nil, state.comment != nil, state.partComments != nil {
                        state.item?.firstComment = (xml.context(dropping: 1), tag.location)
                    }
                case .text(let text):
                    state.text += text
                case .end(let name):
                    if let thread = state.end(name, depth: xml.depth + 1) {
                        try sink.thread(thread)
                        state.postsRead += 1
                    } else if let item = state.longItem {
                        state.longItem = nil
                        // The tokenizer has read the file up to here: it reads on from here after.
                        let resume = reader.offset
                        try state.readParts(of: item, from: reader, into: &sink)
                        try reader.seek(toOffset: resume, lineNumber: reader.lineNumber)
                        state.postsRead += 1
                    }
                }
            }
        } catch let error as InputError {
            throw error.adding(context: state.progress)
        }
    }
}

/// A `<wp:author>` entry of the channel.
private struct WXRAuthor {
    var id: String?
    var login: String?
    var email: String?
    var displayName: String?
    var firstName: String?
    var lastName: String?
}

private struct WXRComment {
    var fields: [String: String] = [:]
    var location: SourceLocation

    /// The WordPress user id the comment was written under, if any.
    var userID: String? {
        fields["wp:comment_user_id"]?.exportTrimmed.exportNonEmpty.flatMap { $0 == "0" ? nil : $0 }
    }
}

private struct WXRItem {
    var fields: [String: String] = [:]
    var comments: [WXRComment] = []
    var depth: Int
    /// Where the item's first comment starts and what is open around it, to read the comments
    /// again when the item turns out too long to hold (`WXRState.partComments`).
    var firstComment: (context: XMLStreamReader.Context, location: SourceLocation)?
    var commentCount = 0
    /// True once the item has more comments than a part: they are no longer held.
    var isLong = false
}

/// Who a WordPress user id was found to be, and why.
private struct UserIdentity {
    var authorKey: String
    var evidence: String
}

private struct WXRState {
    let authorNameKeys: Set<String>
    var text = ""
    var postsRead = 0
    var commentsRead = 0
    /// Canonical prefix (`wp`, `dc`, `content`, `excerpt`) for each prefix the file declares.
    var prefixes: [String: String] = [:]
    var sawRoot = false
    var authors: [WXRAuthor] = []
    var users: [String: UserIdentity] = [:]
    var author: (entry: WXRAuthor, depth: Int)?
    var item: WXRItem?
    var comment: (entry: WXRComment, depth: Int)?
    /// Set when a long item may come in parts of this many comments.
    var partComments: Int?
    /// An item that ended with more comments than a part, for the reader to read in parts.
    var longItem: WXRItem?

    let options: ReadOptions

    init(authorNames: [String], options: ReadOptions) {
        authorNameKeys = Set(authorNames.map(NameMatching.key))
        self.options = options
    }

    var progress: String {
        "after \(XMLStreamReader.counted(commentsRead, "comment")) in \(XMLStreamReader.counted(postsRead, "post"))"
    }

    mutating func start(_ tag: XMLStartTag, depth: Int) throws {
        text = ""
        if !sawRoot {
            sawRoot = true
            guard tag.name == "rss" else {
                throw InputError.malformed(
                    tag.location, message: "not a WordPress export: the root element is <\(tag.name)>, not <rss>")
            }
            readNamespaces(tag)
            return
        }
        let name = canonical(tag.name)
        if item != nil {
            if comment == nil, name == "wp:comment" {
                if let item {
                    try options.checkRoom(
                        forMoreThan: item.commentCount, post: item.fields["title"] ?? item.fields["wp:post_id"] ?? "",
                        at: tag.location)
                }
                comment = (WXRComment(location: tag.location), depth)
            }
        } else if name == "item" {
            item = WXRItem(depth: depth)
        } else if name == "wp:author", author == nil {
            author = (WXRAuthor(), depth)
        }
    }

    /// Handles an end tag; `depth` is the depth the element had while open. Returns a finished thread.
    mutating func end(_ rawName: String, depth: Int) -> Thread? {
        defer { text = "" }
        let name = canonical(rawName)
        if let open = comment {
            if depth == open.depth {
                comment = nil
                commentsRead += 1
                guard var current = item else { return nil }
                current.commentCount += 1
                if !current.isLong { current.comments.append(open.entry) }
                if let partComments, current.commentCount > partComments, current.firstComment != nil {
                    current.isLong = true
                    current.comments = []
                }
                item = current
            } else if depth == open.depth + 1 {
                comment?.entry.fields[name] = text
            }
            return nil
        }
        if let open = item {
            if depth == open.depth {
                item = nil
                if open.isLong {
                    longItem = open
                    return nil
                }
                return thread(from: open)
            }
            if depth == open.depth + 1, item?.fields[name] == nil {
                item?.fields[name] = text
            }
            return nil
        }
        if let open = author {
            if depth == open.depth {
                authors.append(open.entry)
                if let id = open.entry.id, !id.isEmpty, id != "0", let key = Self.key(of: open.entry) {
                    users[id] = UserIdentity(
                        authorKey: key, evidence: "WordPress user id \(id) is the author \(Self.label(of: open.entry))")
                }
                author = nil
            } else if depth == open.depth + 1 {
                let value = text.exportTrimmed
                switch name {
                case "wp:author_id": author?.entry.id = value
                case "wp:author_login": author?.entry.login = value
                case "wp:author_email": author?.entry.email = value
                case "wp:author_display_name": author?.entry.displayName = value
                case "wp:author_first_name": author?.entry.firstName = value
                case "wp:author_last_name": author?.entry.lastName = value
                default: break
                }
            }
        }
        return nil
    }

    // MARK: Namespaces

    private mutating func readNamespaces(_ root: XMLStartTag) {
        for (attribute, uri) in root.attributes where attribute.hasPrefix("xmlns:") {
            let prefix = String(attribute.dropFirst(6))
            let lowered = uri.lowercased()
            let canonicalPrefix: String? =
                if lowered.contains("wordpress.org/export/") && lowered.contains("excerpt") {
                    "excerpt"
                } else if lowered.contains("wordpress.org/export/") {
                    "wp"
                } else if lowered.contains("purl.org/dc/elements") {
                    "dc"
                } else if lowered.contains("purl.org/rss/1.0/modules/content") {
                    "content"
                } else {
                    nil
                }
            if let canonicalPrefix, canonicalPrefix != prefix { prefixes[prefix] = canonicalPrefix }
        }
    }

    /// The name with its prefix replaced by the canonical one, when the file uses another.
    private func canonical(_ name: String) -> String {
        guard !prefixes.isEmpty, let colon = name.firstIndex(of: ":"),
            let mapped = prefixes[String(name[..<colon])]
        else { return name }
        return mapped + name[colon...]
    }

    // MARK: Threads

    /// The post an item makes, with what its comments' authorship is judged by.
    private func post(of item: WXRItem) -> (post: Post, author: WXRAuthor?, authorKey: String?, creator: String) {
        let fields = item.fields
        let creator = fields["dc:creator"]?.exportTrimmed ?? ""
        let postAuthor = authorEntry(named: creator)
        let postAuthorKey = postAuthor.flatMap(Self.key(of:)) ?? (creator.isEmpty ? nil : NameMatching.key(creator))
        let displayName = postAuthor?.displayName?.exportNonEmpty ?? creator.exportNonEmpty
        var aliases: [String] = []
        for alias in [postAuthor?.login, creator.exportNonEmpty, postAuthor?.email, postAuthor.flatMap(Self.fullName)] {
            if let alias = alias?.exportNonEmpty, alias != displayName, !aliases.contains(alias) {
                aliases.append(alias)
            }
        }
        let content = fields["content:encoded"] ?? ""
        let post = Post(
            id: fields["wp:post_id"]?.exportTrimmed.exportNonEmpty,
            title: fields["title"]?.exportTrimmed.exportNonEmpty,
            author: displayName, authorAliases: aliases, url: fields["link"]?.exportTrimmed.exportNonEmpty,
            text: content.isEmpty ? nil : PlainText.from(html: content),
            date: fields["wp:post_date"]?.exportTrimmed.exportNonEmpty
                ?? fields["pubDate"]?.exportTrimmed.exportNonEmpty)
        return (post, postAuthor, postAuthorKey, creator)
    }

    private mutating func thread(from item: WXRItem) -> Thread? {
        let type = item.fields["wp:post_type"]?.exportTrimmed.lowercased() ?? "post"
        guard type == "post" || type == "page" || !item.comments.isEmpty else { return nil }
        let (post, postAuthor, postAuthorKey, creator) = post(of: item)
        var comments: [Comment] = []
        var notes: [InputNote] = []
        for entry in item.comments {
            learnUser(from: entry, creator: creator)
            comments.append(
                comment(
                    from: entry, postID: post.id, postAuthor: postAuthor, postAuthorKey: postAuthorKey,
                    postAuthorName: post.author, known: entry.userID.flatMap { users[$0] }))
        }
        let ids = Set(comments.map(\.id))
        for comment in comments {
            if let parent = comment.parentID, !ids.contains(parent) {
                notes.append(Self.missingParent(comment, parent: parent))
            }
        }
        return Thread(post: post, comments: comments, notes: notes)
    }

    static func missingParent(_ comment: Comment, parent: String) -> InputNote {
        InputNote(
            severity: .warning, code: "missing-parent",
            message: "comment \(comment.id) replies to comment \(parent), which is not in this post's export",
            location: comment.location)
    }

    /// Hands a long item's comments over in parts (`ThreadParts`), read again from the file:
    /// each part judged as in the whole post, the user ids learned from its comments carried
    /// forward as reading the item whole would.
    mutating func readParts(of item: WXRItem, from reader: ByteReader, into sink: inout some ReadSink) throws {
        guard let first = item.firstComment, let partComments else { return }
        let (post, postAuthor, postAuthorKey, creator) = post(of: item)
        let records = WXRItemComments(
            state: self, itemDepth: item.depth, first: first, reader: reader, post: post, postAuthor: postAuthor,
            postAuthorKey: postAuthorKey, creator: creator)
        var parts = ThreadParts(records: records, partComments: partComments)
        try parts.read(into: &sink)
        users = records.learned.users
    }

    fileprivate func comment(
        from entry: WXRComment, postID: String?, postAuthor: WXRAuthor?, postAuthorKey: String?,
        postAuthorName: String?,
        known: UserIdentity?
    ) -> Comment {
        let f = entry.fields
        func field(_ name: String) -> String? { f["wp:comment_" + name]?.exportTrimmed.exportNonEmpty }
        let rawType = field("type")?.lowercased() ?? "comment"
        var extra: [ExtraField] = []
        let type: CommentType
        switch rawType {
        case "pingback": type = .pingback
        case "trackback": type = .trackback
        case "comment": type = .comment
        default:
            type = .comment
            extra.append(ExtraField(name: "comment_type", json: JSONString.literal(rawType)))
        }
        var status: ModerationStatus?
        if let approved = field("approved") {
            switch approved.lowercased() {
            case "1", "approve", "approved": status = .approved
            case "0", "hold", "pending": status = .pending
            case "spam": status = .spam
            case "trash", "post-trashed": status = .trash
            default: extra.append(ExtraField(name: "comment_approved", json: JSONString.literal(approved)))
            }
        }
        let userID = field("user_id").flatMap { $0 == "0" ? nil : $0 }
        let author = field("author")
        let email = field("author_email")
        return Comment(
            id: field("id") ?? "line \(entry.location.line ?? 0)",
            parentID: field("parent").flatMap { $0 == "0" ? nil : $0 },
            postID: postID, author: author, authorEmail: email, authorURL: field("author_url"),
            authorIP: field("author_IP") ?? field("author_ip"), authorUserID: userID,
            date: field("date") ?? field("date_gmt"), type: type,
            content: f["wp:comment_content"] ?? "", status: status,
            authorship: authorship(
                author: author, email: email, userID: userID, postAuthor: postAuthor, postAuthorKey: postAuthorKey,
                postAuthorName: postAuthorName, known: known),
            extraFields: extra, location: entry.location)
    }

    /// `known`: who the comment's user id was known to be when the comment was read.
    private func authorship(
        author: String?, email: String?, userID: String?, postAuthor: WXRAuthor?, postAuthorKey: String?,
        postAuthorName: String?, known: UserIdentity?
    ) -> Authorship? {
        if !authorNameKeys.isEmpty,
            [author, email].contains(where: { $0.map { authorNameKeys.contains(NameMatching.key($0)) } ?? false })
        {
            return Authorship(isPostAuthor: true, confidence: 1, evidence: "the author is named with --author")
        }
        let name = postAuthorName ?? "the post author"
        if let userID, let id = postAuthor?.id, userID == id {
            return Authorship(
                isPostAuthor: true, confidence: 1, evidence: "WordPress user id \(userID) is the post's author")
        }
        if let email, let authorEmail = postAuthor?.email, !authorEmail.isEmpty,
            NameMatching.key(email) == NameMatching.key(authorEmail)
        {
            return Authorship(
                isPostAuthor: true, confidence: 0.95,
                evidence: "the e-mail \(email) is the post author's (\(name)) in the export")
        }
        if let known {
            if known.authorKey == postAuthorKey {
                return Authorship(isPostAuthor: true, confidence: 0.9, evidence: known.evidence)
            }
            return Authorship(
                isPostAuthor: false, confidence: 0.8, evidence: "\(known.evidence), not the post's author (\(name))")
        }
        return nil
    }

    /// Ties a comment's user id to a channel author when the export shows who it is.
    fileprivate mutating func learnUser(from entry: WXRComment, creator: String) {
        guard let userID = entry.fields["wp:comment_user_id"]?.exportTrimmed, !userID.isEmpty, userID != "0",
            users[userID] == nil
        else { return }
        let email = entry.fields["wp:comment_author_email"]?.exportTrimmed ?? ""
        let name = entry.fields["wp:comment_author"]?.exportTrimmed ?? ""
        if !email.isEmpty,
            let owner = authors.first(where: {
                $0.email.map { NameMatching.key($0) == NameMatching.key(email) } ?? false
            }
            ),
            let key = Self.key(of: owner)
        {
            users[userID] = UserIdentity(
                authorKey: key,
                evidence: "WordPress user id \(userID) writes with the e-mail of \(Self.label(of: owner))")
            return
        }
        guard !name.isEmpty else { return }
        let nameKey = NameMatching.key(name)
        if let owner = authors.first(where: { Self.names(of: $0).contains(nameKey) }), let key = Self.key(of: owner) {
            users[userID] = UserIdentity(
                authorKey: key,
                evidence: "WordPress user id \(userID) writes as \(name), the name of \(Self.label(of: owner))")
        } else if NameMatching.key(creator) == nameKey {
            // Old exports list no authors; the item's creator is the only name to go by.
            users[userID] = UserIdentity(
                authorKey: nameKey,
                evidence: "WordPress user id \(userID) writes as \(name), the name of a post's author")
        }
    }

    /// The channel author an item's `dc:creator` names: a login (WXR 1.1+) or a display name (1.0).
    private func authorEntry(named creator: String) -> WXRAuthor? {
        guard !creator.isEmpty else { return nil }
        let key = NameMatching.key(creator)
        return authors.first(where: { $0.login.map(NameMatching.key) == key })
            ?? authors.first(where: { Self.names(of: $0).contains(key) })
    }

    private static func key(of author: WXRAuthor) -> String? {
        (author.login?.exportNonEmpty ?? author.displayName?.exportNonEmpty).map(NameMatching.key)
    }

    private static func names(of author: WXRAuthor) -> Set<String> {
        Set(
            [author.login, author.displayName, fullName(author)].compactMap { $0?.exportNonEmpty }.map(NameMatching.key)
        )
    }

    private static func fullName(_ author: WXRAuthor) -> String? {
        let parts = [author.firstName, author.lastName].compactMap { $0?.exportNonEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    private static func label(of author: WXRAuthor) -> String {
        author.displayName?.exportNonEmpty ?? author.login?.exportNonEmpty ?? "an author"
    }
}

/// The comments of one long WXR item, read again from the file for `ThreadParts`, each judged as
/// reading the item whole judges it: user ids are learned from the comments in order, and a
/// parent read back from another part is judged with what was known at its place.
private final class WXRItemComments: ThreadRecords {
    /// The reader's state as the item ended: the user ids known before its comments.
    let start: WXRState
    let itemDepth: Int
    let first: (context: XMLStreamReader.Context, location: SourceLocation)
    let reader: ByteReader
    let post: Post
    let postAuthor: WXRAuthor?
    let postAuthorKey: String?
    let creator: String
    /// The state after the last pass over the comments: the user ids they taught.
    private(set) var learned: WXRState
    /// Where (the byte offset of the comment) each user id the item's comments taught was learned.
    private var learnedAt: [String: Int] = [:]
    private var passes = 0

    init(
        state: WXRState, itemDepth: Int, first: (context: XMLStreamReader.Context, location: SourceLocation),
        reader: ByteReader, post: Post, postAuthor: WXRAuthor?, postAuthorKey: String?, creator: String
    ) {
        self.start = state
        self.learned = state
        self.itemDepth = itemDepth
        self.first = first
        self.reader = reader
        self.post = post
        self.postAuthor = postAuthor
        self.postAuthorKey = postAuthorKey
        self.creator = creator
    }

    func merge(_ post: Post, into merged: inout Post?) {
        if merged == nil { merged = post }
    }

    /// Comments carry their authorship already.
    func finished(_ comment: Comment, post: Post) -> Comment { comment }

    func missingParentNote(_ comment: Comment, parent: String) -> InputNote? {
        WXRState.missingParent(comment, parent: parent)
    }

    /// A state that reads comments inside the item, from a reader resumed there.
    private func reading() -> WXRState {
        var state = start
        state.partComments = nil
        state.longItem = nil
        state.comment = nil
        state.text = ""
        state.item = WXRItem(depth: itemDepth)
        return state
    }

    private func comment(_ entry: WXRComment, known: UserIdentity?) -> Comment {
        start.comment(
            from: entry, postID: post.id, postAuthor: postAuthor, postAuthorKey: postAuthorKey,
            postAuthorName: post.author, known: known)
    }

    /// Reads comments from `location` on, handing each to `body`, until `body` says stop or the
    /// item ends.
    private func eachEntry(
        from location: SourceLocation, context: XMLStreamReader.Context, _ body: (WXRComment) throws -> Bool
    ) throws {
        try reader.seek(toOffset: location.byteOffset ?? 0, lineNumber: location.line ?? 1)
        var place = location
        place.file = reader.name
        var xml = XMLStreamReader(resuming: context, at: place, from: reader)
        var state = reading()
        while let event = try xml.next() {
            switch event {
            case .start(let tag): try state.start(tag, depth: xml.depth)
            case .text(let text): state.text += text
            case .end(let name):
                let depth = xml.depth + 1
                if depth <= itemDepth { return }
                _ = state.end(name, depth: depth)
                if let entry = state.item?.comments.popLast(), try !body(entry) { return }
            }
        }
    }

    func eachBatch(of size: Int, _ body: ([Result<(Comment, Post), UnreadableRecord>]) throws -> Void) throws {
        var state = start
        let firstPass = passes == 0
        passes += 1
        var batch: [Result<(Comment, Post), UnreadableRecord>] = []
        try eachEntry(from: first.location, context: first.context) { entry in
            let userID = entry.userID
            let knownBefore = userID.map { state.users[$0] != nil } ?? true
            state.learnUser(from: entry, creator: creator)
            let known = userID.flatMap { state.users[$0] }
            if firstPass, !knownBefore, known != nil, let userID { learnedAt[userID] = entry.location.byteOffset ?? 0 }
            batch.append(.success((comment(entry, known: known), post)))
            if batch.count >= size {
                // `body` may read parents elsewhere; the comments go on from where they stood.
                let (offset, line) = (reader.offset, reader.lineNumber)
                try body(batch)
                batch.removeAll(keepingCapacity: true)
                try reader.seek(toOffset: offset, lineNumber: line)
            }
            return true
        }
        if !batch.isEmpty { try body(batch) }
        learned = state
    }

    func comment(at place: SourceLocation, post: Post) throws -> Comment? {
        var found: Comment?
        try eachEntry(from: place, context: first.context) { entry in
            var known: UserIdentity?
            if let userID = entry.userID {
                if let before = start.users[userID] {
                    known = before
                } else if let at = learnedAt[userID], at <= (place.byteOffset ?? 0) {
                    known = learned.users[userID]
                }
            }
            found = comment(entry, known: known)
            return false
        }
        return found
    }
}
