import ArgumentParser
import HandraiserKit

@main
struct Handraiser: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Find the real people in a comment section.")
}
