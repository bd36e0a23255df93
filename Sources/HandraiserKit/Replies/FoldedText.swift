import Foundation

/// Text folded for matching (lower case, accents removed, typographic apostrophes and dashes
/// made plain) that remembers where each folded character came from, so matches can be quoted
/// from the original text.
struct FoldedText {
    let original: [Character]
    /// The folded characters.
    let chars: [Character]
    /// For each folded character, the index of the original character it came from.
    let origin: [Int]

    init(_ text: String) {
        original = Array(text)
        var chars: [Character] = []
        var origin: [Int] = []
        chars.reserveCapacity(original.count)
        origin.reserveCapacity(original.count)
        for (index, character) in original.enumerated() {
            for folded in Self.fold(character) {
                chars.append(folded)
                origin.append(index)
            }
        }
        self.chars = chars
        self.origin = origin
    }

    /// Two neighbouring folded characters.
    struct CharacterPair: Hashable {
        let first: Character
        let second: Character

        init(_ first: Character, _ second: Character) {
            self.first = first
            self.second = second
        }
    }

    /// Every pair of neighbouring folded characters, for ruling out searches cheaply.
    var characterPairs: Set<CharacterPair> {
        var pairs: Set<CharacterPair> = []
        for index in chars.indices.dropFirst() { pairs.insert(CharacterPair(chars[index - 1], chars[index])) }
        return pairs
    }

    static func fold(_ character: Character) -> [Character] {
        if character.isASCII { return [Character(character.lowercased())] }
        if isSpacelessScript(character) { return [character] }
        switch character {
        case "\u{2018}", "\u{2019}", "\u{02BC}", "\u{FF07}": return ["'"]
        case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}": return ["-"]
        case "\u{FF0C}", "\u{3001}": return [","]
        case "\u{FF1A}": return [":"]
        case "\u{FF1F}": return ["?"]
        case "\u{FF01}": return ["!"]
        case "\u{FF20}": return ["@"]
        case "\u{00A0}", "\u{3000}": return [" "]
        default: break
        }
        let folded = String(character).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return folded.isEmpty ? [character] : Array(folded)
    }

    /// Folds a short string (a name, a phrase) the same way.
    static func foldedString(_ text: String) -> String {
        String(FoldedText(text).chars)
    }

    /// The original text behind folded range `range`.
    func originalText(_ range: Range<Int>) -> String {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= origin.count else { return "" }
        return String(original[origin[range.lowerBound]...origin[range.upperBound - 1]])
    }

    /// Where `needle` occurs as a whole word (or words): not glued to letters or digits on either side.
    /// Scripts written without spaces (Chinese, Japanese) have no word boundaries to check.
    func wordOccurrences(of needle: [Character]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= chars.count else { return [] }
        var found: [Range<Int>] = []
        let first = needle[0]
        var i = 0
        while i + needle.count <= chars.count {
            if chars[i] == first, matches(needle, at: i) {
                let end = i + needle.count
                let leftFree = i == 0 || !Self.gluesToWord(chars[i - 1]) || !Self.gluesToWord(needle[0])
                let rightFree =
                    end == chars.count || !Self.gluesToWord(chars[end]) || !Self.gluesToWord(needle[needle.count - 1])
                if leftFree && rightFree {
                    found.append(i..<end)
                    i = end
                    continue
                }
            }
            i += 1
        }
        return found
    }

    func matches(_ needle: [Character], at start: Int) -> Bool {
        guard start >= 0, start + needle.count <= chars.count else { return false }
        var j = 0
        while j < needle.count {
            if chars[start + j] != needle[j] { return false }
            j += 1
        }
        return true
    }

    /// Whether a match of `needle` at `range` stands as whole words.
    func isWholeWords(_ range: Range<Int>) -> Bool {
        let leftFree =
            range.lowerBound == 0 || !Self.gluesToWord(chars[range.lowerBound - 1])
            || !Self.gluesToWord(chars[range.lowerBound])
        let rightFree =
            range.upperBound == chars.count || !Self.gluesToWord(chars[range.upperBound])
            || !Self.gluesToWord(chars[range.upperBound - 1])
        return leftFree && rightFree
    }

    /// A letter or digit of a script that separates words with spaces.
    static func gluesToWord(_ c: Character) -> Bool {
        guard c.isLetter || c.isNumber else { return false }
        return !isSpacelessScript(c)
    }

    static func isSpacelessScript(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x2E80...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x3040...0x30FF: return true
        default: return false
        }
    }
}

/// Words, sentences and excerpts.
enum TextTools {
    /// Content words of `text`: folded, lightly stemmed, without function words or template praise.
    static func contentWords(_ text: String) -> [String] {
        contentWords(FoldedText(text).chars)
    }

