import Foundation
import HandraiserModel

extension ThreadAnalysis {
    /// The post's plan: people in rank order, held people, sites to thank, the author's comments.
    func plan() -> PostReplyPlan {
        // Each candidate with the entry of its first listed comment, for ordering by age.
        var genuine: [(candidate: ReplyCandidate, first: Int)] = []
        var held: [(candidate: ReplyCandidate, first: Int)] = []
        for person in people {
            let listed = person.entries.filter { isListed(entries[$0]) }
            guard let first = listed.first else { continue }
            let item = (candidate(for: person, listed: listed), first)
            if person.entries.contains(where: { entries[$0].role == .genuine }) {
                genuine.append(item)
            } else {
                held.append(item)
            }
        }
        func ranked(_ list: [(candidate: ReplyCandidate, first: Int)]) -> [ReplyCandidate] {
            // The key is the reasons' weight less log2(1 + people of the same status who wrote
            // earlier): authors answer roughly in the order comments came, and a reason lifts a
            // person past a few earlier ones, not past a whole thread (`ReplyReasons.Weight.age`).
            var earlier = [Int](repeating: 0, count: list.count)
            var seen: [ReplyStatus: Int] = [:]
            for index in list.indices.sorted(by: { isBefore(list[$0].first, list[$1].first) }) {
                let status = list[index].candidate.status
                earlier[index] = seen[status, default: 0]
                seen[status, default: 0] += 1
            }
            let keys = list.indices.map { index in
                list[index].candidate.weight - ReplyReasons.Weight.age * log2(1 + Double(earlier[index]))
            }
            let sorted = list.indices.sorted { x, y in
                let statusX = list[x].candidate.status
                let statusY = list[y].candidate.status
                if statusX != statusY { return statusX == .waiting }
                if keys[x] != keys[y] { return keys[x] > keys[y] }
                return isBefore(list[x].first, list[y].first)
            }
            return sorted.enumerated().map { offset, index in
                var ranked = list[index].candidate
                ranked.rank = offset + 1
                return ranked
            }
        }
        return PostReplyPlan(
            post: thread.post, people: ranked(genuine), held: ranked(held), thanks: inboundLinks(),
            authorComments: entries.filter { $0.role == .author }.map(\.comment.id))
    }

    private func candidate(for person: Person, listed: [Int]) -> ReplyCandidate {
        let lastAnswer = person.answers.map(\.author).max(by: { isBefore($0, $1) })
        var reasons: [ReplyReason] = []
        var status: ReplyStatus = person.covered.isEmpty ? .waiting : .answered
        // A question asked after the author's last answer reopens the conversation.
        if let lastAnswer, status == .answered {
            for index in listed where isBefore(lastAnswer, index) {
                if let question = ReplyReasons.question(in: entries[index].folded) {
                    status = .waiting
                    reasons.append(
                        ReplyReason(
                            id: question.id, description: question.description + " after the author's answer",
                            quote: question.quote, weight: question.weight))
                    break
                }
            }
        }
        reasons += contentReasons(listed, skipping: Set(reasons.map(\.id)))
        if status == .waiting, let open = openSubthread(person, listed: listed) { reasons.append(open) }
        if status == .waiting, let reply = repliesToReader(person, listed: listed) { reasons.append(reply) }
        if let first = listed.first {
            let entry = entries[first]
            let history = context.history(
                of: entry.comment, thread: threadIndex, position: entry.position, date: entry.date)
            if history.returning {
                reasons.append(
                    ReplyReason(
                        id: "returning", description: "has commented on other posts before",
                        weight: ReplyReasons.Weight.returning))
            } else if history.firstTime {
                reasons.append(
                    ReplyReason(
                        id: "first-time", description: "first comment anywhere in this input",
                        weight: ReplyReasons.Weight.firstTime))
            }
        }
        if let index = listed.first(where: { setAside[$0] != nil }), let why = setAside[index] { reasons.append(why) }
        // Strongest first; reasons of equal weight keep the order they were found in.
        reasons = reasons.enumerated().sorted { x, y in
            x.element.weight != y.element.weight ? x.element.weight > y.element.weight : x.offset < y.offset
        }
        .map(\.element)

        let shown = listed.first(where: { !person.covered.contains($0) }) ?? listed[0]
        let entry = entries[shown]
        let strongest = person.answers.min { x, y in
            let rank: (AnswerMethod) -> Int = { [.parent, .name, .words].firstIndex(of: $0) ?? 3 }
            if rank(x.link.method) != rank(y.link.method) { return rank(x.link.method) < rank(y.link.method) }
            return isBefore(x.author, y.author)
        }
        return ReplyCandidate(
            author: displayName(of: entries[listed[0]]), contact: contact(person),
            commentIDs: listed.map { entries[$0].comment.id },
            date: entry.comment.date, excerpt: TextTools.excerpt(entry.comment.text), status: status,
            answeredBy: strongest?.link,
            answeredCommentIDs: listed.filter(person.covered.contains).map { entries[$0].comment.id },
            reasons: reasons)
    }

    /// Reasons found in the text of the person's comments; the first comment showing each wins.
    private func contentReasons(_ listed: [Int], skipping: Set<String>) -> [ReplyReason] {
        var found: [ReplyReason] = []
        var seen = skipping
        let postWords = postSubjectWords
        let titleOnly = (thread.post.text?.trimmingWhitespace() ?? "").isEmpty
        let authorNames = self.authorNames
        for index in listed {
            let text = entries[index].folded
            let checks: [ReplyReason?] = [
                ReplyReasons.question(in: text), ReplyReasons.disagreement(in: text), ReplyReasons.problem(in: text),
                ReplyReasons.story(in: text),
                ReplyReasons.engagement(in: text, postWords: postWords, titleOnly: titleOnly),
                ReplyReasons.addressesAuthor(in: text, authorNames: authorNames),
            ]
            for case let reason? in checks where !seen.contains(reason.id) {
                found.append(reason)
                seen.insert(reason.id)
            }
        }
        return found
    }

