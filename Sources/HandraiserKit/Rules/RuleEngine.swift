import Foundation
import HandraiserMatching
import HandraiserModel

/// What rules look at for one comment.
public struct RuleInput: Sendable {
    /// The normalised plain text (`body` rules).
    public var body: String
    /// The content as given, possibly HTML (`rawbody` rules).
    public var rawbody: String
    /// Header fields by rule-file name: `author`, `email`, `url`, `ip`, `post_title`.
    public var fields: [String: String]
    /// Every URL found in the text and the fields (`uri` rules).
    public var uris: [String]

    public init(body: String, rawbody: String? = nil, fields: [String: String] = [:], uris: [String] = []) {
        self.body = body
        self.rawbody = rawbody ?? body
        self.fields = fields
        self.uris = uris
    }

    func value(of field: HeaderField) -> String? {
        fields[field.rawValue]
    }
}

/// A rule that fired.
public struct RuleHit: Sendable, Hashable {
    public var id: String
    public var description: String
    /// 0 for `__` sub-rules, which callers hide.
    public var score: Double
    /// The matched span; for uri rules the field is `.uri`, the range is into the URL and the
    /// excerpt is the whole URL. Meta rules carry the evidence of their first operand that has one.
    public var evidence: Evidence?

    public init(id: String, description: String, score: Double, evidence: Evidence?) {
        self.id = id
        self.description = description
        self.score = score
        self.evidence = evidence
    }
}

/// A rule that could not be applied to one comment (a PCRE2 limit was hit); the other rules ran.
public struct RuleRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var ruleID: String
    public var location: SourceLocation
    public var message: String
    /// True when the match stopped at a resource limit (catastrophic backtracking).
    public var isLimit: Bool

    public init(ruleID: String, location: SourceLocation, message: String, isLimit: Bool) {
        self.ruleID = ruleID
        self.location = location
        self.message = message
        self.isLimit = isLimit
    }

    public var description: String { "\(location): rule \(ruleID) not applied: \(message)" }
}

/// The rules that fired on one comment, in rule-file order, and the rules that failed.
public struct RuleEvaluation: Sendable {
    public var hits: [RuleHit]
    public var errors: [RuleRuntimeError]

    public init(hits: [RuleHit] = [], errors: [RuleRuntimeError] = []) {
        self.hits = hits
        self.errors = errors
    }

    /// The hit of rule `id`, if it fired.
    public func hit(_ id: String) -> RuleHit? { hits.first { $0.id == id } }
}

/// A rule set compiled for matching: every pattern compiled (and JIT-compiled) once, meta rules
/// put in dependency order. Share one engine between threads; give each thread its own `MatchScratch`.
public final class RuleEngine: Sendable {
    public let ruleSet: RuleSet
    public let limits: MatchLimits
    private let compiled: [CompiledRule]
    /// Indices of meta rules, each after every meta rule it refers to.
    private let metaOrder: [Int]
    /// The pattern rules (not metas) that run whatever the prefilter saw, in file order:
    /// every pattern rule when there is no prefilter, else those without literals. With and
    /// without the `__` sub-rules, which run only when a meta asks unless all are wanted.
    private let unfilteredPatterns: (scoring: [Int], all: [Int])
    /// Meta rules in `metaOrder` without the `__` sub-rules.
    private let scoringMetaOrder: [Int]
    /// Per rule, whether it is a `__` sub-rule (read for every marked rule of every comment).
    private let isSubrule: [Bool]
    /// The required literals of every pattern rule that has them, in one automaton.
    private let prefilter: LiteralAutomaton?
    /// Whether a disallowed-key rule is prefiltered, so the author fields need a scan too.
    private let prefiltersFields: Bool
    /// Per rule, where its branches' marks start among the prefilter's owners (-1: no branches).
    private let branchStart: [Int]

    /// Total time the pattern rules may take on one comment. PCRE2's limits bound each match;
    /// this bounds their sum, so thousands of slow user rules cannot stall a scan. When it is
    /// used up the remaining pattern rules are skipped, and so are sub-rules a meta rule asks for
    /// later (one `timeBudgetID` error says how many were left),
    /// and meta rules and the verdict use what ran.
    public let timeBudget: Duration
    /// The rule id of the error that reports rules skipped for want of time.
    public static let timeBudgetID = "HR_TIME_BUDGET"
    public static let standardTimeBudget = Duration.seconds(2)

