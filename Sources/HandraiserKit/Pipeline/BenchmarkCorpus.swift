import Foundation
import HandraiserInput
import HandraiserModel

/// A JSON Lines corpus held as record templates, written out again as many times as it takes to
/// reach a size. Every copy after the first renames `id`, `post_id` and `parent_id` (copy 2 turns
/// `"668227032"` into `"r2-668227032"`), so the copies are distinct records in distinct threads
/// with their replies still pointing at their parents; everything else is byte for byte the
/// original line. A `parent_id` of `"0"` or `""` (no parent) and JSON `null` stay as they are.
public struct ReplicatedCorpus: Sendable {
    /// One input line, cut around the values to rename.
    struct Template: Sendable {
        enum Piece: Sendable {
            case text([UInt8])
            /// The value's source text: a JSON string or number.
            case identifier([UInt8])
        }
        var pieces: [Piece]
        var bytes: Int
        /// What the mbox for a peer filter needs.
        var author: String?
        var email: String?
        var content: String
        var label: EvaluationLabels.Label?
    }

    static let renamed: Set<String> = ["id", "post_id", "parent_id"]

    /// The files read, in order.
    public let files: [String]
    let templates: [Template]
    /// Lines that were not JSON objects (left out of the copies).
    public let skippedLines: Int

    /// Records in one copy.
    public var records: Int { templates.count }
    /// Bytes of one copy (each record one line).
    public var bytes: Int { templates.reduce(0) { $0 + $1.bytes + 1 } }

