import Foundation
import HandraiserModel

/// A token model file that cannot be used: unreadable, not a token model, from a newer version,
/// or damaged. The description names the file and, where known, the line.
public struct TokenModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        file + (line.map { ":\($0)" } ?? "") + ": " + message
    }
}

/// The token model file format, version 1: UTF-8 text, one item per line, so a model can be
/// read, diffed and checked by eye.
///
/// ```
/// handraiser-token-model 1
/// # comment lines may appear in the header
/// comments 1507 7738            labelled spam and ham comments learned from
/// strength 0.45                 Robinson's s
/// unknown-probability 0.5       Robinson's x
/// minimum-deviation 0.1         |f(w) - 0.5| a clue needs
/// maximum-clues 150             clues combined per comment
/// tokens 2                      how many token lines follow
/// 12 0 subscribe                spam count, ham count, token (no white space)
/// 0 40 a:ben
/// end                           the last line: a cut-off file is noticed
/// ```
/// Tokens are sorted by their UTF-8 bytes, and numbers are written in Swift's shortest
/// round-trip form, so learning the same inputs gives the same file byte for byte.
extension TokenModel {
    public static let formatName = "handraiser-token-model"
    public static let formatVersion = 1
    /// Larger files are refused before reading: `learn` keeps models to a few megabytes.
    public static let maximumFileSize = 64 << 20

    /// The model in the file format.
    public func encoded() -> String {
        var out = "\(Self.formatName) \(Self.formatVersion)\n"
        out += "# Token model made by `handraiser learn`: per-token counts of labelled spam and ham comments.\n"
        out += "comments \(spamComments) \(hamComments)\n"
        out += "strength \(parameters.strength)\n"
        out += "unknown-probability \(parameters.unknownProbability)\n"
        out += "minimum-deviation \(parameters.minimumDeviation)\n"
        out += "maximum-clues \(parameters.maximumClues)\n"
        out += "tokens \(tokens.count)\n"
        for token in tokens.keys.sorted(by: Self.tokenOrder) {
            guard let counts = tokens[token] else { continue }
            out += "\(counts.spam) \(counts.ham) \(token)\n"
        }
        out += "end\n"
        return out
    }

    /// Writes the model to `path` as an `OutputFile`: whole or not at all, never over one of `inputs`.
    public func write(to path: String, inputs: [String] = []) throws(TokenModelFileError) {
        do {
            try OutputFile.write(encoded(), to: path, inputs: inputs)
        } catch {
            throw TokenModelFileError(file: path, message: error.message)
        }
    }

