/// What one line of a dump can be, judged on the line alone. The segmenter decides in context.
enum DumpLineKind {
    case blank
    /// `  3. text` — a list number and what follows it.
    case numbered(Int, rest: Substring)
    /// The end of the comment section (`Leave a Reply`); `pagination` for `« Older Comments`.
    case footer(pagination: Bool)
    case header(DumpHeader)
    /// Page furniture (`Reply`, `Share ›`, `Like`); `terminator` when it closes a comment.
    case chrome(terminator: Bool)
    /// A number alone: Disqus votes beside `Reply`, or text.
    case voteCount
    case badge(DumpBadge)
    /// `In reply to Jane.`
    case replyTo(String)
    case date
    /// A line opening with `[…]`: the excerpt a pingback or trackback quotes.
    case excerpt
    case author(DumpAuthorLine)
    /// A name alone on its line (or a Markdown link whose text is a name).
    case name(String, url: String?)
    case text
}

extension DumpLineKind {
    var isDate: Bool { if case .date = self { true } else { false } }
    var isChrome: Bool { if case .chrome = self { true } else { false } }
    var isFooter: Bool { if case .footer = self { true } else { false } }
    var isHeader: Bool { if case .header = self { true } else { false } }
}

/// A comment-section header: `15 Responses`, `12 thoughts on “Title”`, `Comments (4)`, `Discussion`.
struct DumpHeader {
    var count: Int?
    /// `Trackbacks/Pingbacks`: the entries below are pingbacks.
    var isPingbackList: Bool
    /// A header without a number (`Comments`, `Discussion`) also heads ordinary articles' sections,
    /// so it only counts when entries follow.
    var isBare: Bool
    /// `2 Replies` alone: a section header on some themes, a thread's reply counter on others
    /// (Discourse, Disqus), where comments come before it.
    var isReplyCount = false
}

/// A mark a theme puts beside a comment's author.
enum DumpBadge: Sendable {
    case postAuthor, moderator
}

/// An entry's opening line that names its author.
struct DumpAuthorLine {
    enum Kind { case says, onDate, nameDate, separated, link, pingback, trackback }
    var kind: Kind
    var name: String
    var url: String?
    var date: String?
    /// The name after `→` or `in reply to` (Disqus shows replies as `Jane Mod → Bob`).
    var parentName: String?
    var badge: DumpBadge?
    /// Text after `says:` that is not a date: the comment's first words.
    var inlineText: Substring?
    /// `Some Blog » A Post Title says:`: the line has the shape of an author line but the name
    /// does not read as one (pingbacks stored as comments, odd handles). It opens an entry only
    /// where a date line follows.
    var isLoose = false

    var isTrackbackOrPingback: Bool { kind == .pingback || kind == .trackback }
}

enum DumpClassifier {
    /// Lines longer than this are text whatever they start with; furniture and headers are short.
    static let shortLine = 300

    static func classify(_ body: Substring) -> DumpLineKind {
        if body.isEmpty { return .blank }
        if let (number, rest) = numbered(body) {
            // `3. März 2021 um 16:12 Uhr`: a day-first date opens like a list number.
            if body.utf8.count <= 100, DumpDates.isDate(body) { return .date }
            return .numbered(number, rest: rest)
        }
        return classifyUnnumbered(body)
    }

