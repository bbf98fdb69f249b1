import Foundation
import Testing

@testable import DevServer

@Suite struct CoercionTests {
    @Test func castSemantics() {
        #expect(Coerce.toString(.number(123)) == "123")
        #expect(Coerce.toString(.array([1])) == "")
        #expect(Coerce.toNumber(.string("12")) == 12)
        #expect(Coerce.toNumber(.string("abc")) == 0)
        #expect(Coerce.toNumber(.bool(true)) == 1)
        #expect(Coerce.toBool(.string("yes")) == false)
        #expect(Coerce.toBool(.string("t")) == true)
        #expect(Coerce.toBool(.number(2)) == true)
    }

    @Test func listsDeduplicateAndAcceptJSONText() {
        #expect(Coerce.toList(.string(#"["a","b","a"]"#)) == ["a", "b"])
        #expect(Coerce.toList(.array(["x", "", "y"])) == ["x", "y"])
        #expect(Coerce.toList(.string("artist,play")) == ["artist,play"])
        let single = Field.make("select", "s", ["maxSelect": 1, "values": ["a", "b"]])
        #expect(Coerce.value(.array(["a", "b"]), for: single) == "b")
        let multi = Field.make("select", "m", ["maxSelect": 3, "values": ["a", "b"]])
        #expect(Coerce.value(.string("a"), for: multi) == .array(["a"]))
    }

    @Test func jsonFieldKeepsOrParsesText() {
        #expect(Coerce.json(.string("abc")) == .string("abc"))
        #expect(Coerce.json(.string("{bad")) == .string("{bad"))
        #expect(Coerce.json(.string(#"{"k":1}"#)) == .obj(["k": 1]))
        #expect(Coerce.json(.string("true")) == .bool(true))
    }

    @Test func formInference() {
        #expect(BodyParser.infer("7") == .number(7))
        #expect(BodyParser.infer("1.5") == .number(1.5))
        #expect(BodyParser.infer("007") == .string("007"))
        #expect(BodyParser.infer("1e3") == .string("1e3"))
        #expect(BodyParser.infer("1.0") == .string("1.0"))
        #expect(BodyParser.infer("true") == .bool(true))
        #expect(BodyParser.infer("") == .string(""))
    }

    @Test func formValuesMergeJSONPayloadLast() throws {
        let v = try BodyParser.formValues([("title", "multi"), ("@jsonPayload", #"{"title":"jsonwins","data":{"x":"1"}}"#), ("tag", "a"), ("tag", "b")])
        #expect(v["title"] == .string("jsonwins"))
        #expect(v["tag"] == .array(["a", "b"]))
        #expect(v["data"] == .obj(["x": "1"]))
        #expect(throws: APIError.self) { try BodyParser.formValues([("@jsonPayload", "{nope")]) }
    }

    @Test func multipartParts() throws {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n5\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XX--\r\n"
        let parsed = try BodyParser.parseMultipart(Array(body.utf8), contentType: "multipart/form-data; boundary=XX")
        #expect(parsed.values["a"] == .number(5))
        #expect(parsed.files["f"]?.first?.filename == "x.txt")
        #expect(parsed.files["f"]?.first?.data == Array("hello".utf8))
    }
}
