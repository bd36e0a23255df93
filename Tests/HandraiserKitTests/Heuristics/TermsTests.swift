import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct TermsTests {
    /// The byte-level stem of ASCII words is the character-level one.
    @Test(arguments: [
        "", "s", "is", "us", "ss", "cats", "cat's", "class", "bonus", "thesis", "posts", "post's", "plugins",
        "wordpress", "it's", "'s", "ab's", "abcs", "abcds", "relationships", "x1s", "don't", "o'reilly",
    ])
    func asciiStemMatchesTheCharacterStem(word: String) {
        #expect(Terms.stem(word) == Terms.characterStem(word))
    }

    @Test func stemsOfOtherScripts() {
        #expect(Terms.stem("café’s") == "café")
        #expect(Terms.stem("привет") == "привет")
        #expect(Terms.stem("relationships") == "relati")
    }
}

@Suite struct WordTableTests {
    /// The table must answer exactly as a dictionary of the same words does, for words on it,
    /// near misses, other scripts and canonically equivalent spellings.
    @Test func answersAsADictionaryOfTheSameWords() {
        let entries: [String: UInt8] = ["the": 1, "and": 3, "más": 2, "für": 4, "it's": 1, "a": 1, "também": 2]
        let table = WordTable(entries)
        var probes = Array(entries.keys)
        probes += [
            "", "th", "thee", "The", "an", "ands", "mas", "fur", "its", "b", "日本", "ma\u{301}s", "tambe\u{301}m",
        ]
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            probes.append(String((0..<random.next(6)).map { _ in Array("aenthdsá'")[random.next(9)] }))
        }
        for word in probes {
            #expect(table[word] == entries[word], "\(word)")
            #expect(table.contains(word) == (entries[word] != nil), "\(word)")
        }
    }

    @Test func theStopWordTablesHoldTheirLists() {
        for word in StopWords.englishWords {
            #expect(StopWords.english.contains(word))
            #expect(StopWords.languages[word].map { $0 & 1 } == 1)
        }
        for word in StopWords.spanishWords { #expect(StopWords.languages[word].map { $0 & 2 } == 2) }
        for word in StopWords.otherLatinWords { #expect(StopWords.all.contains(word)) }
        #expect(!StopWords.all.contains("handraiser"))
    }
}
