import CFuzzerDriver
import HandraiserMatching
import HandraiserRules

// SwiftPM links an executable's entry point as `<module>_main` (the module is compiled with
// -parse-as-library, so there is no other); it hands control to libFuzzer's driver.

/// libFuzzer harness: the `.cf` rule-file parser, then compiling what it accepted (patterns, meta
/// expressions) and running it on one comment. An error is a verdict on the input; a trap, a
/// sanitizer report, a hang or runaway memory is a finding.
/// Built only with `HANDRAISER_FUZZ=1`; run with `bash .ci/fuzz`.
@_cdecl("FuzzRuleFile_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, count in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        guard let ruleSet = try? RuleSet.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.cf"),
            let engine = try? RuleEngine(ruleSet)
        else { return 0 }
        let input = RuleInput(
            body: "Great post! Buy cheap pills at example.com 😀", rawbody: "<a href=\"http://example.com\">x</a>",
            fields: ["author": "Bob", "email": "bob@example.com", "url": "http://example.com"],
            uris: ["http://example.com/buy"])
        _ = engine.evaluate(input, facts: ["HC_LINKS"], scratch: MatchScratch())
        return 0
    }
}
