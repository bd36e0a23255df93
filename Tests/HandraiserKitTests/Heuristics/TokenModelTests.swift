import Foundation
import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct TokenModelTokenizerTests {
    @Test func wordsArePairedAcrossSpacesAndLinksBecomeHosts() {
        let tokens = Set(
            TokenModelTokenizer.tokens(of: makeComment("Check out my CHANNEL: http://spam.example.com/x a")))
        for expected in [
            "check", "out", "my", "channel", "check_out", "out_my", "my_channel", "h:spam.example.com", "h:example.com",
            "tld:com", "links:1",
        ] {
            #expect(tokens.contains(expected), "missing \(expected) in \(tokens.sorted())")
        }
        // Punctuation ends a pair; one-letter Latin words carry nothing.
        #expect(!tokens.contains("channel_http"))
        #expect(!tokens.contains("x") && !tokens.contains("a"))
    }

    @Test func chineseIsCutIntoCharacterPairs() {
        let tokens = Set(TokenModelTokenizer.tokens(of: makeComment("新年快乐！谢谢 好")))
        #expect(tokens.isSuperset(of: ["新年", "年快", "快乐", "谢谢", "好"]))
        // The exclamation mark and the space end a run: no pair reaches across them.
        #expect(!tokens.contains("乐谢") && !tokens.contains("谢好"))
        #expect(tokens.contains("words:2+"))
    }

    @Test func emojiAndSymbolsAreTokens() {
        let tokens = TokenModelTokenizer.tokens(of: makeComment("Love it 😀😀 ♥ so much"))
        #expect(tokens.contains("s:😀") && tokens.contains("s:♥"))
        #expect(tokens.filter { $0 == "s:😀" }.count == 1, "each token once per comment")
        #expect(tokens == tokens.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test func authorEmailAndShapeTokens() {
        var comment = makeComment(
            "Great. 0123456789 and 2019", author: "Cheap Jerseys", authorURL: "http://www.jerseys.example.ru/")
        comment.authorEmail = "x@Mail.Example.com"
        let tokens = Set(TokenModelTokenizer.tokens(of: comment))
        #expect(
            tokens.isSuperset(of: [
                "a:cheap", "a:jerseys", "ed:mail.example.com", "uh:jerseys.example.ru", "uh:example.ru", "tld:ru",
                "#digits:10", "2019",
            ]))
        // The author URL is not a link in the comment.
        #expect(tokens.contains("links:0"))
        #expect(!tokens.contains { $0.hasPrefix("h:") })
    }

    @Test func writingShapeTokens() {
        let shouted = Set(TokenModelTokenizer.tokens(of: makeComment("PLEASSSSE WATCH MY NEW VIDEO NOW!!!")))
        #expect(shouted.isSuperset(of: ["shape:caps", "shape:bangs", "shape:stretched"]), "\(shouted.sorted())")
        // Short capitals, two exclamation marks and a doubled letter are how people write.
        let calm = Set(TokenModelTokenizer.tokens(of: makeComment("LOL ok, see you soon!! Good call")))
        #expect(calm.isDisjoint(with: ["shape:caps", "shape:bangs", "shape:stretched"]), "\(calm.sorted())")
        // A caseless script has no capitals to shout in.
        let chinese = Set(TokenModelTokenizer.tokens(of: makeComment("这个视频非常好看，我每天都看一遍")))
        #expect(!chinese.contains("shape:caps"))
    }

    /// `addShape` judges ASCII by its byte and the rest by `Character`; this is the plain
    /// `Character` reading it must agree with, so model files learned before still score the same.
    static func referenceShape(_ text: String) -> Set<String> {
        var tokens: Set<String> = []
        var (letters, upper, bangs, run) = (0, 0, 0, 0)
        var previous: Character?
        for character in text {
            if character.isLetter {
                letters += 1
                if character.isUppercase { upper += 1 }
            }
            bangs = character == "!" ? bangs + 1 : 0
            if bangs == 3 { tokens.insert("shape:bangs") }
            let folded = character.lowercased()
            run = character.isLetter && previous.map({ $0.lowercased() == folded }) == true ? run + 1 : 1
            if run == 4 { tokens.insert("shape:stretched") }
            previous = character
        }
        if letters >= 12 && upper * 10 >= letters * 7 { tokens.insert("shape:caps") }
        return tokens
    }

    @Test(arguments: [
        "PLEASSSSE WATCH MY NEW VIDEO NOW!!!", "LOL ok, see you soon!! Good call", "sOoOo nice",
        "ÇOK GÜZEL BİR ŞARKI ŞİMDİ",
        "çoooook güzel", "ééééé", "ÉÉÉé", "aaa\u{E1}a and bbb\u{E1}b", "!!♥! and !!\u{301}!",
        "e\u{301}e\u{301}e\u{301}e\u{301}",
        "Ab\r\nAAAA\r\n!!!", "这个视频非常好看!!!", "ПРИВЕТ ВСЕМ ДРУЗЬЯМ МОИМ", "x", "",
    ])
    func shapeTokensAgreeWithTheCharacterRules(text: String) {
        var tokens: Set<String> = []
        TokenModelTokenizer.addShape(text, into: &tokens)
        #expect(tokens == Self.referenceShape(text), "\(text.debugDescription)")
    }

    @Test func shapeTokensOutsideASCII() {
        var tokens: Set<String> = []
        TokenModelTokenizer.addShape("ÇOK GÜZEL BİR ŞARKI ŞİMDİ", into: &tokens)
        TokenModelTokenizer.addShape("çoooook", into: &tokens)
        #expect(tokens == ["shape:caps", "shape:stretched"])
        var broken: Set<String> = []
        // A letter outside ASCII ends an ASCII run, a symbol ends the exclamation marks.
        TokenModelTokenizer.addShape("aaa\u{E1}a !!♥!", into: &broken)
        #expect(broken.isEmpty, "\(broken)")
    }

    @Test(arguments: [
        ("ok", true), ("a:ü", true), ("s:😀", true), ("#digits:5", true), ("", false), ("a b", false),
        ("a\u{7F}", false), ("tab\t", false), ("x\u{A0}y", false), ("ü\u{2028}", false), ("\u{85}", false),
    ])
    func storableTokens(token: String, storable: Bool) {
        #expect(TokenModelTokenizer.isStorable(token) == storable, "\(token.debugDescription)")
    }

    @Test(arguments: [
        ("see http://example.com", "lp:home"), ("see http://example.com/", "lp:home"),
        ("see http://example.com/about", "lp:page"), ("see https://example.com/user/track-1", "lp:deep"),
        ("see http://example.com/?ref=12", "lp:deep"),
    ])
    func linkPathDepthTokens(text: String, token: String) {
        let tokens = TokenModelTokenizer.tokens(of: makeComment(text))
        #expect(tokens.filter { $0.hasPrefix("lp:") } == [token], "\(tokens)")
    }

    @Test func theAuthorURLHasNoPathToken() {
        let tokens = TokenModelTokenizer.tokens(
            of: makeComment("Nice", author: "Jo", authorURL: "http://example.com/a/b"))
        #expect(!tokens.contains { $0.hasPrefix("lp:") })
    }

    @Test(arguments: [(0, "0"), (1, "1"), (2, "2+"), (3, "2+"), (4, "4+"), (63, "32+"), (64, "64+"), (5000, "64+")])
    func wordCountBuckets(count: Int, bucket: String) {
        #expect(TokenModelTokenizer.bucket(count) == bucket)
    }

    @Test func noTokenHoldsWhiteSpaceOrControlCharacters() {
        var comment = makeComment("tab\there\u{0001}x line\nbreak")
        comment.authorURL = "http://a b.example.com"
        for token in TokenModelTokenizer.tokens(of: comment) {
            #expect(!token.contains { $0.isWhitespace || $0.isNewline }, "\(token)")
        }
    }
}

