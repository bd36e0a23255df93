import Foundation

/// A commenter's name prepared for finding it in the author's replies.
struct PersonName: Hashable {
    /// The name as given.
    let display: String
    /// The folded whole name.
    let full: [Character]
    /// The folded first word, when the name has several and the first is long enough to mean something.
    let first: [Character]?
    /// Upper-case initials (`JM` for Jane Mumford), for names of two or three words.
    let initials: String?
    /// The key that says two comments carry the same name (the folded whole name), kept because
    /// every comparison of a long thread asks for it.
    let key: String

    /// Nil for empty names and the placeholders sites use when nobody gave a name.
    init?(_ raw: String?) {
        guard let raw else { return nil }
        let name = raw.trimmingWhitespace()
        let foldedName = FoldedText.foldedString(name)
        let folded = Array(foldedName)
        guard !folded.isEmpty, !Self.placeholderNames.contains(foldedName) else { return nil }
        display = name
        full = folded
        key = foldedName
        let words = folded.split(separator: " ").map(Array.init)
        if words.count >= 2, let head = words.first, Self.isUsableAlone(head) {
            first = head
        } else {
            first = nil
        }
        let originalWords = name.split(separator: " ")
        if (2...3).contains(originalWords.count), originalWords.allSatisfy({ $0.first?.isUppercase == true }) {
            initials = String(originalWords.compactMap(\.first))
        } else {
            initials = nil
        }
    }

    static func isUsableAlone(_ word: [Character]) -> Bool {
        if word.contains(where: FoldedText.isSpacelessScript) { return word.count >= 2 }
        return word.count >= 3 && word.contains(where: \.isLetter) && !commonWords.contains(String(word))
    }

    static let placeholderNames: Set<String> = [
        "anonymous", "anon", "anonymous coward", "guest", "admin", "administrator", "user", "unknown", "none",
        "null", "nil", "name", "me", "a reader", "reader", "visitor", "someone", "nobody", "n/a", "-",
        "匿名", "匿名用户", "游客", "访客", "anonimo", "anónimo", "anonyme",
    ]

    /// Words that are names only sometimes; alone they say too little.
    private static let commonWords: Set<String> = [
        "the", "and", "mr", "mrs", "ms", "dr", "sir", "mrs.", "mr.", "dr.", "big", "little", "best", "web",
        "blog", "team", "new", "my", "real", "free", "top", "cheap", "online", "official",
    ]
}

/// Finds where the author's text addresses people.
enum NameAddressing {
    /// Where `text` addresses `name`: `@Name` anywhere; a full name of several words anywhere;
    /// a one-word name or a first name only in an addressing position (`Name, …`, `Name: …`,
    /// `Name -- …`, `thanks Name`, `Lucretia and …` at a line start, `good point, Name.`);
    /// initials (`JM--`) only at a line start.
    /// `pairs`, when given, are `text.characterPairs`: a name with a pair of neighbouring
    /// characters not among them is not searched for.
    static func address(
        of name: PersonName, in text: FoldedText, pairs: Set<FoldedText.CharacterPair>? = nil
    ) -> Range<Int>? {
        func mayOccur(_ needle: [Character]) -> Bool {
            guard let pairs else { return true }
            return needle.indices.dropFirst().allSatisfy {
                pairs.contains(FoldedText.CharacterPair(needle[$0 - 1], needle[$0]))
            }
        }
        let wholeIsSeveralWords = name.full.contains(" ")
        if mayOccur(name.full) {
            for range in text.wordOccurrences(of: name.full) {
                if wholeIsSeveralWords || isAddressing(range, in: text) { return range }
            }
        }
        if let first = name.first, mayOccur(first) {
            for range in text.wordOccurrences(of: first) where isAddressing(range, in: text) {
                return range
            }
        }
        if let initials = name.initials {
            return initialsAddress(initials, in: text)
        }
        return nil
    }

    static func isAddressing(_ range: Range<Int>, in text: FoldedText) -> Bool {
        let chars = text.chars
        // `@Name`
        if range.lowerBound > 0, chars[range.lowerBound - 1] == "@" { return true }
        var after = range.upperBound
        while after < chars.count, chars[after] == " " { after += 1 }
        let next: Character? = after < chars.count ? chars[after] : nil
        if let next {
            if next == "," || next == ":" || next == ";" || next == "!" { return true }
            if next == "-", after + 1 < chars.count, chars[after + 1] == "-" || chars[after + 1] == " " { return true }
        }
        let before = wordsBefore(range.lowerBound, in: chars, count: 2)
        if let last = before.last, greetings.contains(last) { return true }
        if before.count == 2, before[0] == "thank", before[1] == "you" { return true }
        let atLineStart = isLineStart(range.lowerBound, in: chars)
        if atLineStart, followsWithConjunction(after, in: chars) { return true }
        // A name in a list that opened the line: `Lucretia and Jo, glad…`
        if let last = before.last, last == "and" || last == "&", isListAtLineStart(range.lowerBound, in: chars) {
            return true
        }
        // `Good point, Luis.`
        if previousNonSpace(range.lowerBound, in: chars) == ",", let next, next == "." || next == "?" || next == "!" {
            return true
        }
        return false
    }

