import HandraiserModel

/// Where the records of one long thread are read from, for `ThreadParts`: each format reads its
/// records its own way, and the parts are cut the same way for all.
protocol ThreadRecords {
    /// Decodes the thread's records and hands them over in file order, at most `size` at a time.
    /// `body` may read parents back (`comment(at:line:post:)`) before the next batch is read.
    /// Called twice; a format whose records depend on what came before (WXR) starts over each time.
    func eachBatch(of size: Int, _ body: ([Result<(Comment, Post), UnreadableRecord>]) throws -> Void) throws
    /// Merges the post fields of one more record into the thread's.
    func merge(_ post: Post, into merged: inout Post?)
    /// The comment as the whole thread would hand it over, once the merged `post` is known.
    func finished(_ comment: Comment, post: Post) -> Comment
    /// The comment whose record starts at `place` (its byte offset, line and column), read back
    /// and finished as in its part; nil when it no longer reads.
    func comment(at place: SourceLocation, post: Post) throws -> Comment?
    /// The note the whole thread makes for a reply whose parent is not in it, if the format makes one.
    func missingParentNote(_ comment: Comment, parent: String) -> InputNote?
}

extension ThreadRecords {
    func missingParentNote(_ comment: Comment, parent: String) -> InputNote? { nil }
}

/// Reads one long thread in parts: a first pass over its records merges the post fields and notes
/// where the first record of each id stands (two integers an id, not the record); the second
/// hands the records over `partComments` at a time, each part with its replies' parents, read
/// back by offset when they stand in another part.
struct ThreadParts<Records: ThreadRecords> {
    let records: Records
    let partComments: Int
    private var post: Post?
    /// Where the first record of each id of the thread stands: in a temporary file past a few
    /// tens of thousands of ids, so a thread of millions is read in flat memory.
    private var ids: IDPlaces
    private var longestID = ""
    private var longestIDLength = 0
    /// Replies whose parent had not been seen when they were read (it may come later).
    private var unseenParents: [(parent: String, note: InputNote)] = []

    init(records: Records, partComments: Int) {
        self.records = records
        self.partComments = partComments
        ids = IDPlaces()
    }

    /// `ThreadParts` whose id table moves to a file past `idMemorySlots` slots (tests make it small).
    init(records: Records, partComments: Int, idMemorySlots: Int) {
        self.init(records: records, partComments: partComments)
        ids = IDPlaces(memorySlots: idMemorySlots)
    }

    mutating func read(into sink: inout some ReadSink) throws {
        try records.eachBatch(of: 1024) { batch in
            for case .success(let (comment, post)) in batch {
                records.merge(post, into: &self.post)
                if let parent = comment.parentID, try ids.place(of: parent) == nil,
                    let note = records.missingParentNote(comment, parent: parent)
                {
                    unseenParents.append((parent, note))
                }
                if let offset = comment.location.byteOffset {
                    let place = IDPlaces.Place(
                        offset: offset, line: comment.location.line ?? 0,
                        column: Int(Int32(clamping: comment.location.column ?? 1)))
                    try ids.insert(comment.id, at: place)
                }
                // As wide as the terminal shows it: a control character in an id takes a mark.
                let length = TerminalSafe.clean(comment.id).count
                if length > longestIDLength {
                    longestIDLength = length
                    longestID = comment.id
                }
            }
        }
        guard let post else { return }
        var notes = try unseenParents.filter { try ids.place(of: $0.parent) == nil }.map(\.note)
        unseenParents = []
        // A part is handed over once the next one has comments, so the last one says it is last
        // even when the records after it no longer read.
        var held: Thread?
        var index = 0
        try records.eachBatch(of: partComments) { batch in
            var comments: [Comment] = []
            for record in batch {
                switch record {
                case .failure(let bad): try sink.unreadable(bad)
                case .success(let (comment, _)): comments.append(records.finished(comment, post: post))
                }
            }
            guard !comments.isEmpty else { return }
            let parents = try parents(of: comments, post: post)
            if var previous = held {
                previous.part!.isLast = false
                try sink.thread(previous)
            }
            held = Thread(
                post: post, comments: comments, notes: notes,
                part: ThreadPart(index: index, isLast: true, parents: parents, longestID: longestID))
            notes = []
            index += 1
        }
        if let held { try sink.thread(held) }
    }

    /// The first comment of the thread with each id the replies of `comments` name, from
    /// `comments` itself where it stands there, else read back from the file.
    private func parents(of comments: [Comment], post: Post) throws -> [Comment] {
        var here: [Int: Comment] = [:]
        for comment in comments {
            if let offset = comment.location.byteOffset { here[offset] = comment }
        }
        var found: [String: Comment] = [:]
        var parents: [Comment] = []
        for comment in comments {
            guard let parentID = comment.parentID, found[parentID] == nil, let first = try ids.place(of: parentID)
            else { continue }
            let place = SourceLocation(file: "", line: first.line, column: first.column, byteOffset: first.offset)
            guard let parent = try here[first.offset] ?? records.comment(at: place, post: post) else { continue }
            found[parentID] = parent
            parents.append(parent)
        }
        return parents
    }
}
