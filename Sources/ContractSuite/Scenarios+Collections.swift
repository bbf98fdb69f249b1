import Foundation
import PBJSON

extension Scenarios {
    static let collections: [Scenario] = [
        Scenario("collections: superuser only, lookups and errors", tags: [.readOnly, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            try expectError(try await ctx.send("GET", "/api/collections"), 401, "The request requires valid record authorization token.")
            let list = try await ctx.send("GET", "/api/collections?perPage=200", token: su)
            try expectStatus(list, 200)
            let items = try list.json()["items"]?.arrayValue ?? []
            let names = items.compactMap { $0["name"]?.stringValue }
            for n in ["_superusers", "_externalAuths", "_mfas", "_otps", "_authOrigins", "users", "random_short", "viewList", "analytics", "blocks", "testCollection", "random_short_dev"] {
                try expect(names.contains(n), "collection \(n) listed: \(names)")
            }
            let rs = try await ctx.send("GET", "/api/collections/random_short", token: su)
            try expectStatus(rs, 200)
            let rj = try rs.json()
            try expect(
                rj.objectValue?.keys == [
                    "id", "listRule", "viewRule", "createRule", "updateRule", "deleteRule", "name", "type", "fields", "indexes", "created", "updated", "system",
                ], "collection key order: \(rj.objectValue?.keys ?? [])")
            try expect(rj["id"] == "ocypvwxnoapmygg" && rj["listRule"] == "@request.auth.id != \"\" && user = @request.auth.id", "random_short rules")
            try expect(rs.text.contains("\\u0026\\u0026"), "rules are HTML-escaped in output")
            let byID = try await ctx.send("GET", "/api/collections/pbc_2589167811", token: su)
            try expect(try byID.json()["name"] == "viewList" && byID.json()["viewQuery"]?.stringValue?.contains("FROM random_short") == true, "view by id")
            let users = try await ctx.send("GET", "/api/collections/users", token: su)
            let uj = try users.json()
            try expect(uj["authToken"] == .obj(["duration": 1209600]), "token secrets are never serialised: \(uj["authToken"]?.encoded() ?? "")")
            try expectError(try await ctx.send("GET", "/api/collections/nope_\(ctx.runID)", token: su), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "/api/collections/nope_\(ctx.runID)", token: su), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "/api/collections/_superusers", token: su), 400, "Failed to delete collection.")
            try expectError(
                try await ctx.send("DELETE", "/api/collections/random_short", token: su), 400,
                "Failed to delete collection probably due to existing reference in analytics.")
            try expectError(
                try await ctx.send("DELETE", "/api/collections/viewList/truncate", token: su), 400,
                "View collections cannot be truncated since they don't store their own records.")
            try expectError(
                try await ctx.send("PUT", "/api/collections/import", json: .obj(["collections": []]), token: su), 400,
                "An error occurred while validating the submitted data.", data: .obj(["collections": blank]))
        },
        Scenario("collections: export → import round trip leaves the schema unchanged", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let before = try await ctx.send("GET", "/api/collections?perPage=200", token: su)
            let items = try before.json()["items"]?.arrayValue ?? []
            // The admin UI's export: drop created/updated and oauth2.providers.
            let exported: [JSONValue] = items.map { item in
                guard var o = item.objectValue else { return item }
                o["created"] = nil
                o["updated"] = nil
                if var oauth = o["oauth2"]?.objectValue { oauth["providers"] = nil; o["oauth2"] = .object(oauth) }
                return .object(o)
            }
            let imp = try await ctx.send("PUT", "/api/collections/import", json: .obj(["collections": .array(exported), "deleteMissing": false]), token: su)
            try expectStatus(imp, 204, "import")
            let after = try await ctx.send("GET", "/api/collections?perPage=200", token: su)
            let afterItems = try after.json()["items"]?.arrayValue ?? []
            func normalized(_ list: [JSONValue]) -> [String: JSONValue] {
                var out: [String: JSONValue] = [:]
                for item in list {
                    guard var o = item.objectValue, let name = o["name"]?.stringValue else { continue }
                    o["created"] = nil
                    o["updated"] = nil
                    // View field ids are regenerated on every save (`_clone_XXXX`), so compare names/types only.
                    if o["type"] == "view", let fields = o["fields"]?.arrayValue {
                        o["fields"] = .array(fields.map { f in .obj(["name": f["name"] ?? .null, "type": f["type"] ?? .null]) })
                    }
                    out[name] = .object(o)
                }
                return out
            }
            let b = normalized(items), a = normalized(afterItems)
            try expect(Set(b.keys) == Set(a.keys), "same collections after import")
            for (name, v) in b {
                try expect(a[name] == v, "collection \(name) changed by the round trip:\n  before \(v.encoded().prefix(400))\n  after  \(a[name]?.encoded().prefix(400) ?? "nil")")
            }
            try expectStatus(try await ctx.send("GET", "/api/collections/viewList/records?perPage=1"), 200, "view still works")
        },
        Scenario("collections: import rejects unknown field types atomically", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let bad = JSONValue.obj([
                "collections": [.obj(["name": .string("bad_\(ctx.runID)"), "type": "base", "fields": [.obj(["name": "x", "type": "nope"])]])],
            ])
            try expectError(
                try await ctx.send("PUT", "/api/collections/import", json: bad, token: su), 400, "Failed to import collections.",
                data: .obj([
                    "collections": fieldError(
                        "validation_collections_import_failure",
                        "Failed to import the collections configuration. Raw error:\nmissing or unknown field type in {\"name\":\"x\",\"type\":\"nope\"}."),
                ]))
            try expectError(try await ctx.send("GET", "/api/collections/bad_\(ctx.runID)", token: su), 404, "The requested resource wasn't found.")
        },
        Scenario("collections: rules are checked on save, field names are unique ignoring case", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let name = "rules_\(ctx.runID)"
            let fields: JSONValue = [.obj(["name": "title", "type": "text"]), .obj(["name": "owner", "type": "relation", "collectionId": "_pb_users_auth_", "maxSelect": 1])]
            func invalid(_ raw: String) -> JSONValue { fieldError("validation_invalid_rule", "Invalid rule. Raw error: \(raw).") }
            // Every broken rule is reported (fexpr's syntax errors and the resolver's, wrapped per operand); nothing saved.
            try expectError(
                try await ctx.send("POST", "/api/collections", json: .obj([
                    "name": .string(name), "type": "base", "fields": fields,
                    "listRule": "title = 1 &&", "viewRule": "titel = 'x'", "createRule": "owner.nope = 1", "updateRule": "title == 1",
                    "deleteRule": .string("@collection.nope_\(ctx.runID).x = 1"),
                ]), token: su), 400, "Failed to create collection.",
                data: .obj([
                    "createRule": invalid(#"invalid left operand "owner.nope" - unknown field "nope""#),
                    "deleteRule": invalid(#"invalid left operand "@collection.nope_\#(ctx.runID).x" - failed to load collection "nope_\#(ctx.runID)" from field path "@collection.nope_\#(ctx.runID).x""#),
                    "listRule": invalid("invalid or incomplete filter expression"),
                    "updateRule": invalid(#"invalid sign operator "==""#),
                    "viewRule": invalid(#"invalid left operand "titel" - unknown field "titel""#),
                ]))
            try expectError(try await ctx.send("GET", "/api/collections/\(name)", token: su), 404, "The requested resource wasn't found.")
            // A name repeated in another case is a column clash; the same name twice (no ids) is one field, the last.
            let clash = JSONValue.obj(["name": .string(name), "type": "base", "fields": [.obj(["name": "a", "type": "text"]), .obj(["name": "A", "type": "number"])]])
            try expectError(
                try await ctx.send("POST", "/api/collections", json: clash, token: su), 400, "Failed to create collection.",
                data: .obj(["fields": .obj(["2": .obj(["name": .obj([
                    "code": "validation_duplicated_field_name", "message": "Duplicated or invalid field name A.", "params": .obj(["fieldName": "A"]),
                ])])])]))
            let twice = JSONValue.obj([
                "name": .string(name), "type": "base", "listRule": "a > 1 && owner.email != '' && @request.auth.id != ''",
                "fields": [.obj(["name": "a", "type": "text"]), .obj(["name": "owner", "type": "relation", "collectionId": "_pb_users_auth_"]), .obj(["name": "a", "type": "number"])],
            ])
            let created = try await ctx.send("POST", "/api/collections", json: twice, token: su)
            try expectStatus(created, 200, "the repeated name replaces the first field in place")
            let got = try created.json()["fields"]?.arrayValue ?? []
            try expect(got.map { $0["name"]?.stringValue ?? "" } == ["id", "a", "owner"] && got[1]["type"] == "number" && got[1]["id"] == "text3904355907",
                "fields: \(created.text.prefix(600))")
            try expectStatus(try await ctx.send("DELETE", "/api/collections/\(name)", token: su), 204)
        },
        Scenario("collections: a password field's length and bcrypt cost are range-checked", tags: [.mutating, .needsSuperuser]) { ctx in
            // A cost over 31 would trap bcrypt (HummingbirdBcrypt preconditions) on the next password set.
            let su = try await ctx.superuser()
            let name = "pwcost_\(ctx.runID)"
            let created = try await ctx.send("POST", "/api/collections", json: .obj(["name": .string(name), "type": "auth", "createRule": ""]), token: su)
            try expectStatus(created, 200)
            let fields = try created.json()["fields"]?.arrayValue ?? []
            guard let index = fields.firstIndex(where: { $0["name"] == "password" }) else {
                throw ContractFailure("no password field: \(created.text.prefix(300))")
            }
            func withPassword(_ settings: [String: JSONValue]) -> JSONValue {
                var changed = fields
                if case .object(var o) = changed[index] {
                    for (k, v) in settings { o[k] = v }
                    changed[index] = .object(o)
                }
                return .obj(["fields": .array(changed)])
            }
            func range(_ code: String, _ word: String, _ threshold: Int) -> JSONValue {
                fieldError(code, "Must be no \(word) than \(threshold).", params: ["threshold": .number(Double(threshold))])
            }
            let min = "validation_min_greater_equal_than_required", max = "validation_max_less_equal_than_required"
            try expectError(
                try await ctx.send("PATCH", "/api/collections/\(name)", json: withPassword(["cost": 40, "min": -1]), token: su), 400,
                "Failed to update collection.",
                data: .obj(["fields": .obj(["\(index)": .obj(["cost": range(max, "greater", 31), "min": range(min, "less", 1)])])]))
            try expectError(
                try await ctx.send("PATCH", "/api/collections/\(name)", json: withPassword(["cost": 3, "min": 8, "max": 80]), token: su), 400,
                "Failed to update collection.",
                data: .obj(["fields": .obj(["\(index)": .obj(["cost": range(min, "less", 4), "max": range(max, "greater", 71)])])]))
            try expectError(
                try await ctx.send("PATCH", "/api/collections/\(name)", json: withPassword(["min": 8, "max": 5]), token: su), 400,
                "Failed to update collection.",
                data: .obj(["fields": .obj(["\(index)": .obj(["max": range(min, "less", 8)])])]))
            // In range, the cost is used as given: records get $2a$04$ hashes and log in.
            try expectStatus(try await ctx.send("PATCH", "/api/collections/\(name)", json: withPassword(["cost": 4]), token: su), 200)
            let email = "pw_\(ctx.runID)@example.com"
            let user = try await ctx.send(
                "POST", "/api/collections/\(name)/records", json: .obj(["email": .string(email), "password": "12345678", "passwordConfirm": "12345678"]))
            try expectStatus(user, 200)
            try expectStatus(
                try await ctx.send("POST", "/api/collections/\(name)/auth-with-password", json: .obj(["identity": .string(email), "password": "12345678"])), 200)
            try expectStatus(try await ctx.send("DELETE", "/api/collections/\(name)", token: su), 204)
        },
    ]
}
