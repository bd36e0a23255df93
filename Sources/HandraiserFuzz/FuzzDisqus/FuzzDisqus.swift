import CFuzzerDriver
import HandraiserInput

// SwiftPM links an executable's entry point as `<module>_main` (the module is compiled with
// -parse-as-library, so there is no other); it hands control to libFuzzer's driver.

/// libFuzzer harness: the Disqus XML reader on arbitrary bytes. An error it throws is its verdict on
/// the input; a trap, a sanitizer report, a hang or runaway memory is a finding.
/// Built only with `HANDRAISER_FUZZ=1`; run with `bash .ci/fuzz`.
@_cdecl("FuzzDisqus_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, count in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        var sink = CollectingSink()
        _ = try? DisqusReader().read(ByteReader(bytes: bytes, name: "fuzz"), options: ReadOptions(), into: &sink)
        return 0
    }
}
