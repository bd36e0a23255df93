import Foundation
import HandraiserHeuristics
import HandraiserInput
import HandraiserModel

/// A private temporary file (only this user may read it, an existing file or link of its name is
/// never followed), removed by `remove()` and when the run is interrupted: comments can be private.
final class PrivateFile {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var failed = false

    private init(path: String, file: UnsafeMutablePointer<FILE>) {
        self.path = path
        self.file = file
    }

    /// A new empty file named after `label` in the temporary directory, open for writing.
    static func create(_ label: String) throws -> PrivateFile {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("handraiser-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0, let file = fdopen(descriptor, "w+") else {
            if descriptor >= 0 {
                close(descriptor)
                unlink(path)
            }
            throw InputError.unreadable(file: path, reason: "cannot create a temporary file")
        }
        InterruptCleanup.register(path)
        return PrivateFile(path: path, file: file)
    }

    /// Appends `bytes`; a failure (a full disk) is reported by `finishWriting()`.
    func write(_ bytes: UnsafeRawBufferPointer) {
        guard let file, !failed, bytes.count > 0 else { return }
        if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count { failed = true }
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Flushes what was written; throws when any of it could not be written.
    func finishWriting() throws {
        if let file, fflush(file) != 0 { failed = true }
        if failed {
            throw InputError.unreadable(file: path, reason: "cannot write a temporary file (is the disk full?)")
        }
    }

    /// The file's length after what was written.
    func offset() throws -> Int {
        try finishWriting()
        guard let file else { return 0 }
        return Int(ftello(file))
    }

    /// Drops everything after the first `offset` bytes; writing goes on there.
    func truncate(to offset: Int) throws {
        try finishWriting()
        guard let file else { return }
        if ftruncate(fileno(file), off_t(offset)) != 0 || fseeko(file, off_t(offset), SEEK_SET) != 0 {
            throw InputError.unreadable(file: path, reason: "cannot truncate a temporary file")
        }
    }

    /// Hands the file's text to `write` in pieces cut after a line break (so no piece splits a
    /// character), the last piece whatever is left.
    func copy(to write: (String) -> Void) throws {
        try finishWriting()
        guard let reader = fopen(path, "r") else {
            throw InputError.unreadable(file: path, reason: "cannot read a temporary file")
        }
        defer { fclose(reader) }
        var carry: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, reader) }
            if count == 0 { break }
            carry += chunk[..<count]
            if let end = carry.lastIndex(of: 0x0A) {
                write(String(decoding: carry[...end], as: UTF8.self))
                carry.removeSubrange(...end)
            }
        }
        if ferror(reader) != 0 { throw InputError.unreadable(file: path, reason: "cannot read a temporary file") }
        if !carry.isEmpty { write(String(decoding: carry, as: UTF8.self)) }
    }

    func remove() {
        if let file { fclose(file) }
        file = nil
        unlink(path)
        InterruptCleanup.unregister(path)
    }
}

/// Classified threads reduced to what `ReplyPlanner.context(for:)` reads of the whole input,
/// written one after another to a private temporary file and read back as often as the planner
/// iterates them. Per thread: the post's author, its aliases and URL; per comment, in order: id,
/// author, e-mail, URL, date, type, moderation status, whether it is by the post author, the
/// verdict's kind and score, and the content only when it links somewhere in its body (the
/// planner looks across posts for shared links). Some 60 bytes a comment plus its strings, on disk.
///
/// The planner's context must read nothing else of a thread: a test compares a streamed run
/// with one planned whole, on every format.
final class ThreadDigestFile: Sequence {
    private let file: PrivateFile
    private var buffer: [UInt8] = []

    init() throws {
        file = try PrivateFile.create("replies-digest")
    }