    private static let greetings: Set<String> = [
        "thanks", "thx", "ty", "hi", "hey", "hello", "dear", "welcome", "cheers", "congrats", "congratulations",
        "sorry", "hiya", "yo", "howdy",
    ]

    private static func wordsBefore(_ index: Int, in chars: [Character], count: Int) -> [String] {
        var words: [String] = []
        var i = index - 1
        while words.count < count {
            while i >= 0, chars[i] == " " { i -= 1 }
            guard i >= 0, chars[i].isLetter else { break }
            var word: [Character] = []
            while i >= 0, chars[i].isLetter || chars[i] == "&" {
                word.insert(chars[i], at: 0)
                i -= 1
            }
            words.insert(String(word), at: 0)
            if i >= 0, chars[i] != " " { break }
        }
        if i >= 0, chars[i] == "&" { words.append("&") }
        return words
    }

    private static func previousNonSpace(_ index: Int, in chars: [Character]) -> Character? {
        var i = index - 1
        while i >= 0, chars[i] == " " { i -= 1 }
        return i >= 0 ? chars[i] : nil
    }

    /// Only spaces or opening punctuation between the line start and `index`.
    static func isLineStart(_ index: Int, in chars: [Character]) -> Bool {
        var i = index - 1
        while i >= 0, chars[i] != "\n" {
            if chars[i].isLetter || chars[i].isNumber { return false }
            i -= 1
        }
        return true
    }

    private static func followsWithConjunction(_ index: Int, in chars: [Character]) -> Bool {
        guard index < chars.count else { return false }
        if chars[index] == "&" { return true }
        return index + 3 < chars.count && String(chars[index..<(index + 3)]) == "and" && chars[index + 3] == " "
    }

    /// The line so far is a short list of names joined by `and`/`&`/commas.
    private static func isListAtLineStart(_ index: Int, in chars: [Character]) -> Bool {
        var i = index - 1
        var letters = 0
        while i >= 0, chars[i] != "\n" {
            if chars[i] == "." || chars[i] == "?" || chars[i] == "!" || chars[i] == ":" { return false }
            if chars[i].isLetter { letters += 1 }
            i -= 1
        }
        return letters <= 60
    }

    private static func initialsAddress(_ initials: String, in text: FoldedText) -> Range<Int>? {
        let original = text.original
        let needle = Array(initials)
        var lineStart = 0
        while lineStart < original.count {
            var i = lineStart
            while i < original.count, original[i] == " " || original[i] == "\t" { i += 1 }
            let end = i + needle.count
            if end < original.count, Array(original[i..<end]) == needle {
                let next = original[end]
                if next == "," || next == ":" || next == "-" || next == "\u{2014}" || next == "\u{2013}" {
                    // Map back to folded indices for the caller.
                    if let start = text.origin.firstIndex(of: i), let stop = text.origin.lastIndex(of: end - 1) {
                        return start..<(stop + 1)
                    }
                }
            }
            guard let newline = original[lineStart...].firstIndex(of: "\n") else { break }
            lineStart = newline + 1
        }
        return nil
    }