    static func contentWords(_ chars: [Character]) -> [String] {
        var words: [String] = []
        var current: [Character] = []
        func flush() {
            defer { current.removeAll(keepingCapacity: true) }
            while current.last == "'" { current.removeLast() }
            guard current.count >= 3, !current.allSatisfy(\.isNumber) else { return }
            if current.contains(where: FoldedText.isSpacelessScript) { return }
            let stemmed = stem(String(current))
            guard stemmed.count >= 3, !stopWords.contains(stemmed), !stopWords.contains(String(current)) else { return }
            words.append(stemmed)
        }
        for c in chars {
            if c.isLetter || c.isNumber || (c == "'" && !current.isEmpty) {
                current.append(c)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// A light English stemmer: enough to make `takeaway`/`takeaways`, `reading`/`read` meet.
    static func stem(_ word: String) -> String {
        var w = word
        if w.hasSuffix("'s") { w.removeLast(2) }
        if w.hasSuffix("n't") { return w }
        if w.count > 5, w.hasSuffix("ing") {
            w.removeLast(3)
        } else if w.count > 4, w.hasSuffix("ies") {
            w.removeLast(3)
            w += "y"
        } else if w.count > 4, w.hasSuffix("ed"), !w.hasSuffix("eed") {
            w.removeLast(2)
        } else if w.count > 3, w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is") {
            w.removeLast()
        }
        if w.count > 4, w.hasSuffix("e") { w.removeLast() }
        return w
    }

    /// English function words, pronouns, chat words and the vocabulary of template praise:
    /// none of them says that a comment engages with a post.
    static let stopWords: Set<String> = {
        let list = """
            a about above after again against all almost also although always am among an and another any anyone \
            anything are aren't around as at away back be because been before being below between both but by \
            can can't cannot could couldn't did didn't do does doesn't doing don't done down during each either \
            else enough even ever every everyone everything few for from further get gets getting give given go \
            goes going gone got had hadn't has hasn't have haven't having he he'd he'll he's her here hers herself \
            him himself his how however i i'd i'll i'm i've if in into is isn't it it's its itself just keep kind \
            know let let's like likely made make makes many may maybe me might mine more most much must my myself \
            need never new next no nor not nothing now of off often oh ok okay on once one only or other others our \
            ours ourselves out over own per perhaps please put quite rather really said same say says see seem \
            seems seen shall she she'd she'll she's should shouldn't since so some someone something sometimes \
            still such sure take than that that's the their theirs them themselves then there there's these they \
            they'd they'll they're they've thing things think this those though through thus to too took toward \
            under until up upon us use used using very via want was wasn't way we we'd we'll we're we've well went \
            were weren't what what's whatever when where whether which while who who's whom whose why will with \
            within without won't would wouldn't yes yet you you'd you'll you're you've your yours yourself \
            yourselves yeah hey hi hello thanks thank thx cheers regards dear lol wow great good nice cool awesome \
            amazing excellent wonderful fantastic interesting informative helpful useful valuable love loved lovely \
            enjoy enjoyed glad happy appreciate appreciated post posts posting article articles blog blogs blogger \
            site website page content write written writing wrote read reading info information share sharing \
            shared stuff work job keep look looking forward definitely truly totally absolutely lot lots time \
            times day days today people person guy guys man bit little big best better right left first last \
            long year years again comment comments reply replied question questions point points agree
            """
        var words = Set(list.split(separator: " ").map(String.init))
        words.formUnion(words.map(stem))
        return words
    }()

    /// The sentences of `text`, each with its character range, split after `.`, `!`, `?` and at line breaks.
    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                push(&current, into: &result)
            } else {
                current.append(c)
                if c == "." || c == "!" || c == "?" || c == "\u{3002}" || c == "\u{FF1F}" || c == "\u{FF01}" {
                    var j = i + 1
                    while j < chars.count,
                        chars[j] == "." || chars[j] == "!" || chars[j] == "?" || chars[j] == "\u{FF1F}"
                    {
                        current.append(chars[j])
                        j += 1
                    }
                    if j == chars.count || chars[j].isWhitespace || c == "\u{3002}" || c == "\u{FF1F}"
                        || c == "\u{FF01}"
                    {
                        push(&current, into: &result)
                    }
                    i = j
                    continue
                }
            }
            i += 1
        }
        push(&current, into: &result)
        return result
    }

    private static func push(_ current: inout String, into result: inout [String]) {
        let trimmed = current.trimmingWhitespace()
        if !trimmed.isEmpty { result.append(trimmed) }
        current = ""
    }

    /// `text` on one line, cut at a word boundary near `limit` characters, with `…` when cut.
    static func excerpt(_ text: String, limit: Int = 200) -> String {
        let oneLine = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard oneLine.count > limit else { return oneLine }
        let cut = oneLine.prefix(limit)
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit * 2 / 3 {
            return String(cut[..<space]) + "…"
        }
        return String(cut) + "…"
    }
}

extension StringProtocol {
    /// The string without white space (including line breaks) at either end.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
