import Foundation
import HandraiserModel

/// A file to read, or standard input (`-`).
public struct InputSource: Sendable, Hashable {
    /// The name as the user gave it; `-` is standard input.
    public var name: String
    /// What readers call the input in locations, errors and titles taken from the file name:
    /// `name`, unless the file at `name` is a temporary copy of another input (standard input).
    public var shownName: String

    public init(name: String) {
        self.init(name: name, shownName: name)
    }

    public init(name: String, shownName: String) {
        self.name = name
        self.shownName = shownName
    }

    public var isStandardInput: Bool { name == "-" }

    /// Opens the source for streaming reads; an unreadable path throws `InputError.unreadable`.
    public func open() throws(InputError) -> ByteReader {
        if isStandardInput {
            return ByteReader(fileDescriptor: FileHandle.standardInput.fileDescriptor, name: name, owned: false)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) else {
            throw InputError.unreadable(file: name, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError.unreadable(file: name, reason: "it is a directory") }
        let fd = Foundation.open(name, O_RDONLY)
        guard fd >= 0 else { throw InputError.unreadable(file: name, reason: String(cString: strerror(errno))) }
        return ByteReader(fileDescriptor: fd, name: shownName, owned: true)
    }
}

/// Reads a file descriptor in chunks: peeking for format sniffing, then lines or raw chunks.
///
/// Memory stays bounded by the chunk size plus the longest line, whatever the file size.
public final class ByteReader {
    public let name: String
    private let fd: Int32
    private let owned: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    /// The whole input of a reader over bytes in memory, kept so it can seek.
    private let memory: [UInt8]?
    /// Bytes consumed before `buffer[position]`.
    public private(set) var offset = 0
    /// 1-based number of the next line `nextLine()` returns.
    public private(set) var lineNumber = 1
    public static let chunkSize = 1 << 16
    /// Where `fill()` reads to before the bytes join `buffer`.
    private var chunk: [UInt8] = []
    /// The first kilobyte of the line `skipLine()` last read past, to quote it in a report.
    public private(set) var skippedLinePrefix = ""

    init(fileDescriptor: Int32, name: String, owned: Bool) {
        self.fd = fileDescriptor
        self.name = name
        self.owned = owned
        self.memory = nil
    }

    /// A reader over bytes already in memory (tests, and readers that must look twice).
    public init(bytes: [UInt8], name: String) {
        self.fd = -1
        self.name = name
        self.owned = false
        self.buffer = bytes
        self.atEOF = true
        self.memory = bytes
    }

    deinit {
        if owned { close(fd) }
    }

    /// Reads more bytes into the buffer; false at end of input.
    private func fill() throws(InputError) -> Bool {
        if atEOF { return false }
        if position > 0 && position >= buffer.count / 2 {
            if buffer.capacity > 16 * Self.chunkSize {
                // After a long line: let its storage go rather than keep it for the short ones.
                buffer = Array(buffer[position...])
            } else {
                buffer.removeFirst(position)
            }
            position = 0
        }
        // One chunk per reader, reused: a new one each time would be allocated and zeroed per read.
        if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: Self.chunkSize) }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, Self.chunkSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError.unreadable(file: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 {
                atEOF = true
                return false
            }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    /// Up to `count` bytes from the current position, without consuming them.
    public func peek(_ count: Int) throws(InputError) -> ArraySlice<UInt8> {
        while buffer.count - position < count, try fill() {}
        return buffer[position..<min(buffer.count, position + count)]
    }

    /// The next chunk of raw bytes, or nil at the end (for streaming parsers).
    public func nextChunk() throws(InputError) -> ArraySlice<UInt8>? {
        if position >= buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
            guard try fill() else { return nil }
        }
        let chunk = buffer[position...]
        offset += chunk.count
        position = buffer.count
        return chunk
    }

