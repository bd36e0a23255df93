/// A rule file that cannot be used: unreadable, a directive that is not understood, a pattern
/// that does not compile, a meta rule that refers to itself.
///
/// The description reads like a compiler diagnostic, `rules/x.cf:12:7: unknown directive 'bdy'`,
/// so editors and terminals can jump to it. Columns are 1-based and counted in UTF-8 bytes, the
/// unit PCRE2 reports its offsets in.
public struct RuleFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text + ": " + message
    }
}