    /// Others answered the person's comment but the author did not.
    private func openSubthread(_ person: Person, listed: [Int]) -> ReplyReason? {
        let ids = Set(listed.map { entries[$0].comment.id })
        let mine = Set(person.entries)
        var repliers: [String] = []
        let replies = ids.flatMap { repliesByParent[$0] ?? [] }.sorted()
        for index in replies where !mine.contains(index) {
            let name = displayName(of: entries[index])
            if !repliers.contains(name) { repliers.append(name) }
        }
        guard !repliers.isEmpty else { return nil }
        let shownNames = repliers.prefix(3).joined(separator: ", ") + (repliers.count > 3 ? "…" : "")
        return ReplyReason(
            id: "open-subthread", description: "others replied but the author has not (\(shownNames))",
            weight: ReplyReasons.Weight.openSubthread)
    }

    /// The person's comment that answers another reader in that reader's sub-thread: a
    /// conversation between readers, which authors leave to them more often than not.
    private func repliesToReader(_ person: Person, listed: [Int]) -> ReplyReason? {
        let mine = Set(person.entries)
        for index in listed {
            guard let parentID = entries[index].comment.parentID, let parent = entryByID[parentID],
                !mine.contains(parent), entries[parent].role == .genuine || entries[parent].role == .held
            else { continue }
            return ReplyReason(
                id: "replies-to-reader", description: "talks with another reader (\(displayName(of: entries[parent])))",
                quote: ReplyReasons.sentenceRanges(in: entries[index].folded).first.map {
                    ReplyReasons.quote(entries[index].folded.originalText($0))
                }, weight: ReplyReasons.Weight.repliesToReader)
        }
        return nil
    }

    private func contact(_ person: Person) -> String? {
        for index in person.entries {
            if let email = PlanContext.emailKey(entries[index].comment) { return "mailto:" + email }
        }
        for index in person.entries {
            if let url = entries[index].comment.authorURL?.trimmingWhitespace(), Self.isWebAddress(url) { return url }
        }
        return nil
    }

    static func isWebAddress(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
        return host(of: text) != nil
    }

    // MARK: - Sites to thank

    private func inboundLinks() -> [InboundLink] {
        let ownHost = thread.post.url.flatMap(Self.host).map(Self.siteKey)
        var links: [InboundLink] = []
        var seen: Set<String> = []
        for entry in entries where entry.role == .link && isListed(entry) {
            // A link the site's own moderation put in spam or trash is nobody to thank.
            if let status = entry.comment.status, status == .spam || status == .trash { continue }
            if Self.isTweetDigest(entry.comment.text) { continue }
            let url =
                entry.comment.authorURL.flatMap { Self.isWebAddress($0) ? $0 : nil }
                ?? Self.firstURL(in: entry.comment.content)
            let host = url.flatMap(Self.host)
            if let ownHost, let host, Self.siteKey(host) == ownHost { continue }
            let title = Self.linkTitle(entry)
            let key = (url ?? "") + "\u{1F}" + title
            guard seen.insert(key).inserted else { continue }
            links.append(
                InboundLink(commentID: entry.comment.id, title: title, url: url, host: host, date: entry.comment.date))
        }
        return links
    }

    /// A tweet aggregator's automatic mention page ("This post was mentioned on Twitter by …",
    /// "This post was Twitted by …"): it lists tweets about the post, nobody wrote about it, so
    /// there is no one to thank for the link. (Sites disagree on whether they are spam: the dev
    /// corpus has 9 approved and 6 in spam, so the classifier leaves them pingbacks.)
    static func isTweetDigest(_ text: String) -> Bool {
        let head = text.prefix(200).lowercased()
        guard head.contains("twitter") || head.contains("twitted") || head.contains("tweeted") else { return false }
        let opener = head.filter { $0.isLetter || $0 == " " }.split(separator: " ").joined(separator: " ")
        return ["this post was mentioned on twitter by", "this post was twitted by", "this post was tweeted by"]
            .contains { opener.contains($0) }
    }

    private static func linkTitle(_ entry: Entry) -> String {
        if let author = entry.comment.author?.trimmingWhitespace(), !author.isEmpty { return author }
        var text = entry.comment.text.trimmingWhitespace()
        for prefix in ["Pingback", "Trackback"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count)).trimmingWhitespace()
            if text.hasPrefix(":") { text = String(text.dropFirst()).trimmingWhitespace() }
        }
        return TextTools.excerpt(text, limit: 120)
    }

    static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let hostPart = authority.split(separator: "@").last.map { $0.split(separator: ":").first ?? $0 } ?? ""
        let host = hostPart.lowercased()
        guard host.contains("."), host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            return nil
        }
        return host
    }

    /// The part of a host name that says which site it is: `www.` dropped, last two labels
    /// (three when the second-level label is short, as in `example.co.uk`).
    static func siteKey(_ host: String) -> String {
        var labels = host.split(separator: ".").map(String.init)
        if labels.first == "www" { labels.removeFirst() }
        guard labels.count > 2 else { return labels.joined(separator: ".") }
        let keep = (labels[labels.count - 2].count <= 3 && labels[labels.count - 1].count == 2) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    private static func firstURL(in text: String) -> String? {
        for scheme in ["https://", "http://"] {
            guard let start = text.range(of: scheme) else { continue }
            let url = text[start.lowerBound...].prefix(while: {
                !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != "<" && $0 != ">"
            })
            return String(url)
        }
        return nil
    }
}
