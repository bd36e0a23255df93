import Foundation

/// Why an output file could not be written, naming the file.
public struct OutputFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

/// An output file that appears whole or not at all.
///
/// The text goes to a new temporary file beside the destination (made by `mkstemp`, so a file
/// or link planted under a guessable name is never written through), which is flushed to disk
/// and renamed over the destination only by `commit()`. A run that fails, or is interrupted by
/// SIGINT, SIGTERM, SIGHUP or SIGPIPE, removes the temporary file and leaves an existing
/// destination byte for byte as it was. A new file is private to the user (0600, as comments
/// carry e-mail and IP addresses); a file it replaces keeps its permission bits. A symbolic link
/// at the destination is replaced by the file, never written through. A destination that is a
/// device, pipe or socket (`/dev/null`, `/dev/stdout`) is written directly, as there is nothing
/// there to keep. A destination that is one of the run's inputs (or a link to one) is refused.
public final class OutputFile {
    /// The destination, as given.
    public let path: String
    /// Where the text goes until `commit()`; equal to `path` for a device or pipe.
    public let temporaryPath: String
    private let handle: UnsafeMutablePointer<FILE>
    private let isDirect: Bool
    private var finished = false
    /// The `errno` of the first write that failed, so the message names that fault.
    private var writeError: Int32?

    private init(path: String, temporaryPath: String, handle: UnsafeMutablePointer<FILE>, isDirect: Bool) {
        self.path = path
        self.temporaryPath = temporaryPath
        self.handle = handle
        self.isDirect = isDirect
    }

    /// Opens `path` for writing. `inputs` are the run's input files (`-` for standard input):
    /// a destination that is the same file as one of them is refused before anything is read.
    public static func create(_ path: String, inputs: [String] = []) throws(OutputFileError) -> OutputFile {
        guard !path.isEmpty else { throw OutputFileError(file: path, message: "an output file needs a name") }
        var target = stat()
        let exists = stat(path, &target) == 0
        if exists {
            for input in inputs where Self.isSameFile(target, as: input) {
                throw OutputFileError(
                    file: path,
                    message: input == "-"
                        ? "is also the input (standard input reads it); write the output to another file"
                        : "is also an input (\(input)); write the output to another file")
            }
            switch target.st_mode & S_IFMT {
            case S_IFDIR:
                throw OutputFileError(file: path, message: "is a folder; give a file name")
            case S_IFCHR, S_IFIFO, S_IFSOCK:
                // /dev/null, /dev/stdout, a named pipe: nothing to keep, and renaming over it would be wrong.
                guard let handle = fopen(path, "w") else { throw Self.failure(path) }
                return OutputFile(path: path, temporaryPath: path, handle: handle, isDirect: true)
            default: break
            }
        }
        let name = (path as NSString).lastPathComponent
        let directory = (path as NSString).deletingLastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/.\(name).XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw Self.failure(path) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var link = stat()
        let isLink = lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK
        if exists && !isLink && target.st_mode & S_IFMT == S_IFREG {
            _ = fchmod(descriptor, target.st_mode & 0o777)
        }
        guard let handle = fdopen(descriptor, "w") else {
            let error = Self.failure(path)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        InterruptCleanup.register(temporary)
        return OutputFile(path: path, temporaryPath: temporary, handle: handle, isDirect: false)
    }

    /// The input that standard output writes to, if any (`handraiser filter a.jsonl >> a.jsonl`
    /// would read its own output): a run must refuse it before reading anything.
    public static func inputWrittenByStandardOutput(_ inputs: [String]) -> String? {
        var output = stat()
        guard fstat(STDOUT_FILENO, &output) == 0, output.st_mode & S_IFMT == S_IFREG else { return nil }
        return inputs.first { isSameFile(output, as: $0) }
    }

    /// Whether `input` names the file `target` describes (for `-`, what standard input reads).
    private static func isSameFile(_ target: stat, as input: String) -> Bool {
        var other = stat()
        let found = input == "-" ? fstat(STDIN_FILENO, &other) == 0 : stat(input, &other) == 0
        return found && other.st_dev == target.st_dev && other.st_ino == target.st_ino
            && target.st_mode & S_IFMT == S_IFREG
    }

    private static func failure(_ path: String) -> OutputFileError {
        OutputFileError(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write($0) }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !finished, bytes.count > 0 else { return }
        if fwrite(bytes.baseAddress, 1, bytes.count, handle) != bytes.count, writeError == nil { writeError = errno }
    }

    /// Makes the file appear at `path`: flushed, synced to disk and renamed into place. On any
    /// failure (a full disk included) the temporary file is removed and the destination is left as it was.
    public func commit() throws(OutputFileError) {
        guard !finished else { return }
        finished = true
        var fault = writeError
        if fault == nil && (fflush(handle) != 0 || ferror(handle) != 0) { fault = errno }
        if fault == nil && !isDirect && fsync(fileno(handle)) != 0 { fault = errno }
        if fclose(handle) != 0 && fault == nil { fault = errno }
        if fault == nil && !isDirect && rename(temporaryPath, path) != 0 { fault = errno }
        if !isDirect {
            if fault != nil { unlink(temporaryPath) }
            InterruptCleanup.unregister(temporaryPath)
        }
        if let fault {
            throw OutputFileError(file: path, message: "cannot write: \(String(cString: strerror(fault)))")
        }
    }

    /// Gives up: the temporary file is removed and the destination left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        fclose(handle)
        if !isDirect {
            unlink(temporaryPath)
            InterruptCleanup.unregister(temporaryPath)
        }
    }