    /// Compiles `ruleSet`; a pattern that does not compile or a meta rule that depends on itself
    /// is an error naming the rule's file and line. `prefilter: false` runs every pattern on
    /// every comment (for measuring what the literal prefilter saves).
    ///
    /// `workers` threads compile the rules at once (compiling and reading out the literals are
    /// most of a one-comment run's time); the result and any error are the same for every count.
    ///
    /// `compilingWhenNeeded` compiles each prefiltered pattern when a comment first needs it, for
    /// rule sets known to compile (the embedded defaults, which a test compiles): a one-comment
    /// run then compiles only the rules the prefilter lets through.
    public init(
        _ ruleSet: RuleSet, limits: MatchLimits = .standard, prefilter: Bool = true,
        timeBudget: Duration = RuleEngine.standardTimeBudget, workers: Int = 1, compilingWhenNeeded: Bool = false
    ) throws(RuleFileError) {
        self.ruleSet = ruleSet
        self.limits = limits
        self.timeBudget = timeBudget
        // A rule defined again replaces the first definition in its place; every definition is
        // compiled, so a bad pattern is reported even where a later one overrides it.
        var indexByName: [String: Int] = [:]
        for rule in ruleSet.rules where indexByName[rule.name] == nil { indexByName[rule.name] = indexByName.count }
        let results = ParallelMap.map(ruleSet.rules, workers: workers) { rule in
            Result { () throws(RuleFileError) in
                try CompiledRule(
                    rule, in: ruleSet, indexByName: indexByName, compilingWhenNeeded: compilingWhenNeeded,
                    splittingBranches: prefilter)
            }
        }
        var slots = [CompiledRule?](repeating: nil, count: indexByName.count)
        // In file order, so the error is the first bad rule's whatever the threads did.
        for (rule, result) in zip(ruleSet.rules, results) {
            guard let index = indexByName[rule.name] else { continue }
            slots[index] = try result.get()
        }
        let compiled = slots.compactMap { $0 }
        self.compiled = compiled
        self.metaOrder = try Self.orderMetaRules(compiled, indexByName: indexByName)
        // Owners of the prefilter's literals: the rules, then every branch of a rule that splits.
        var literals = compiled.map { $0.literals ?? [] }
        var branchStart = [Int](repeating: -1, count: compiled.count)
        for (index, rule) in compiled.enumerated() {
            guard let branches = rule.branches else { continue }
            branchStart[index] = literals.count
            literals += branches.branches.map { $0.literals ?? [] }
        }
        self.branchStart = branchStart
        let automaton = prefilter && literals.contains { !$0.isEmpty } ? LiteralAutomaton(literals: literals) : nil
        self.prefilter = automaton
        let unfiltered = compiled.indices.filter {
            compiled[$0].program == nil && (automaton == nil || compiled[$0].literals == nil)
        }
        self.unfilteredPatterns = (unfiltered.filter { !compiled[$0].isSubrule }, unfiltered)
        self.scoringMetaOrder = metaOrder.filter { !compiled[$0].isSubrule }
        self.isSubrule = compiled.map(\.isSubrule)
        self.prefiltersFields = compiled.contains { $0.literals != nil && $0.prefilterFields & Self.inFields != 0 }
    }

    /// Set once `RuleSet.prepareDefaults` ran: only then is `preparedDefaults` worth building.
    static let defaultsArePrepared = LockedValue(false)

    /// The embedded defaults compiled with the standard limits, by the thread that
    /// `RuleSet.prepareDefaults` starts (nil if they do not compile; the caller then reports it).
    static let preparedDefaults: RuleEngine? = try? RuleEngine(
        RuleSet.defaults, workers: ProcessInfo.processInfo.activeProcessorCount, compilingWhenNeeded: true)

    /// The engine for `ruleSet` and `limits` when `RuleSet.prepareDefaults` is compiling it
    /// already: the embedded defaults unchanged, with the standard limits.
    public static func prepared(for ruleSet: RuleSet, limits: MatchLimits) -> RuleEngine? {
        guard defaultsArePrepared.withLock({ $0 }), limits == .standard, ruleSet.compilesLike(RuleSet.defaults)
        else { return nil }
        return preparedDefaults
    }