@Suite struct TokenModelTrainingTests {
    /// Four spam comments selling pills and eight ham comments about the post.
    static func trainer() -> TokenModelTrainer {
        var trainer = TokenModelTrainer()
        for text in ["buy cheap pills now", "cheap pills online", "buy pills today", "pills cheap cheap"] {
            trainer.add(makeComment(text), label: .spam)
        }
        for text in [
            "nice post about gardens", "thanks for the post", "my garden loves this", "great post on roses",
            "the roses are lovely", "gardens need rain", "thanks, lovely roses", "post more about rain",
        ] {
            trainer.add(makeComment(text), label: .ham)
        }
        return trainer
    }

    @Test func robinsonProbabilitiesFollowTheCounts() throws {
        let model = Self.trainer().model(minimumCount: 1)
        #expect(model.spamComments == 4 && model.hamComments == 8)
        // "pills": 4 of 4 spam, 0 ham → p = 1, f = (0.45·0.5 + 4·1) / (0.45 + 4).
        let pills = try #require(model.probability(of: "pills"))
        #expect(abs(pills - (0.225 + 4) / 4.45) < 1e-12)
        // "post": 0 spam, 4 ham → p = 0; with half as many spam as ham comments, 4 ham count
        // as n = 2 in spam-sized units: f = 0.225 / (0.45 + 2).
        let post = try #require(model.probability(of: "post"))
        #expect(abs(post - 0.225 / 2.45) < 1e-12)
        #expect(model.probability(of: "never-seen") == nil)
    }

