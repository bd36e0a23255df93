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
