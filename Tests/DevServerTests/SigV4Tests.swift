import Foundation
import Testing

@testable import PocketBase

/// The S3 request signer against AWS's published examples.
@Suite struct SigV4Tests {
    /// Amazon S3 API reference, "Signature Calculations for the Authorization Header", example "GET Object".
    @Test func s3GetObjectExample() throws {
        let signer = SigV4(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let date = try #require(ISO8601DateFormatter().date(from: "2013-05-24T00:00:00Z"))
        let signed = signer.sign(
            method: "GET", path: "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"), ("x-amz-content-sha256", SigV4.emptyPayloadHash),
                ("x-amz-date", "20130524T000000Z"),
            ], payloadHash: SigV4.emptyPayloadHash, date: date)
        #expect(signed.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.stringToSign.hasSuffix("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"))
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// AWS Signature Version 4 test suite, `get-vanilla`.
    @Test func testSuiteGetVanilla() throws {
        let signer = SigV4(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "service")
        let date = try #require(ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z"))
        let signed = signer.sign(
            method: "GET", path: "/", headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadHash: SigV4.emptyPayloadHash, date: date)
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func encodingAndQueryOrder() {
        #expect(SigV4.encode("/a b/ü~", slash: false) == "/a%20b/%C3%BC~")
        #expect(SigV4.encode("a/b", slash: true) == "a%2Fb")
        let signer = SigV4(accessKey: "k", secretKey: "s", region: "r")
        let signed = signer.sign(
            method: "GET", path: "/", query: [("prefix", "a b"), ("list-type", "2"), ("a", "2"), ("a", "1")],
            headers: [("host", "h"), ("x-amz-date", "20200101T000000Z"), ("X-Custom", "  a   b  ")], payloadHash: "UNSIGNED-PAYLOAD",
            date: Date(timeIntervalSince1970: 1_577_836_800))
        let lines = signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2] == "a=1&a=2&list-type=2&prefix=a%20b")
        #expect(lines.contains("x-custom:a b"))
        #expect(SigV4.amzDate(Date(timeIntervalSince1970: 1_577_836_800)) == "20200101T000000Z")
    }
}
