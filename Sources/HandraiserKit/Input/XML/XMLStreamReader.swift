import Foundation
import HandraiserModel

/// Limits that keep a hostile or broken XML file from exhausting memory or time.
struct XMLLimits: Sendable {
    /// Open elements at once.
    var maximumDepth = 256
    /// One run of character data (a post body or a comment, CDATA included).
    var maximumTextBytes = 64 << 20
    /// One start tag with its attributes.
    var maximumTagBytes = 1 << 20
    var maximumAttributes = 512
    /// The whole `<!DOCTYPE …>` declaration, internal subset included.
    var maximumDoctypeBytes = 1 << 20
    var maximumEntityDeclarations = 10_000
    /// What one entity reference may expand to.
    var maximumEntityExpansionBytes = 1 << 20
    /// What all entity references of the document may expand to together.
    var maximumTotalExpansionBytes = 16 << 20
    /// Entities referring to entities, how deep.
    var maximumEntityNesting = 16
}

/// A start tag as read: the qualified name (`wp:comment`) and its attributes in file order.
struct XMLStartTag {
    var name: String
    var attributes: [(name: String, value: String)]
    var location: SourceLocation

    func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.name == name })?.value
    }
}

enum XMLEvent {
    case start(XMLStartTag)
    /// Also sent right after the start of a self-closing element (`<parent dsq:id="1" />`).
    case end(name: String)
    /// Character data with entities decoded; CDATA sections are merged into the surrounding text.
    case text(String)
}

/// A streaming pull tokenizer for the XML that blog exports are made of.
///
/// Foundation's `XMLParser(stream:)` does push chunks into libxml2 on Linux, but it is driven by
/// delegate callbacks, differs between Linux and macOS, and leaves limits to libxml2's defaults.
/// Exports use a small subset of XML, so this reader handles exactly that subset over
/// `ByteReader` chunks: elements, attributes, character data, CDATA, comments, processing
/// instructions and a DOCTYPE. Memory holds one chunk, one open tag and the current text run.
///
/// Safety: external entities (`SYSTEM`, `PUBLIC`) are never fetched or read; a reference to one
/// is left in the text as written (`&name;`), as are references to undeclared entities (HTML
/// names such as `&nbsp;` in broken exports). Internal entities expand only within
/// `XMLLimits`, checked before expanding, so an entity bomb stops at once with an error.
/// Names are kept with their prefixes; readers map prefixes through the root's `xmlns:` attributes.
struct XMLStreamReader {
    let file: String
    private let nextChunk: () throws(InputError) -> ArraySlice<UInt8>?
    private let limits: XMLLimits

    private var buffer: [UInt8] = []
    /// Index in `buffer` of the next unread byte; bytes before it may be dropped.
    private var position = 0
    /// Absolute file offset of `buffer[0]`.
    private var base = 0
    private var atEnd = false

    private var line = 1
    /// Absolute offset of the first byte of `line`.
    private var lineStart = 0
    /// Absolute offset up to which newlines have been counted.
    private var counted = 0

    private var open: [(name: String, location: SourceLocation)] = []
    private var pendingEnd: String?
    private var text: [UInt8] = []
    private var rootName: String?
    private var rootClosed = false
    private var startedDocument = false
    private var encoding = TextEncoding.utf8

    private var entities: [String: EntityDefinition] = [:]
    private var expansionSizes: [String: Int] = [:]
    private var expandedTotal = 0

    init(_ source: ByteReader, limits: XMLLimits = XMLLimits()) {
        self.init(file: source.name, limits: limits) { () throws(InputError) in try source.nextChunk() }
    }

    /// A reader over chunks from `nextChunk` (nil at the end); tests use it to cut input anywhere.
    init(
        file: String, limits: XMLLimits = XMLLimits(), nextChunk: @escaping () throws(InputError) -> ArraySlice<UInt8>?
    ) {
        self.file = file
        self.limits = limits
        self.nextChunk = nextChunk
    }

    /// What a reader needs to read an element again later from where it starts: the elements
    /// open around it and the document's declarations (its entities, its encoding).
    struct Context {
        fileprivate var open: [(name: String, location: SourceLocation)]
        fileprivate var rootName: String?
        fileprivate var encoding: TextEncoding
        fileprivate var entities: [String: EntityDefinition]
        fileprivate var expansionSizes: [String: Int]
    }