    @Test func sharesAreTakenPerKindSoTheLargerKindDoesNotWin() {
        var trainer = TokenModelTrainer()
        trainer.add(tokens: ["word"], label: .spam)
        for _ in 0..<10 { trainer.add(tokens: [], label: .ham) }
        trainer.add(tokens: ["word"], label: .ham)
        let model = trainer.model(minimumCount: 1)
        // 1 of 1 spam and 1 of 11 ham: p = 1 / (1 + 1/11); n = 1 + 1/11 in spam-sized units.
        let p = 1 / (1 + 1.0 / 11)
        let n = 1 + 1.0 / 11
        #expect(abs((model.probability(of: "word") ?? 0) - (0.225 + n * p) / (0.45 + n)) < 1e-12)
    }

    @Test func spamAndHamScoreApart() {
        let model = Self.trainer().model(minimumCount: 1)
        let spam = model.score(TokenModelTokenizer.tokens(of: makeComment("cheap pills, buy now")))
        let ham = model.score(TokenModelTokenizer.tokens(of: makeComment("lovely post about roses and gardens")))
        let unknown = model.score(TokenModelTokenizer.tokens(of: makeComment("zebra")))
        #expect(spam.spamProbability > 0.95)
        #expect(ham.spamProbability < 0.05)
        #expect(unknown.spamProbability == 0.5 && unknown.clues.isEmpty)
        #expect(spam.clues.first?.probability ?? 0 > 0.9)
    }

    @Test func fisherCombiningIsSymmetricAndNeutralAtOneHalf() {
        #expect(TokenModel.fisherCombined([]) == 0.5)
        #expect(abs(TokenModel.fisherCombined([0.5, 0.5, 0.5]) - 0.5) < 1e-12)
        let spammy = TokenModel.fisherCombined([0.9, 0.8, 0.95])
        let hammy = TokenModel.fisherCombined([0.1, 0.2, 0.05])
        #expect(spammy > 0.9)
        #expect(abs(spammy + hammy - 1) < 1e-9)
        // Evidence both ways cancels out.
        #expect(abs(TokenModel.fisherCombined([0.99, 0.01]) - 0.5) < 1e-9)
    }

    @Test(arguments: [
        (2.0, 2, 0.367_879_441_171_442_3), (4.0, 4, 0.406_005_849_709_838_6), (0.0, 6, 1.0), (2000.0, 300, 0.0),
    ])
    func chiSquaredSurvival(value: Double, degrees: Int, expected: Double) {
        #expect(abs(TokenModel.chiSquaredSurvival(value, degrees: degrees) - expected) < 1e-12)
    }

