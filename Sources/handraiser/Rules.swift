import ArgumentParser
import HandraiserKit

extension HandraiserCommand {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Check rule files: run their examples, or lint them.",
            subcommands: [Test.self, Lint.self, Literals.self])

        struct RuleFiles: ParsableArguments {
            @Option(
                name: .customLong("rules"),
                help: ArgumentHelp(
                    "A .cf rule file or folder to check with the defaults (repeatable).", valueName: "path"))
            var paths: [String] = []

            @Flag(help: "Check only the files given with --rules, not the default rules.")
            var noDefaults = false

            func load() throws -> RuleSet {
                var set = noDefaults ? RuleSet() : RuleSet.defaults
                do {
                    if !paths.isEmpty { set.merge(try RuleSet.load(paths: paths)) }
                } catch {
                    Terminal.error("handraiser: \(error)")
                    throw ExitCode(1)
                }
                return set
            }
        }

        struct Test: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "test",
                abstract: "Run every rule's `test NAME hit|miss \"text\"` examples.",
                discussion:
                    "Prints each failing example with its file and line, then a count. Exit status 1 when any example fails."
            )

            @OptionGroup var files: RuleFiles

            func run() throws {
                let results = try files.load().runExamples()
                let failures = results.filter { !$0.passed }
                for failure in failures { Terminal.write(TerminalSafe.clean(failure.diagnostic) + "\n") }
                Terminal.write("\(results.count - failures.count) passed, \(failures.count) failed\n")
                if !failures.isEmpty { throw ExitCode(1) }
            }
        }

        /// For `.ci/embed-rules`: the default rules' required literals as Swift source.
        struct Literals: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "literals",
                abstract: "Print the default rules' required literals as Swift source (for .ci/embed-rules).",
                shouldDisplay: false)

            func run() throws {
                Terminal.write(RuleSet.requiredLiteralsTableSource())
            }
        }

        struct Lint: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "lint",
                abstract: "Report rule-file problems with file and line.",
                discussion:
                    "Finds rules without examples, scores or descriptions, duplicate names, meta rules naming unknown rules, and patterns that do not compile. Exit status 1 when anything is found."
            )

            @OptionGroup var files: RuleFiles

            func run() throws {
                let set = try files.load()
                let known = Set(BuiltInChecks.all.flatMap { $0.findingIDs.keys }).union(
                    TokenModelCheck.declaredFindingIDs.keys)
                let findings = set.lint(knownExternalIDs: known)
                for finding in findings { Terminal.write(TerminalSafe.clean(finding.description) + "\n") }
                Terminal.write("\(set.rules.count) rules, \(findings.count) problem\(findings.count == 1 ? "" : "s")\n")
                if !findings.isEmpty { throw ExitCode(1) }
            }
        }
    }
}
