import Foundation
import HandraiserModel
import Testing

@testable import HandraiserInput

/// The XML tokenizer under the WXR and Disqus readers: chunk boundaries and limits.
@Suite struct WXRStreamTokenizerTests {
    /// Every event (or the error) as text, reading `bytes` in chunks of `chunkSize`.
    static func events(_ bytes: [UInt8], chunkSize: Int, limits: XMLLimits = XMLLimits()) -> [String] {
        var offset = 0
        var xml = XMLStreamReader(file: "t.xml", limits: limits) { () throws(InputError) -> ArraySlice<UInt8>? in
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + chunkSize)
            defer { offset = end }
            return bytes[offset..<end]
        }
        var out: [String] = []
        do {
            while let event = try xml.next() {
                switch event {
                case .start(let tag):
                    let attributes = tag.attributes.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                    out.append(
                        "<\(tag.name) \(attributes)> @\(tag.location.line ?? 0):\(tag.location.column ?? 0)+\(tag.location.byteOffset ?? 0)"
                    )
                case .end(let name): out.append("</\(name)>")
                case .text(let text): out.append("text \(text.debugDescription)")
                }
            }
        } catch {
            out.append("error \(error)")
        }
        return out
    }

    static let fixtures = [
        "wxr/wxr-1.0-threaded.xml", "wxr/wxr-1.2-authors.xml", "wxr/malformed-unclosed.xml", "wxr/xxe.xml",
        "wxr/billion-laughs.xml", "disqus/disqus-mixed-order.xml",
    ]

    @Test(arguments: fixtures, [1, 2, 3, 7, 64])
    func chunkBoundariesChangeNothing(fixture: String, chunkSize: Int) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ExportFixtures.path(fixture))))
        let whole = Self.events(bytes, chunkSize: bytes.count + 1)
        #expect(whole.count > 5)
        #expect(Self.events(bytes, chunkSize: chunkSize) == whole)
    }

    @Test func readsAttributesEntitiesAndSelfClosingTags() {
        let xml = """
            <?xml version="1.0"?>
            <!-- prologue -->
            <r a="1 &amp; 2" b='x&#x41;&#66;'>t&lt;u&gt;&#8217;&unknown;&amp<!-- c --><e/>\r
            <?pi data?></r>
            """
        #expect(
            Self.events(Array(xml.utf8), chunkSize: 4) == [
                "<r a=1 & 2 b=xAB> @3:1+40",
                "text \"t<u>’&unknown;&amp\"",
                "<e > @3:75+114",
                "</e>",
                "text \"\\n\"",
                "</r>",
            ])
    }

    /// CDATA is searched for its `]]>` and its carriage returns many bytes a step: brackets that
    /// close nothing, `\r\n` and lone `\r` must come out the same wherever the chunks end.
    @Test func cdataBracketsAndCarriageReturnsAtEveryChunkSize() {
        let xml = "<r><![CDATA[a]b]]c]]]>d\r\ne\rf<![CDATA[g]]]]><![CDATA[>\r\r\n]]><![CDATA[]]></r>"
        let expected = ["text \"a]b]]c]d\\ne\\nfg]]>\\n\\n\"", "</r>"]
        for chunkSize in 1...xml.utf8.count + 1 {
            #expect(Array(Self.events(Array(xml.utf8), chunkSize: chunkSize).dropFirst()) == expected, "\(chunkSize)")
        }
        let unclosed = Self.events(Array("<r><![CDATA[x]]".utf8), chunkSize: 3)
        #expect(unclosed.last?.contains("is never closed") == true)
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        let xml = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        let events = Self.events(Array(xml.utf8), chunkSize: 1000)
        #expect(events.last == "error t.xml:1:769: elements are nested more than 256 deep")
    }

    @Test func oversizedTextAndTagsAreRefused() {
        var limits = XMLLimits()
        limits.maximumTextBytes = 100
        limits.maximumTagBytes = 100
        let text = "<r>" + String(repeating: "x", count: 101) + "</r>"
        #expect(
            Self.events(Array(text.utf8), chunkSize: 7, limits: limits).last?.contains(
                "text run is longer than 100 bytes") == true)
        let tag = "<r a=\"" + String(repeating: "x", count: 200) + "\"/>"
        #expect(
            Self.events(Array(tag.utf8), chunkSize: 7, limits: limits).last?.contains("tag is longer than 100 bytes")
                == true)
    }

    @Test func utf16IsRefusedWithAHint() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x3C, 0x00, 0x72, 0x00]
        #expect(
            Self.events(bytes, chunkSize: 64) == [
                "error t.xml:1:1: the file is UTF-16 or UTF-32; save it as UTF-8 and try again"
            ])
    }

    @Test func entitiesReferringToThemselvesAreRefused() {
        let xml = """
            <!DOCTYPE r [<!ENTITY a "x&b;"><!ENTITY b "&a;">]>
            <r>&a;</r>
            """
        #expect(Self.events(Array(xml.utf8), chunkSize: 64).last?.contains("refers to itself") == true)
    }

    @Test func internalEntitiesExpandWithinLimits() {
        let xml = """
            <!DOCTYPE r [<!ENTITY who "the &quot;crew&quot;"><!ENTITY all "&who; &amp; &who;">]>
            <r>&all;</r>
            """
        #expect(Self.events(Array(xml.utf8), chunkSize: 5).contains("text \"the \\\"crew\\\" & the \\\"crew\\\"\""))
    }
}
