// swift-tools-version:6.0
import PackageDescription

// Each pipeline stage of Sources/HandraiserKit/ is its own target, so the compiler keeps the
// one-way data flow of DESIGN.md (input → rules/heuristics → verdict → replies → output):
// SwiftPM refuses cycles between targets, and only HandraiserMatching may import CPCRE2.
// `HandraiserKit` re-exports all stages for the executable and for library users.
let kit = "Sources/HandraiserKit"
let kitTests = "Tests/HandraiserKitTests"

let package = Package(
    name: "Handraiser",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "handraiser", targets: ["handraiser"]),
        .library(name: "HandraiserKit", targets: ["HandraiserKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),

        .target(name: "HandraiserModel", path: "\(kit)/Model"),
        .target(name: "HandraiserMatching", dependencies: ["CPCRE2", "HandraiserModel"], path: "\(kit)/Matching"),
        .target(name: "HandraiserInput", dependencies: ["HandraiserModel"], path: "\(kit)/Input"),
        .target(
            name: "HandraiserRules", dependencies: ["HandraiserModel", "HandraiserMatching"],
            path: "\(kit)/Rules"),
        .target(
            name: "HandraiserHeuristics", dependencies: ["HandraiserModel", "HandraiserMatching"],
            path: "\(kit)/Heuristics"),
        .target(
            name: "HandraiserClassification",
            dependencies: ["HandraiserModel", "HandraiserRules", "HandraiserHeuristics"],
            path: "\(kit)/Classification"),
        .target(
            name: "HandraiserReplies", dependencies: ["HandraiserModel", "HandraiserHeuristics"],
            path: "\(kit)/Replies"),
        .target(
            name: "HandraiserOutput", dependencies: ["HandraiserModel", "HandraiserReplies"],
            path: "\(kit)/Output"),
        .target(
            name: "HandraiserEvaluation",
            dependencies: ["HandraiserModel", "HandraiserReplies"],
            path: "\(kit)/Evaluation"),
        .target(
            name: "HandraiserKit",
            dependencies: [
                "HandraiserModel", "HandraiserMatching", "HandraiserInput", "HandraiserRules",
                "HandraiserHeuristics", "HandraiserClassification", "HandraiserReplies",
                "HandraiserOutput", "HandraiserEvaluation",
            ],
            path: "\(kit)/Pipeline"),

        .executableTarget(
            name: "handraiser",
            dependencies: [
                "HandraiserKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests mirror the stage folders; one target per stage so each builds on its own.
        .testTarget(name: "HandraiserModelTests", dependencies: ["HandraiserModel"], path: "\(kitTests)/Model"),
        .testTarget(
            name: "HandraiserMatchingTests", dependencies: ["HandraiserMatching"], path: "\(kitTests)/Matching"),
        .testTarget(name: "HandraiserInputTests", dependencies: ["HandraiserInput"], path: "\(kitTests)/Input"),
        .testTarget(name: "HandraiserRulesTests", dependencies: ["HandraiserRules"], path: "\(kitTests)/Rules"),
        .testTarget(
            name: "HandraiserHeuristicsTests", dependencies: ["HandraiserHeuristics"], path: "\(kitTests)/Heuristics"),
        .testTarget(
            name: "HandraiserClassificationTests", dependencies: ["HandraiserClassification", "HandraiserInput"],
            path: "\(kitTests)/Classification"),
        .testTarget(name: "HandraiserRepliesTests", dependencies: ["HandraiserReplies"], path: "\(kitTests)/Replies"),
        .testTarget(name: "HandraiserOutputTests", dependencies: ["HandraiserOutput"], path: "\(kitTests)/Output"),
        .testTarget(
            name: "HandraiserEvaluationTests", dependencies: ["HandraiserEvaluation"], path: "\(kitTests)/Evaluation"),
        .testTarget(name: "HandraiserKitTests", dependencies: ["HandraiserKit"], path: "\(kitTests)/Pipeline"),
        .testTarget(name: "handraiserTests", dependencies: ["handraiser"], path: "Tests/handraiserTests"),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harnesses (Sources/HandraiserFuzz), declared only when HANDRAISER_FUZZ=1 so that the
// normal build and tests never see them: they have no `main` (libFuzzer supplies it) and only
// link with `-sanitize=fuzzer`. `.ci/fuzz` builds and runs them.
if Context.environment["HANDRAISER_FUZZ"] == "1" {
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzTextDump", ["HandraiserInput"]), ("FuzzJSONL", ["HandraiserInput"]), ("FuzzCSV", ["HandraiserInput"]),
        ("FuzzWXR", ["HandraiserInput"]), ("FuzzDisqus", ["HandraiserInput"]),
        ("FuzzRuleFile", ["HandraiserRules", "HandraiserMatching"]),
    ]
    package.targets.append(.target(name: "CFuzzerDriver", path: "Sources/HandraiserFuzz/CFuzzerDriver"))
    for harness in harnesses {
        package.targets.append(
            .executableTarget(
                name: harness.name, dependencies: ["CFuzzerDriver"] + harness.dependencies,
                path: "Sources/HandraiserFuzz/\(harness.name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