    func append(_ thread: ClassifiedThread) throws {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: [0, 0, 0, 0])
        let post = thread.post
        put(post.author)
        put(UInt32(post.authorAliases.count))
        for alias in post.authorAliases { put(alias) }
        put(post.url)
        put(UInt32(thread.comments.count))
        for item in thread.comments {
            let comment = item.comment
            put(comment.id)
            put(comment.author)
            put(comment.authorEmail)
            put(comment.authorURL)
            put(comment.date)
            buffer.append(UInt8(CommentType.allCases.firstIndex(of: comment.type)!))
            buffer.append(comment.status.map { UInt8(ModerationStatus.allCases.firstIndex(of: $0)! + 1) } ?? 0)
            buffer.append(comment.authorship.map { $0.isPostAuthor ? 2 : 1 } ?? 0)
            buffer.append(UInt8(VerdictKind.allCases.firstIndex(of: item.verdict.kind)!))
            put(item.verdict.score.bitPattern)
            let linksInBody = LinkExtractor.links(in: comment).contains(where: \.isInBody)
            put(linksInBody ? comment.content : "")
        }
        let length = UInt32(buffer.count - 4)
        withUnsafeBytes(of: length.littleEndian) { bytes in
            for index in 0..<4 { buffer[index] = bytes[index] }
        }
        buffer.withUnsafeBytes { file.write($0) }
    }

    func offset() throws -> Int { try file.offset() }
    func truncate(to offset: Int) throws { try file.truncate(to: offset) }
    func finishWriting() throws { try file.finishWriting() }
    func remove() { file.remove() }

    private func put(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func put(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func put(_ text: String?) {
        guard let text else { return put(UInt32.max) }
        put(UInt32(text.utf8.count))
        buffer.append(contentsOf: text.utf8)
    }

    func makeIterator() -> Iterator { Iterator(path: file.path) }

    /// Reads the file from the start, a thread at a time.
    final class Iterator: IteratorProtocol {
        private let reader: UnsafeMutablePointer<FILE>?
        private var record: [UInt8] = []
        private var position = 0

        init(path: String) { reader = fopen(path, "r") }

        deinit { if let reader { fclose(reader) } }

        func next() -> ClassifiedThread? {
            guard let reader else { return nil }
            var length: UInt32 = 0
            guard fread(&length, 4, 1, reader) == 1 else { return nil }
            record = [UInt8](repeating: 0, count: Int(UInt32(littleEndian: length)))
            guard record.withUnsafeMutableBytes({ fread($0.baseAddress, 1, $0.count, reader) }) == record.count
            else { return nil }
            position = 0
            var post = Post()
            post.author = text()
            post.authorAliases = (0..<number()).map { _ in text() ?? "" }
            post.url = text()
            let count = Int(number())
            var comments: [ClassifiedComment] = []
            comments.reserveCapacity(count)
            for _ in 0..<count {
                let id = text() ?? ""
                let author = text()
                let email = text()
                let url = text()
                let date = text()
                let type = CommentType.allCases[Int(byte())]
                let status = byte()
                let authorship = byte()
                let kind = VerdictKind.allCases[Int(byte())]
                let score = Double(bitPattern: wide())
                let content = text() ?? ""
                let comment = Comment(
                    id: id, author: author, authorEmail: email, authorURL: url, date: date, type: type,
                    content: content, text: "",
                    status: status == 0 ? nil : ModerationStatus.allCases[Int(status) - 1],
                    authorship: authorship == 0
                        ? nil : Authorship(isPostAuthor: authorship == 2, confidence: 1, evidence: ""),
                    location: SourceLocation(file: ""))
                comments.append(
                    ClassifiedComment(comment: comment, verdict: Verdict(kind: kind, score: score, reasons: [])))
            }
            return ClassifiedThread(thread: Thread(post: post), comments: comments)
        }

        private func byte() -> UInt8 {
            defer { position += 1 }
            return record[position]
        }

        private func number() -> UInt32 {
            var value: UInt32 = 0
            for shift in stride(from: 0, to: 32, by: 8) { value |= UInt32(byte()) << UInt32(shift) }
            return value
        }

        private func wide() -> UInt64 {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
            return value
        }

        private func text() -> String? {
            let length = number()
            guard length != UInt32.max else { return nil }
            defer { position += Int(length) }
            return String(decoding: record[position..<position + Int(length)], as: UTF8.self)
        }
    }
}
