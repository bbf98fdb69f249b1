import Foundation
import Testing

@testable import PocketBase

/// The S3 client against a real S3-compatible server on loopback (`.ci/run` starts moto and sets
/// S3_TEST_ENDPOINT with a `sptfy-ci` bucket); skipped elsewhere.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["S3_TEST_ENDPOINT"] != nil))
struct S3ClientTests {
    let endpoint = ProcessInfo.processInfo.environment["S3_TEST_ENDPOINT"] ?? ""

    func client(bucket: String) -> S3Client {
        S3Client(settings: JSONObject([
            ("enabled", true), ("bucket", .string(bucket)), ("region", "us-east-1"), ("endpoint", .string(endpoint)),
            ("accessKey", "test"), ("secret", "testsecret"), ("forcePathStyle", true),
        ]))
    }

    @Test func listsAnExistingBucket() async throws {
        try await client(bucket: "sptfy-ci").list(prefix: "", maxKeys: 1)
    }

    @Test func aMissingBucketIsTheServersError() async throws {
        let failure = await #expect(throws: S3Client.Failure.self) { try await client(bucket: "no-such-bucket").list(prefix: "", maxKeys: 1) }
        #expect(failure?.description.contains("404") == true && failure?.description.contains("NoSuchBucket") == true)
    }
}