    /// The next line without its terminator (`\n` or `\r\n`), as raw bytes, or nil at the end.
    /// A line longer than `maximumLength` bytes throws `InputError.lineTooLong`.
    public func nextLineBytes(maximumLength: Int = 256 << 20) throws(InputError) -> ArraySlice<UInt8>? {
        var searchFrom = position
        while true {
            if let newline = Self.firstNewline(in: buffer, from: searchFrom) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[position..<end]
                offset += newline + 1 - position
                position = newline + 1
                lineNumber += 1
                return line
            }
            if buffer.count - position > maximumLength {
                throw InputError.lineTooLong(
                    SourceLocation(file: name, line: lineNumber, byteOffset: offset), limit: maximumLength)
            }
            searchFrom = buffer.count
            let consumed = position
            guard try fill() else { break }
            searchFrom -= consumed - position
        }
        guard position < buffer.count else { return nil }
        var end = buffer.count
        if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = buffer[position..<end]
        offset += buffer.count - position
        position = buffer.count
        lineNumber += 1
        return line
    }

    /// The index of the first `\n` in `bytes` at or after `start`: `memchr`, which looks at many
    /// bytes a step where a loop over the slice looks at one.
    private static func firstNewline(in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base + start, 0x0A, buffer.count - start) else {
                return nil
            }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Reads past the line `nextLineBytes` found too long, without holding it: what is buffered
    /// of it is let go and the rest read through in chunks, up to the next line.
    public func skipLine() throws(InputError) {
        skippedLinePrefix = String(decoding: buffer[position..<min(buffer.count, position + 1024)], as: UTF8.self)
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                offset += newline + 1 - position
                position = newline + 1
                lineNumber += 1
                return
            }
            offset += buffer.count - position
            buffer = []
            position = 0
            guard try fill() else {
                lineNumber += 1
                return
            }
        }
    }

    /// True when `seek(toOffset:lineNumber:)` works: a regular file or bytes in memory, not a pipe.
    public var isSeekable: Bool { memory != nil || lseek(fd, 0, SEEK_CUR) >= 0 }

    /// Moves to byte `offset` of the input, whose line is `lineNumber` (as a first pass saw
    /// them), so a reader can come back to a record it located earlier. Only regular files and
    /// readers over bytes in memory can seek; standard input throws.
    public func seek(toOffset offset: Int, lineNumber: Int) throws(InputError) {
        if offset == self.offset {
            self.lineNumber = lineNumber
            return
        }
        // Still in the buffer: no system call, and the bytes read ahead stay useful.
        let ahead = offset - self.offset
        if ahead > 0, ahead <= buffer.count - position {
            position += ahead
        } else if let memory {
            guard offset >= 0, offset <= memory.count else {
                throw InputError.unreadable(file: name, reason: "cannot seek to byte \(offset)")
            }
            buffer = Array(memory[offset...])
            position = 0
        } else {
            guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
                throw InputError.unreadable(file: name, reason: "cannot seek to byte \(offset)")
            }
            buffer.removeAll(keepingCapacity: true)
            position = 0
            atEOF = false
        }
        self.offset = offset
        self.lineNumber = lineNumber
    }

    /// The line that starts at byte `offset`, without its terminator, read without moving this
    /// reader or dropping what it has read ahead: for coming back to one record located earlier
    /// while reading elsewhere. Nil past the end; standard input throws.
    public func line(atOffset offset: Int, maximumLength: Int = 256 << 20) throws(InputError) -> ArraySlice<UInt8>? {
        var line: [UInt8]
        if let memory {
            guard offset >= 0, offset < memory.count else { return nil }
            let end = memory[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? memory.count
            line = Array(memory[offset..<end])
        } else {
            line = []
            // Records are mostly short: read a little, and more only while the line goes on.
            var chunk = [UInt8](repeating: 0, count: 4096)
            var at = offset
            var readAny = false
            while true {
                let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw InputError.unreadable(file: name, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                readAny = true
                if let newline = chunk[0..<n].firstIndex(of: UInt8(ascii: "\n")) {
                    line.append(contentsOf: chunk[0..<newline])
                    break
                }
                line.append(contentsOf: chunk[0..<n])
                at += n
                if line.count > maximumLength {
                    throw InputError.lineTooLong(SourceLocation(file: name, byteOffset: offset), limit: maximumLength)
                }
                if chunk.count < 1 << 20 { chunk = [UInt8](repeating: 0, count: chunk.count * 4) }
            }
            if !readAny { return nil }
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line[...]
    }

    /// Everything that is left (for formats read whole, such as text dumps).
    public func readAll(maximumBytes: Int = 1 << 30) throws(InputError) -> [UInt8] {
        while try fill() {
            if buffer.count - position > maximumBytes {
                throw InputError.tooLarge(file: name, limit: maximumBytes)
            }
        }
        let rest = Array(buffer[position...])
        offset += rest.count
        position = buffer.count
        return rest
    }
}
