import Foundation
import Testing

/// `handraiser bench`'s command line; the measurements themselves are never run in tests.
@Suite struct BenchCLITests {
    @Test func aMissingCorpusIsSaidPlainlyWithWhatToDo() throws {
        let run = try CLIRun.run(["bench", "--corpus", "/nonexistent/corpus"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr == """
                handraiser: no dev corpus at /nonexistent/corpus (no *.jsonl files there): give its folder with \
                --corpus DIR, or measure a generated WordPress export alone with --wxr-bytes SIZE

                """)
    }

    @Test func aSizeThatIsNotOneIsAUsageError() throws {
        let run = try CLIRun.run(["bench", "--jsonl-bytes", "12X"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("'12X' is not a size; write it like 500M or 1G."))
    }
}