    /// The context of the elements open now but the innermost `dropping` (call it at an
    /// element's start, dropping 1, to read that element again).
    func context(dropping: Int = 0) -> Context {
        Context(
            open: Array(open.dropLast(dropping)), rootName: rootName, encoding: encoding, entities: entities,
            expansionSizes: expansionSizes)
    }

    /// A reader that goes on from the element whose start tag is at `element` (byte offset,
    /// line and column), with the elements of `context` open around it; the caller seeks
    /// `source` to that offset first. It reads the element as the first reader did.
    init(
        resuming context: Context, at element: SourceLocation, from source: ByteReader, limits: XMLLimits = XMLLimits()
    ) {
        self.init(file: source.name, limits: limits) { () throws(InputError) in try source.nextChunk() }
        startedDocument = true
        rootName = context.rootName
        encoding = context.encoding
        entities = context.entities
        expansionSizes = context.expansionSizes
        open = context.open
        let offset = element.byteOffset ?? 0
        base = offset
        counted = offset
        line = element.line ?? 1
        lineStart = offset - ((element.column ?? 1) - 1)
    }

    /// Open elements, the root included.
    var depth: Int { open.count }

    /// The place the reader has reached (for errors found by a caller).
    mutating func currentLocation() -> SourceLocation { location(at: position) }

    /// The next event, or nil once the document has ended cleanly.
    mutating func next() throws(InputError) -> XMLEvent? {
        if let name = pendingEnd {
            pendingEnd = nil
            open.removeLast()
            if open.isEmpty { rootClosed = true }
            return .end(name: name)
        }
        if !startedDocument { try startDocument() }
        while true {
            let atMarkup = try scanText()
            if !atMarkup {
                return try endOfInput()
            }
            // `buffer[position]` is `<`.
            try ensureAhead(9)
            let next = byte(at: position + 1)
            if next == ascii("!") {
                if matches("<!--", at: position) {
                    try skipComment()
                } else if matches("<![CDATA[", at: position) {
                    try readCDATA()
                } else if matches("<!DOCTYPE", at: position) {
                    try readDoctype()
                } else {
                    throw malformed(at: position, "“<!” starts no comment, CDATA section or DOCTYPE")
                }
                continue
            }
            if next == ascii("?") {
                try readProcessingInstruction()
                continue
            }
            if !text.isEmpty {
                let run = makeString(text)
                text.removeAll(keepingCapacity: text.count <= 1 << 16)
                return .text(run)
            }
            if next == ascii("/") {
                return try readEndTag()
            }
            guard let next, Self.isNameStart(next) else {
                throw malformed(at: position, "a “<” that starts no tag (text must write it as &lt;)")
            }
            return try readStartTag()
        }
    }

    // MARK: Buffer

    private func byte(at index: Int) -> UInt8? {
        index < buffer.count ? buffer[index] : nil
    }

