import Foundation
import HandraiserKit
import Testing

/// `replies` planned a post at a time (`streamReplies` past its window of held comments) writes
/// what planning the whole input writes, byte for byte, in every format.
@Suite struct StreamedRepliesTests {
    static let documents: [ReplyDocument] = [
        .table(useColor: false), .table(useColor: true), .markdown, .html, .jsonl, .csv,
    ]

    /// The report as `replies` wrote it before it streamed: every input loaded and classified
    /// whole, then planned at once (inputs that fail are left out).
    static func whole(_ files: [String], handraiser: Handraiser, planner: ReplyPlanner) -> ReplyReport {
        let threads = files.flatMap { file in (try? handraiser.scan(file))?.threads ?? [] }
        return planner.plan(threads)
    }

    /// A run that holds at most 6 comments a thread, and the error loading `path` gave it ("" for none).
    static func loadRefused(_ path: String) throws -> (Handraiser, String) {
        let handraiser = try Handraiser(settings: RunSettings(workers: 1, maximumThreadComments: 6))
        do {
            _ = try handraiser.load(path)
        } catch {
            return (handraiser, "\(error)")
        }
        return (handraiser, "")
    }

    static func streamed(
        _ files: [String], handraiser: Handraiser, planner: ReplyPlanner, document: ReplyDocument, window: Int
    ) throws -> (text: String, run: RepliesRun, errors: [String]) {
        var text = ""
        var errors: [String] = []
        let run = try handraiser.streamReplies(
            files, planner: planner, document: document, windowComments: window, write: { text += $0 },
            failed: { errors.append($0) })
        return (text, run, errors)
    }

