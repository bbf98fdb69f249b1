import Foundation
import Testing

@testable import DevServer
@testable import PocketBase

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

    /// core/field_json.go PrepareValue and Go's strconv.Quote, as the generated run found them (issue 11).
    @Test func jsonTextFollowsPrepareValue() {
        func prepared(_ s: String) -> JSONValue { Record.preparedJSONText(Data(s.utf8)).value }
        #expect(prepared("42") == 42)
        #expect(prepared(" 42") == " 42")  // only a leading digit, '-', '"', '[' or '{' makes it JSON
        #expect(prepared("[1,2]") == [1, 2])
        #expect(prepared("null") == .null && prepared("true") == .bool(true))
        #expect(prepared("") == "" && prepared("{oops") == "{oops")
        #expect(Coerce.json(" [1]") == " [1]")
        for good in ["tab\t", "line\nbreak", "back\u{08}space", "form\u{0C}", "snow\u{2603}", "emoji\u{1F600}", "zero\u{200B}width"] {
            #expect(Record.goQuoteIsJSON(good), "\(good.debugDescription)")
        }
        for bad in ["nul\u{00}", "bell\u{07}", "vtab\u{0B}", "del\u{7F}", "tag\u{E0001}", "private\u{F0000}"] {
            #expect(!Record.goQuoteIsJSON(bad), "\(bad.debugDescription)")
            #expect(!Record.preparedJSONText(Data(bad.utf8)).marshalable)
        }
        #expect(!Record.preparedJSONText(Data([0x61, 0xFF])).marshalable)  // Quote writes \xff
        #expect(Record.preparedJSONText(Data("\"a\\u0007\"".utf8)).marshalable)  // valid JSON text is kept as is
    }
}
