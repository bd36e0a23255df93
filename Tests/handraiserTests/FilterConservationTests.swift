import Foundation
import Testing

/// `filter` must put every input record out exactly once: kept, rejected, or reported unreadable.
@Suite struct FilterConservationTests {
    /// Random JSON Lines: good records (some spammy), broken JSON, records without content,
    /// invalid UTF-8 and blank lines. Returns the bytes, the ids of good records, and the line
    /// numbers of bad ones.
    static func randomInput(seed: UInt64, count: Int) -> (bytes: [UInt8], ids: [String], badLines: [Int]) {
        var rng = SplitMix(seed: seed)
        var bytes: [UInt8] = []
        var ids: [String] = []
        var bad: [Int] = []
        let texts = [
            "Thanks, the part about sourdough starters was useful.",
            "Buy cheap viagra online http://pills.example/buy now",
            "Check out my channel and subscribe!!! http://youtube.example/x",
            "Ünïcödé 漢字 emoji 😀 and a \\\"quote\\\"",
            "Where did you buy the rye flour?",
        ]
        var line = 0
        for index in 0..<count {
            line += 1
            switch rng.next() % 10 {
            case 0:
                bytes += Array(#"{"id": "x\#(index)", "content": "broken"#.utf8)
                bad.append(line)
            case 1:
                bytes += Array(#"{"id": "n\#(index)", "author": "no content"}"#.utf8)
                bad.append(line)
            case 2:
                bytes += Array(#"{"id": "u\#(index)", "content": "bad "#.utf8) + [0xFF, 0xC0] + Array(#""}"#.utf8)
                bad.append(line)
            case 3:
                bytes += Array("   ".utf8)  // blank: not a record
            default:
                let id = "r\(index)"
                let post = "p\(rng.next() % 4)"
                let text = texts[Int(rng.next() % UInt64(texts.count))]
                bytes += Array(
                    #"{"id": "\#(id)", "post_id": "\#(post)", "author": "A\#(rng.next() % 7)", "content": "\#(text)", "extra": [1, {"k": null}]}"#
                        .utf8)
                ids.append(id)
            }
            bytes.append(0x0A)
        }
        return (bytes, ids, bad)
    }

    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyRecordComesOutExactlyOnce(seed: UInt64) throws {
        let input = Self.randomInput(seed: seed, count: 150)
        let path = try CLIBehaviourTests.temporaryFile("filter-\(seed).jsonl", bytes: input.bytes)
        let rejects = path + ".rejects"
        let run = try CLIRun.run(["filter", "--quiet", "--rejects", rejects, path])
        #expect(run.status == (input.badLines.isEmpty ? 0 : 1))
        let kept = try Self.objects(run.stdout)
        let rejected = try Self.objects(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: rejects)), as: UTF8.self))
        let outIDs = (kept + rejected).compactMap { $0["id"] as? String }
        #expect(outIDs.sorted() == input.ids.sorted())
        #expect(Set(outIDs).count == outIDs.count)
        let unreadableLines = rejected.filter { $0["verdict"] as? String == "unreadable" }.compactMap {
            $0["line"] as? Int
        }
        #expect(unreadableLines == input.badLines)
        #expect(kept.allSatisfy { ($0["verdict"] as? String) != "spam" })
        // Unknown fields pass through unchanged.
        #expect(kept.allSatisfy { $0["extra"] is [Any] })
    }

    @Test func annotateKeepsEverythingOnStandardOutputInInputOrder() throws {
        let input = Self.randomInput(seed: 9, count: 80)
        let path = try CLIBehaviourTests.temporaryFile("annotate.jsonl", bytes: input.bytes)
        let run = try CLIRun.run(["filter", "--annotate", "--quiet", path])
        let objects = try Self.objects(run.stdout)
        #expect(objects.count == input.ids.count + input.badLines.count)
        let ids = objects.compactMap { $0["id"] as? String }.filter { $0.hasPrefix("r") }
        #expect(ids == input.ids)
    }

    @Test func dumpsOnStandardInputComeOutAsJSONLines() throws {
        let seed = try String(
            contentsOfFile: CLIRun.packageRoot.appendingPathComponent("seeds/001_93fc104830a6439d.txt").path,
            encoding: .utf8)
        let run = try CLIRun.run(["filter", "--annotate", "--quiet"], stdin: seed)
        #expect(run.status == 0)
        let objects = try Self.objects(run.stdout)
        #expect(objects.compactMap { $0["id"] as? String } == (1...10).map(String.init))
    }
}