    deinit { discard() }

    /// Writes `text` to `path` as one output file.
    public static func write(_ text: String, to path: String, inputs: [String] = []) throws(OutputFileError) {
        let file = try create(path, inputs: inputs)
        file.write(text)
        try file.commit()
    }
}

/// Removes temporary files (of output files not yet committed, of standard input's spooled copy)
/// still there when the process is ended by SIGINT, SIGTERM, SIGHUP or SIGPIPE, then lets the
/// signal end it as it would have. Up to 16 files at once are looked after.
///
/// The handler only reads a fixed table of C strings and calls `unlink`, `signal` and `raise`,
/// which are async-signal-safe.
public enum InterruptCleanup {
    static let capacity = 16
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]
    nonisolated(unsafe) private static let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
        capacity: capacity)
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()

    /// Removes `path` should a signal end the process before `unregister(path)`.
    public static func register(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if !installed {
            table.initialize(repeating: nil, count: capacity)
            for signal in signals { installHandler(signal) }
            installed = true
        }
        for slot in 0..<capacity where table[slot] == nil {
            table[slot] = strdup(path)
            return
        }
    }

    public static func unregister(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        guard installed else { return }
        for slot in 0..<capacity {
            guard let entry = table[slot], String(cString: entry) == path else { continue }
            table[slot] = nil
            free(entry)
        }
    }

    /// Removes every file still looked after (the process is about to end without a signal).
    public static func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        guard installed else { return }
        for slot in 0..<capacity {
            guard let entry = table[slot] else { continue }
            unlink(entry)
            table[slot] = nil
            free(entry)
        }
    }

    /// Ends the process as SIGPIPE does by default, after removing the files looked after: for a
    /// write to a closed pipe when SIGPIPE was ignored by whoever started the process.
    public static func endAsBrokenPipe() -> Never {
        removeAll()
        signal(SIGPIPE, SIG_DFL)
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        pthread_sigmask(SIG_UNBLOCK, &pipeOnly, nil)
        raise(SIGPIPE)
        exit(141)
    }

    private static func installHandler(_ number: Int32) {
        var action = sigaction()
        #if os(Linux)
            action.__sigaction_handler.sa_handler = interrupted
        #else
            action.__sigaction_u.__sa_handler = interrupted
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        sigaction(number, nil, &previous)
        // A signal the parent asked to ignore (nohup, SIGPIPE ignored) stays ignored.
        #if os(Linux)
            let ignored = unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == 1
        #else
            let ignored = unsafeBitCast(previous.__sigaction_u.__sa_handler, to: Int.self) == 1
        #endif
        if !ignored { sigaction(number, &action, nil) }
    }

    private static let interrupted: @convention(c) (Int32) -> Void = { number in
        for slot in 0..<InterruptCleanup.capacity {
            if let entry = InterruptCleanup.table[slot] { unlink(entry) }
        }
        signal(number, SIG_DFL)
        raise(number)
    }
}
