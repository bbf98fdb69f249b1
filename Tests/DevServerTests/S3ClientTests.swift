import Foundation
import NIOCore
import Testing

@testable import PocketBase

/// The S3 client against a real S3-compatible server on loopback (`.ci/run` starts moto and sets
/// S3_TEST_ENDPOINT with a `sptfy-ci` bucket); skipped elsewhere. S3_TEST_ACCESS_KEY / S3_TEST_SECRET override the
/// credentials for a server that checks signatures (moto with auth on).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["S3_TEST_ENDPOINT"] != nil))
struct S3ClientTests {
    let endpoint = ProcessInfo.processInfo.environment["S3_TEST_ENDPOINT"] ?? ""
    /// Tests run in parallel and CI reuses the bucket: each test works under its own prefix.
    let run = "t-" + UUID().uuidString.prefix(8).lowercased() + "/"

    func client(bucket: String) -> S3Client {
        let env = ProcessInfo.processInfo.environment
        return S3Client(settings: JSONObject([
            ("enabled", true), ("bucket", .string(bucket)), ("region", "us-east-1"), ("endpoint", .string(endpoint)),
            ("accessKey", .string(env["S3_TEST_ACCESS_KEY"] ?? "test")), ("secret", .string(env["S3_TEST_SECRET"] ?? "testsecret")),
            ("forcePathStyle", true),
        ]))
    }

    var s3: S3Client { client(bucket: "sptfy-ci") }

    @Test func listsAnExistingBucket() async throws {
        try await client(bucket: "sptfy-ci").list(prefix: "", maxKeys: 1)
    }

    @Test func aMissingBucketIsTheServersError() async throws {
        let failure = await #expect(throws: S3Client.Failure.self) { try await client(bucket: "no-such-bucket").list(prefix: "", maxKeys: 1) }
        #expect(failure?.description.contains("404") == true && failure?.description.contains("NoSuchBucket") == true)
        #expect(failure?.code == "NoSuchBucket" && failure?.isNotFound == false)
    }

    @Test func putHeadGetListDelete() async throws {
        let key = run + "@auto_pb_backup_x 1.zip"
        let bytes: [UInt8] = Array("PK\u{3}\u{4} not really a zip".utf8) + [0, 255, 10]
        try await s3.putObject(key: key, body: bytes, contentType: "application/zip")

        let head = try #require(try await s3.headObject(key: key))
        #expect(head.key == key && head.size == bytes.count)
        #expect(abs(head.lastModified.timeIntervalSinceNow) < 300)

        let got = try await s3.getObject(key: key, maxBytes: 1 << 20)
        #expect(Array(got.body.readableBytesView) == bytes)
        #expect(got.contentType == "application/zip")
        #expect(got.lastModified.map { abs($0.timeIntervalSinceNow) < 300 } == true)

        let listed = try await s3.listObjects(prefix: run)
        #expect(listed.map(\.key) == [key])
        #expect(listed.first?.size == bytes.count)
        #expect(listed.first.map { abs($0.lastModified.timeIntervalSinceNow) < 300 } == true)

        try await s3.deleteObject(key: key)
        #expect(try await s3.headObject(key: key) == nil)
        let failure = await #expect(throws: S3Client.Failure.self) { _ = try await s3.getObject(key: key, maxBytes: 1 << 20) }
        #expect(failure?.isNotFound == true && failure?.status == 404 && failure?.code == "NoSuchKey")
        #expect(try await s3.listObjects(prefix: run).isEmpty)
    }

