import Foundation
import HandraiserInput
import HandraiserModel

/// Paths and helpers shared by the export readers' tests (WXR, Disqus, CSV, sniffing).
enum ExportFixtures {
    /// The package root, found from this file's path.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static func path(_ relative: String) -> String {
        packageRoot.appendingPathComponent("fixtures").appendingPathComponent(relative).path
    }

    /// A file of the shared dev corpus's `raw/` folder, or nil when the corpus is absent.
    static func corpusRaw(_ name: String) -> String? {
        let path = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/raw/\(name)").path
        return FileManager.default.isReadableFile(atPath: path) ? path : nil
    }

    static func read(
        _ reader: some CommentReader, file: String, options: ReadOptions = ReadOptions()
    ) throws -> CollectingSink {
        var sink = CollectingSink()
        try reader.read(try InputSource(name: file).open(), options: options, into: &sink)
        return sink
    }

    static func read(
        _ reader: some CommentReader, text: String, name: String = "test.xml", options: ReadOptions = ReadOptions()
    ) throws -> CollectingSink {
        var sink = CollectingSink()
        try reader.read(ByteReader(bytes: Array(text.utf8), name: name), options: options, into: &sink)
        return sink
    }

    /// How often `needle` occurs in the file, by a plain byte scan (independent of any XML reading).
    static func count(_ needle: String, inFile path: String) throws -> Int {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let pattern = Array(needle.utf8)
        var count = 0
        var i = 0
        while i + pattern.count <= data.count {
            if data[i] == pattern[0] && data[i..<(i + pattern.count)].elementsEqual(pattern) {
                count += 1
                i += pattern.count
            } else {
                i += 1
            }
        }
        return count
    }

    /// The reader's error as an `InputError`, or nil when it read without one.
    static func error(_ body: () throws -> Void) -> InputError? {
        do {
            try body()
            return nil
        } catch let error as InputError {
            return error
        } catch {
            return .unreadable(file: "?", reason: "\(error)")
        }
    }
}
