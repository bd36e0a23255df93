import Foundation
import Testing

/// HTML reports rendered by a real browser: hostile comment text must show as text, run nothing,
/// and the page must fit a phone screen.
@Suite struct HTMLRenderingTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func browser(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(chromium))
        // A profile folder of its own: two Chromiums sharing the default one (tests run in
        // parallel) make the second exit without rendering.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-chromium-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=\(profile.path)",
            ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func page(_ arguments: [String]) throws -> URL {
        let run = try CLIRun.run(arguments)
        #expect(run.status == 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-\(getpid())-\(arguments[0]).html")
        try Data(run.stdout.utf8).write(to: url)
        return url
    }

    @Test(
        .enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium); HTML not rendered"),
        arguments: [
            ["scan", "--output", "html", "fixtures/hostile/comment-page.txt"],
            ["replies", "--output", "html", "fixtures/hostile/comment-page.txt"],
        ])
    func hostileTextIsInertInTheBrowser(arguments: [String]) throws {
        let url = try Self.page(arguments)
        let dom = try Self.browser(["--dump-dom", url.absoluteString])
        // Had any script or event handler run, the title would say so.
        #expect(!dom.contains("<title>pwned</title>"))
        #expect(!dom.lowercased().contains("<script"))
        #expect(!dom.contains("<img"))
        #expect(!dom.contains("<a href=\"javascript:"))
        // The comment text is on the page, as text.
        #expect(dom.contains("rye bread"))
        if arguments[0] == "scan" {
            #expect(
                dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;") || dom.contains("&lt;script&gt;"))
        }
    }

    @Test(.enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium); no screenshot taken"))
    func theScanReportFitsAPhoneScreen() throws {
        let url = try Self.page(["scan", "--output", "html", "seeds/001_93fc104830a6439d.txt"])
        let screenshot = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-\(getpid())-phone.png")
        _ = try Self.browser([
            "--screenshot=\(screenshot.path)", "--window-size=412,915", "--hide-scrollbars", url.absoluteString,
        ])
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // The PNG header holds the width at bytes 16–19: the page was laid out at phone width.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 412)
        // A page that rendered text is not one flat colour: a blank screenshot compresses to almost nothing.
        #expect(png.count > 20_000)
    }
}