    /// Keys are sent path-encoded per segment and come back XML-escaped in listings.
    @Test func oddKeysRoundTrip() async throws {
        let keys = ["@auto_pb_backup_x 1.zip", "dir/ü.zip", "a&b <c>'\".txt", "plus+eq=q?#hash%25.txt", "dir/日本 語/x.txt"].map { run + $0 }
        for (i, key) in keys.enumerated() {
            try await s3.putObject(key: key, body: ByteBuffer(string: "body \(i)"), contentType: "text/plain; charset=utf-8")
        }
        #expect(try await s3.listObjects(prefix: run).map(\.key) == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(try await s3.listObjects(prefix: run + "dir/").count == 2)
        for (i, key) in keys.enumerated() {
            let got = try await s3.getObject(key: key, maxBytes: 1024)
            #expect(String(buffer: got.body) == "body \(i)", "\(key)")
            #expect(try await s3.headObject(key: key)?.size == "body \(i)".utf8.count)
        }
        for key in keys { try await s3.deleteObject(key: key) }
        #expect(try await s3.listObjects(prefix: run).isEmpty)
    }

    @Test func listingFollowsContinuationTokens() async throws {
        let keys = (0..<7).map { run + "page/" + String(format: "%02d", $0) + ".txt" }
        for key in keys { try await s3.putObject(key: key, body: [UInt8](), contentType: "text/plain") }
        let listed = try await s3.listObjects(prefix: run + "page/", pageSize: 3)
        #expect(listed.map(\.key) == keys)
        #expect(listed.allSatisfy { $0.size == 0 })
        for key in keys { try await s3.deleteObject(key: key) }
    }

    @Test func getRefusesABodyOverTheCap() async throws {
        let key = run + "big.bin"
        try await s3.putObject(key: key, body: [UInt8](repeating: 7, count: 4096), contentType: "application/octet-stream")
        let failure = await #expect(throws: S3Client.Failure.self) { _ = try await s3.getObject(key: key, maxBytes: 1000) }
        #expect(failure?.description.contains("larger than 1000 bytes") == true && failure?.isNotFound == false)
        try await s3.deleteObject(key: key)
    }

    @Test func missingKeys() async throws {
        #expect(try await s3.headObject(key: run + "nope") == nil)
        let failure = await #expect(throws: S3Client.Failure.self) { _ = try await s3.getObject(key: run + "nope", maxBytes: 10) }
        #expect(failure?.isNotFound == true)
        // S3 (and moto) answer 204 to deleting a missing key; a server answering 404 must surface as not found.
        do {
            try await s3.deleteObject(key: run + "nope")
        } catch let failure as S3Client.Failure {
            #expect(failure.isNotFound)
        }
    }
}

/// Request building and response parsing, without a server.
struct S3ClientRequestTests {
    func client(endpoint: String, pathStyle: Bool) -> S3Client {
        S3Client(settings: JSONObject([
            ("bucket", "backups"), ("region", "eu-west-1"), ("endpoint", .string(endpoint)), ("accessKey", "AK"), ("secret", "SK"),
            ("forcePathStyle", .bool(pathStyle)),
        ]))
    }

