import HandraiserModel
import Testing

@testable import HandraiserHeuristics

/// The near-duplicate index on disk answers as the one in memory.
@Suite struct CorpusIndexSpillTests {
    static func comments() -> [Comment] {
        let templates = [
            "Great post, very informative and well written, I will bookmark your blog and visit again soon",
            "Cheap replica watches and designer bags at the best prices online, visit our shop today for deals",
        ]
        return (0..<90).map { index in
            let text =
                index % 3 == 2
                ? "Comment \(index) says something of its own about rye bread, starters and winter baking"
                : templates[index % 2] + (index % 5 == 0 ? " really" : "")
            return Comment(
                id: "\(index)", author: index % 4 == 0 ? "Same Person" : "Name \(index)", content: text,
                location: HandraiserModel.SourceLocation(file: "t.jsonl", line: index + 1, byteOffset: index * 100))
        }
    }

    @Test(arguments: [1, 7, 64]) func aSpilledIndexCountsTheSameDuplicates(spillAfter: Int) {
        let comments = Self.comments()
        let memory = CorpusIndex(comments: comments)
        var builder = CorpusIndex.Builder(spillAfter: spillAfter)
        for comment in comments { builder.add(comment) }
        let spilled = CorpusIndex(builder)
        #expect(!memory.isSpilled)
        #expect(spilled.isSpilled)
        for comment in comments {
            #expect(spilled.duplicates(of: comment) == memory.duplicates(of: comment))
        }
        #expect(comments.contains { memory.duplicates(of: $0).elsewhere >= 3 })
        #expect(comments.contains { memory.duplicates(of: $0).repeatsBySameAuthor > 0 })
    }

    @Test func theBatchingBuilderSpillsToo() {
        let comments = Self.comments()
        var batching = CorpusIndex.BatchingBuilder(workers: 2, batchSize: 16, spillAfter: 10)
        batching.add(comments)
        let spilled = CorpusIndex(batching.finish())
        let memory = CorpusIndex(comments: comments)
        #expect(spilled.isSpilled)
        for comment in comments { #expect(spilled.duplicates(of: comment) == memory.duplicates(of: comment)) }
    }

    @Test func slicesOfKeySpaceFollowKeyOrder() {
        let values: [UInt64] = [0, 1 << 40, 1 << 52, 1 << 63, .max].sorted()
        for slices in [1, 2, 3, 8] {
            let found = values.map { SpillWriter.slice($0, of: slices) }
            #expect(found == found.sorted())
            #expect(found.allSatisfy { (0..<slices).contains($0) })
        }
    }
}
