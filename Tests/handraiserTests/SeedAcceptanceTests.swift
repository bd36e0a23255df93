import Foundation
import Testing

/// Issue 2's acceptance on the seed pages: every comment of seed 001 gets its expected verdict,
/// each spam verdict quotes evidence, and the pages without comments parse to none.
@Suite struct SeedAcceptanceTests {
    @Test func seed001VerdictsAreGenuinePingbackAuthorThenSpam() throws {
        let run = try CLIRun.run(["scan", "--output", "jsonl", "seeds/001_93fc104830a6439d.txt"])
        #expect(run.status == 0)
        let records = try run.stdout.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let verdicts = records.map { $0["verdict"] as? String ?? "?" }
        #expect(verdicts == ["genuine", "pingback", "author"] + Array(repeating: "spam", count: 7))
        for record in records where record["verdict"] as? String == "spam" {
            let reasons = record["reasons"] as? [[String: Any]] ?? []
            let quoted = reasons.compactMap { $0["evidence"] as? String }.filter { !$0.isEmpty }
            #expect(!quoted.isEmpty, "comment \(record["id"] ?? "?") is spam without quoted evidence")
        }
    }

    @Test(arguments: ["seeds/000_c75ce632b9b74587.txt", "seeds/002_62e5594924bfdf1d.txt"])
    func seedsWithoutACommentSectionHaveNoComments(_ path: String) throws {
        let run = try CLIRun.run(["scan", "--output", "jsonl", path])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
    }
}
