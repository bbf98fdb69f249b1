import Foundation
import Testing

@testable import DevServer
@testable import PocketBase

@Suite struct SupportTests {
    /// Ids: the right length and alphabet, every character in use, none favoured (36 does not divide 256, so
    /// plain `byte % 36` would give a–d about 14% more often; rejection sampling must not).
    @Test func randomIdsAreUniformOverTheirAlphabet() {
        var counts: [Character: Int] = [:]
        for _ in 0..<20000 {
            let id = Identifiers.recordID()
            #expect(id.count == 15 && id.allSatisfy { Identifiers.lowerAlphanumeric.contains($0) })
            for c in id { counts[c, default: 0] += 1 }
        }
        #expect(counts.count == 36)
        // 300,000 draws over 36 characters: 8,333 expected each, σ ≈ 90; a–d biased would sit near 9,375.
        #expect(counts.values.allSatisfy { (7900...8800).contains($0) }, "\(counts.sorted { $0.key < $1.key })")
        let key = Identifiers.tokenKey()
        #expect(key.count == 50 && key.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(Identifiers.random(0).isEmpty)
    }

    @Test func datesUseMillisecondsAndSpace() {
        #expect(PBDate.format(Date(timeIntervalSince1970: 1_704_164_645.0069)) == "2024-01-02 03:04:05.006Z")
        #expect(PBDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000Z")
        #expect(PBDate.formatMillis(-1) == "1969-12-31 23:59:59.999Z")
        #expect(PBDate.formatMillis(253_402_300_799_999) == "9999-12-31 23:59:59.999Z")
        // The digit writer agrees with Foundation's formatter across leap days, month ends and a wide range of years.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS'Z'"
        var ms: Int64 = -2_208_988_800_000  // 1900-01-01
        while ms < 4_102_444_800_000 {  // 2100-01-01
            #expect(PBDate.formatMillis(ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)))
            ms += 7_777_777_777
        }
    }

    @Test(arguments: [
        ("2024-01-02 03:04:05.000Z", "2024-01-02 03:04:05.000Z"), ("2024-01-02", "2024-01-02 00:00:00.000Z"),
        ("2024-01-02T03:04:05Z", "2024-01-02 03:04:05.000Z"), ("2024-01-02T05:04:05+02:00", "2024-01-02 03:04:05.000Z"),
        ("2024-02-29 23:59:59.999Z", "2024-02-29 23:59:59.999Z"), ("not a date", ""), ("", ""), ("2024-13-01", ""),
    ])
    func dateNormalisation(_ input: String, _ expected: String) {
        #expect(PBDate.normalize(input) == expected)
    }

    @Test func idsMatchPocketBase() {
        #expect(Identifiers.collectionID(type: "auth", name: "_superusers") == "pbc_3142635823")
        #expect(Identifiers.collectionID(type: "base", name: "_mfas") == "pbc_2279338944")
        #expect(Identifiers.fieldID(type: "text", name: "id") == "text3208210256")
        #expect(Identifiers.fieldID(type: "password", name: "password") == "password901924565")
        #expect(Identifiers.fieldID(type: "email", name: "email") == "email3885137012")
        let id = Identifiers.recordID()
        #expect(id.count == 15 && id.allSatisfy { Identifiers.lowerAlphanumeric.contains($0) })
    }

    @Test func autogeneratePatterns() {
        let u = Identifiers.generate(pattern: "users[0-9]{6}")
        #expect(u.hasPrefix("users") && u.count == 11 && u.dropFirst(5).allSatisfy(\.isNumber))
        let k = Identifiers.generate(pattern: "[a-zA-Z0-9_]{50}")
        #expect(k.count == 50 && k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    @Test func storedFileNames() {
        let n = FileNames.normalize("My Document.PNG")
        #expect(n.hasPrefix("my_document_") && n.hasSuffix(".PNG") && n.count == "my_document_".count + 10 + 4)
        let short = FileNames.normalize("a.txt")
        #expect(short.hasPrefix("a") && short.hasSuffix(".txt") && short.count == 1 + 10 + 1 + 10 + 4)
        #expect(FileNames.normalize("backup.tar.gz").hasSuffix(".tar.gz"))
        #expect(FileNames.snakecase("helloWorld-Foo bar") == "hello_world_foo_bar")
    }

    @Test func errorMessagesAreSentenized() {
        #expect(APIError.sentenize("custom failure") == "Custom failure.")
        #expect(APIError.sentenize("Done!") == "Done!")
        #expect(APIError(.badRequest).message == "Something went wrong while processing your request.")
        #expect(APIError(.notFound).json.encoded() == #"{"data":{},"message":"The requested resource wasn't found.","status":404}"#)
    }
}