    @Test func pruningDropsRareAndUselessTokensAndBoundsTheSize() {
        let trainer = Self.trainer()
        let full = trainer.model(minimumCount: 1)
        let pruned = trainer.model(minimumCount: 2)
        #expect(full.tokens["today"] != nil)
        #expect(pruned.tokens["today"] == nil, "seen once")
        #expect(pruned.tokens["pills"] != nil)
        // A token as common in spam as in ham can never be a clue: it is not stored.
        var even = TokenModelTrainer()
        for label in [EvaluationLabels.Label.spam, .ham, .spam, .ham] {
            even.add(tokens: ["the", label.rawValue], label: label)
        }
        #expect(even.model(minimumCount: 1).tokens["the"] == nil)
        #expect(even.model(minimumCount: 1).tokens["spam"] != nil)
        let small = trainer.model(minimumCount: 1, maximumTokens: 3)
        #expect(small.tokens.count == 3)
        #expect(small.tokens["pills"] != nil, "the most often seen are kept")
    }

    @Test func trainingIsDeterministicWhateverTheOrder() {
        let comments = (0..<40).map { makeComment("word\($0 % 7) other\($0 % 3) shared", id: "\($0)") }
        var forward = TokenModelTrainer()
        var backward = TokenModelTrainer()
        for (index, comment) in comments.enumerated() { forward.add(comment, label: index % 3 == 0 ? .spam : .ham) }
        for (index, comment) in comments.enumerated().reversed() {
            backward.add(comment, label: index % 3 == 0 ? .spam : .ham)
        }
        #expect(forward.model(minimumCount: 1).encoded() == backward.model(minimumCount: 1).encoded())
    }

    @Test func theSplitIsStableAndNearTheFraction() {
        let ids = (1...10_000).map { makeComment("x", id: "\($0)") }
        let training = ids.filter { TokenModelSplit.isTraining($0, fraction: 0.5) }
        #expect((4_800...5_200).contains(training.count))
        #expect(ids.filter { TokenModelSplit.isTraining($0, fraction: 0.5) } == training)
        let fifth = ids.filter { TokenModelSplit.isTraining($0, fraction: 0.2) }.count
        #expect((1_850...2_150).contains(fifth))
        #expect(!ids.contains { TokenModelSplit.isTraining($0, fraction: 0) })
        #expect(ids.allSatisfy { TokenModelSplit.isTraining($0, fraction: 1) })
    }

    /// Published figures rest on which comments the default split trains on: pinned here, so a
    /// change to the hash shows up as a failing test rather than as figures that quietly move.
    @Test func theDefaultSplitIsPinnedAndAnotherSeedGivesAnother() {
        let ids = (1...20).map { makeComment("x", id: "\($0)") }
        let seedZero = ids.filter { TokenModelSplit.isTraining($0, fraction: 0.5) }.map(\.id)
        #expect(seedZero == ["2", "4", "5", "11", "12", "13", "15", "18", "19", "20"])
        let seedSeven = ids.filter { TokenModelSplit.isTraining($0, fraction: 0.5, seed: 7) }.map(\.id)
        #expect(seedSeven == ["1", "2", "3", "5", "6", "8", "10", "12", "15", "16", "20"])

        let many = (1...10_000).map { makeComment("x", id: "c\($0)") }
        let zero = Set(many.filter { TokenModelSplit.isTraining($0, fraction: 0.5) }.map(\.id))
        let one = Set(many.filter { TokenModelSplit.isTraining($0, fraction: 0.5, seed: 1) }.map(\.id))
        // Independent halves share about a quarter of all comments.
        #expect((2_300...2_700).contains(zero.intersection(one).count))
    }