    private func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(ascii: c) }

    private func matches(_ literal: StaticString, at index: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= buffer.count else { return false }
        return literal.withUTF8Buffer { bytes in
            var i = 0
            while i < count {
                if buffer[index + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// Reads another chunk, dropping the bytes before `position` first. Returns how far indices
    /// into the buffer moved (subtract it from any index you hold), or nil at the end of input.
    private mutating func loadMore() throws(InputError) -> Int? {
        if atEnd { return nil }
        guard let chunk = try nextChunk() else {
            atEnd = true
            return nil
        }
        let shift = position
        if shift > 0 {
            countLines(upTo: shift)
            buffer.removeSubrange(0..<shift)
            base += shift
            position = 0
        }
        buffer.append(contentsOf: chunk)
        return shift
    }

    /// Makes at least `count` bytes from `position` available, unless the input ends first.
    private mutating func ensureAhead(_ count: Int) throws(InputError) {
        while buffer.count - position < count, try loadMore() != nil {}
    }

    private mutating func countLines(upTo index: Int) {
        var i = counted - base
        guard i < index else { return }
        buffer.withUnsafeBufferPointer { bytes in
            while i < index {
                if bytes[i] == 0x0A {
                    line += 1
                    lineStart = base + i + 1
                }
                i += 1
            }
        }
        counted = base + index
    }

    /// The 1-based line and column (in UTF-8 bytes) of `buffer[index]`.
    private mutating func location(at index: Int) -> SourceLocation {
        countLines(upTo: index)
        let offset = base + index
        return SourceLocation(file: file, line: line, column: offset - lineStart + 1, byteOffset: offset)
    }

    private mutating func malformed(at index: Int, _ message: String) -> InputError {
        .malformed(location(at: index), message: message)
    }

    private func describe(_ location: SourceLocation) -> String {
        "\(location.line ?? 0):\(location.column ?? 0)"
    }

    // MARK: Document

    private mutating func startDocument() throws(InputError) {
        startedDocument = true
        try ensureAhead(4)
        if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB,
            buffer[position + 2] == 0xBF
        {
            position += 3
        } else if buffer.count - position >= 2,
            buffer[position] == 0xFF && buffer[position + 1] == 0xFE
                || buffer[position] == 0xFE && buffer[position + 1] == 0xFF
                || buffer[position] == 0 || buffer[position + 1] == 0
        {
            throw malformed(at: position, "the file is UTF-16 or UTF-32; save it as UTF-8 and try again")
        }
    }

    private mutating func endOfInput() throws(InputError) -> XMLEvent? {
        if let innermost = open.last {
            throw malformed(
                at: buffer.count,
                "the file ends inside <\(innermost.name)> opened at \(describe(innermost.location)); it is cut short or a tag is never closed"
            )
        }
        if rootName == nil {
            throw malformed(at: buffer.count, "the file holds no XML element")
        }
        return nil
    }

    // MARK: Text

    /// Reads character data up to the next `<`. Returns false at the end of input.
    private mutating func scanText() throws(InputError) -> Bool {
        while true {
            var i = position
            let end = buffer.count
            buffer.withUnsafeBufferPointer { bytes in
                while i < end {
                    let b = bytes[i]
                    if b == 0x3C || b == 0x26 || b == 0x0D { break }  // < & \r
                    i += 1
                }
            }
            try appendText(from: position, to: i)
            position = i
            if i == end {
                guard try loadMore() != nil else { return false }
                continue
            }
            switch buffer[i] {
            case 0x3C:
                return true
            case 0x0D:
                // XML reads \r\n and a lone \r as \n.
                try ensureAhead(2)
                if byte(at: position + 1) != 0x0A { try appendBytes([0x0A]) }
                position += 1
            default:
                try ensureAhead(64)
                var decoded: [UInt8] = []
                position = try reference(at: position, end: buffer.count, into: &decoded)
                try appendBytes(decoded)
            }
        }
    }

    private mutating func appendText(from start: Int, to end: Int) throws(InputError) {
        guard start < end, !open.isEmpty else { return }
        if text.count + (end - start) > limits.maximumTextBytes {
            throw malformed(at: start, "a text run is longer than \(Self.grouped(limits.maximumTextBytes)) bytes")
        }
        text.append(contentsOf: buffer[start..<end])
    }

    private mutating func appendBytes(_ bytes: [UInt8]) throws(InputError) {
        guard !open.isEmpty else { return }
        if text.count + bytes.count > limits.maximumTextBytes {
            throw malformed(at: position, "a text run is longer than \(Self.grouped(limits.maximumTextBytes)) bytes")
        }
        text.append(contentsOf: bytes)
    }

    private mutating func readCDATA() throws(InputError) {
        let startLocation = location(at: position)
        position += 9  // <![CDATA[
        while true {
            let end = buffer.count
            if let close = Self.cdataClose(in: buffer, from: position) {
                try appendNormalizingNewlines(from: position, to: close)
                position = close + 3
                return
            }
            // Keep the last two bytes: they may begin the closing `]]>`. A `\r` before them
            // waits too, to be read with the `\n` the next chunk may start with (a `\r\n`
            // across two chunks made two line breaks).
            var keep = max(position, end - 2)
            if keep > position, buffer[keep - 1] == 0x0D { keep -= 1 }
            try appendNormalizingNewlines(from: position, to: keep)
            position = keep
            guard try loadMore() != nil else {
                throw malformed(
                    at: buffer.count, "the CDATA section opened at \(describe(startLocation)) is never closed")
            }
        }
    }

    private mutating func appendNormalizingNewlines(from start: Int, to end: Int) throws(InputError) {
        var segment = start
        while let carriageReturn = Self.firstIndex(of: 0x0D, in: buffer, from: segment, to: end) {
            try appendText(from: segment, to: carriageReturn)
            // \r\n keeps its \n (the next segment starts there); a lone \r becomes one.
            if !(carriageReturn + 1 < end && buffer[carriageReturn + 1] == 0x0A) { try appendBytes([0x0A]) }
            segment = carriageReturn + 1
        }
        try appendText(from: segment, to: end)
    }

    /// The index of the first `byte` in `bytes[from..<to]`: `memchr`, which looks at many bytes
    /// a step where a loop over the array looks at one (CDATA bodies are most of an export).
    private static func firstIndex(of byte: UInt8, in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard from < to else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base + from, Int32(byte), to - from) else {
                return nil
            }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The index of the `]]>` that closes a CDATA section, searched from `start`, if the
    /// buffer holds it.
    private static func cdataClose(in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        // A `]` with two bytes after it: `bytes.count - 2` bounds where one may stand.
        while let bracket = firstIndex(of: 0x5D, in: bytes, from: i, to: bytes.count - 2) {
            if bytes[bracket + 1] == 0x5D && bytes[bracket + 2] == 0x3E { return bracket }
            i = bracket + 1
        }
        return nil
    }

    // MARK: Markup that is skipped

    /// Consumes input up to and including `terminator`, keeping memory bounded.
    private mutating func skip(past terminator: StaticString, opened: SourceLocation, what: String) throws(InputError) {
        let count = terminator.utf8CodeUnitCount
        while true {
            var i = position
            while i + count <= buffer.count {
                if matches(terminator, at: i) {
                    position = i + count
                    return
                }
                i += 1
            }
            position = max(position, buffer.count - count + 1)
            guard try loadMore() != nil else {
                throw malformed(at: buffer.count, "the \(what) opened at \(describe(opened)) is never closed")
            }
        }
    }

    private mutating func skipComment() throws(InputError) {
        let opened = location(at: position)
        position += 4
        try skip(past: "-->", opened: opened, what: "comment")
    }

    private mutating func readProcessingInstruction() throws(InputError) {
        let opened = location(at: position)
        let isDeclaration =
            rootName == nil && matches("<?xml", at: position)
            && (byte(at: position + 5).map(Self.isSpace) ?? false)
        if !isDeclaration {
            position += 2
            try skip(past: "?>", opened: opened, what: "processing instruction")
            return
        }
        var i = position + 5
        while true {
            if i + 1 >= buffer.count {
                guard let shift = try loadMore() else {
                    throw malformed(
                        at: buffer.count, "the XML declaration opened at \(describe(opened)) is never closed")
                }
                i -= shift
                continue
            }
            if buffer[i] == ascii("?") && buffer[i + 1] == ascii(">") { break }
            if i - position > 4096 { throw .malformed(opened, message: "the XML declaration is not closed") }
            i += 1
        }
        let declaration = String(decoding: buffer[position..<i], as: UTF8.self)
        position = i + 2
        if let name = Self.pseudoAttribute("encoding", in: declaration) {
            guard let known = TextEncoding(label: name) else {
                throw .malformed(
                    opened,
                    message: "the file declares encoding “\(name)”; Handraiser reads UTF-8, ISO-8859-1 and Windows-1252"
                )
            }
            encoding = known
        }
    }

    /// The value of `name="…"` in an XML declaration.
    static func pseudoAttribute(_ name: String, in declaration: String) -> String? {
        let text = Array(declaration.utf8)
        let key = Array(name.utf8)
        guard text.count > key.count else { return nil }
        for start in 0..<(text.count - key.count) where text[start..<(start + key.count)].elementsEqual(key) {
            var i = start + key.count
            while i < text.count, isSpace(text[i]) || text[i] == UInt8(ascii: "=") { i += 1 }
            guard i < text.count, text[i] == UInt8(ascii: "\"") || text[i] == UInt8(ascii: "'") else { return nil }
            let quote = text[i]
            var j = i + 1
            while j < text.count, text[j] != quote { j += 1 }
            return String(decoding: text[(i + 1)..<j], as: UTF8.self)
        }
        return nil
    }

    // MARK: Tags

    private mutating func readStartTag() throws(InputError) -> XMLEvent {
        if rootClosed {
            throw malformed(at: position, "a second root element after </\(rootName ?? "")>; a file holds one document")
        }
        if open.count >= limits.maximumDepth {
            throw malformed(at: position, "elements are nested more than \(limits.maximumDepth) deep")
        }
        let tagEnd = try findTagEnd()
        let tagLocation = location(at: position)
        var i = position + 1
        let nameStart = i
        while i < tagEnd, !Self.isSpace(buffer[i]), buffer[i] != ascii("/") { i += 1 }
        let name = String(decoding: buffer[nameStart..<i], as: UTF8.self)
        var selfClosing = false
        var attributes: [(name: String, value: String)] = []
        while i < tagEnd {
            let b = buffer[i]
            if Self.isSpace(b) {
                i += 1
                continue
            }
            if b == ascii("/") && i == tagEnd - 1 {
                selfClosing = true
                break
            }
            guard Self.isNameStart(b) else {
                throw .malformed(tagLocation, message: "<\(name)> has a malformed attribute")
            }
            let attributeStart = i
            while i < tagEnd, !Self.isSpace(buffer[i]), buffer[i] != ascii("=") { i += 1 }
            let attributeName = String(decoding: buffer[attributeStart..<i], as: UTF8.self)
            while i < tagEnd, Self.isSpace(buffer[i]) { i += 1 }
            guard i < tagEnd, buffer[i] == ascii("=") else {
                throw .malformed(tagLocation, message: "the attribute \(attributeName) of <\(name)> has no value")
            }
            i += 1
            while i < tagEnd, Self.isSpace(buffer[i]) { i += 1 }
            guard i < tagEnd, buffer[i] == ascii("\"") || buffer[i] == ascii("'") else {
                throw .malformed(tagLocation, message: "the value of \(attributeName) in <\(name)> is not in quotes")
            }
            let quote = buffer[i]
            i += 1
            let valueStart = i
            while i < tagEnd, buffer[i] != quote { i += 1 }
            guard i < tagEnd else {
                throw .malformed(tagLocation, message: "the value of \(attributeName) in <\(name)> is not closed")
            }
            let value = try attributeValue(from: valueStart, to: i)
            i += 1
            if attributes.count >= limits.maximumAttributes {
                throw .malformed(tagLocation, message: "<\(name)> has more than \(limits.maximumAttributes) attributes")
            }
            attributes.append((attributeName, value))
        }
        position = tagEnd + 1
        if rootName == nil { rootName = name }
        open.append((name, tagLocation))
        if selfClosing { pendingEnd = name }
        return .start(XMLStartTag(name: name, attributes: attributes, location: tagLocation))
    }

    /// The index of the `>` closing the tag at `position`, loading input as needed.
    private mutating func findTagEnd() throws(InputError) -> Int {
        var i = position + 1
        var quote: UInt8 = 0
        while true {
            if i == buffer.count {
                if i - position > limits.maximumTagBytes {
                    throw malformed(at: position, "a tag is longer than \(Self.grouped(limits.maximumTagBytes)) bytes")
                }
                guard let shift = try loadMore() else {
                    let opened = location(at: position)
                    throw malformed(at: buffer.count, "the file ends inside the tag opened at \(describe(opened))")
                }
                i -= shift
                continue
            }
            let b = buffer[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == ascii("\"") || b == ascii("'") {
                quote = b
            } else if b == ascii(">") {
                return i
            } else if b == ascii("<") {
                let opened = location(at: position)
                throw malformed(at: i, "the tag opened at \(describe(opened)) is not closed with “>” before this “<”")
            }
            i += 1
        }
    }

    private mutating func attributeValue(from start: Int, to end: Int) throws(InputError) -> String {
        var out: [UInt8] = []
        var i = start
        while i < end {
            let b = buffer[i]
            if b == ascii("&") {
                i = try reference(at: i, end: end, into: &out)
            } else {
                out.append(Self.isSpace(b) ? ascii(" ") : b)
                i += 1
            }
        }
        return makeString(out)
    }

    private mutating func readEndTag() throws(InputError) -> XMLEvent {
        let tagEnd = try findTagEnd()
        var nameEnd = tagEnd
        while nameEnd > position + 2, Self.isSpace(buffer[nameEnd - 1]) { nameEnd -= 1 }
        let name = String(decoding: buffer[(position + 2)..<nameEnd], as: UTF8.self)
        guard let innermost = open.last else {
            throw malformed(at: position, "</\(name)> closes an element that was never opened")
        }
        guard innermost.name == name else {
            throw malformed(
                at: position,
                "</\(name)> found where </\(innermost.name)> was expected (<\(innermost.name)> opened at \(describe(innermost.location)))"
            )
        }
        position = tagEnd + 1
        open.removeLast()
        if open.isEmpty { rootClosed = true }
        return .end(name: name)
    }

    // MARK: Entities

    /// Decodes the reference starting with `&` at `start` into `out`; returns the index after it.
    /// Something that is not a well-formed reference stays as written.
    private mutating func reference(at start: Int, end: Int, into out: inout [UInt8]) throws(InputError) -> Int {
        var semicolon = start + 1
        let limit = min(end, start + 64)
        while semicolon < limit, buffer[semicolon] != ascii(";") { semicolon += 1 }
        guard semicolon < limit, semicolon > start + 1 else {
            out.append(ascii("&"))
            return start + 1
        }
        let name = buffer[(start + 1)..<semicolon]
        if name.first == ascii("#") {
            if let scalar = Self.characterReference(name.dropFirst()) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                return semicolon + 1
            }
            out.append(ascii("&"))
            return start + 1
        }
        guard let first = name.first, Self.isNameStart(first), name.allSatisfy(Self.isNameByte) else {
            out.append(ascii("&"))
            return start + 1
        }
        if let predefined = Self.predefined(name) {
            out.append(predefined)
            return semicolon + 1
        }
        let key = String(decoding: name, as: UTF8.self)
        if case .text? = entities[key] {
            let at = location(at: start)
            var stack: [String] = []
            let size = try expansionSize(of: key, stack: &stack, at: at)
            if size > limits.maximumEntityExpansionBytes {
                throw .malformed(
                    at,
                    message:
                        "the entity &\(key); would expand to more than \(Self.grouped(limits.maximumEntityExpansionBytes)) bytes; this looks like an entity-expansion attack (“billion laughs”) and is not read"
                )
            }
            if expandedTotal + size > limits.maximumTotalExpansionBytes {
                throw .malformed(
                    at,
                    message:
                        "entity references expand to more than \(Self.grouped(limits.maximumTotalExpansionBytes)) bytes in all; this looks like an entity-expansion attack and is not read"
                )
            }
            expandedTotal += size
            expand(key, into: &out)
            return semicolon + 1
        }
        // External or undeclared: never fetched, kept as written.
        out.append(contentsOf: buffer[start...semicolon])
        return semicolon + 1
    }

    /// The expanded size of an internal entity, stopping early once it passes the limit.
    private mutating func expansionSize(
        of name: String, stack: inout [String], at: SourceLocation
    ) throws(InputError) -> Int {
        if let known = expansionSizes[name] { return known }
        guard case .text(let value)? = entities[name] else { return name.utf8.count + 2 }
        if stack.contains(name) {
            throw .malformed(at, message: "the entity &\(name); refers to itself")
        }
        if stack.count >= limits.maximumEntityNesting {
            throw .malformed(at, message: "entities refer to entities more than \(limits.maximumEntityNesting) deep")
        }
        stack.append(name)
        defer { stack.removeLast() }
        let cap = limits.maximumEntityExpansionBytes + 1
        var size = 0
        var i = 0
        while i < value.count, size < cap {
            if value[i] == ascii("&"), let (reference, next) = Self.entityName(in: value, at: i) {
                if reference.first == "#" {
                    size += 4
                } else if Self.predefined(reference.utf8) != nil {
                    size += 1
                } else {
                    size += try expansionSize(of: reference, stack: &stack, at: at)
                }
                i = next
            } else {
                size += 1
                i += 1
            }
        }
        size = min(size, cap)
        expansionSizes[name] = size
        return size
    }

    private func expand(_ name: String, into out: inout [UInt8]) {
        guard case .text(let value)? = entities[name] else {
            out.append(contentsOf: Array("&\(name);".utf8))
            return
        }
        var i = 0
        while i < value.count {
            if value[i] == ascii("&"), let (reference, next) = Self.entityName(in: value, at: i) {
                if reference.first == "#" {
                    if let scalar = Self.characterReference(Array(reference.utf8.dropFirst())[...]) {
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    }
                } else if let predefined = Self.predefined(reference.utf8) {
                    out.append(predefined)
                } else {
                    expand(reference, into: &out)
                }
                i = next
            } else {
                out.append(value[i])
                i += 1
            }
        }
    }

    private static func entityName(in value: [UInt8], at start: Int) -> (String, Int)? {
        var i = start + 1
        while i < value.count, i - start < 64, value[i] != UInt8(ascii: ";") { i += 1 }
        guard i < value.count, value[i] == UInt8(ascii: ";"), i > start + 1 else { return nil }
        return (String(decoding: value[(start + 1)..<i], as: UTF8.self), i + 1)
    }

    private static func predefined<C: Collection>(_ name: C) -> UInt8? where C.Element == UInt8 {
        switch String(decoding: name, as: UTF8.self) {
        case "lt": UInt8(ascii: "<")
        case "gt": UInt8(ascii: ">")
        case "amp": UInt8(ascii: "&")
        case "quot": UInt8(ascii: "\"")
        case "apos": UInt8(ascii: "'")
        default: nil
        }
    }

    private static func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var digits = digits
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for d in digits {
            let digit: UInt32
            switch d {
            case 0x30...0x39: digit = UInt32(d - 0x30)
            case 0x61...0x66 where radix == 16: digit = UInt32(d - 0x61 + 10)
            case 0x41...0x46 where radix == 16: digit = UInt32(d - 0x41 + 10)
            default: return nil
            }
            value = value * radix + digit
        }
        guard value != 0 else { return "\u{FFFD}" }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    // MARK: DOCTYPE

    fileprivate enum EntityDefinition {
        /// The literal replacement text, references still in it.
        case text([UInt8])
        /// Declared with `SYSTEM` or `PUBLIC`: never read.
        case external
    }

    private mutating func readDoctype() throws(InputError) {
        let opened = location(at: position)
        if rootName != nil {
            throw .malformed(opened, message: "a DOCTYPE inside the document")
        }
        // Find the closing `>`, which may follow an internal subset `[ … ]` with quoted values
        // and comments that hold `>` themselves.
        var i = position + 9
        var quote: UInt8 = 0
        var inSubset = false
        var inComment = false
        while true {
            if i - position > limits.maximumDoctypeBytes {
                throw .malformed(
                    opened, message: "the DOCTYPE is longer than \(Self.grouped(limits.maximumDoctypeBytes)) bytes")
            }
            if i + 3 >= buffer.count, !atEnd {
                if let shift = try loadMore() { i -= shift }
                continue
            }
            guard i < buffer.count else {
                throw malformed(at: buffer.count, "the DOCTYPE opened at \(describe(opened)) is never closed")
            }
            let b = buffer[i]
            if inComment {
                if matches("-->", at: i) {
                    inComment = false
                    i += 3
                    continue
                }
            } else if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == ascii("\"") || b == ascii("'") {
                quote = b
            } else if matches("<!--", at: i) {
                inComment = true
                i += 4
                continue
            } else if b == ascii("[") {
                inSubset = true
            } else if b == ascii("]") {
                inSubset = false
            } else if b == ascii(">") && !inSubset {
                break
            }
            i += 1
        }
        let declaration = Array(buffer[position..<i])
        position = i + 1
        try readEntityDeclarations(declaration, at: opened)
    }

    /// Records the `<!ENTITY …>` declarations of an internal subset; everything else in it is skipped.
    private mutating func readEntityDeclarations(_ doctype: [UInt8], at: SourceLocation) throws(InputError) {
        var i = 0
        let marker = Array("<!ENTITY".utf8)
        while i + marker.count < doctype.count {
            if doctype[i] == ascii("<"), doctype[i..<(i + marker.count)].elementsEqual(marker) {
                i += marker.count
                var fields: [(text: [UInt8], quoted: Bool)] = []
                while i < doctype.count, doctype[i] != ascii(">") {
                    let b = doctype[i]
                    if Self.isSpace(b) {
                        i += 1
                    } else if b == ascii("\"") || b == ascii("'") {
                        var j = i + 1
                        while j < doctype.count, doctype[j] != b { j += 1 }
                        fields.append((Array(doctype[min(i + 1, doctype.count)..<j]), true))
                        i = j + 1
                    } else {
                        var j = i
                        while j < doctype.count, !Self.isSpace(doctype[j]), doctype[j] != ascii(">") { j += 1 }
                        fields.append((Array(doctype[i..<j]), false))
                        i = j
                    }
                }
                try declareEntity(fields, at: at)
            } else if doctype[i] == ascii("<"), doctype[i...].starts(with: Array("<!--".utf8)) {
                i += 4
                while i + 2 < doctype.count, !doctype[i...].starts(with: Array("-->".utf8)) { i += 1 }
                i += 3
            } else {
                i += 1
            }
        }
    }

    private mutating func declareEntity(
        _ fields: [(text: [UInt8], quoted: Bool)], at: SourceLocation
    ) throws(InputError) {
        // Parameter entities (`<!ENTITY % name …>`) only matter inside DTDs, which are not read.
        guard let first = fields.first, !first.quoted, first.text != [ascii("%")] else { return }
        let name = String(decoding: first.text, as: UTF8.self)
        guard fields.count >= 2, entities[name] == nil else { return }
        if entities.count >= limits.maximumEntityDeclarations {
            throw .malformed(at, message: "the DOCTYPE declares more than \(limits.maximumEntityDeclarations) entities")
        }
        if fields[1].quoted {
            entities[name] = .text(fields[1].text)
        } else {
            entities[name] = .external
        }
    }

    // MARK: Characters

    private func makeString(_ bytes: [UInt8]) -> String {
        encoding.decode(bytes)
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A || b >= 0x80
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
    }

    /// `1204, "comment"` → `1,204 comments`, for messages.
    static func counted(_ number: Int, _ noun: String) -> String {
        "\(grouped(number)) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `1204` → `1,204`, for messages.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

/// The character encodings an export may declare and Handraiser decodes.
enum TextEncoding: Sendable {
    case utf8, latin1, windows1252

    init?(label: String) {
        switch label.lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii": self = .utf8
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1": self = .latin1
        case "windows-1252", "cp1252", "x-cp1252": self = .windows1252
        default: return nil
        }
    }

    /// Invalid UTF-8 is repaired with U+FFFD rather than rejected: real exports carry it.
    func decode(_ bytes: [UInt8]) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1, .windows1252:
            var scalars = String.UnicodeScalarView()
            for b in bytes {
                if self == .windows1252, b >= 0x80, b <= 0x9F, let mapped = Self.windows1252High[Int(b - 0x80)] {
                    scalars.append(mapped)
                } else {
                    scalars.append(Unicode.Scalar(b))
                }
            }
            return String(scalars)
        }
    }

    private static let windows1252High: [Unicode.Scalar?] = [
        "€", nil, "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š", "‹", "Œ", nil, "Ž", nil,
        nil, "‘", "’", "“", "”", "•", "–", "—", "˜", "™", "š", "›", "œ", nil, "ž", "Ÿ",
    ]
}

extension InputError {
    /// The same error, with `context` (what was read before the fault) added to a malformed message.
    func adding(context: String) -> InputError {
        if case .malformed(let location, let message) = self {
            return .malformed(location, message: "\(message) (\(context))")
        }
        return self
    }
}