    /// The canonical URI (2nd line of the canonical request) must be the path actually sent.
    func canonicalURI(_ request: S3Client.SignedRequest) -> String {
        String(request.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1])
    }

    @Test func virtualHostStyleEncodesEachSegment() throws {
        let s3 = client(endpoint: "s3.example.com/", pathStyle: false)
        let request = try s3.signedRequest(method: .PUT, key: "dir/@auto_pb_backup_x 1+ü.zip", payloadHash: SigV4.emptyPayloadHash)
        #expect(request.url == "https://backups.s3.example.com/dir/%40auto_pb_backup_x%201%2B%C3%BC.zip")
        #expect(request.headers.first(name: "host") == "backups.s3.example.com")
        #expect(canonicalURI(request) == "/dir/%40auto_pb_backup_x%201%2B%C3%BC.zip")
        #expect(request.headers.first(name: "authorization")?.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,") == true)
    }

    @Test func pathStyleKeepsThePortAndSignsTheQuery() throws {
        let s3 = client(endpoint: "http://127.0.0.1:9000", pathStyle: true)
        let request = try s3.signedRequest(
            method: .GET, key: nil, query: [("list-type", "2"), ("prefix", "a b/ü"), ("continuation-token", "x/y+z=")],
            payloadHash: SigV4.emptyPayloadHash)
        #expect(request.url == "http://127.0.0.1:9000/backups/?list-type=2&prefix=a%20b%2F%C3%BC&continuation-token=x%2Fy%2Bz%3D")
        #expect(request.headers.first(name: "host") == "127.0.0.1:9000")
        #expect(canonicalURI(request) == "/backups/")
        #expect(request.canonicalRequest.contains("\ncontinuation-token=x%2Fy%2Bz%3D&list-type=2&prefix=a%20b%2F%C3%BC\n"))
    }

    @Test func contentHeadersAreSigned() throws {
        let s3 = client(endpoint: "https://s3.example.com", pathStyle: true)
        let body = ByteBuffer(string: "hello")
        let request = try s3.signedRequest(
            method: .PUT, key: "k", headers: [("content-type", "text/plain"), ("content-length", "5")], payloadHash: S3Client.sha256Hex(body))
        #expect(request.headers.first(name: "x-amz-content-sha256") == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(request.headers.first(name: "authorization")?.contains("SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date,") == true)
    }

    @Test func invalidSettingsAreFailures() {
        #expect(throws: S3Client.Failure.self) { try client(endpoint: "", pathStyle: true).signedRequest(method: .GET, key: nil, payloadHash: "") }
        #expect(throws: S3Client.Failure.self) { try client(endpoint: "ftp://x", pathStyle: true).signedRequest(method: .GET, key: nil, payloadHash: "") }
        #expect(throws: S3Client.Failure.self) { try client(endpoint: "https://x", pathStyle: true).signedRequest(method: .GET, key: "", payloadHash: "") }
    }

    @Test func listPagesUnescapeKeysAndCarryTheToken() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount>
            <MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            <Contents><Key>a &amp; b&lt;c&gt; &#252;.zip</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>"x"</ETag><Size>434234</Size>
            <StorageClass>STANDARD</StorageClass></Contents>
            <Contents><Key> lead space</Key><LastModified>2024-01-02T03:04:05Z</LastModified><Size>0</Size></Contents>
            </ListBucketResult>
            """
        let page = try #require(S3XML.listPage(Data(xml.utf8)))
        #expect(page.isTruncated && page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        #expect(page.objects.map(\.key) == ["a & b<c> ü.zip", " lead space"])
        #expect(page.objects.map(\.size) == [434234, 0])
        #expect(page.objects.map(\.lastModified.timeIntervalSince1970) == [1_255_369_830, 1_704_164_645])
        #expect(S3XML.listPage(Data("<Error><Code>X</Code></Error>".utf8)) == nil)
        #expect(S3XML.listPage(Data("<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>".utf8)) == nil)
    }

    @Test func errorBodiesBecomeTypedFailures() {
        let xml = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a</Key></Error>"
        let failure = S3Client.failure(status: 404, body: ByteBuffer(string: xml))
        #expect(failure.code == "NoSuchKey" && failure.message == "The specified key does not exist." && failure.isNotFound)
        #expect(failure.description == "S3 answered 404 NoSuchKey: The specified key does not exist.")
        let bare = S3Client.failure(status: 404, body: ByteBuffer())
        #expect(bare.isNotFound && bare.description == "S3 answered 404")
        let html = S3Client.failure(status: 502, body: ByteBuffer(string: "<html>bad gateway"))
        #expect(!html.isNotFound && html.code == nil && html.description == "S3 answered 502: <html>bad gateway")
    }

    @Test func httpDates() {
        #expect(S3XML.httpDate("Wed, 12 Oct 2009 17:50:00 GMT")?.timeIntervalSince1970 == 1_255_369_800)
        #expect(S3XML.httpDate("yesterday") == nil)
    }
}