    /// How many pattern rules run only on text holding one of their literals, of how many.
    public var prefilterCoverage: (prefiltered: Int, patterns: Int) {
        let patterns = compiled.filter(\.hasPattern)
        return (prefilter == nil ? 0 : patterns.filter { $0.literals != nil }.count, patterns.count)
    }

    // Where a prefiltered rule's literals were seen.
    static let inBody: UInt8 = 1
    static let inRawbody: UInt8 = 2
    static let inFields: UInt8 = 4

    /// Per rule, where its literals occur in `input` (0: nowhere, so a prefiltered rule cannot
    /// match); then the same for each branch (`branchStart`).
    fileprivate func literalMarks(_ input: RuleInput, _ prefilter: LiteralAutomaton) -> [UInt8] {
        var marks = [UInt8](repeating: 0, count: prefilter.ownerCount)
        prefilter.scan(input.body, flag: Self.inBody, into: &marks)
        if input.rawbody == input.body {
            for index in marks.indices where marks[index] != 0 { marks[index] |= Self.inRawbody }
        } else {
            prefilter.scan(input.rawbody, flag: Self.inRawbody, into: &marks)
        }
        if prefiltersFields {
            for field in [HeaderField.author, .email, .url, .ip] {
                if let value = input.value(of: field) { prefilter.scan(value, flag: Self.inFields, into: &marks) }
            }
        }
        return marks
    }

    /// Runs the rules on `input`. `facts` are the ids of built-in check findings that fired;
    /// meta rules may use them as operands.
    ///
    /// Every scoring rule runs. A `__` sub-rule scores nothing and is only an operand, so it
    /// runs when a meta rule's value needs it: `A && __B` does not match `__B` when `A` missed
    /// (most sub-rules gate on a short text or a link, and long texts are where patterns cost).
    /// `allSubrules` runs them all anyway, for testing each sub-rule's examples; the scoring
    /// hits, the evidence and the verdict are the same either way.
    public func evaluate(
        _ input: RuleInput, facts: Set<String> = [], scratch: MatchScratch, allSubrules: Bool = false
    ) -> RuleEvaluation {
        let run = Evaluation(engine: self, input: input, facts: facts, scratch: scratch)
        runAll(run, allSubrules: allSubrules)
        // In file order, as the rules stand.
        var hits: [RuleHit] = []
        hits.reserveCapacity(run.hits.count)
        for (index, evidence) in run.hits.sorted(by: { $0.index < $1.index }) {
            let rule = compiled[index]
            hits.append(
                RuleHit(id: rule.name, description: rule.description, score: rule.score, evidence: evidence))
        }
        return RuleEvaluation(hits: hits, errors: run.errors)
    }

    /// Works out every pattern rule that could fire, then every meta, each in file order. Only
    /// the rules without literals and those the prefilter marked are visited: with a list of
    /// 10,000 disallowed keys, stepping through every rule for every comment was most of the cost.
    private func runAll(_ run: Evaluation, allSubrules: Bool) {
        let always = allSubrules ? unfilteredPatterns.all : unfilteredPatterns.scoring
        if let marks = run.marks {
            // Both lists ascend, so merging them keeps file order.
            var next = 0
            marks.withUnsafeBufferPointer { marks in
                isSubrule.withUnsafeBufferPointer { isSubrule in
                    for index in isSubrule.indices where marks[index] != 0 && (allSubrules || !isSubrule[index]) {
                        while next < always.count, always[next] < index {
                            _ = run.outcome(always[next])
                            next += 1
                        }
                        _ = run.outcome(index)
                    }
                }
            }
            for index in always[next...] { _ = run.outcome(index) }
        } else {
            for index in always { _ = run.outcome(index) }
        }
        for index in allSubrules ? metaOrder : scoringMetaOrder { _ = run.outcome(index) }
    }

    /// What one pattern rule's matching cost over a sample: the time and how many comments it ran on.
    public struct MatchCost: Sendable {
        public var seconds = 0.0
        public var runs = 0
        /// Whether the rule has no literal the prefilter can test, so it runs on every comment
        /// that needs it.
        public var isUnfiltered = false