    @Test func theValidationSplitStaysInsideTheTrainingPart() {
        let comments = (1...10_000).map { makeComment("x", id: "v\($0)") }
        for seed in [0, 3] {
            var counts: [TokenModelSplit.Part: Int] = [:]
            for comment in comments {
                let outer = TokenModelSplit.part(of: comment, fraction: 0.5, seed: seed)
                let inner = TokenModelSplit.part(of: comment, fraction: 0.5, seed: seed, validation: true)
                counts[inner, default: 0] += 1
                // The test part is never learned from nor counted while settings are chosen.
                #expect((outer == .test) == (inner == .unused))
                #expect(outer == (TokenModelSplit.isTraining(comment, fraction: 0.5, seed: seed) ? .training : .test))
            }
            let training = counts[.training, default: 0]
            let test = counts[.test, default: 0]
            #expect((2_300...2_700).contains(training))
            #expect((2_300...2_700).contains(test))
            #expect(training + test + counts[.unused, default: 0] == comments.count)
        }
    }
}

@Suite struct TokenModelFileTests {
    static let model = TokenModelTrainingTests.trainer().model(minimumCount: 1)

    @Test func roundTrip() throws {
        let text = Self.model.encoded()
        let decoded = try TokenModel(decoding: text, file: "m.hrm")
        #expect(decoded == Self.model)
        #expect(decoded.encoded() == text)
    }

    @Test func theFormatIsReadableText() {
        var trainer = TokenModelTrainer()
        trainer.add(tokens: ["pills", "a:bob"], label: .spam)
        trainer.add(tokens: ["roses"], label: .ham)
        #expect(
            trainer.model(minimumCount: 1).encoded() == """
                handraiser-token-model 1
                # Token model made by `handraiser learn`: per-token counts of labelled spam and ham comments.
                comments 1 1
                strength 0.45
                unknown-probability 0.5
                minimum-deviation 0.1
                maximum-clues 150
                tokens 3
                1 0 a:bob
                1 0 pills
                0 1 roses
                end

                """)
    }

    @Test func writeAndLoad() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-model-\(UUID().uuidString).hrm"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.model.write(to: path)
        #expect(try TokenModel.load(path: path) == Self.model)
    }

    static let header = "handraiser-token-model 1\ncomments 2 3\n"

    @Test(arguments: [
        ("", "m.hrm: the file is empty, not a token model"),
        ("hello world\n", "m.hrm:1: not a Handraiser token model: the first line should be 'handraiser-token-model 1'"),
        (
            "handraiser-token-model 2\n",
            "m.hrm:1: format version 2 is not readable by this handraiser, which reads version 1; learn the model again"
        ),
        (
            header + "strength -1\ntokens 0\nend\n",
            "m.hrm:3: 'strength' needs one number from 1e-06 to 1000000.0, got '-1'"
        ),
        (header + "colour blue\n", "m.hrm:3: unknown header line 'colour'"),
        ("handraiser-token-model 1\ntokens 0\nend\n", "m.hrm:2: the header has no 'comments' line"),
        (
            header + "tokens 3\n1 0 a\n0 1 b\n",
            "m.hrm:5: the header promises 3 tokens but the file ends after 2 lines: it is cut off"
        ),
        (
            header + "tokens 2\n1 0 a\n0 b\nend\n",
            "m.hrm:5: expected 'SPAM HAM TOKEN' (two counts and a token), got '0 b'"
        ),
        (
            header + "tokens 1\n5 0 a\nend\n",
            "m.hrm:4: counts 5 0 do not fit the 2 spam and 3 ham comments the model learned from"
        ),
        (header + "tokens 2\n1 0 a\n0 1 a\nend\n", "m.hrm:5: the token 'a' is listed twice"),
        (
            header + "tokens 1\n1 0 a\n0 1 b\nend\n",
            "m.hrm:5: expected 'end' after 1 tokens, got '0 1 b'; the token count does not match"
        ),
        (header + "tokens 1\n1 0 a\nend\nmore\n", "m.hrm:6: unexpected text after 'end'"),
    ])
    func corruptFilesAreNamedWithTheirLine(text: String, message: String) {
        #expect(throws: TokenModelFileError.self) { try TokenModel(decoding: text, file: "m.hrm") }
        do {
            _ = try TokenModel(decoding: text, file: "m.hrm")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func unreadableAndBinaryFiles() throws {
        let missing = "/nonexistent/handraiser/model.hrm"
        do {
            _ = try TokenModel.load(path: missing)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.file == missing)
            #expect(error.message.hasPrefix("cannot read"))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-model-\(UUID().uuidString).bin"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data([0x1F, 0x8B, 0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: path))
        #expect(throws: TokenModelFileError(file: path, message: "not a token model: the file is not UTF-8 text")) {
            try TokenModel.load(path: path)
        }
    }
}

