import Foundation
import Testing

/// Whole outputs of the built binary, compared as a user would see them.
@Suite struct CLIOutputTests {
    @Test func rootHelpDocumentsTheCommandsAndExitStatuses() throws {
        let run = try CLIRun.run(["--help"])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                OVERVIEW: Find the real people in a comment section.

                Reads comment dumps (a blog page's comments pasted as text) and exports (JSON Lines, CSV, WordPress
                WXR, Disqus XML), classifies every comment as spam, held, genuine, pingback or the author's own,
                explains why, and lists the people who deserve a reply.

                EXIT STATUS
                  0   success
                  1   some input could not be read, or a check failed (details on standard error)
                  64  the command line is wrong

                USAGE: handraiser <subcommand>

                OPTIONS:
                  --version               Show the version.
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  scan                    Classify every comment of the inputs and summarise.
                  filter                  Pass comments through, keeping or dropping them by verdict (JSON Lines
                                          out).
                  replies                 List the real people who deserve a personal reply, most important first.
                  rules                   Check rule files: run their examples, or lint them.
                  eval                    Measure verdicts against labelled input.
                  learn                   Learn a token model from labelled comments, for --model.
                  bench                   Measure scanning speed and memory on given files or a generated WordPress
                                          export.

                  See 'handraiser help <subcommand>' for detailed help.

                """)
    }

    @Test func pagesWithoutACommentSectionAreReadWithoutError() throws {
        let run = try CLIRun.run(["scan", "seeds/000_c75ce632b9b74587.txt", "seeds/002_62e5594924bfdf1d.txt"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(
            run.stdout == """
                Mike Michalowicz Shows Us How It’s Done  (seeds/000_c75ce632b9b74587.txt)
                  note: the dump has no comment section
                  no comments

                How micro-marketing can deliver macro results  (seeds/002_62e5594924bfdf1d.txt)
                  note: the dump has no comment section
                  no comments

                0 comments in 2 posts.

                """)
    }
}