        public init() {}
    }

    /// Adds each pattern rule's matching time on `input` to `costs` (by rule id), running the
    /// rules as `evaluate` does (the prefilter and the metas' needs skip the same ones), for
    /// `handraiser bench`'s list of the costliest rules. Not for classifying: it reads the clock
    /// around every match.
    public func addMatchTimes(
        _ input: RuleInput, facts: Set<String> = [], scratch: MatchScratch, into costs: inout [String: MatchCost]
    ) {
        let run = Evaluation(engine: self, input: input, facts: facts, scratch: scratch)
        run.matchSeconds = [:]
        runAll(run, allSubrules: false)
        for (index, time) in run.matchSeconds ?? [:] {
            let rule = compiled[index]
            costs[rule.rule.name, default: MatchCost()].seconds += time
            costs[rule.rule.name, default: MatchCost()].runs += 1
            costs[rule.rule.name, default: MatchCost()].isUnfiltered = prefilter == nil || rule.literals == nil
        }
    }

    /// One comment's evaluation in progress: each rule's outcome once worked out, so a sub-rule
    /// several metas share runs once. A class, so the meta evaluation's recursion shares it.
    private final class Evaluation {
        let engine: RuleEngine
        let input: RuleInput
        let facts: Set<String>
        let scratch: MatchScratch
        let marks: [UInt8]?
        let clock = ContinuousClock()
        let deadline: ContinuousClock.Instant
        /// Per rule, 0: not worked out yet; `missed`; or 1 + the place of its hit in `hits`.
        /// Small integers rather than `[Outcome?]`: the array is made for every comment and
        /// has a slot for every rule.
        var slots: [Int32]
        /// The rules that fired so far, in the order they were worked out.
        var hits: [(index: Int, evidence: Evidence?)] = []
        static let missed: Int32 = -1
        var errors: [RuleRuntimeError] = []
        var ran = 0
        var outOfTime = false
        /// Matching time by rule index, when measured (`addMatchTimes`).
        var matchSeconds: [Int: Double]?

        init(engine: RuleEngine, input: RuleInput, facts: Set<String>, scratch: MatchScratch) {
            self.engine = engine
            self.input = input
            self.facts = facts
            self.scratch = scratch
            marks = engine.prefilter.map { engine.literalMarks(input, $0) }
            deadline = clock.now.advanced(by: engine.timeBudget)
            slots = [Int32](repeating: 0, count: engine.compiled.count)
        }

        func outcome(_ index: Int) -> Outcome {
            let slot = slots[index]
            if slot == Self.missed { return .miss }
            if slot > 0 { return .hit(hits[Int(slot) - 1].evidence) }
            let rule = engine.compiled[index]
            let result: Outcome
            if !rule.isEnabled {
                result = .miss
            } else if let program = rule.program {
                result = self.meta(rule, program)
            } else {
                result = pattern(index, rule)
            }
            switch result {
            case .miss: slots[index] = Self.missed
            case .hit(let evidence):
                hits.append((index, evidence))
                slots[index] = Int32(hits.count)
            }
            return result
        }

        private func pattern(_ index: Int, _ rule: CompiledRule) -> Outcome {
            if isRuledOut(index, rule) { return .miss }
            guard !outOfTime else { return .miss }
            if clock.now >= deadline {
                outOfTime = true
                errors.append(engine.budgetError(skippingFrom: index, ran: ran))
                return .miss
            }
            ran += 1
            let start = matchSeconds == nil ? nil : clock.now
            defer {
                if let start {
                    let (whole, attoseconds) = (clock.now - start).components
                    matchSeconds?[index, default: 0] += Double(whole) + Double(attoseconds) * 1e-18
                }
            }
            do {
                let start = engine.branchStart[index]
                guard start >= 0, let marks, let branches = rule.branches else {
                    return try rule.match(input, scratch: scratch)
                }
                return try rule.match(
                    input, scratch: scratch, branchMarks: marks[start..<(start + branches.branches.count)])
            } catch {
                errors.append(
                    RuleRuntimeError(
                        ruleID: rule.rule.name, location: rule.rule.location, message: error.message,
                        isLimit: error.isLimit))
                return .miss
            }
        }