@Suite struct TokenModelCheckTests {
    static let check = TokenModelCheck(model: TokenModelTrainingTests.trainer().model(minimumCount: 1))

    @Test func spamGetsASpamBandQuotingItsTellingTokens() throws {
        let findings = run(Self.check, makeComment("Buy cheap pills now"))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(["HC_BAYES_999", "HC_BAYES_99"].contains(finding.id))
        #expect(finding.description.hasPrefix("spam probability "))
        #expect(finding.description.contains(" from 'pills', 'cheap'"), "\(finding.description)")
        #expect(finding.evidence?.excerpt == "pills")
        expectSameEvidenceAfterEmojiPrefix(Self.check, makeComment("Buy cheap pills now"), id: finding.id)
    }

    @Test func hamGetsTheHamBand() throws {
        let finding = try #require(
            run(Self.check, makeComment("Lovely roses, thanks for the post about gardens")).first)
        #expect(finding.id == "HC_BAYES_00")
        #expect(
            finding.description.hasPrefix("spam probability < 0.001 from ")
                || finding.description.hasPrefix("spam probability 0.00"))
        #expect(!finding.description.contains("'pills'"))
    }

    @Test func unknownTextAndOneSidedModelsSayNothing() {
        // One word: no token the model learned, not even the shape tokens.
        #expect(run(Self.check, makeComment("zebra")).isEmpty)
        var onlyHam = TokenModelTrainer()
        onlyHam.add(makeComment("nice post"), label: .ham)
        #expect(run(TokenModelCheck(model: onlyHam.model(minimumCount: 1)), makeComment("nice post")).isEmpty)
    }

    @Test func linkHostsAreQuotedWhereTheLinkIs() throws {
        var trainer = TokenModelTrainer()
        for n in 0..<5 { trainer.add(makeComment("see http://pills.example.net/\(n)"), label: .spam) }
        for n in 0..<5 { trainer.add(makeComment("see http://blog.example.org/\(n)"), label: .ham) }
        let check = TokenModelCheck(model: trainer.model(minimumCount: 1))
        let finding = try #require(
            run(check, makeComment("Have a look: <a href=\"http://pills.example.net/x\">here</a>")).first)
        #expect(finding.description.contains("link pills.example.net"), "\(finding.description)")
        #expect(finding.evidence?.field == .content)
        #expect(finding.evidence?.excerpt == "http://pills.example.net/x")
    }

    @Test(arguments: [
        (0.9996, true, "> 0.999"), (0.9989, true, "0.998"), (0.95, true, "0.950"), (0.0004, false, "< 0.001"),
        (0.0101, false, "0.011"), (0.09, false, "0.090"),
    ])
    func probabilitiesNeverRoundAcrossABand(p: Double, isSpamSide: Bool, text: String) {
        #expect(TokenModelCheck.format(p, isSpamSide: isSpamSide) == text)
    }

    @Test(arguments: [
        ("h:x.example", "link x.example"), ("a:bob", "author 'bob'"), ("links:4+", "4+ links"), ("links:1", "1 link"),
        ("check_out", "'check out'"), ("s:♥", "'♥'"), ("#digits:7", "a 7-digit number"),
        ("ed:gmail.com", "e-mail @gmail.com"), ("lp:deep", "a link deep into a site"),
        ("shape:caps", "mostly capitals"),
    ])
    func tokensAreShownAsReadersKnowThem(token: String, shown: String) {
        #expect(TokenModelCheck.display(token) == shown)
    }

    @Test func everyBandIsDeclared() {
        #expect(
            Set(Self.check.findingIDs.keys) == [
                "HC_BAYES_999", "HC_BAYES_99", "HC_BAYES_90", "HC_BAYES_70", "HC_BAYES_10", "HC_BAYES_00",
            ])
    }
}
