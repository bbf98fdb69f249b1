import Foundation
import PBJSON

/// sptfy.in's hooks through the frontend's flows (sptfyin-backend.md §2, §3.3 A, C, D, G/H, L).
extension Scenarios {
    static let links = "/api/collections/random_short/records"

    /// The production body: PocketBase's sanitiser turns the hook's plain nested strings into "Invalid value." errors.
    static let missingToken: JSONValue = {
        let invalid = fieldError("validation_invalid_value", "Invalid value.")
        return .obj(["verification": .obj(["code": invalid, "message": invalid])])
    }()

    static func verificationFailed(_ code: String) -> JSONValue {
        .obj(["verification": .obj(["code": .string(code), "message": "Turnstile verification failed."])])
    }

    /// Creates a link (token attached by `send`), deletes it afterwards, returns the record.
    static func createLink(
        _ ctx: ScenarioContext, _ hint: String, extra: [String: JSONValue] = [:], token: String? = nil
    ) async throws -> JSONObject {
        let r = try await ctx.send("POST", links, json: ctx.link(hint, extra: extra), token: token)
        try expectStatus(r, 200, "create link \(hint)")
        guard let o = try r.json().objectValue, let id = o["id"]?.stringValue else { throw ContractFailure("no id: \(r.text)") }
        let su = try await ctx.superuser()
        ctx.cleanup { _ = try? await ctx.send("DELETE", "\(links)/\(id)", token: su) }
        return o
    }

    static func patch(_ ctx: ScenarioContext, _ id: String, _ body: JSONValue, token: String? = nil) async throws -> ContractResponse {
        try await ctx.send("PATCH", "\(links)/\(id)", json: body, token: token)
    }

    static func slugCount(_ ctx: ScenarioContext, _ slug: String) async throws -> Int {
        try await ctx.column(ctx.list("viewList", filter: "id_url = '\(slug)'", query: "page=1&perPage=1"), "id").count
    }