        /// The prefilter saw none of the rule's literals, so it cannot match.
        private func isRuledOut(_ index: Int, _ rule: CompiledRule) -> Bool {
            guard let marks, rule.literals != nil else { return false }
            return marks[index] & rule.prefilterFields == 0
        }

        private func meta(_ rule: CompiledRule, _ program: MetaProgram) -> Outcome {
            guard value(program.root, program) != 0 else { return .miss }
            // The first operand with evidence, in order of mention, whether or not the value needed it.
            for operand in rule.referencedRules {
                if let found = outcome(operand).evidence { return .hit(found) }
            }
            return .hit(nil)
        }

        /// The meta expression's value, asking for as few rules as it can: a chain of `&&` or
        /// `||` works out its operands cheapest first and stops at the first that decides.
        /// The operands' values do not depend on the order, so neither does the result.
        private func value(_ node: Int, _ program: MetaProgram) -> Double {
            switch program.nodes[node] {
            case .rule(let index): return outcome(index).fired ? 1 : 0
            case .fact(let name): return facts.contains(program.facts[name]) ? 1 : 0
            case .number(let n): return n
            case .not(let inner): return value(inner, program) == 0 ? 1 : 0
            case .negative(let inner): return -value(inner, program)
            case .binary(let op, let lhs, let rhs): return op.apply(value(lhs, program), value(rhs, program))
            case .chain(isOr: let decisive, let operands):
                // A true operand decides an `||`, a false one an `&&`.
                if operands.count == 2 {
                    let (a, b) = (program.operands[operands.lowerBound], program.operands[operands.lowerBound + 1])
                    let (first, second) = cost(b, program) < cost(a, program) ? (b, a) : (a, b)
                    if (value(first, program) != 0) == decisive { return decisive ? 1 : 0 }
                    // The first did not decide, so the second gives the chain's value.
                    return value(second, program) != 0 ? 1 : 0
                }
                return withUnsafeTemporaryAllocation(of: (cost: Int, node: Int).self, capacity: operands.count) {
                    order in
                    // Insertion sort, stable: ties keep the order of mention.
                    for (slot, operand) in zip(0..., program.operands[operands]) {
                        let entry = (cost: cost(operand, program), node: operand)
                        var place = slot
                        while place > 0, order[place - 1].cost > entry.cost {
                            order[place] = order[place - 1]
                            place -= 1
                        }
                        order[place] = entry
                    }
                    for entry in order where (value(entry.node, program) != 0) == decisive {
                        return decisive ? 1 : 0
                    }
                    return decisive ? 0 : 1
                }
            }
        }

        /// Roughly what working out `node` would cost: nothing for what is known or ruled out
        /// by the prefilter, a pattern's `matchCost`, more for a meta still to evaluate.
        private func cost(_ node: Int, _ program: MetaProgram) -> Int {
            switch program.nodes[node] {
            case .rule(let index):
                guard slots[index] == 0 else { return 0 }
                let rule = engine.compiled[index]
                if !rule.isEnabled || isRuledOut(index, rule) { return 0 }
                return rule.program == nil ? rule.matchCost : 1 + rule.metaReferences.count
            case .fact, .number: return 0
            case .not(let inner), .negative(let inner): return cost(inner, program)
            case .binary(_, let lhs, let rhs): return cost(lhs, program) + cost(rhs, program)
            case .chain(_, let operands):
                var total = 0
                for operand in program.operands[operands] { total += cost(operand, program) }
                return total
            }
        }
    }

    /// The one error that reports the pattern rules from `index` on as skipped.
    fileprivate func budgetError(skippingFrom index: Int, ran: Int) -> RuleRuntimeError {
        let skipped = compiled[index...].count { $0.isEnabled && $0.metaExpression == nil }
        let first = compiled[index].rule
        return RuleRuntimeError(
            ruleID: Self.timeBudgetID, location: first.location,
            message:
                "regex time budget per comment (\(timeBudget)) used up after \(ran) rules: \(skipped) rules "
                + "from \(first.name) on were skipped, and the verdict comes from the rules that ran",
            isLimit: true)
    }