    /// Posts with readers who come back on another post, the author answering by thread and by
    /// e-mail under another name, one promotion's link under two names, and records of the
    /// posts interleaved.
    static func interleavedJSONL() throws -> String {
        var lines: [String] = []
        func record(_ post: Int, _ id: String, _ fields: String) {
            lines.append(
                #"{"post_id":"p\#(post)","post_title":"Notes on soldering \#(post)","post_author":"Mara Quill","id":"\#(id)",\#(fields)}"#
            )
        }
        for round in 0..<4 {
            for post in 0..<3 {
                let id = "c\(post)-\(round)"
                switch round {
                case 0:
                    record(
                        post, id,
                        #""author":"Tobias Renn","date":"2024-0\#(post + 1)-02","content":"Which flux did you use for the copper pads? Mine keeps beading up.""#
                    )
                case 1:
                    record(
                        post, id,
                        #""author":"Mara Quill","author_email":"mara@example.org","parent_id":"c\#(post)-0","content":"Tobias, a rosin flux pen, applied thinly.""#
                    )
                case 2:
                    // One landing page: a spammer's on post 1, a reader's (in her own words) elsewhere.
                    let link = "http://reflow-tips.example.net/guide/oven-profile"
                    let fields =
                        switch post {
                        case 0: #""author":"Lena Voss","content":"My oven profile notes are at \#(link) if it helps.""#
                        case 1: #""author":"Cheap Parts Deals","status":"spam","content":"Best prices \#(link)""#
                        default: #""author":"Lena Voss","content":"The slower ramp from \#(link) worked for me.""#
                        }
                    record(post, id, fields)
                default:
                    record(
                        post, id,
                        #""author":"M. Q.","author_email":"mara@example.org","content":"Thanks all, a follow-up post is coming.""#
                    )
                }
            }
        }
        lines.insert(#"{"broken"#, at: 5)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-replies-\(getpid()).jsonl")
            .path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let fixtureSets: [[String]] = [
        ["fixtures/jsonl/corpus-shaped.jsonl"], ["fixtures/jsonl/labelled.jsonl"],
        ["fixtures/csv/interchange-quoted.csv"],
        ["fixtures/csv/youtube-style.csv"], ["fixtures/csv/semicolon.csv"], ["fixtures/wxr/wxr-1.0-threaded.xml"],
        ["fixtures/wxr/wxr-1.2-authors.xml"], ["fixtures/disqus/disqus-mixed-order.xml"],
        ["fixtures/dump/wordpress-thoughts.txt", "fixtures/dump/pingbacks.txt", "fixtures/dump/numbered-nested.txt"],
        // One input that fails in the middle, left out as the whole run leaves it out.
        ["fixtures/jsonl/labelled.jsonl", "fixtures/wxr/malformed-unclosed.xml", "fixtures/wxr/wxr-1.2-authors.xml"],
    ]

    @Test(arguments: fixtureSets)
    func aStreamedReportIsTheWholeReport(_ files: [String]) throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2, maximumThreadComments: 1000))
        let planner = ReplyPlanner()
        let report = Self.whole(files, handraiser: handraiser, planner: planner)
        #expect(!report.posts.isEmpty)
        for document in Self.documents {
            let expected = document.render(report)
            for window in [0, 3, Int.max] {
                let streamed = try Self.streamed(
                    files, handraiser: handraiser, planner: planner, document: document, window: window)
                #expect(streamed.text == expected, "\(files) \(document) window \(window)")
                #expect(streamed.run.ruleFailures == report.ruleFailures)
            }
        }
    }

    @Test func crossPostHistoryAndSharedLinksSurviveStreaming() throws {
        let path = try Self.interleavedJSONL()
        defer { unlink(path) }
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        for planner in [
            ReplyPlanner(), ReplyPlanner(options: ReplyOptions(post: "soldering 1")),
            ReplyPlanner(options: ReplyOptions(authorNames: ["Mara Quill"], postAuthorsAreTeam: false)),
        ] {
            let report = Self.whole([path, "fixtures/jsonl/labelled.jsonl"], handraiser: handraiser, planner: planner)
            #expect(report.posts.contains { $0.people.contains { $0.status == .answered } })
            #expect(report.posts.flatMap(\.people).contains { $0.reasons.contains { $0.id == "returning" } })
            if planner.options.post == nil {
                #expect(report.posts.flatMap(\.held).contains { $0.reasons.contains { $0.id == "shared-link" } })
            }
            for document in Self.documents {
                let streamed = try Self.streamed(
                    [path, "fixtures/jsonl/labelled.jsonl"], handraiser: handraiser, planner: planner,
                    document: document, window: 0)
                #expect(streamed.text == document.render(report))
                // The broken line makes the run fail, as it did.
                #expect(streamed.run.failed)
                #expect(streamed.errors.isEmpty)
            }
        }
    }

    @Test func aFailingInputIsNamedAndLeftOut() throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 1))
        let files = ["fixtures/wxr/wxr-1.2-authors.xml", "no/such/file.jsonl", "fixtures/wxr/malformed-unclosed.xml"]
        for window in [0, Int.max] {
            let streamed = try Self.streamed(
                files, handraiser: handraiser, planner: ReplyPlanner(), document: .jsonl, window: window)
            #expect(streamed.run.failed)
            #expect(streamed.errors.count == 2)
            #expect(streamed.errors.first?.hasPrefix("no/such/file.jsonl: cannot read") == true)
            #expect(
                streamed.text
                    == ReplyJSONLRenderer.render(
                        Self.whole(
                            ["fixtures/wxr/wxr-1.2-authors.xml"], handraiser: handraiser, planner: ReplyPlanner())))
        }
    }

    /// JSON Lines and CSV (read by the layout of a first pass) refuse a thread over the limit at
    /// the record past it, as the grouping readers do, before any thread is classified.
    @Test(arguments: ["jsonl", "csv"]) func aThreadOverTheLimitIsRefusedWithItsLineWhenStreamed(_ format: String) throws
    {
        var lines = format == "csv" ? ["post_id,post_title,id,content"] : []
        func add(_ post: String, _ title: String, _ id: String) {
            lines.append(
                format == "csv"
                    ? "\(post),\(title),\(id),text of \(id)"
                    : #"{"post_id":"\#(post)",\#(title.isEmpty ? "" : #""post_title":"\#(title)","#)"id":"\#(id)","content":"text of \#(id)"}"#
            )
        }
        add("a", "", "a0")
        for index in 1..<5 { add("a", "Alpha", "a\(index)") }
        add("b", "", "b0")
        for index in 5..<8 { add("a", "", "a\(index)") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limit-\(getpid()).\(format)").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let (handraiser, refusal) = try Self.loadRefused(path)
        #expect(refusal.hasPrefix("\(path):\(format == "csv" ? 9 : 8)"))
        #expect(refusal.contains(": post \"Alpha\" has more than 6 comments"))
        let streamed = try Self.streamed(
            [path], handraiser: handraiser, planner: ReplyPlanner(), document: .jsonl, window: 0)
        #expect(streamed.errors == [refusal])
        #expect(streamed.text.isEmpty)
    }

    /// Records that name no post make one thread: a CSV file of them is refused under the
    /// file's name as its post, as the grouping reader names it; JSON Lines ones by their line.
    @Test(arguments: ["jsonl", "csv"]) func aThreadThatNamesNoPostIsRefusedByWhatNamesIt(_ format: String) throws {
        var lines = format == "csv" ? ["id,author,content"] : []
        for index in 0..<8 {
            lines.append(
                format == "csv"
                    ? "\(index),Reader \(index),text of \(index)"
                    : #"{"id":"\#(index)","author":"Reader \#(index)","content":"text of \#(index)"}"#)
        }
        let stem = "nopost-\(getpid())"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(stem).\(format)").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let (handraiser, refusal) = try Self.loadRefused(path)
        #expect(refusal.hasPrefix("\(path):\(format == "csv" ? 8 : 7)"))
        #expect(
            refusal.contains(
                format == "csv"
                    ? ": post \"\(stem)\" has more than 6 comments"
                    : ": the comments that name no post (one thread) are more than 6, more than this command holds"))
        #expect(!refusal.contains(#"post """#))
        let streamed = try Self.streamed(
            [path], handraiser: handraiser, planner: ReplyPlanner(), document: .jsonl, window: 0)
        #expect(streamed.errors == [refusal])
    }

    /// A comment over a megabyte is planned on its first megabyte, as it is judged: a question
    /// past it is not seen (planning all of a 50 MB comment took minutes and gigabytes).
    @Test func aCommentOverAMegabyteIsPlannedOnItsFirstMegabyte() throws {
        let filler = String(repeating: "I tried the ramp again today and it held steady. ", count: 22_000)
        let records = [
            #"{"post_id":"p","post_title":"Reflow","id":"1","author":"Ann Reader","content":"\#(filler)Which flux do you use?"}"#,
            #"{"post_id":"p","id":"2","author":"Bo Reader","content":"Which flux do you use?"}"#,
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(getpid()).jsonl").path
        try (records.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let handraiser = try Handraiser(settings: RunSettings(workers: 1))
        let report = ReplyPlanner().plan(try handraiser.scan(path).threads)
        let people = try #require(report.posts.first?.people)
        #expect(people.first { $0.author == "Bo Reader" }?.reasons.contains { $0.id == "asks-question" } == true)
        #expect(people.first { $0.author == "Ann Reader" }?.reasons.contains { $0.id == "asks-question" } == false)
    }
}
