/// The reasons a person's comment deserves a reply, each with the words that show it.
///
/// Weights say how much a reason moves a person up the list against age (`Weight.age`); every
/// reason is shown, but only those that predicted the author's answers on the dev corpus count.
enum ReplyReasons {
    /// Set on the six threaded dev sources other than the one forum-like blog (where the author
    /// answered nearly everyone), choosing on five and checking on the sixth. A reason weighs
    /// something only when comments showing it were answered more (or, below 0, less) often on
    /// most of the sources that have them, and its weight cost answered people on none. Reasons
    /// at 0 are shown but did not predict answers beyond the question they come with (stories,
    /// problems, returning and first-time readers won on some blogs and lost on as many).
    enum Weight {
        /// A question or a request to the author: answered more often on all seven threaded
        /// sources; without it precision@k fell on six of them.
        static let question = 2.0
        /// Disagreement and naming the author: answered more often on four of the six sources
        /// where they occur, and no source lost by them.
        static let disagreement = 1.0
        static let problem = 0.0
        static let story = 0.0
        /// Taking up the post's subject: without it precision@k fell on three sources, none rose.
        static let engagement = 1.0
        static let addressesAuthor = 1.0
        /// Others replied to the person: on the three sources where that happens more than once
        /// the author answered such people less often (the readers had), so it does not lift them.
        static let openSubthread = 0.0
        /// A comment in another reader's sub-thread, talking with them: the author answered these
        /// less often on all three sources that have them (4 % against 16 % on one).
        static let repliesToReader = -1.0
        static let returning = 0.0
        static let firstTime = 0.0
        /// Points a person loses each time the number of people who wrote before them doubles:
        /// authors answer in the order comments came (chronological order alone beat a random
        /// one on every source), so a question lifts someone past about three earlier people,
        /// a question on the post's subject past about seven.
        static let age = 1.0
    }

    /// A question: a sentence ending in `?`, or a request phrased without one.
    static func question(in text: FoldedText) -> ReplyReason? {
        for sentence in sentenceRanges(in: text) {
            let chars = text.chars[sentence]
            guard let last = chars.last(where: { !$0.isWhitespace && $0 != ")" && $0 != "\"" }) else { continue }
            let words = chars.split(whereSeparator: { $0 == " " }).count
            let spaceless = chars.contains(where: FoldedText.isSpacelessScript)
            if last == "?" && (words >= 3 || spaceless && chars.count >= 5) {
                return ReplyReason(
                    id: "asks-question", description: "asks a question",
                    quote: quote(text.originalText(sentence)), weight: Weight.question)
            }
        }
        if let range = firstPhrase(requestPhrases, in: text) {
            return ReplyReason(
                id: "asks-question", description: "asks for help",
                quote: quote(sentence(around: range, in: text)), weight: Weight.question)
        }
        return nil
    }

    static func disagreement(in text: FoldedText) -> ReplyReason? {
        guard let range = firstPhrase(disagreementPhrases, in: text) else { return nil }
        return ReplyReason(
            id: "disagrees", description: "disagrees or corrects the post",
            quote: quote(sentence(around: range, in: text)), weight: Weight.disagreement)
    }

    static func problem(in text: FoldedText) -> ReplyReason? {
        guard let range = firstPhrase(problemPhrases, in: text) else { return nil }
        return ReplyReason(
            id: "reports-problem", description: "reports a problem",
            quote: quote(sentence(around: range, in: text)), weight: Weight.problem)
    }

    static func story(in text: FoldedText) -> ReplyReason? {
        guard let range = firstPhrase(storyPhrases, in: text) else { return nil }
        return ReplyReason(
            id: "personal-story", description: "tells how it went for them",
            quote: quote(sentence(around: range, in: text)), weight: Weight.story)
    }

    /// Subject words of the post (title words, words the body repeats) that the comment takes up;
    /// template praise shares none, since its words are stop words.
    static func engagement(in text: FoldedText, postWords: Set<String>, titleOnly: Bool) -> ReplyReason? {
        guard !postWords.isEmpty else { return nil }
        var shared: [String] = []
        let words = TextTools.contentWords(text.chars)
        for word in words where postWords.contains(word) && !shared.contains(word) {
            shared.append(word)
        }
        guard shared.count >= (titleOnly ? 1 : 2) else { return nil }
        // Quote the sentence that carries most of the shared words.
        var best: (count: Int, text: String)?
        for sentence in sentenceRanges(in: text) {
            let words = Set(TextTools.contentWords(Array(text.chars[sentence])))
            let count = shared.filter(words.contains).count
            if count > (best?.count ?? 0) { best = (count, text.originalText(sentence)) }
        }
        let listed = shared.prefix(5).joined(separator: ", ")
        return ReplyReason(
            id: "engages-post", description: "takes up the post's subject (\(listed))",
            quote: best.map { quote($0.text) }, weight: Weight.engagement)
    }

