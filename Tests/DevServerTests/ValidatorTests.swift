import Foundation
import Testing

@testable import DevServer
@testable import PocketBase

@Suite struct ValidatorTests {
    let validator = RecordValidator(relationExists: { _, ids in ids.allSatisfy { $0.hasPrefix("ok") } })
    let c = CollectionModel(
        id: "c", name: "c", type: .base, system: false, fields: [], indexes: [], options: JSONObject(), created: "", updated: "")

    func check(_ f: Field, _ v: JSONValue) throws -> FieldError? {
        try validator.validate(field: f, value: v, record: Record(collection: c), isNew: true)
    }

    @Test func text() throws {
        let f = Field.make("text", "t", ["min": 4, "max": 6, "pattern": "^[a-z]+$", "required": true])
        #expect(try check(f, "") == .required)
        #expect(try check(f, "abc")?.code == "validation_min_text_constraint")
        #expect(try check(f, "abc")?.params == JSONObject([("min", 4)]))
        #expect(try check(f, "abcdefg")?.code == "validation_max_text_constraint")
        #expect(try check(f, "ABCD")?.code == "validation_invalid_format")
        #expect(try check(f, "abcd") == nil)
        let unlimited = Field.make("text", "u")
        #expect(try check(unlimited, .string(String(repeating: "x", count: 5001)))?.message == "Must be no more than 5000 character(s).")
    }

    /// The password field's cost is used as given in 4…31; anything else (only reachable by editing a data dir,
    /// since saving a collection refuses it) falls back to 10 instead of HummingbirdBcrypt's precondition.
    @Test func passwordCostIsUsedInRangeOnly() throws {
        func hash(cost: Int) -> String {
            let password = Field.make("password", "password", ["cost": .number(Double(cost))])
            let auth = CollectionModel(
                id: "a", name: "a", type: .auth, system: false, fields: [password], indexes: [], options: JSONObject(), created: "", updated: "")
            return auth.passwordHash("12345678")
        }
        #expect(hash(cost: 4).dropFirst(4).hasPrefix("04$"))
        #expect(hash(cost: 0).dropFirst(4).hasPrefix("10$"))
        #expect(hash(cost: 40).dropFirst(4).hasPrefix("10$"))
        #expect(hash(cost: -3).dropFirst(4).hasPrefix("10$"))
        #expect(Storage.fieldSettingsError([Field.make("password", "password", ["cost": 32])]) != nil)
        #expect(Storage.fieldSettingsError([Field.make("password", "password", ["cost": 31, "min": 8, "max": 71])]) == nil)
    }

    /// Found by the generated differential run (seed 1): date min/max were not checked.
    @Test func datesWithinMinAndMax() throws {
        let f = Field.make("date", "due", ["min": "2000-01-01 00:00:00.000Z", "max": "2030-06-01 12:00:00.500Z"])
        let early = try check(f, "1970-01-01 00:00:00.000Z")
        #expect(early?.code == "validation_min_greater_equal_than_required")
        #expect(early?.message == "Must be no less than 2000-01-01 00:00:00 +0000 UTC.")
        #expect(early?.params == JSONObject([("threshold", "2000-01-01T00:00:00Z")]))
        let late = try check(f, "2031-01-01 00:00:00.000Z")
        #expect(late?.message == "Must be no greater than 2030-06-01 12:00:00.5 +0000 UTC.")
        #expect(late?.params == JSONObject([("threshold", "2030-06-01T12:00:00.5Z")]))
        #expect(try check(f, "2000-01-01 00:00:00.000Z") == nil)
        #expect(try check(f, "") == nil)
    }

    @Test func numbers() throws {
        let f = Field.make("number", "n", ["min": 0, "max": .null, "onlyInt": true])
        #expect(try check(f, 0) == nil)
        #expect(try check(f, -1)?.message == "Must be larger than 0.000000.")
        #expect(try check(f, 1.5)?.code == "validation_only_int_constraint")
        let ranged = Field.make("number", "r", ["min": 1, "max": 100, "required": true])
        #expect(try check(ranged, 0) == .required)
        #expect(try check(ranged, 101)?.message == "Must be less than 100.000000.")
    }

    @Test func urlsAndEmails() throws {
        let url = Field.make("url", "from", ["onlyDomains": ["spotify.com", "open.spotify.com"]])
        #expect(try check(url, "https://open.spotify.com/track/1") == nil)
        #expect(try check(url, "not a url")?.code == "validation_invalid_url")
        #expect(try check(url, "open.spotify.com/track/x")?.code == "validation_url_domain_not_allowed")
        #expect(try check(url, "https://open.spotify.com:443/x")?.code == "validation_url_domain_not_allowed")
        #expect(try check(url, "https://SPOTIFY.com/x")?.code == "validation_url_domain_not_allowed")
        let email = Field.make("email", "e", ["exceptDomains": ["bad.com"]])
        #expect(try check(email, "not-an-email")?.code == "validation_is_email")
        #expect(try check(email, "a@bad.com")?.code == "validation_email_domain_not_allowed")
        #expect(try check(email, "a@good.com") == nil)
    }

    @Test func selectsAndRelations() throws {
        let s = Field.make("select", "s", ["maxSelect": 2, "values": ["a", "b", "c"]])
        #expect(try check(s, ["a", "b", "c"])?.params == JSONObject([("maxSelect", 2)]))
        #expect(try check(s, ["z"])?.message == "Invalid value z.")
        let r = Field.make("relation", "r", ["maxSelect": 1, "collectionId": "x", "required": true])
        #expect(try check(r, "") == .required)
        #expect(try check(r, "okid") == nil)
        #expect(try check(r, "missing")?.code == "validation_missing_rel_records")
    }

    @Test func jsonAndBoolRequired() throws {
        let j = Field.make("json", "j", ["required": true])
        for blank: JSONValue in [.null, "", [], .obj([:])] { #expect(try check(j, blank) == .required) }
        #expect(try check(j, .obj(["a": 1])) == nil)
        #expect(try check(Field.make("bool", "b", ["required": true]), false) == .required)
    }
}
