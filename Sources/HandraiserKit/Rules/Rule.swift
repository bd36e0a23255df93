import HandraiserMatching
import HandraiserModel

/// A comment field a `header` rule can test.
public enum HeaderField: String, Sendable, Hashable, CaseIterable {
    case author, email, url, ip
    case postTitle = "post_title"

    /// Accepts the rule-file names and the JSON Lines field names (`author_email`, …).
    public init?(ruleFileName name: String) {
        switch name.lowercased() {
        case "author", "name", "author_name": self = .author
        case "email", "author_email", "e-mail": self = .email
        case "url", "author_url": self = .url
        case "ip", "author_ip": self = .ip
        case "post_title", "title": self = .postTitle
        default: return nil
        }
    }

    /// The field evidence points into.
    public var commentField: CommentField {
        switch self {
        case .author: .author
        case .email: .email
        case .url: .url
        case .ip: .ip
        case .postTitle: .postTitle
        }
    }
}

/// One rule of a `.cf` file.
public struct Rule: Sendable, Hashable {
    /// What a rule tests.
    public enum Kind: Sendable, Hashable {
        /// The normalised plain text of the comment.
        case body
        /// The comment as given, HTML and all.
        case rawbody
        /// One field; `negated` is the `!~` form, which hits when the field does not match
        /// (an absent field counts as empty, as SpamAssassin treats a missing header).
        case header(HeaderField, negated: Bool)
        /// Every URL found in the comment, one at a time.
        case uri
        /// A boolean or arithmetic combination of other rules and built-in check ids.
        case meta(MetaExpression)
        /// A WordPress "Disallowed Comment Keys" entry: the pattern tested case-insensitively
        /// against the raw content, author, e-mail, URL and IP, as WordPress does.
        case disallowedKey
    }

    /// The rule id, e.g. `HR_LEGAL_SEO`. Ids starting with `__` are sub-rules that score nothing.
    public var name: String
    public var kind: Kind
    /// The PCRE2 pattern without delimiters or flags; empty for meta rules.
    public var pattern: String
    public var options: PatternOptions
    /// The rule's right-hand side as written (`/re/i`, `author =~ /re/`, `(A && B)`).
    public var source: String
    public var location: SourceLocation

    public init(
        name: String, kind: Kind, pattern: String = "", options: PatternOptions = PatternOptions(), source: String,
        location: SourceLocation
    ) {
        self.name = name
        self.kind = kind
        self.pattern = pattern
        self.options = options
        self.source = source
        self.location = location
    }

    /// Sub-rules (`__NAME`) feed meta rules and never score.
    public var isSubrule: Bool { name.hasPrefix("__") }

    /// The directive that defines this kind of rule in a `.cf` file.
    public var directive: String {
        switch kind {
        case .body: "body"
        case .rawbody: "rawbody"
        case .header: "header"
        case .uri: "uri"
        case .meta: "meta"
        case .disallowedKey: "disallowed-key"
        }
    }

    var metaExpression: MetaExpression? {
        if case .meta(let expression) = kind { return expression }
        return nil
    }
}

/// A `test NAME hit|miss "text"` line: an example the rule must (or must not) fire on.
///
/// For body, rawbody and meta rules the text is the comment; for header rules it is the field's
/// value, for uri rules the URL. Optional `field="value"` pairs after the text fill other fields
/// (`author`, `email`, `url`, `ip`, `post_title`), `uri="…"` adds a URL and `facts="ID ID"`
/// names built-in check findings, so meta rules can be exercised.
public struct RuleExample: Sendable, Hashable {
    public enum Expectation: String, Sendable, Hashable { case hit, miss }

    public var ruleID: String
    public var expectation: Expectation
    public var text: String
    public var fields: [HeaderField: String]
    public var uris: [String]
    public var facts: Set<String>
    public var location: SourceLocation

    public init(
        ruleID: String, expectation: Expectation, text: String, fields: [HeaderField: String] = [:],
        uris: [String] = [],
        facts: Set<String> = [], location: SourceLocation
    ) {
        self.ruleID = ruleID
        self.expectation = expectation
        self.text = text
        self.fields = fields
        self.uris = uris
        self.facts = facts
        self.location = location
    }
}