    static func addressesAuthor(in text: FoldedText, authorNames: [PersonName]) -> ReplyReason? {
        for name in authorNames {
            if let range = NameAddressing.address(of: name, in: text) {
                return ReplyReason(
                    id: "addresses-author", description: "speaks to the author by name",
                    quote: quote(sentence(around: range, in: text)), weight: Weight.addressesAuthor)
            }
        }
        return nil
    }

    // MARK: - Phrase lists

    private static let requestPhrases = phrases([
        "can you", "could you", "would you", "will you", "do you", "did you", "have you", "any idea", "any ideas",
        "any tips", "any advice", "any suggestions", "i was wondering", "i wonder if", "i'm wondering",
        "please help", "please let me know", "please explain", "let me know if", "how do i", "how can i",
        "is there a way", "is it possible", "what do you think", "what would you", "i'd like to know",
        "i would like to know", "请问", "求助", "怎么",
    ])

    private static let disagreementPhrases = phrases([
        "i disagree", "i don't agree", "i do not agree", "i can't agree", "i cannot agree", "not sure i agree",
        "i'm not sure that", "i am not sure that", "you're wrong", "you are wrong", "that's not true",
        "that is not true", "not true", "isn't true", "that's wrong", "is wrong", "incorrect", "inaccurate",
        "misleading", "i'd argue", "i would argue", "on the contrary", "i beg to differ", "i have to disagree",
        "i think you're missing", "you're missing", "you forgot", "you missed", "you left out", "typo",
        "correction", "to be fair", "that's not quite", "not quite right", "not exactly", "strongly disagree",
        "mistaken", "a mistake", "not accurate", "i object", "but what about", "what about the", "不同意", "不对",
    ])

    private static let problemPhrases = phrases([
        "doesn't work", "does not work", "didn't work", "did not work", "isn't working", "is not working",
        "not working", "won't work", "stopped working", "broken link", "link is broken", "dead link",
        "link is dead", "404", "error message", "i get an error", "i got an error", "getting an error",
        "throws an error", "gives an error", "an error", "crashes", "crashed", "bug", "fails", "failed",
        "can't get it", "cannot get it", "can't seem to", "cannot seem to", "i'm stuck", "i am stuck",
        "no luck", "报错", "出错",
    ])

    private static let storyPhrases = phrases([
        "in my experience", "from my experience", "my experience", "i tried", "i've tried", "i have tried",
        "i used", "i've used", "i have used", "i've been using", "i have been using", "i've been", "we use",
        "we used", "we've been", "we tried", "i did this", "i had", "when i was", "when i", "my wife",
        "my husband", "my son", "my daughter", "my kids", "my children", "my students", "my team",
        "my company", "my clients", "my customers", "my boss", "my family", "my friend", "i followed",
        "i implemented", "i installed", "i built", "i wrote", "i started", "i ended up", "happened to me",
        "i remember", "years ago", "i recently", "i just finished", "i switched", "i work", "i worked",
        "at my job", "at work we", "this reminds me", "reminds me of", "i once", "last year i", "我也",
    ])

    /// An insult aimed at someone or a slur.
    static func abuse(in text: FoldedText) -> ReplyReason? {
        guard let range = firstPhrase(abusePhrases, in: text) else { return nil }
        return ReplyReason(
            id: "abusive", description: "insults someone or uses a slur", quote: text.originalText(range), weight: 0)
    }

    /// A plea to the other readers for likes, thumbs or subscriptions ("thumbs up if you're
    /// watching in 2015", "give it a like", "subscribe to my channel") with no question, problem or
    /// disagreement beside it: it asks nothing of the author, and on video sites it is how
    /// channel promotion and like-farming read when they hold no link.
    static func likeBait(in text: FoldedText) -> ReplyReason? {
        guard let range = firstPhrase(likeBaitPhrases, in: text), !followsAWish(range, in: text),
            question(in: text) == nil, problem(in: text) == nil, disagreement(in: text) == nil
        else { return nil }
        return ReplyReason(
            id: "asks-for-likes", description: "asks the readers for likes or subscriptions, nothing of the author",
            quote: quote(sentence(around: range, in: text)), weight: 0)
    }

    /// "I would like if you…", "we'd like this if…": a wish, not a plea for likes.
    private static func followsAWish(_ range: Range<Int>, in text: FoldedText) -> Bool {
        let before = String(text.chars[..<range.lowerBound]).split { !($0.isLetter || $0 == "'") }
        guard let word = before.last else { return false }
        return ["would", "i'd", "we'd", "you'd", "they'd", "i", "we", "really", "should", "might"].contains(word)
    }