    /// Classifies `body` ignoring list numbers (also used on the text after a number).
    ///
    /// Each check runs only when the line's first word could open what it looks for, so a long
    /// comment's prose lines cost a few cheap tests each.
    static func classifyUnnumbered(_ body: Substring) -> DumpLineKind {
        if body.isEmpty { return .blank }
        let isShort = body.utf8.count <= shortLine
        if isShort {
            let unwrapped = DumpMarkdown.unwrapLinks(body)
            let first = firstWord(unwrapped)
            let numeric = !first.isEmpty && first.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            let open = first.isEmpty  // the line opens with a symbol (`« Older Comments`, `•`, `↓`)
            var lowered: String?
            var lower: String {
                if let lowered { return lowered }
                let value = unwrapped.lowercased()
                lowered = value
                return value
            }
            if open || footerFirstWords.contains(first), let pagination = footer(lower) {
                return .footer(pagination: pagination)
            }
            if open || numeric || headerFirstWords.contains(first), let header = header(lower) {
                return .header(header)
            }
            if open || numeric || chromeFirstWords.contains(first), let terminator = chrome(lower) {
                return .chrome(terminator: terminator)
            }
            if numeric, unwrapped.utf8.count <= 5, unwrapped.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return .voteCount
            }
            if unwrapped.utf8.count <= 40, let badge = badge(lower) { return .badge(badge) }
            if ["in", "replying", "reply"].contains(first), let parent = replyTo(unwrapped) { return .replyTo(parent) }
            if unwrapped.utf8.count <= 100, DumpDates.isDate(unwrapped) { return .date }
        }
        if isExcerpt(body) { return .excerpt }
        if let author = DumpAuthorLines.parse(body) { return .author(author) }
        if isShort && body.utf8.count <= 200 {
            if let link = DumpMarkdown.leadingLink(body), !link.isImage, link.rest.isEmpty,
                DumpNames.isNameLike(link.text, strict: false)
            {
                return .name(String(link.text), url: String(link.url))
            }
            if DumpNames.isNameLike(body, strict: true) { return .name(String(body), url: nil) }
        }
        return .text
    }

    /// The first word of a line, lower-cased, without punctuation; empty when the line opens with a symbol.
    static func firstWord(_ text: String) -> String {
        var end = text.utf8.startIndex
        var count = 0
        let utf8 = text.utf8
        while end < utf8.endIndex, count < 24 {
            let byte = utf8[end]
            // Space, tab, `|`, and the lead bytes of NBSP/`·` (C2) and `•` (E2 80 A2).
            if byte == 0x20 || byte == 0x09 || byte == 0x7C || byte == 0xC2 || byte == 0xE2 { break }
            end = utf8.index(after: end)
            count += 1
        }
        let word = text[text.startIndex..<end]
        if word.utf8.allSatisfy({ $0 < 0x80 && ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A || $0 >= 0x30 && $0 <= 0x39) }) {
            return word.lowercased()
        }
        return word.lowercased().trimmingDumpPunctuation
    }

    private static func firstWords(_ phrases: some Sequence<String>) -> Set<String> {
        Set(
            phrases.compactMap { phrase in
                phrase.split(whereSeparator: { $0 == " " || $0 == "•" || $0 == "·" || $0 == "|" }).first
                    .map { $0.trimmingDumpPunctuation }
            }.filter { !$0.isEmpty })
    }

    /// `3. text`, `12) text`, `1.` alone: the number and the text after it.
    static func numbered(_ body: Substring) -> (Int, Substring)? {
        var digits = 0
        var i = body.startIndex
        while i < body.endIndex, body[i].isASCII, body[i].isNumber, digits < 5 {
            digits += 1
            i = body.index(after: i)
        }
        guard digits > 0, digits <= 4, i < body.endIndex, body[i] == "." || body[i] == ")" else { return nil }
        let afterMarker = body.index(after: i)
        if afterMarker < body.endIndex,
            !(body[afterMarker] == " " || body[afterMarker] == "\t" || body[afterMarker] == "\u{A0}")
        {
            return nil
        }
        guard let number = Int(body[body.startIndex..<i]) else { return nil }
        let rest = body[afterMarker...].drop(while: { DumpLine.whiteWidth($0) != nil })
        return (number, rest)
    }

    static func isExcerpt(_ body: Substring) -> Bool {
        guard let first = body.utf8.first, first == UInt8(ascii: "[") || first == 0xE2 else { return false }
        return body.hasPrefix("[…]") || body.hasPrefix("[...]") || body.hasPrefix("[..]") || body.hasPrefix("[ … ]")
            || body.hasPrefix("[&hellip;]") || body.hasPrefix("…]")
    }

    // MARK: Section header

    static func header(_ lower: String) -> DumpHeader? {
        guard lower.count <= 200 else { return nil }
        var text = Substring(lower)
        while let f = text.first, f == "#" || f == "=" || f == " " || f == "*" || f == "_" { text = text.dropFirst() }
        while let l = text.last, " ↓»:.…-–—#*_↩".contains(l) { text = text.dropLast() }
        let words = text.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        if words.count == 1 || words.count <= 4, let bare = bareHeaders[words.joined(separator: " ")] {
            return DumpHeader(count: nil, isPingbackList: bare, isBare: !bare)
        }
        // `15 Responses`, `One thought on “Title”`, `No comments yet`
        if let count = Int(first) ?? numberWords[first], words.count >= 2, let noun = nouns[words[1]] {
            let rest = words.dropFirst(2)
            if let next = rest.first, !headerContinuations.contains(next) { return nil }
            if rest.first == "and", rest.count >= 3, nouns[rest.dropFirst(2).first ?? ""] == nil { return nil }
            return DumpHeader(
                count: count, isPingbackList: noun, isBare: false,
                isReplyCount: rest.isEmpty && ["reply", "replies"].contains(words[1]))
        }
        // `Comments (4)`, `Responses: 15`, `Comments [4]`
        if let noun = nouns[first], words.count == 2 || words.count == 3 {
            let number = words.dropFirst().joined().trimmingDumpPunctuation
            if let count = Int(number) { return DumpHeader(count: count, isPingbackList: noun, isBare: false) }
        }
        // `Showing 12 comments`
        if ["showing", "displaying", "viewing"].contains(first), words.count >= 3, let count = Int(words[1]),
            let noun = nouns[words[2]]
        {
            return DumpHeader(count: count, isPingbackList: noun, isBare: false)
        }
        return nil
    }

    private static let headerFirstWords: Set<String> = firstWords(
        Array(nouns.keys) + Array(numberWords.keys) + Array(bareHeaders.keys) + ["showing", "displaying", "viewing"])
    private static let footerFirstWords: Set<String> = firstWords(
        Array(footers) + Array(paginationFooters) + footerPrefixes)
    private static let chromeFirstWords: Set<String> = firstWords(Array(terminators) + Array(furniture)).union([
        "liked", "like", "view", "show", "hide", "load", "see",
    ])

    /// Header nouns; the value says whether the list below holds pingbacks.
    private static let nouns: [String: Bool] = [
        "response": false, "responses": false, "comment": false, "comments": false, "thought": false, "thoughts": false,
        "reply": false, "replies": false, "reaction": false, "reactions": false, "opinion": false, "opinions": false,
        "trackback": true, "trackbacks": true, "pingback": true, "pingbacks": true, "trackbacks/pingbacks": true,
        "pingbacks/trackbacks": true, "pings": true, "comments:": false, "responses:": false,
        // WordPress's `%s thoughts on “%s”` and `%s Responses` in its most used translations.
        "gedanken": false, "kommentare": false, "kommentar": false, "antworten": false, "antwort": false,
        "réflexions": false, "réflexion": false, "commentaires": false, "commentaire": false, "réponses": false,
        "réponse": false, "comentarios": false, "comentario": false, "respuestas": false, "respuesta": false,
        "pensamientos": false, "commenti": false, "commento": false, "risposte": false, "risposta": false,
        "pensieri": false, "comentários": false, "comentário": false, "respostas": false, "resposta": false,
        "reacties": false, "reactie": false, "gedachten": false, "gedachte": false,
    ]

    /// Words that may follow `15 Responses` in a header line.
    private static let headerContinuations: Set<String> = [
        "to", "on", "for", "about", "in", "so", "yet", "add", "and", "&", "|", "»", "↓", "(", "-", "–", "—",
        "zu", "auf", "sur", "en", "a", "sobre", "para", "em", "su", "over", "op", "bij", "«", "„", "“",
    ]

    /// Headers without a number; the value says whether the list below holds pingbacks.
    private static let bareHeaders: [String: Bool] = [
        "comments": false, "responses": false, "discussion": false, "reader comments": false,
        "join the conversation": false, "continue discussion": false, "what people are saying": false,
        "what others are saying": false,
        "conversation": false, "comments and responses": false, "your comments": false, "reader interactions": false,
        "trackbacks/pingbacks": true, "pingbacks/trackbacks": true, "pingbacks": true, "trackbacks": true,
        "pingbacks & trackbacks": true, "trackbacks & pingbacks": true, "trackbacks and pingbacks": true,
        "pingbacks and trackbacks": true, "trackbacks / pingbacks": true, "pings": true,
    ]

    private static let numberWords: [String: Int] = [
        "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
        // `Une réflexion sur « … »`, `Ein Gedanke zu „…“`, `Un comentario en «…»`, `Één reactie op`.
        "un": 1, "une": 1, "uno": 1, "una": 1, "ein": 1, "eine": 1, "um": 1, "uma": 1, "één": 1, "een": 1,
    ]

    // MARK: Footers and furniture

    /// Whether `lower` ends the comment section; the value says whether it points to more pages.
    static func footer(_ lower: String) -> Bool? {
        guard lower.count <= 160 else { return nil }
        // Sharing blocks are headed `Share this:` and `Like this:`; `Like this?` is a comment.
        if lower == "share this:" || lower == "like this:" { return false }
        let text = lower.trimmingDumpPunctuation
        if paginationFooters.contains(text) { return true }
        if footers.contains(text) { return false }
        for prefix in footerPrefixes where text.hasPrefix(prefix) { return false }
        return nil
    }

    private static let paginationFooters: Set<String> = [
        "older comments", "newer comments", "previous comments", "next comments", "older comments newer comments",
        "load more comments", "show more comments", "view more comments", "more comments",
    ]
    private static let footers: Set<String> = [
        "leave a reply", "leave a comment", "leave a response", "leave your comment", "leave your reply",
        "leave a reply cancel reply", "add a comment", "add comment", "add your comment", "post a comment",
        "post comment", "submit a comment", "submit comment", "write a comment", "cancel reply", "post navigation",
        "comment navigation", "previous post", "next post", "related posts", "related articles", "related",
        "you may also like", "recent posts", "recent comments", "comments are closed", "comments closed",
        "add disqus to your site", "powered by disqus", "facebook comments plugin",
        "schreibe einen kommentar", "hinterlasse einen kommentar", "kommentar verfassen", "antworten abbrechen",
        "laisser un commentaire", "laisser une réponse", "annuler la réponse", "deja una respuesta",
        "deja un comentario", "cancelar respuesta", "lascia un commento", "lascia una risposta", "annulla risposta",
        "deixe uma resposta", "deixe um comentário", "cancelar resposta", "geef een reactie",
        "laat een reactie achter", "reactie annuleren",
    ]
    private static let footerPrefixes: [String] = [
        "your email address will not be published", "you must be logged in to post", "notify me of",
        "this site uses akismet", "comments are closed", "leave a reply to", "previous post:", "next post:",
        "save my name, email", "subscribe to comments", "you can follow any responses", "logged in as",
        "name *", "email *", "name (required)", "mail (will not be published)", "trackback url",
        "comment rss", "rss feed for comments", "sorry, the comment form is closed",
        "deine e-mail-adresse wird nicht veröffentlicht", "ihre e-mail-adresse wird nicht veröffentlicht",
        "votre adresse e-mail ne sera pas publiée", "votre adresse de messagerie ne sera pas publiée",
        "tu dirección de correo electrónico no será publicada", "il tuo indirizzo email non sarà pubblicato",
        "o seu endereço de e-mail não será publicado", "je e-mailadres wordt niet gepubliceerd",
    ]

    /// Whether `lower` is page furniture; the value says whether it closes a comment (`Reply`).
    static func chrome(_ lower: String) -> Bool? {
        guard lower.count <= 120 else { return nil }
        let tokens = lower.split(whereSeparator: { "•·|".contains($0) })
            .map { $0.trimmingCharacters(inDumpSet: " \t\u{A0}") }
            .filter { !$0.isEmpty }
        if tokens.isEmpty { return false }
        var terminator = false
        var sawWord = false
        for token in tokens {
            let plain = token.trimmingCharacters(inDumpSet: " ↓→›»←↑^#()[]:.!¶…")
            if terminators.contains(plain) || plain.hasPrefix("log in to reply") || plain.hasPrefix("login to reply") {
                terminator = true
                sawWord = true
            } else if furniture.contains(plain) || plain.isEmpty {
                sawWord = sawWord || !plain.isEmpty
            } else if likedBy(plain) {
                sawWord = true
            } else if tokens.count > 1 && (plain.allSatisfy({ $0.isNumber }) || DumpDates.isDate(plain)) {
                continue
            } else {
                return nil
            }
        }
        // A line of bullets alone is furniture too.
        return sawWord || tokens.allSatisfy({ $0.allSatisfy { "•·|-–—+−".contains($0) } }) ? terminator : nil
    }

    private static func likedBy(_ text: String) -> Bool {
        text.hasPrefix("liked by ") || text.hasPrefix("like liked by") || text.hasSuffix(" likes")
            || text.hasSuffix(" like")
                && text.split(separator: " ").count == 2
            || text.hasPrefix("view ") && text.hasSuffix(" replies")
            || text.hasPrefix("show ") && text.hasSuffix(" replies")
            || text.hasPrefix("hide ") && text.hasSuffix(" replies")
            || text.hasPrefix("load ") && text.hasSuffix(" replies")
            || text.hasPrefix("see ") && text.hasSuffix(" replies")
            || text.hasSuffix(" more replies") || text.hasSuffix(" replies") && text.split(separator: " ").count == 2
            || text.hasSuffix(" reply") && text.split(separator: " ").count == 2
            || text.hasSuffix(" points") && text.split(separator: " ").count == 2
    }

    private static let terminators: Set<String> = [
        "reply", "reply to this comment", "reply to comment", "reply to this", "sign in to reply", "log in to reply",
        "login to reply", "respond", "reply ↓", "antworten", "répondre", "responder", "rispondi", "reageren",
        "beantworten", "beantwoorden", "responda",
    ]
    private static let furniture: Set<String> = [
        "edit", "permalink", "link", "report", "report comment", "report abuse", "report this comment", "flag",
        "flag as inappropriate", "share", "share ›", "tweet", "like", "liked", "unlike", "loading", "loading...",
        "loading…",
        "recommend", "avatar", "upvote", "downvote", "vote", "see more", "show more", "read more", "collapse", "expand",
        "hide replies", "show replies", "view replies", "load more", "show more replies", "sort by best",
        "sort by newest",
        "sort by oldest", "newest", "oldest", "best", "top", "top comments", "most recent", "log in", "login",
        "sign in",
        "sign up", "subscribe", "quote", "mute", "block", "follow", "unfollow", "translate", "see translation",
        "your comment is awaiting moderation", "this comment is awaiting moderation", "comment awaiting moderation",
        "awaiting moderation", "facebook", "twitter", "email", "print", "like this", "likes", "hide", "show", "votes",
        "vote up", "vote down", "thumbs up", "thumbs down", "helpful", "not helpful", "↑", "↓", "▲", "▼", "+", "-", "−",
        "–", "—", "#", "*", "¶", "⋯", "...", "…", "see more replies", "more", "less", "pinned",
        "pinned comment", "featured", "highlighted comment", "reply by email", "join the discussion",
        "start the discussion", "log in with", "or sign up with disqus", "disqus' privacy policy", "favorite",
        "favourite", "delete", "replies", "remove", "hide comment",
    ]

    static func badge(_ lower: String) -> DumpBadge? {
        let text = lower.trimmingDumpPunctuation
        switch text {
        case "post author", "author", "blog author", "article author", "the author", "site owner", "owner", "creator",
            "verified author":
            return .postAuthor
        case "mod", "moderator", "admin", "administrator", "site admin", "staff", "team":
            return .moderator
        default: return nil
        }
    }

    /// `In reply to Jane.` / `Replying to @jane` / `Reply to Jane` (a line of its own).
    static func replyTo(_ text: String) -> String? {
        let lower = text.lowercased()
        for prefix in ["in reply to ", "replying to ", "in response to ", "reply to "] where lower.hasPrefix(prefix) {
            let name = String(text.dropFirst(prefix.count)).trimmingDumpPunctuation
            let plain = name.hasPrefix("@") ? String(name.dropFirst()) : name
            if DumpNames.isNameLike(plain, strict: false) { return plain }
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(inDumpSet set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
