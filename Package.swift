// swift-tools-version:6.1
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// The architecture, bottom up:
//   PBJSON, SafeMultipart          — exact Go JSON; MultipartKit made safe for client bytes
//   PocketBase                      — the engine: a generic PocketBase 0.23.12-compatible server (knows nothing of sptfy.in)
//   DevServer                       — the sptfy.in dev server built on it (schema, hooks, stubs wiring, fixtures, dev endpoints)
//   TurnstileStub, Fixtures, ContractSuite — tools usable alone (Cloudflare Turnstile stub, the fixture world, the contract suite)
//   sptfy-dev                       — the thin CLI; FuzzHarness + the SPTFY_FUZZ targets — fuzzing
let package = Package(
    name: "sptfy-devkit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sptfy-dev", targets: ["sptfy-dev"]),
        .library(name: "PocketBase", targets: ["PocketBase"]),
        .library(name: "DevServer", targets: ["DevServer"]),
        .library(name: "ContractSuite", targets: ["ContractSuite"]),
        .library(name: "PBJSON", targets: ["PBJSON"]),
        .library(name: "TurnstileStub", targets: ["TurnstileStub"]),
        .library(name: "Fixtures", targets: ["Fixtures"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // NIOHTTPTypes: the HTTP part types of Hummingbird's channel, for the Go-compatible parser-error handler.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // PocketBase's backups are zip archives of pb_data (created, uploaded, restored in either server).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // The dashboard's browser tests drive Chromium over the DevTools protocol (a WebSocket).
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
    ],
    targets: [
        // PocketBase-exact JSON (Go encoder output, ordered keys); shared by the server and the contract suite.
        .target(name: "PBJSON", swiftSettings: swiftSettings),
        // MultipartKit behind the checks that keep its parser from trapping on client bytes, with Go's limits.
        .target(
            name: "SafeMultipart", dependencies: [.product(name: "MultipartKit", package: "multipart-kit")], swiftSettings: swiftSettings),
        // Offline Cloudflare Turnstile (siteverify + widget script); usable without the dev server.
        .target(
            name: "TurnstileStub",
            dependencies: [
                "PBJSON",
                "SafeMultipart",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            resources: [.copy("Resources/api.js")],
            swiftSettings: swiftSettings
        ),
        // The deterministic fixture world (records as JSON) and its API seeder for any PocketBase-compatible instance.
        .target(
            name: "Fixtures",
            dependencies: ["PBJSON", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: swiftSettings),
        // The engine: a PocketBase-0.23.12-compatible server (storage, schema, records, filter, auth, collections, files,
        // settings, hooks, HTTP). Generic: it knows nothing of sptfy.in, which is built on it through AppLayer/Hook.
        .target(
            name: "PocketBase",
            dependencies: [
                "PBJSON",
                "SafeMultipart",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources/pb_system.json"), .copy("Resources/pb_scaffolds.json")],
            swiftSettings: swiftSettings,
            // BoundedRegex: the toolchain's ICU (Foundation loads it anyway) for its match time limit.
            linkerSettings: [.linkedLibrary("_FoundationICU")]
        ),
        // The sptfy.in dev server on the engine: its schema and hooks, the Spotify/Turnstile/ip-api stubs wired in,
        // fixture loading, the `api/sptfy-dev/*` dev endpoints, the benchmarks' and fuzzers' sptfy-specific parts.
        .target(
            name: "DevServer",
            dependencies: [
                "PocketBase",
                "PBJSON",
                "TurnstileStub",
                "Fixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/sptfy.pb_schema.json"), .copy("Resources/guide.pb_schema.json"), .copy("Resources/dashboard")],
            swiftSettings: swiftSettings
        ),
        // Feeds generated requests through the dev server's router: the HTTP fuzz target and the corpus replay tests.
        .target(
            name: "FuzzHarness",
            dependencies: [
                "DevServer", "PocketBase", "Fixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        // The same scenarios in-process, against a live server and against the reference PocketBase (ContractClient seam).
        .target(
            name: "ContractSuite",
            dependencies: [
                "PBJSON",
                // The guide scenarios check analytics' salted SHA-256 of the client IP.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The CLI: argument parsing, then DevServer/ContractSuite/Fixtures/TurnstileStub.
        .executableTarget(
            name: "sptfy-dev",
            dependencies: [
                "DevServer",
                "TurnstileStub",
                "Fixtures",
                "ContractSuite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test helpers shared by the test targets (no dependencies of its own).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "DevServerTests",
            dependencies: [
                "DevServer",
                "TestSupport",
                "PocketBase",
                "FuzzHarness",
                "SafeMultipart",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FixturesTests", dependencies: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TurnstileStubTests",
            dependencies: [
                "TurnstileStub",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Headless Chromium (Debian's `chromium`): the widget stub, and the offline frontend flow against a live server.
        .testTarget(
            name: "BrowserTests",
            dependencies: [
                "TestSupport",
                "TurnstileStub",
                "DevServer",
                "PocketBase",
                "PBJSON",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContractTests",
            dependencies: [
                "DevServer",
                "PocketBase",
                "TurnstileStub",
                "Fixtures",
                .product(name: "GRDB", package: "GRDB.swift"),
                "ContractSuite",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// The libFuzzer targets only exist when fuzzing (they have no `main`): `scripts/fuzz-filter.sh`, `scripts/fuzz-http.sh`.
if ProcessInfo.processInfo.environment["SPTFY_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "FilterFuzz", dependencies: ["DevServer"],
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]))
    package.targets.append(
        .executableTarget(
            name: "HTTPFuzz", dependencies: ["FuzzHarness"],
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]))
}