    static let sptfy: [Scenario] = [
        Scenario("A: guest create is gated by Turnstile (header spellings, missing, forged, slug taken, bad domain)", tags: [.mutating, .needsSuperuser]) {
            ctx in
            let su = try await ctx.superuser()
            try expectError(try await ctx.send("POST", links, json: ctx.link("nt"), turnstile: nil), 400, "Turnstile error.", data: missingToken)
            try expectError(
                try await ctx.send("POST", links, json: ctx.link("nt"), headers: [("X-Turnstile-Token", "")], turnstile: nil), 400, "Turnstile error.",
                data: missingToken)
            // superusers are gated too, and the gate runs before the create rule and validation
            try expectError(try await ctx.send("POST", links, json: ctx.link("nt"), token: su, turnstile: nil), 400, "Turnstile error.", data: missingToken)
            try expectError(try await ctx.send("POST", links, json: .obj([:]), turnstile: nil), 400, "Turnstile error.", data: missingToken)
            // test secrets only accept the dummy token
            try expectError(
                try await ctx.send("POST", links, json: ctx.link("nt"), turnstile: "forged.token"), 400, "Turnstile verification failed.",
                data: verificationFailed("invalid-input-secret"))
            try expect(try await slugCount(ctx, ctx.slug("nt")) == 0, "refused creates leave nothing behind")

            for (i, header) in ["X-Turnstile-Token", "x-turnstile-token", "X_Turnstile_Token"].enumerated() {
                let r = try await ctx.send(
                    "POST", links, json: ctx.link("hs\(i)", extra: ["subdomain": "track", "enable": true]),
                    headers: [(header, ScenarioContext.turnstileToken)])
                try expectStatus(r, 200, "token in \(header)")
                let rec = try r.json()
                let id = rec["id"]?.stringValue ?? ""
                ctx.cleanup { _ = try? await ctx.send("DELETE", "\(links)/\(id)", token: su) }
                try expect(
                    rec["user"] == "" && rec["subdomain"] == "track" && rec["enable"] == .bool(true) && rec["utm_view"] == .number(0),
                    "guest link: \(rec.encoded())")
            }
            try expect(try await slugCount(ctx, ctx.slug("hs0")) == 1, "the frontend's availability check sees the slug")
            try expectError(
                try await ctx.send("POST", links, json: ctx.link("hs0")), 400, "Failed to create record.", data: .obj(["id": notUnique, "id_url": notUnique]))
            try expectError(
                try await ctx.send("POST", links, json: ctx.link("bd", extra: ["from": "https://spotify.link/abc"])), 400, "Failed to create record.",
                data: .obj(["from": fieldError("validation_url_domain_not_allowed", "Url domain is not allowed.")]))
        },
        Scenario("A: widget tokens from the Turnstile stub are single-use", tags: [.mutating], requires: [.http, .turnstileStub]) { ctx in
            guard let turnstile = ctx.target.turnstile else { throw ContractFailure("no Turnstile stub") }
            let minted = try await turnstile.send(ContractRequest(
                "POST", "/turnstile/v0/mint", headers: [("Content-Type", "text/plain")],
                body: Array(#"{"sitekey":"1x00000000000000000000AA","hostname":"127.0.0.1"}"#.utf8)))
            try expectStatus(minted, 200, "mint")
            let token = try minted.json()["token"]?.stringValue ?? ""
            try expect(!token.isEmpty, "minted token: \(minted.text)")
            let first = try await ctx.send("POST", links, json: ctx.link("tk2"), turnstile: token)
            try expectStatus(first, 200, "first use of a widget token")
            let id = try first.json()["id"]?.stringValue ?? ""
            let su = try await ctx.superuser()
            ctx.cleanup { _ = try? await ctx.send("DELETE", "\(links)/\(id)", token: su) }
            let second = try await ctx.send("POST", links, json: ctx.link("tk3"), turnstile: token)
            if token == ScenarioContext.turnstileToken {
                // a stub without strict mode hands out the dummy token, which test secrets accept every time
                try expectStatus(second, 200, "dummy tokens are reusable")
                let id2 = try second.json()["id"]?.stringValue ?? ""
                ctx.cleanup { _ = try? await ctx.send("DELETE", "\(links)/\(id2)", token: su) }
            } else {
                try expectError(second, 400, "Turnstile verification failed.", data: verificationFailed("timeout-or-duplicate"))
            }
        },
        Scenario("C: logged-in create stores the owner; the dashboard lists it", tags: [.mutating, .needsSuperuser]) { ctx in
            let (uid, token) = try await ctx.user("lc")
            let rec = try await createLink(ctx, "lc", extra: ["user": .string(uid), "subdomain": "album", "enable": true], token: token)
            try expect(rec["user"] == .string(uid) && rec["subdomain"] == "album", "owned link: \(JSONValue.object(rec).encoded())")
            let dash = try await ctx.list("viewList", filter: "user.id = '\(uid)'", query: "page=1&perPage=50&sort=-created")
            try expect(try ctx.column(dash, "id_url") == [ctx.slug("lc")], "dashboard list: \(dash.text.prefix(300))")
            let own = try await ctx.send("GET", "\(links)/\(rec["id"]?.stringValue ?? "")", token: token)
            try expectStatus(own, 200, "owner reads the link")
        },
        Scenario("D: redirect — slug lookup, analytics create, utm_view+1 only", tags: [.mutating, .needsSuperuser]) { ctx in
            let link = try await createLink(ctx, "rd", extra: ["subdomain": "playlist", "enable": true])
            let id = link["id"]?.stringValue ?? ""
            let lookup = try await ctx.list("viewList", filter: "id_url = '\(ctx.slug("rd"))'", query: "page=1&perPage=1")
            try expect(try ctx.column(lookup, "id") == [id], "viewList lookup: \(lookup.text.prefix(300))")
            let click = try await ctx.send(
                "POST", "/api/collections/analytics/records",
                json: .obj([
                    "author": .string(id), "utm_userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36", "utm_country": "ID",
                    "url_id": .string(id), "rawData": "ID", "created": "2020-01-01T00:00:00.000Z",
                ]))
            try expectStatus(click, 200, "analytics create")
            let c = try click.json()
            try expect(c["url_id"] == nil && c["created"]?.stringValue?.hasPrefix("2020") == false, "unknown keys and created are ignored: \(c.encoded())")
            try expectError(
                try await ctx.send("POST", "/api/collections/analytics/records", json: .obj(["author": .string(id), "utm_userAgent": "x"])), 400,
                "Failed to create record.", data: .obj(["utm_country": blank]))
            for expected in [1, 2] {
                let r = try await patch(ctx, id, .obj(["utm_view+": 1]))
                try expectStatus(r, 200, "utm_view+ 1")
                try expect(try r.json()["utm_view"] == .number(Double(expected)), "counter \(expected): \(r.text)")
            }
            let refused = "Field \"utm_view\" can only be incremented by 1."
            try expectError(try await patch(ctx, id, .obj(["utm_view": 4])), 400, refused)
            try expectError(try await patch(ctx, id, .obj(["utm_view+": 2])), 400, refused)
            try expectError(try await patch(ctx, id, .obj(["utm_view-": 1])), 400, refused)
            let (_, userToken) = try await ctx.user("rdu")
            try expectError(try await patch(ctx, id, .obj(["utm_view": 0]), token: userToken), 400, refused)
            let absolute = try await patch(ctx, id, .obj(["utm_view": 3]), token: userToken)
            try expect(absolute.status == 200 && (try absolute.json()["utm_view"]) == .number(3), "N+1 as a value is an increment: \(absolute.text)")
            try expectStatus(try await patch(ctx, id, .obj(["utm_view": 3, "enable": true])), 200, "unchanged values pass")
            let su = try await ctx.superuser()
            let set = try await patch(ctx, id, .obj(["utm_view": 100]), token: su)
            try expect(set.status == 200 && (try set.json()["utm_view"]) == .number(100), "superusers set anything: \(set.text)")
            let stats = try await ctx.list("analytics", filter: "author = '\(id)'", query: "page=1&perPage=30&sort=-created")
            try expect(try ctx.column(stats, "utm_country") == ["ID"], "stats page list: \(stats.text.prefix(300))")
        },
        Scenario("G/H: owner edits and deletes; other users, guests and protected fields are refused", tags: [.mutating, .needsSuperuser]) { ctx in
            let (uid, token) = try await ctx.user("ow")
            let (_, otherToken) = try await ctx.user("ot")
            let link = try await createLink(ctx, "ow", extra: ["user": .string(uid), "subdomain": "artist", "enable": true], token: token)
            let id = link["id"]?.stringValue ?? ""
            let edited = try await patch(
                ctx, id, .obj(["from": .string("https://open.spotify.com/album/\(ctx.runID)"), "id_url": .string(ctx.slug("ow2")), "subdomain": "playlist"]),
                token: token)
            try expectStatus(edited, 200, "owner edits from/id_url/subdomain")
            try expect(try edited.json()["id_url"] == .string(ctx.slug("ow2")), "edited: \(edited.text)")
            try expectError(try await patch(ctx, id, .obj(["enable": false]), token: token), 400, "Field \"enable\" cannot be updated.")
            try expectError(try await patch(ctx, id, .obj(["id_url": .string(ctx.slug("ot"))]), token: otherToken), 400, "Field \"id_url\" cannot be updated.")
            try expectError(try await patch(ctx, id, .obj(["from": "https://open.spotify.com/x"])), 400, "Field \"from\" cannot be updated.")
            // the owner's edits still go through validation after the hook
            let short = try await patch(ctx, id, .obj(["id_url": "ab"]), token: token)
            try expectStatus(short, 400, "too short")
            try expect(try short.json()["data"]?["id_url"]?["code"] == "validation_min_text_constraint", "validation after the hook: \(short.text)")
            try expectError(try await patch(ctx, "nope\(ctx.runID)", .obj(["id_url": "abcd"]), token: token), 404, "The requested resource wasn't found.")
            // the guard is global: a user cannot change their own name, but username/onboarded are fine
            try expectError(
                try await ctx.send("PATCH", "/api/collections/users/records/\(uid)", json: .obj(["name": "New Name"]), token: token), 400,
                "Field \"name\" cannot be updated.")
            let onboard = try await ctx.send(
                "PATCH", "/api/collections/users/records/\(uid)", json: .obj(["username": .string("ow2_\(ctx.runID)"), "onboarded": true]), token: token)
            try expectStatus(onboard, 200, "onboarding PATCH")
            let su = try await ctx.superuser()
            try expectStatus(try await patch(ctx, id, .obj(["enable": false, "name": "x"]), token: su), 200, "superusers bypass the guard")
            // other users cannot see or delete it; the owner can
            try expectError(try await ctx.send("GET", "\(links)/\(id)", token: otherToken), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "\(links)/\(id)", token: otherToken), 404, "The requested resource wasn't found.")
            let click = try await ctx.send(
                "POST", "/api/collections/analytics/records", json: .obj(["author": .string(id), "utm_userAgent": "x", "utm_country": "DE"]))
            try expectStatus(click, 200, "click")
            try expectStatus(try await ctx.send("DELETE", "\(links)/\(id)", token: token), 204, "owner deletes")
            let left = try await ctx.list("analytics", filter: "author = '\(id)'")
            try expect(try ctx.column(left, "id").isEmpty, "analytics cascade with the link")
        },
        Scenario("L: /api/admin/stats shape and values on the scenario's data; /hello/{name}", tags: [.mutating, .needsSuperuser]) { ctx in
            try await adminStats(ctx)
        },
    ]
}
