import Foundation
import HandraiserInput
import HandraiserModel
import Testing

@Suite struct DisqusReaderTests {
    @Test func groupsPostsUnderTheirThreadsWhateverTheOrder() throws {
        let path = ExportFixtures.path("disqus/disqus-mixed-order.xml")
        let sink = try ExportFixtures.read(DisqusReader(), file: path)
        #expect(sink.unreadable.isEmpty)
        // Threads with posts, in file order; the post-less "Contact" thread is left out, and
        // posts of a thread missing from the file come last.
        #expect(sink.threads.map(\.post.id) == ["100", "300", "999"])

        let ferries = sink.threads[0]
        #expect(ferries.post.title == "Ferries of the Firth")
        #expect(ferries.post.url == "https://firthnotes.example.org/2014/01/ferries/")
        #expect(ferries.post.author == "Eilidh Munro")
        #expect(ferries.post.authorAliases == ["eilidh_m", "eilidh@firthnotes.example.org"])
        #expect(ferries.post.text == "A guide to the crossings.")
        #expect(ferries.post.date == "2014-01-30T09:00:00Z")
        #expect(ferries.notes.isEmpty)

        let c = ferries.comments
        #expect(c.map(\.id) == ["5001", "5002", "5003", "5006"])
        #expect(c.map(\.parentID) == [nil, "5001", nil, "5002"])
        #expect(c.map(\.status) == [.approved, .approved, .spam, .approved])
        #expect(c.allSatisfy { $0.postID == "100" && $0.type == .comment })
        #expect(c[0].author == "Rory Gunn")
        #expect(c[0].authorEmail == "rory@example.com")
        #expect(c[0].authorIP == "192.0.2.20")
        #expect(c[0].date == "2014-02-01T10:00:00Z")
        #expect(c[0].content == "<p>Does the ferry still run in winter?</p>")
        #expect(c[0].text == "Does the ferry still run in winter?")
        #expect(
            c[0].extraFields == [
                ExtraField(name: "disqus_identifier", json: "\"wp_id=12\""),
                ExtraField(name: "author_username", json: "\"rorygunn\""),
                ExtraField(name: "author_is_anonymous", json: "false"),
            ])
        #expect(c[0].location.line == 8)
        // Nothing in the file says who the post author is, so no authorship is claimed.
        #expect(c.allSatisfy { $0.authorship == nil })

        let old = sink.threads[1]
        #expect(old.comments.map(\.status) == [.trash])
        #expect(old.notes.map(\.code) == ["thread-deleted"])

        let orphan = sink.threads[2]
        #expect(orphan.post.title == nil)
        #expect(orphan.comments.map(\.content) == ["Plain <b>text</b> message"])
        #expect(orphan.notes.map(\.code) == ["missing-thread"])
    }

    @Test func namesGivenAsAuthorsMarkTheirPosts() throws {
        let sink = try ExportFixtures.read(
            DisqusReader(), file: ExportFixtures.path("disqus/disqus-mixed-order.xml"),
            options: ReadOptions(authorNames: ["eilidh_m"]))
        let marked = sink.threads.flatMap(\.comments).filter { $0.authorship?.isPostAuthor == true }
        #expect(marked.map(\.id) == ["5002"])
    }

    @Test(arguments: [
        ("<rss/>", "not a Disqus export: the root element is <rss>, not <disqus>"),
        ("<disqus><post dsq:id=\"1\"><message>x</message></disqus>", "</disqus> found where </post> was expected"),
    ])
    func malformedExportsThrow(xml: String, message: String) {
        let error = ExportFixtures.error { _ = try ExportFixtures.read(DisqusReader(), text: xml) }
        guard case .malformed(_, let got)? = error else {
            Issue.record("expected a malformed-input error, got \(String(describing: error))")
            return
        }
        #expect(got.hasPrefix(message))
    }
}

/// Reads the real Disqus export of the shared dev corpus, when it is present.
@Suite struct DisqusCorpusTests {
    static let file = ExportFixtures.corpusRaw("benbalter.disqus.xml")