    /// Reads a model file.
    public static func load(path: String) throws(TokenModelFileError) -> TokenModel {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > maximumFileSize {
            throw TokenModelFileError(
                file: path, message: "\(size) bytes is too large for a token model (limit \(maximumFileSize))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenModelFileError(file: path, message: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(bytes: data, encoding: .utf8) else {
            throw TokenModelFileError(file: path, message: "not a token model: the file is not UTF-8 text")
        }
        return try TokenModel(decoding: text, file: path)
    }

    /// Parses the file format; `file` names the source in errors.
    public init(decoding text: String, file: String) throws(TokenModelFileError) {
        var parser = Parser(text: text, file: file)
        self = try parser.parse()
    }

    private struct Parser {
        let lines: [Substring]
        let file: String
        var index = 0

        init(text: String, file: String) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            self.lines = lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
            self.file = file
        }

        func error(_ message: String, line: Int? = nil) -> TokenModelFileError {
            TokenModelFileError(file: file, line: line ?? index + 1, message: message)
        }

        mutating func parse() throws(TokenModelFileError) -> TokenModel {
            guard let first = lines.first else {
                throw TokenModelFileError(file: file, message: "the file is empty, not a token model")
            }
            let magic = first.split(separator: " ")
            guard magic.count == 2, magic[0] == TokenModel.formatName else {
                throw error(
                    "not a Handraiser token model: the first line should be '\(TokenModel.formatName) \(TokenModel.formatVersion)'"
                )
            }
            guard let version = Int(magic[1]) else { throw error("the format version '\(magic[1])' is not a number") }
            guard version == TokenModel.formatVersion else {
                throw error(
                    "format version \(version) is not readable by this handraiser, which reads version \(TokenModel.formatVersion); learn the model again"
                )
            }
            index = 1

            var comments: (spam: Int, ham: Int)?
            var parameters = TokenModel.Parameters.standard
            var seen: Set<String> = []
            var tokenCount: Int?
            while index < lines.count, tokenCount == nil {
                let line = lines[index]
                defer { index += 1 }
                if line.isEmpty || line.hasPrefix("#") { continue }
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard let keyField = fields.first else { continue }
                let key = String(keyField)
                let values = fields.dropFirst()
                guard seen.insert(key).inserted else { throw error("'\(key)' is given twice") }
                func number(_ range: ClosedRange<Double>) throws(TokenModelFileError) -> Double {
                    guard values.count == 1, let value = Double(values[values.startIndex]), range.contains(value) else {
                        throw error(
                            "'\(key)' needs one number from \(range.lowerBound) to \(range.upperBound), got '\(values.joined(separator: " "))'"
                        )
                    }
                    return value
                }
                switch key {
                case "comments":
                    let counts = values.compactMap { Int($0) }
                    guard values.count == 2, counts.count == 2, counts.allSatisfy({ $0 >= 0 }) else {
                        throw error("'comments' needs two counts (spam, ham), got '\(values.joined(separator: " "))'")
                    }
                    comments = (counts[0], counts[1])
                case "strength": parameters.strength = try number(0.000_001...1_000_000)
                case "unknown-probability": parameters.unknownProbability = try number(0.01...0.99)
                case "minimum-deviation": parameters.minimumDeviation = try number(0...0.49)
                case "maximum-clues": parameters.maximumClues = Int(try number(1...100_000))
                case "tokens":
                    guard values.count == 1, let count = Int(values[values.startIndex]), count >= 0 else {
                        throw error("'tokens' needs the number of token lines, got '\(values.joined(separator: " "))'")
                    }
                    tokenCount = count
                default:
                    throw error("unknown header line '\(key)'")
                }
            }
            guard let comments else { throw error("the header has no 'comments' line", line: index) }
            guard let tokenCount else {
                throw error("the header has no 'tokens' line; the file is cut off", line: index)
            }
            guard lines.count - index >= tokenCount + 1 else {
                throw error(
                    "the header promises \(tokenCount) tokens but the file ends after \(max(lines.count - index, 0)) lines: it is cut off",
                    line: lines.count)
            }

            var tokens: [String: TokenModel.Counts] = [:]
            tokens.reserveCapacity(tokenCount)
            for _ in 0..<tokenCount {
                let line = lines[index]
                let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3, let spam = Int(fields[0]), let ham = Int(fields[1]), !fields[2].isEmpty else {
                    throw error("expected 'SPAM HAM TOKEN' (two counts and a token), got '\(line.prefix(80))'")
                }
                guard spam >= 0, ham >= 0, spam + ham > 0, spam <= comments.spam, ham <= comments.ham else {
                    throw error(
                        "counts \(spam) \(ham) do not fit the \(comments.spam) spam and \(comments.ham) ham comments the model learned from"
                    )
                }
                let token = String(fields[2])
                guard tokens.updateValue(TokenModel.Counts(spam: spam, ham: ham), forKey: token) == nil else {
                    throw error("the token '\(token)' is listed twice")
                }
                index += 1
            }
            guard lines[index] == "end" else {
                throw error(
                    "expected 'end' after \(tokenCount) tokens, got '\(lines[index].prefix(80))'; the token count does not match"
                )
            }
            index += 1
            if let extra = lines[index...].firstIndex(where: { !$0.isEmpty }) {
                throw error("unexpected text after 'end'", line: extra + 1)
            }
            return TokenModel(
                spamComments: comments.spam, hamComments: comments.ham, tokens: tokens, parameters: parameters)
        }
    }
}
