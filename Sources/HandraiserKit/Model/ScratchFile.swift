import Foundation

/// A temporary file that exists only while it is open: unlinked as soon as it is made, so
/// nothing is left behind however the run ends (comments can be private). Reads and writes are
/// positioned (`pread`, `pwrite`), so workers may read it at once; for tables of a huge input
/// that would otherwise grow in memory (the near-duplicate index, the input's layout, id places).
public final class ScratchFile: Sendable {
    private let descriptor: Int32

    /// The folder temporary files go in: `TMPDIR`, else `/tmp`.
    public static var folder: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// A new file of `size` zero bytes named after `purpose`, or nil when none can be made.
    public init?(purpose: String, size: Int = 0) {
        var template = Array("\(Self.folder)/handraiser-\(purpose)-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        // Parts of a file never written read as zeros.
        guard size == 0 || ftruncate(descriptor, off_t(size)) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Writes all of `bytes` at `offset`; false on an error (no space left, say).
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            done += written
        }
        return true
    }

    /// Fills all of `bytes` from `offset`; false when the file is shorter or cannot be read.
    public func read(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let count = pread(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }
}
