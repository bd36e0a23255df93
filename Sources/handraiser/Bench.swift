import ArgumentParser
import Foundation
import HandraiserKit

extension HandraiserCommand {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure scanning speed and memory on given files or a generated WordPress export.",
            discussion: """
                With no FILE, writes a synthetic WXR export of --wxr-bytes bytes to a temporary \
                file, scans it and deletes it. Build in release mode for real figures: \
                swift build -c release.
                """)

        @OptionGroup var options: ClassifyOptions

        @Option(help: ArgumentHelp("Size of the generated WXR export, e.g. 100M or 1G.", valueName: "size"))
        var wxrBytes: String = "100M"

        @Option(
            help: ArgumentHelp("Keep the generated export at this path instead of a temporary file.", valueName: "path")
        )
        var keep: String?

        @Argument(help: ArgumentHelp("Files to scan instead of a generated export.", valueName: "file"))
        var files: [String] = []

        func validate() throws {
            guard Self.bytes(wxrBytes) != nil else {
                throw ValidationError("'\(wxrBytes)' is not a size; write it like 500M or 1G.")
            }
        }

        static func bytes(_ text: String) -> Int? {
            let units: [Character: Int] = ["K": 1_000, "M": 1_000_000, "G": 1_000_000_000]
            guard let last = text.uppercased().last else { return nil }
            if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
            return Int(text)
        }

        func run() throws {
            var inputs = files
            var generated: String?
            if inputs.isEmpty {
                let path =
                    keep
                    ?? FileManager.default.temporaryDirectory.appendingPathComponent("handraiser-bench-\(getpid()).xml")
                    .path
                let summary = try WXRSynth.write(to: path, approximateBytes: Self.bytes(wxrBytes) ?? 0)
                Terminal.error("generated \(path): \(summary.comments) comments in \(summary.posts) posts")
                inputs = [path]
                if keep == nil { generated = path }
            }
            defer { if let generated { unlink(generated) } }
            let report = try Benchmark.run(files: inputs, settings: options.settings())
            Terminal.write(report.description)
        }
    }
}