    private static let likeBaitPhrases = phrases([
        "thumbs up if", "thumbs up for", "thumbs up of", "like if you", "like if u", "like if ur", "like if your",
        "like this if", "like this comment", "like my comment", "give it a like", "give this a like",
        "give me a like", "like please", "please like", "pls like", "plz like", "please subscribe",
        "plz subscribe", "pls subscribe", "subscribe to my", "subscribe to me", "sub to my", "sub 4 sub",
        "sub for sub", "check out my channel", "visit my channel", "views and subscribers",
    ])

    /// A comment with nothing in it to answer: a greeting, "test", the commenter's own name or no
    /// words at all, in at most four words. Thanks and praise are not among them ("Thanks!" is a
    /// reader to thank back); text in a script written without spaces is never judged so.
    static func isContentFree(_ text: FoldedText, author: String?) -> Bool {
        guard !text.chars.contains(where: FoldedText.isSpacelessScript) else { return false }
        let words = letterWords(text.chars)
        guard words.count <= 4 else { return false }
        let own = Set(letterWords(FoldedText(author ?? "").chars))
        return words.allSatisfy { own.contains($0) || emptyWords.contains($0) }
    }

    private static func letterWords(_ chars: [Character]) -> [String] {
        String(chars).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Greetings and tests (folded: lowercase, no accents).
    private static let emptyWords: Set<String> = [
        "hi", "hello", "hey", "hiya", "howdy", "yo", "test", "testing", "tests", "teste", "prueba", "ping",
    ]

    /// Slurs and insults aimed at the reader (`you idiot`); profanity alone is not abuse.
    private static let abusePhrases = phrases([
        "you idiot", "you moron", "you retard", "you imbecile", "you autistic", "you stupid", "fuck you",
        "kill yourself", "nigger", "niggers", "faggot", "faggots", "kike", "kikes", "gook", "gooks",
    ])

    private static func phrases(_ list: [String]) -> PhraseSet { PhraseSet(list) }

    private static func firstPhrase(_ set: PhraseSet, in text: FoldedText) -> Range<Int>? {
        set.firstMatch(in: text)
    }

    // MARK: - Sentences and quotes

    /// Folded ranges of the sentences of `text`.
    static func sentenceRanges(in text: FoldedText) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let chars = text.chars
        var start = 0
        var i = 0
        func close(_ end: Int) {
            var lower = start
            var upper = end
            while lower < upper, chars[lower].isWhitespace { lower += 1 }
            while upper > lower, chars[upper - 1].isWhitespace { upper -= 1 }
            if lower < upper { ranges.append(lower..<upper) }
            start = end
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                close(i)
                i += 1
                continue
            }
            if c == "." || c == "!" || c == "?" || c == "\u{3002}" {
                var j = i + 1
                while j < chars.count, chars[j] == "." || chars[j] == "!" || chars[j] == "?" { j += 1 }
                if j == chars.count || chars[j].isWhitespace || c == "\u{3002}"
                    || FoldedText.isSpacelessScript(chars[j])
                {
                    close(j)
                }
                i = j
                continue
            }
            i += 1
        }
        close(chars.count)
        return ranges
    }

    /// The original text of the sentence holding folded range `range`.
    static func sentence(around range: Range<Int>, in text: FoldedText) -> String {
        for sentence in sentenceRanges(in: text) where sentence.contains(range.lowerBound) {
            return text.originalText(sentence)
        }
        return text.originalText(range)
    }

    /// A quote kept short enough to read in a list.
    static func quote(_ text: String) -> String {
        TextTools.excerpt(text, limit: 160)
    }
}

/// Phrases indexed by their first character, so one pass over a text finds the earliest match.
struct PhraseSet {
    private let byFirst: [Character: [[Character]]]

    init(_ phrases: [String]) {
        var index: [Character: [[Character]]] = [:]
        for phrase in phrases {
            let folded = Array(FoldedText.foldedString(phrase))
            guard let first = folded.first else { continue }
            index[first, default: []].append(folded)
        }
        byFirst = index
    }

    /// The earliest whole-word occurrence of any phrase.
    func firstMatch(in text: FoldedText) -> Range<Int>? {
        let chars = text.chars
        for i in chars.indices {
            guard let candidates = byFirst[chars[i]] else { continue }
            for phrase in candidates where text.matches(phrase, at: i) {
                let range = i..<(i + phrase.count)
                if text.isWholeWords(range) { return range }
            }
        }
        return nil
    }
}