    /// Reads every `*.jsonl` file in `directory`, sorted by name.
    public init(directory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }
        try self.init(files: names.sorted().map { (directory as NSString).appendingPathComponent($0) })
    }

    public init(files: [String]) throws {
        var templates: [Template] = []
        var skipped = 0
        for file in files {
            let data = try InputSource(name: file).open().readAll()
            for line in data.split(separator: 0x0A) {
                if let template = Self.template(line) {
                    templates.append(template)
                } else if line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) {
                    skipped += 1
                }
            }
        }
        self.files = files
        self.templates = templates
        self.skippedLines = skipped
    }

    static func template(_ line: ArraySlice<UInt8>) -> Template? {
        var line = line
        if line.last == 0x0D { line = line.dropLast() }
        guard let members = try? JSONParser.parseObjectMembers(line) else { return nil }
        var pieces: [Template.Piece] = []
        var cursor = line.startIndex
        var author: String?
        var email: String?
        var content = ""
        var label: EvaluationLabels.Label?
        for member in members {
            switch member.key {
            case "author": author = member.value.scalarText
            case "author_email": email = member.value.scalarText
            case "content": content = member.value.scalarText ?? ""
            case "label": label = member.value.scalarText.flatMap(EvaluationLabels.Label.init(rawValue:))
            default: break
            }
            guard renamed.contains(member.key) else { continue }
            let raw = line[member.raw]
            let isString = raw.first == UInt8(ascii: "\"")
            let isNumber = raw.first.map { $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) } ?? false
            guard isString || isNumber, member.value.scalarText.map({ $0 != "" && $0 != "0" }) ?? false else {
                continue
            }
            pieces.append(.text(Array(line[cursor..<member.raw.lowerBound])))
            pieces.append(.identifier(Array(raw)))
            cursor = member.raw.upperBound
        }
        pieces.append(.text(Array(line[cursor...])))
        return Template(
            pieces: pieces, bytes: line.count, author: author, email: email, content: content, label: label)
    }

    /// The renamed source text of an `id`, `post_id` or `parent_id` value in copy `copy` (1-based).
    static func renamedValue(_ raw: [UInt8], copy: Int) -> [UInt8] {
        guard copy > 1 else { return raw }
        let prefix = Array("r\(copy)-".utf8)
        if raw.first == UInt8(ascii: "\"") { return [raw[0]] + prefix + raw.dropFirst() }
        return [UInt8(ascii: "\"")] + prefix + raw + [UInt8(ascii: "\"")]
    }

    /// What `write` produced.
    public struct Written: Sendable, Hashable {
        public var path: String
        public var bytes: Int
        public var records: Int
        /// Copies begun; the last may be partial.
        public var copies: Int
    }

    /// Writes copies of the corpus to `path` until it holds at least `targetBytes` (stopping at the
    /// first line end after it; at least one record).
    @discardableResult
    public func write(to path: String, targetBytes: Int) throws -> Written {
        var written = Written(path: path, bytes: 0, records: 0, copies: 0)
        try withOutput(path) { emit in
            forEachRecord(targetBytes: targetBytes) { line, _, copy in
                emit(line)
                written.bytes += line.count
                written.records += 1
                written.copies = copy
            }
        }
        return written
    }

    /// Calls `body` with each line (newline included) of successive copies, its template and its
    /// copy number, until the lines reach `targetBytes`: the records `write` writes, in its order.
    func forEachRecord(targetBytes: Int, _ body: (_ line: [UInt8], Template, _ copy: Int) -> Void) {
        guard !templates.isEmpty else { return }
        var total = 0
        var copy = 1
        while true {
            for template in templates {
                var line: [UInt8] = []
                line.reserveCapacity(template.bytes + 32)
                for piece in template.pieces {
                    switch piece {
                    case .text(let bytes): line += bytes
                    case .identifier(let raw): line += Self.renamedValue(raw, copy: copy)
                    }
                }
                line.append(0x0A)
                total += line.count
                body(line, template, copy)
                if total >= targetBytes { return }
            }
            copy += 1
        }
    }

    /// Writes the records `write(to:targetBytes:)` would write as an mbox (one message per comment:
    /// author and e-mail in `From:`, the content as given as the body), to `all`; and one copy of
    /// the labelled records split into `spam` and `ham` mboxes for training. Returns how many
    /// messages went to each.
    public func writeMailboxes(
        all: String, spam: String, ham: String, targetBytes: Int
    ) throws -> (
        all: Int, spam: Int, ham: Int
    ) {
        var counts = (all: 0, spam: 0, ham: 0)
        try withOutput(all) { emit in
            forEachRecord(targetBytes: targetBytes) { _, template, _ in
                emit(Self.mboxMessage(template, number: counts.all))
                counts.all += 1
            }
        }
        try withOutput(spam) { emitSpam in
            try withOutput(ham) { emitHam in
                for (number, template) in templates.enumerated() {
                    switch template.label {
                    case .spam?:
                        emitSpam(Self.mboxMessage(template, number: number))
                        counts.spam += 1
                    case .ham?:
                        emitHam(Self.mboxMessage(template, number: number))
                        counts.ham += 1
                    case nil: break
                    }
                }
            }
        }
        return counts
    }

    /// One mbox message; body lines that begin with "From " are escaped as ">From " (mboxrd).
    static func mboxMessage(_ template: Template, number: Int) -> [UInt8] {
        func headerText(_ text: String?) -> String {
            String((text ?? "").map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        }
        var message = "From handraiser-bench Thu Jan  1 00:00:00 1970\n"
        message += "From: \(headerText(template.author)) <\(headerText(template.email ?? "unknown@invalid"))>\n"
        message += "Message-ID: <\(number)@handraiser-bench>\n"
        message += "Content-Type: text/plain; charset=utf-8\n\n"
        for line in template.content.split(separator: "\n", omittingEmptySubsequences: false) {
            var trimmed = line
            while trimmed.hasPrefix(">") { trimmed = trimmed.dropFirst() }
            message += (trimmed.hasPrefix("From ") ? ">" : "") + String(line) + "\n"
        }
        message += "\n"
        return Array(message.utf8)
    }
}

/// Opens `path` for writing, hands `body` a function that appends bytes, and closes it.
func withOutput(_ path: String, _ body: (_ emit: ([UInt8]) -> Void) throws -> Void) throws {
    guard let file = fopen(path, "w") else {
        throw InputError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    var failed = false
    try body { bytes in
        if bytes.withUnsafeBufferPointer({ fwrite($0.baseAddress, 1, $0.count, file) }) != bytes.count {
            failed = true
        }
    }
    if fclose(file) != 0 || failed {
        throw InputError.unreadable(file: path, reason: "cannot write: \(String(cString: strerror(errno)))")
    }
}