    private static func orderMetaRules(
        _ rules: [CompiledRule], indexByName: [String: Int]
    ) throws(RuleFileError)
        -> [Int]
    {
        enum Mark { case visiting, done }
        var marks: [Int: Mark] = [:]
        var order: [Int] = []
        // Iterative depth-first search, so a long chain of metas cannot overflow the stack.
        for root in rules.indices where rules[root].metaExpression != nil {
            guard marks[root] == nil else { continue }
            var stack: [(index: Int, next: Int)] = [(root, 0)]
            marks[root] = .visiting
            while let top = stack.last {
                let references = rules[top.index].metaReferences
                if top.next < references.count {
                    stack[stack.count - 1].next += 1
                    guard let dependency = indexByName[references[top.next]],
                        rules[dependency].metaExpression != nil
                    else { continue }
                    switch marks[dependency] {
                    case .done: continue
                    case .visiting:
                        let rule = rules[top.index].rule
                        let cycle = stack.map { rules[$0.index].rule.name } + [rules[dependency].rule.name]
                        throw RuleFileError(
                            file: rule.location.file, line: rule.location.line, column: rule.location.column,
                            message: "meta rule \(rule.name) depends on itself: \(cycle.joined(separator: " → "))")
                    case nil:
                        marks[dependency] = .visiting
                        stack.append((dependency, 0))
                    }
                } else {
                    marks[top.index] = .done
                    order.append(top.index)
                    stack.removeLast()
                }
            }
        }
        return order
    }
}

/// Whether one rule fired, and where.
enum Outcome {
    case miss
    case hit(Evidence?)

    var fired: Bool {
        if case .hit = self { return true }
        return false
    }

    var evidence: Evidence? {
        if case .hit(let evidence) = self { return evidence }
        return nil
    }
}

/// One rule ready to run: its compiled pattern, score and description. A class: the engine
/// reads rules for every comment, and copying a struct of this many references retained each.
final class CompiledRule: Sendable {
    let rule: Rule
    /// The compiled pattern, nil for metas and for a pattern compiled when first needed.
    private let compiledPattern: PCRE2Pattern?
    /// A pattern compiled when a comment first needs it: a disallowed key's (a list of thousands
    /// would otherwise compile all of them on every run, while a key's escaped literal always
    /// compiles and most keys never occur), and every prefiltered pattern of a set known to
    /// compile (`compilingWhenNeeded`).
    private let deferredPattern: LockedValue<Result<PCRE2Pattern, PatternError>?>?
    /// Whether the rule matches a pattern (every kind but meta).
    let hasPattern: Bool
    let score: Double
    let description: String
    /// `score NAME 0` switches a scoring rule off, as in SpamAssassin; sub-rules always run.
    let isEnabled: Bool
    /// Literals one of which every match contains (`RequiredLiterals`); nil: the rule always runs.
    let literals: [[UInt8]]?
    /// Where those literals must be seen for the rule to run (`RuleEngine.inBody`, …).
    let prefilterFields: UInt8
    /// A meta rule's operands in order of first mention, worked out once: the engine reads them
    /// for every comment the rule fires on, and ordering the metas reads them once per operand.
    let metaReferences: [String]

    /// The meta expression with its ids looked up (in `indexByName`, the engine's), and the
    /// rules among its operands in order of first mention: the engine evaluates metas on every
    /// comment, and hashing names there cost more than the evaluation.
    let program: MetaProgram?
    let referencedRules: [Int]

    // Copies of the rule's fields the engine reads per comment: through `rule` each read copied
    // the whole `Rule` (and `isSubrule` compared the name's prefix).
    let name: String
    let kind: Rule.Kind
    let isSubrule: Bool
    /// A guess at what one match costs, for ordering a meta's operands: longer patterns try more
    /// alternatives at each place, so a short gate beside a long pattern runs first.
    let matchCost: Int
    /// A body or rawbody pattern's alternatives, each run only where its own literals are
    /// (`PatternBranches`); nil when the pattern does not split, for other kinds, and without
    /// the prefilter (whose savings the engine then measures).
    let branches: PatternBranches?

