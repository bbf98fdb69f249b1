import Foundation
import PBJSON

extension Scenarios {
    /// A throwaway collection with every field shape the sptfy.in schema lacks (multi select/relation, json, date).
    static let filterMatrix: [Scenario] = [
        Scenario("filter matrix: operators × field types × single/multi relations, modifiers, @request", tags: [.mutating, .destructive, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let name = "ct_\(ctx.runID)"
            let fields: [JSONValue] = [
                .obj(["name": "title", "type": "text"]), .obj(["name": "n", "type": "number"]), .obj(["name": "flag", "type": "bool"]),
                .obj(["name": "tags", "type": "select", "maxSelect": 3, "values": ["a", "b", "c"]]),
                .obj(["name": "kind", "type": "select", "maxSelect": 1, "values": ["x", "y"]]),
                .obj(["name": "rels", "type": "relation", "maxSelect": 5, "collectionId": "_pb_users_auth_"]),
                .obj(["name": "rel", "type": "relation", "maxSelect": 1, "collectionId": "_pb_users_auth_"]),
                .obj(["name": "data", "type": "json"]), .obj(["name": "when", "type": "date"]),
            ]
            let created = try await ctx.send(
                "POST", "/api/collections", json: .obj(["name": .string(name), "type": "base", "fields": .array(fields), "listRule": "", "viewRule": ""]), token: su)
            try expectStatus(created, 200, "create collection")
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/\(name)", token: su) }
            let u1 = try await ctx.user("m1"), u2 = try await ctx.user("m2")
            let rows: [(String, JSONValue)] = [
                ("r1", .obj(["title": "alpha", "n": 1, "flag": true, "tags": ["a", "b"], "kind": "x", "rels": [.string(u1.id), .string(u2.id)], "rel": .string(u1.id),
                            "data": .obj(["k": "v", "list": [1, 2]]), "when": "2024-01-02 03:04:05.000Z"])),
                ("r2", .obj(["title": "beta", "n": 2, "tags": ["a"], "rels": [.string(u1.id)], "data": .obj(["k": "w"]), "when": "2025-06-01 00:00:00.000Z"])),
                ("r3", .obj(["title": "gamma", "n": 3, "tags": [], "kind": "y", "rel": .string(u2.id)])),
            ]
            var ids: [String: String] = [:]
            for (key, body) in rows {
                let r = try await ctx.send("POST", "/api/collections/\(name)/records", json: body, token: su)
                try expectStatus(r, 200, "create \(key)")
                ids[key] = try r.json()["id"]?.stringValue
            }
            func titles(_ filter: String, query: String = "", headers: [(String, String)] = []) async throws -> [String] {
                let r = try await ctx.send(
                    "GET", "/api/collections/\(name)/records?sort=title&fields=title&filter=" + ScenarioContext.encode(filter) + query, token: su, headers: headers)
                return try ctx.column(r, "title")
            }
            let cases: [(String, [String])] = [
                ("title = 'alpha'", ["alpha"]), ("title != 'alpha'", ["beta", "gamma"]), ("title ~ 'ph'", ["alpha"]), ("title !~ 'a'", []),
                ("title > 'b'", ["beta", "gamma"]), ("title <= 'beta'", ["alpha", "beta"]),
                ("n >= 2", ["beta", "gamma"]), ("n < 2", ["alpha"]), ("n = 2.0", ["beta"]),
                ("flag = true", ["alpha"]), ("flag != true", ["beta", "gamma"]),
                ("kind = 'x'", ["alpha"]), ("kind = ''", ["beta"]), ("kind ?= 'y'", ["gamma"]),
                ("tags ?= 'a'", []), ("tags ~ 'a'", ["alpha", "beta"]), ("tags:each ?= 'b'", ["alpha"]), ("tags:each = 'a'", ["beta"]),
                ("tags:length = 2", ["alpha"]), ("tags:length > 0", ["alpha", "beta"]), ("tags:each != 'c'", ["alpha", "beta"]),
                ("rels.id ?= '\(u2.id)'", ["alpha"]), ("rels.id = '\(u1.id)'", ["beta"]), ("rels ?= '\(u1.id)'", []),
                ("rels:length = 2", ["alpha"]), ("rels.username ?~ 'm2_'", ["alpha"]), ("rel.username = 'm2_\(ctx.runID)'", ["gamma"]),
                ("rel.id = '\(u1.id)'", ["alpha"]), ("rel = ''", ["beta"]), ("rels:each ?= '\(u2.id)'", ["alpha"]),
                ("data.k = 'v'", ["alpha"]), ("data.list.1 = 2", ["alpha"]), ("data.k != 'v'", ["beta", "gamma"]), ("data = null", ["gamma"]),
                ("when > '2025-01-01'", ["beta"]), ("when = ''", ["gamma"]), ("when < @now && when != ''", ["alpha", "beta"]),
                ("@request.method = 'GET' && n = 1", ["alpha"]), ("@request.context = 'default' && n = 2", ["beta"]),
                ("@request.query.q = 'go' && n = 3", ["gamma"]), ("@request.headers.x_probe = 'on' && n = 1", ["alpha"]),
                ("@request.body.x:isset = false && n = 1", ["alpha"]), ("@request.auth.collectionName = '_superusers' && n = 2", ["beta"]),
                ("@collection.users.id ?= rel && n > 0", ["alpha", "gamma"]),
            ]
            for (f, expected) in cases {
                let got = try await titles(f, query: "&q=go", headers: [("X-Probe", "on")])
                try expect(got == expected, "filter \(f): expected \(expected), got \(got)")
            }
            let sorted = try await ctx.send("GET", "/api/collections/\(name)/records?sort=-n&fields=title", token: su)
            try expect(try ctx.column(sorted, "title") == ["gamma", "beta", "alpha"], "sort -n")
            let expanded = try await ctx.send("GET", "/api/collections/\(name)/records/\(ids["r1"]!)?expand=rels,rel", token: su)
            let e = try expanded.json()["expand"]
            try expect(e?["rels"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [u1.id, u2.id], "multi expand keeps id order: \(expanded.text.prefix(300))")
            try expect(e?["rel"]?["id"]?.stringValue == u1.id, "single expand")
        },
    ]
}