    /// Names the author's text addresses at the start of a line or sentence (`Glasgow Letting, thanks…`,
    /// `Lucretia and SEO Training SW, glad…`) or with `@`, as written.
    static func addressedNames(in text: String) -> [(name: String, line: String)] {
        var found: [(String, String)] = []
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingWhitespace()
            for sentence in TextTools.sentences(line) {
                for name in namesOpening(sentence) where !found.contains(where: { $0.0 == name }) {
                    found.append((name, line))
                }
            }
            for name in atHandles(line) where !found.contains(where: { $0.0 == name }) {
                found.append((name, line))
            }
        }
        return found
    }

    private static func namesOpening(_ line: String) -> [String] {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        while let head = words.first, openingWords.contains(FoldedText.foldedString(head.trimmingCharacters(in: ",!")))
        {
            words.removeFirst()
        }
        if words.first.map(FoldedText.foldedString) == "you" { words.removeFirst() }
        var prefixWords: [String] = []
        var closed = false
        for word in words.prefix(10) {
            if let cut = closingMark(in: word) {
                prefixWords.append(cut)
                closed = true
                break
            }
            if word == "-" || word == "--" || word == "\u{2013}" {
                closed = true
                break
            }
            if word.contains(".") || word.contains("?") || word.contains("!") { return [] }
            prefixWords.append(word)
        }
        guard closed, !prefixWords.isEmpty else { return [] }
        var names: [String] = []
        var current: [String] = []
        for word in prefixWords + ["and"] {
            if word == "and" || word == "&" {
                let name = current.joined(separator: " ")
                current = []
                guard let first = name.first, first.isUppercase || first == "@" || FoldedText.isSpacelessScript(first)
                else { return [] }
                guard !sentenceStarts.contains(FoldedText.foldedString(name)) else { return [] }
                names.append(name.hasPrefix("@") ? String(name.dropFirst()) : name)
            } else {
                current.append(word)
                if current.count > 5 { return [] }
            }
        }
        return names
    }

    /// The part of `word` before a mark that closes an address (`,` `:` `—` `--`, a final `-`).
    private static func closingMark(in word: String) -> String? {
        if let cut = word.firstIndex(where: {
            $0 == "," || $0 == ":" || $0 == "\u{2014}" || $0 == "\u{FF0C}" || $0 == "\u{FF1A}"
        }) {
            return String(word[..<cut])
        }
        if let dashes = word.range(of: "--") { return String(word[..<dashes.lowerBound]) }
        if word.count > 1, word.hasSuffix("-") || word.hasSuffix("\u{2013}") { return String(word.dropLast()) }
        return nil
    }

    private static func atHandles(_ line: String) -> [String] {
        var handles: [String] = []
        var rest = Substring(line)
        while let at = rest.firstIndex(of: "@") {
            let preceding = rest[..<at].last
            rest = rest[rest.index(after: at)...]
            if let preceding, preceding.isLetter || preceding.isNumber { continue }  // an e-mail address
            let handle = rest.prefix(while: { !$0.isWhitespace && !",:;!?()".contains($0) })
            let trimmed = handle.hasSuffix(".") ? handle.dropLast() : handle
            if !trimmed.isEmpty { handles.append(String(trimmed)) }
        }
        return handles
    }

    private static let openingWords: Set<String> = [
        "hi", "hey", "hello", "dear", "thanks", "thank", "thx", "cheers", "welcome", "yo", "ok", "okay", "well",
    ]

    /// Words that open sentences and are not names.
    private static let sentenceStarts: Set<String> = [
        "yes", "no", "well", "ok", "okay", "so", "sorry", "thanks", "also", "actually", "again", "oh", "true",
        "agreed", "indeed", "great", "good", "nice", "hmm", "sure", "right", "i", "but", "now", "first", "then",
        "anyway", "however", "btw", "update", "edit", "ps", "p.s", "note", "yeah", "yep", "nope", "exactly",
        "absolutely", "correct", "interesting", "cool", "wow", "haha", "lol", "in fact", "of course", "for example",
        "for instance", "that said", "by the way", "in short", "in any case", "otherwise", "meanwhile", "finally",
        "definitely", "perhaps", "maybe", "honestly", "unfortunately", "fortunately", "generally", "personally",
        "great question", "good question", "good point", "great point", "fair enough", "in my opinion", "as always",
        "as i said", "as you said", "if so", "if not", "not really", "not yet", "all", "here", "there", "this",
        "that", "it", "we", "you", "they", "he", "she", "my", "our", "your", "the", "a", "an",
    ]
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        return String(s)
    }
}

/// The people of a thread indexed by what `NameAddressing.address` needs to find in a text before
/// it can match one of their names: the leading word of the whole name or of the first name (a
/// run of letters and digits, which a match always finds whole in the text), or the initials at
/// the start of a line. Names starting otherwise, or in a script written without spaces, are
/// candidates for every text. Ruling people out this way keeps a thread of thousands of people
/// linear instead of comparing every reply with every name.
struct NameIndex {
    private var byWord: [String: [Int]] = [:]
    private var byInitials: [String: [Int]] = [:]
    private var always: [Int] = []

    /// `names[p]` are the names of person `p`.
    init(_ names: [[PersonName]]) {
        for (person, personNames) in names.enumerated() {
            var anywhere = false
            for name in personNames {
                for needle in [name.full] + (name.first.map { [$0] } ?? []) {
                    if let word = Self.leadingWord(needle) {
                        byWord[word, default: []].append(person)
                    } else {
                        anywhere = true
                    }
                }
                if let initials = name.initials { byInitials[initials, default: []].append(person) }
            }
            if anywhere { always.append(person) }
        }
    }

    /// The people whose names `text` could hold, in ascending order.
    func candidates(in text: FoldedText) -> [Int] {
        var found = Set(always)
        var run: [Character] = []
        func flush() {
            if !run.isEmpty, let people = byWord[String(run)] { found.formUnion(people) }
            run.removeAll(keepingCapacity: true)
        }
        for c in text.chars {
            if FoldedText.gluesToWord(c) { run.append(c) } else { flush() }
        }
        flush()
        if !byInitials.isEmpty {
            let original = text.original
            var i = 0
            var atLineStart = true
            while i < original.count {
                if atLineStart, original[i] != " ", original[i] != "\t" {
                    for length in 2...3 where i + length <= original.count {
                        if let people = byInitials[String(original[i..<(i + length)])] { found.formUnion(people) }
                    }
                    atLineStart = false
                }
                if original[i] == "\n" { atLineStart = true }
                i += 1
            }
        }
        return found.sorted()
    }

    /// The run of letters and digits a needle starts with, or nil when it starts otherwise.
    private static func leadingWord(_ needle: [Character]) -> String? {
        let run = needle.prefix(while: FoldedText.gluesToWord)
        return run.isEmpty ? nil : String(run)
    }
}