    init(
        _ rule: Rule, in ruleSet: RuleSet, indexByName: [String: Int], compilingWhenNeeded: Bool = false,
        splittingBranches: Bool = true
    ) throws(RuleFileError) {
        self.rule = rule
        switch rule.kind {
        case .body, .rawbody: branches = splittingBranches ? PatternBranches.of(rule) : nil
        default: branches = nil
        }
        self.name = rule.name
        self.kind = rule.kind
        self.isSubrule = rule.isSubrule
        self.matchCost = 1 + rule.pattern.utf8.count / 64
        let metaReferences = rule.metaExpression?.references ?? []
        self.metaReferences = metaReferences
        self.program = rule.metaExpression.map { MetaProgram($0, indexByName: indexByName) }
        self.referencedRules = metaReferences.compactMap { indexByName[$0] }
        self.score = ruleSet.effectiveScore(of: rule)
        self.description = ruleSet.describe(rule.name) ?? rule.name
        self.isEnabled = rule.isSubrule || ruleSet.score(for: rule.name) != 0
        // Header and uri rules see short strings: PCRE2 on them costs less than a scan.
        switch rule.kind {
        case .body: prefilterFields = RuleEngine.inBody
        case .rawbody: prefilterFields = RuleEngine.inRawbody
        case .disallowedKey: prefilterFields = RuleEngine.inBody | RuleEngine.inRawbody | RuleEngine.inFields
        default: prefilterFields = 0
        }
        if prefilterFields == 0 {
            literals = nil
        } else if case .disallowedKey = rule.kind {
            literals = RequiredLiterals.ofDisallowedKey(rule.source)
        } else {
            literals = RequiredLiterals.of(rule)
        }
        if case .meta = rule.kind {
            compiledPattern = nil
            deferredPattern = nil
            hasPattern = false
            return
        }
        hasPattern = true
        if case .disallowedKey = rule.kind {
            compiledPattern = nil
            deferredPattern = LockedValue(nil)
            return
        } else if compilingWhenNeeded && literals != nil {
            // Prefiltered, so most comments never need it; the rules every comment runs are
            // compiled now, on the thread preparing the engine.
            compiledPattern = nil
            deferredPattern = LockedValue(nil)
            return
        }
        deferredPattern = nil
        do {
            compiledPattern = try PCRE2Pattern(rule.pattern, options: rule.options)
        } catch {
            throw RuleFileError(
                file: rule.location.file, line: rule.location.line, column: rule.location.column,
                message: "rule \(rule.name): pattern does not compile: \(error.message) at offset \(error.offset)")
        }
    }

    var metaExpression: MetaExpression? { rule.metaExpression }

    /// The compiled pattern, compiling a deferred one now.
    func pattern() throws(MatchError) -> PCRE2Pattern? {
        if let compiledPattern { return compiledPattern }
        guard let deferredPattern else { return nil }
        let rule = self.rule
        let result = deferredPattern.withLock { slot in
            if let slot { return slot }
            let compiled = Result { () throws(PatternError) in try PCRE2Pattern(rule.pattern, options: rule.options) }
            slot = compiled
            return compiled
        }
        switch result {
        case .success(let pattern): return pattern
        case .failure(let error): throw MatchError(notCompiled: error)
        }
    }

    /// A body or rawbody match: by the branches whose literals `marks` shows (the engine's marks
    /// of this rule's branches) when the pattern splits, else by the whole pattern.
    private func searchText(
        _ text: String, field: CommentField, marks: ArraySlice<UInt8>?, scratch: MatchScratch
    ) throws(MatchError) -> Outcome {
        if let branches, let marks,
            case .matched(let range) = try branches.firstMatch(
                in: text, marks: marks, fields: prefilterFields, scratch: scratch)
        {
            guard let range else { return .miss }
            return .hit(Evidence(field: field, in: text, range: range))
        }
        guard let pattern = try pattern() else { return .miss }
        return try Self.search(pattern, in: text, field: field, scratch: scratch)
    }