    @Test(.enabled(if: file != nil, "the dev corpus (../shared/corpus/raw) is absent"))
    func readsEveryPost() throws {
        let path = try #require(Self.file)
        let sink = try ExportFixtures.read(DisqusReader(), file: path)
        let comments = sink.threads.flatMap(\.comments)
        #expect(comments.count == (try ExportFixtures.count("<post ", inFile: path)))
        let prefix = try ByteReader(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), name: path)
            .peek(FormatSniffer.prefixLength)
        #expect(FormatSniffer.sniff(prefix, fileName: "export") == .disqus)
        #expect(
            comments.filter { $0.status == .spam }.count == (try ExportFixtures.count("<isSpam>true<", inFile: path)))
        #expect(Set(comments.map(\.id)).count == comments.count)
        // Replies point at posts of their own thread.
        for thread in sink.threads {
            let ids = Set(thread.comments.map(\.id))
            #expect(thread.comments.allSatisfy { $0.postID == thread.post.id })
            #expect(thread.comments.compactMap(\.parentID).allSatisfy(ids.contains))
        }
        #expect(sink.threads.allSatisfy { $0.post.title != nil && $0.post.url != nil })
    }
}

/// A Disqus export is read in two passes, threads read back by offset one at a time; input that
/// cannot seek (a pipe) is held whole. Both give the same threads.
@Suite struct DisqusStreamingTests {
    /// Posts of three threads dealt out in turn, thread records before, between and after them,
    /// an entity declared in the DOCTYPE, a Latin-1 file, a post whose thread is missing.
    static let export: [UInt8] = {
        var xml = """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <!DOCTYPE disqus [<!ENTITY site "Firth notes">]>
            <disqus xmlns="http://disqus.com" xmlns:d="http://disqus.com/disqus-internals">
            <category d:id="1"><title>General</title></category>
            <thread d:id="t2"><title>Second &site; post</title><link>https://example.org/2</link></thread>

            """
        for index in 0..<15 {
            let thread = ["t1", "t2", "t3"][index % 3]
            let parent = index >= 3 && index % 4 == 0 ? #"<parent d:id="p\#(index - 3)"/>"# : ""
            xml += """
                  <post d:id="p\(index)"><message><![CDATA[<p>Comment \(index) on &site; caf\u{E9}</p>]]></message>\
                <author><name>Reader \(index % 4) of &site;</name><username>r\(index % 4)</username></author>\(parent)\
                <thread d:id="\(thread)"/></post>

                """
            if index == 4 {
                xml += "<thread d:id=\"t1\"><title>First post</title><isDeleted>true</isDeleted></thread>\n"
            }
        }
        xml += #"<post d:id="lost"><message>No thread</message><thread d:id="t9"/></post>"# + "\n"
        xml += "</disqus>\n"
        // ISO-8859-1, as declared: é is one byte.
        return xml.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }()

    @Test func aFileReadInTwoPassesEqualsTheSameExportReadFromAPipe() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disqus-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("export.xml").path
        try Data(Self.export).write(to: URL(fileURLWithPath: file))
        let fifo = directory.appendingPathComponent("export.pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = Self.export
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data(bytes))
                try? handle.close()
            }
        }
        writer.start()

        let piped = try InputSource(name: fifo).open()
        #expect(!piped.isSeekable)
        var held = CollectingSink()
        try DisqusReader().read(piped, options: ReadOptions(), into: &held)
        let streamed = try ExportFixtures.read(DisqusReader(), file: file)

        #expect(streamed.threads.map(\.post.id) == ["t2", "t1", "t3", "t9"])
        #expect(streamed.threads.map(\.comments.count) == [5, 5, 5, 1])
        #expect(streamed.threads[0].post.title == "Second Firth notes post")
        #expect(streamed.threads[1].notes.map(\.code) == ["thread-deleted"])
        #expect(streamed.threads[3].notes.map(\.code) == ["missing-thread"])
        #expect(streamed.threads[2].comments[0].text == "Comment 2 on &site; café")
        #expect(streamed.threads[2].comments[0].author == "Reader 2 of Firth notes")
        #expect(streamed.threads[1].comments.map(\.parentID) == [nil, nil, nil, nil, "p9"])
        // The same threads, locations included, but for the file's name.
        var renamed = held.threads
        for thread in renamed.indices {
            for comment in renamed[thread].comments.indices { renamed[thread].comments[comment].location.file = file }
            for note in renamed[thread].notes.indices { renamed[thread].notes[note].location?.file = file }
        }
        #expect(streamed.threads == renamed)
    }
}