    /// `branchMarks`: where the prefilter saw each branch's literals, when the rule has branches.
    func match(
        _ input: RuleInput, scratch: MatchScratch, branchMarks: ArraySlice<UInt8>? = nil
    ) throws(MatchError)
        -> Outcome
    {
        switch kind {
        case .body: return try searchText(input.body, field: .text, marks: branchMarks, scratch: scratch)
        case .rawbody: return try searchText(input.rawbody, field: .content, marks: branchMarks, scratch: scratch)
        default: break
        }
        guard let pattern = try pattern() else { return .miss }
        switch kind {
        case .body, .rawbody:
            return .miss
        case .header(let field, let negated):
            let value = input.value(of: field) ?? ""
            let outcome = try Self.search(pattern, in: value, field: field.commentField, scratch: scratch)
            guard negated else { return outcome }
            if outcome.fired { return .miss }
            let whole =
                value.isEmpty ? nil : Evidence(field: field.commentField, in: value, range: 0..<value.utf8.count)
            return .hit(whole)
        case .uri:
            for uri in input.uris {
                if let range = try pattern.firstMatch(in: uri, scratch: scratch) {
                    return .hit(Evidence(field: .uri, range: range, excerpt: uri))
                }
            }
            return .miss
        case .disallowedKey:
            // WordPress tests the content with and without its HTML.
            var outcome = try Self.search(pattern, in: input.rawbody, field: .content, scratch: scratch)
            if outcome.fired { return outcome }
            outcome = try Self.search(pattern, in: input.body, field: .text, scratch: scratch)
            if outcome.fired { return outcome }
            for field in [HeaderField.author, .email, .url, .ip] {
                guard let value = input.value(of: field) else { continue }
                let outcome = try Self.search(pattern, in: value, field: field.commentField, scratch: scratch)
                if outcome.fired { return outcome }
            }
            return .miss
        case .meta:
            return .miss
        }
    }

    private static func search(
        _ pattern: PCRE2Pattern, in text: String, field: CommentField, scratch: MatchScratch
    )
        throws(MatchError) -> Outcome
    {
        guard let range = try pattern.firstMatch(in: text, scratch: scratch) else { return .miss }
        return .hit(Evidence(field: field, in: text, range: range))
    }
}

/// A meta expression as a flat array of nodes whose ids are rule indices in the engine or check
/// ids (facts). A chain of `&&` or of `||` is one node holding all its operands, so the engine
/// orders a chain by cost once, where nested pairs had it add up the costs at every level.
struct MetaProgram: Sendable {
    enum Node: Sendable {
        case rule(Int)
        /// An index into `facts`.
        case fact(Int)
        case number(Double)
        case not(Int)
        case negative(Int)
        case binary(MetaExpression.BinaryOperator, Int, Int)
        /// `||` (`isOr`) or `&&` over `operands[range]`, node indices in order of mention.
        case chain(isOr: Bool, Range<Int>)
    }

    private(set) var nodes: [Node] = []
    private(set) var operands: [Int] = []
    private(set) var facts: [String] = []
    private(set) var root = 0

    init(_ expression: MetaExpression, indexByName: [String: Int]) {
        root = add(expression, indexByName)
    }

    private mutating func add(_ expression: MetaExpression, _ indexByName: [String: Int]) -> Int {
        let node: Node
        switch expression {
        case .reference(let name):
            if let index = indexByName[name] {
                node = .rule(index)
            } else {
                facts.append(name)
                node = .fact(facts.count - 1)
            }
        case .number(let n): node = .number(n)
        case .not(let inner): node = .not(add(inner, indexByName))
        case .negative(let inner): node = .negative(add(inner, indexByName))
        case .binary(let op, _, _) where op == .or || op == .and:
            // `(a || b) || c` is `a || b || c`: both give 1 when any operand is non-zero.
            var members: [MetaExpression] = []
            Self.flatten(expression, op, into: &members)
            let children = members.map { add($0, indexByName) }
            let start = operands.count
            operands.append(contentsOf: children)
            node = .chain(isOr: op == .or, start..<operands.count)
        case .binary(let op, let lhs, let rhs):
            node = .binary(op, add(lhs, indexByName), add(rhs, indexByName))
        }
        nodes.append(node)
        return nodes.count - 1
    }

    private static func flatten(
        _ expression: MetaExpression, _ op: MetaExpression.BinaryOperator, into members: inout [MetaExpression]
    ) {
        if case .binary(op, let lhs, let rhs) = expression {
            flatten(lhs, op, into: &members)
            flatten(rhs, op, into: &members)
        } else {
            members.append(expression)
        }
    }
}
