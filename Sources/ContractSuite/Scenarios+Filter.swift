import Foundation
import PBJSON

extension Scenarios {
    static let filter: [Scenario] = [
        Scenario("filter: the frontend's queries (recent, top, slug lookup, dashboard, stats)", tags: [.mutating, .needsSuperuser]) { ctx in
            let owner = try await ctx.user("fo")
            let a = try await ctx.create("random_short", ctx.link("fa", extra: ["subdomain": "artist", "utm_view": 5, "user": .string(owner.id)]))
            _ = try await ctx.create("random_short", ctx.link("fb"))
            let aid = a["id"]!.stringValue!
            _ = try await ctx.create("analytics", .obj(["author": .string(aid), "utm_userAgent": "UA", "utm_country": "DE"]))
            // #5/#13 slug lookup through viewList, as pb.filter('id_url = {:id}') builds it
            let slug = try await ctx.list("viewList", filter: "id_url = '\(ctx.slug("fa"))'", query: "page=1&perPage=1")
            try expect(try ctx.column(slug, "id") == [aid], "slug lookup: \(slug.text.prefix(300))")
            try expect(try slug.json()["totalItems"] == .number(1), "slug lookup total")
            let missing = try await ctx.list("viewList", filter: "id_url = 'nope-\(ctx.runID)'", query: "page=1&perPage=1&skipTotal=1")
            try expect(try ctx.column(missing, "id").isEmpty, "free slug")
            // #4 top links
            let top = try await ctx.send("GET", "/api/collections/viewList/records?sort=-utm_view&fields=id_url,from,created,subdomain,utm_view&perPage=1000&page=1&filter=(utm_view%3E0)")
            let topSlugs = try ctx.column(top, "id_url")
            try expect(topSlugs.contains(ctx.slug("fa")) && !topSlugs.contains(ctx.slug("fb")), "top links filter")
            let views = try top.json()["items"]?.arrayValue?.compactMap { $0["utm_view"]?.numberValue } ?? []
            try expect(views == views.sorted(by: >), "top links sorted by -utm_view")
            // #8 dashboard: relation path through the view
            let dash = try await ctx.list("viewList", filter: "user.id = '\(owner.id)'", query: "page=1&perPage=50&sort=-created")
            try expect(try ctx.column(dash, "id") == [aid], "dashboard user.id filter: \(dash.text.prefix(300))")
            // #16 stats page: clicks of a link
            let clicks = try await ctx.list("analytics", filter: "author = '\(aid)'", query: "page=1&perPage=30&sort=-created")
            try expect(try ctx.column(clicks, "utm_country") == ["DE"], "analytics by author")
            // #3 total clicks uses totalItems only
            let total = try await ctx.send("GET", "/api/collections/analytics/records?sort=-created&perPage=10&page=1")
            try expect((try total.json()["totalItems"]?.numberValue ?? 0) >= 1, "total clicks")
        },
        Scenario("filter: operators, NULL-equals-empty, precedence, literals and macros", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let u = try await ctx.user("op")
            _ = try await ctx.create("random_short", ctx.link("oa", extra: ["subdomain": "artist", "utm_view": 5, "enable": true]))
            _ = try await ctx.create("random_short", ctx.link("ob"))
            _ = try await ctx.create("random_short", ctx.link("oc", extra: ["subdomain": "track", "utm_view": 12, "user": .string(u.id)]))
            let a = ctx.slug("oa"), b = ctx.slug("ob"), c = ctx.slug("oc")
            let cases: [(String, [String])] = [
                ("utm_view > 4", [a, c]), ("utm_view >= 5", [a, c]), ("utm_view < 5", [b]), ("utm_view <= 5", [a, b]),
                ("utm_view = 0", [b]), ("utm_view != 0", [a, c]), ("utm_view > '4'", [a, c]),
                ("subdomain = ''", [b]), ("subdomain != ''", [a, c]), ("subdomain = null", [b]), ("subdomain != null", [a, c]),
                ("user = ''", [a, b]), ("user != ''", [c]), ("user.username = 'op_\(ctx.runID)'", [c]), ("user.id = '\(u.id)'", [c]),
                ("id_url ~ 'oa-'", [a]), ("id_url !~ 'oa-'", [b, c]), ("id_url ~ 'oa-%'", [a]), ("id_url ~ '%\(ctx.runID)'", [a, b, c]),
                ("'artist' = subdomain", [a]), ("enable = true", [a]), ("enable = false", [b, c]), ("enable != true", [b, c]),
                ("subdomain = 'track' || utm_view = 5 && subdomain = ''", [c]),
                ("(subdomain = 'track' || utm_view = 5) && subdomain != ''", [a, c]),
                ("utm_view > 10 || (subdomain = 'artist' && user = '')", [a, c]),
                ("created <= @now && created >= @yearStart", [a, b, c]), ("created > @yearEnd", []),
                ("subdomain:each = 'artist'", [a]), ("subdomain:each ?= 'track'", [c]),
                ("@collection.users.id ?= user", [c]), ("@collection.users.username ?= 'op_\(ctx.runID)' && user != ''", [c]),
                ("id_url = \"\(a)\" // a comment", [a]), ("id_url = 'x' || id_url = \"\(b)\"", [b]), ("utm_view = 5.0", [a]), ("utm_view > -1 && utm_view < 6", [a, b]),
            ]
            for (f, expected) in cases {
                let r = try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)' && (\(f))", query: "perPage=100&sort=id_url&fields=id_url", token: su)
                try expect(try ctx.column(r, "id_url") == expected.sorted(), "filter \(f): expected \(expected), got \(r.text.prefix(300))")
            }
            let sorted = try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)'", query: "sort=-utm_view,id_url&fields=id_url", token: su)
            try expect(try ctx.column(sorted, "id_url") == [c, a, b], "multi-key sort")
            let byRel = try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)'", query: "sort=-user.username,id_url&fields=id_url", token: su)
            try expect(try ctx.column(byRel, "id_url").first == c, "sort through a relation")
        },
        Scenario("filter: back-relations and any/all on multi-valued paths", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let l1 = try await ctx.create("random_short", ctx.link("br1"))
            let l2 = try await ctx.create("random_short", ctx.link("br2"))
            _ = try await ctx.create("random_short", ctx.link("br3"))
            for (link, country) in [(l1, "DE"), (l1, "DE"), (l2, "DE"), (l2, "FR")] {
                _ = try await ctx.create("analytics", .obj(["author": link["id"]!, "utm_userAgent": "UA", "utm_country": .string(country)]))
            }
            let s1 = ctx.slug("br1"), s2 = ctx.slug("br2")
            let cases: [(String, [String])] = [
                ("analytics_via_author.utm_country ?= 'DE'", [s1, s2]), ("analytics_via_author.utm_country = 'DE'", [s1]),
                ("analytics_via_author.utm_country ?= 'FR'", [s2]), ("analytics_via_author.utm_country != 'FR'", [s1]),
                ("analytics_via_author.utm_country ?~ 'F'", [s2]), ("analytics_via_author.id != ''", [s1, s2]),
            ]
            for (f, expected) in cases {
                let r = try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)' && \(f)", query: "perPage=100&sort=id_url&fields=id_url", token: su)
                try expect(try ctx.column(r, "id_url") == expected, "filter \(f): expected \(expected), got \(r.text.prefix(300))")
                let count = try r.json()["totalItems"]?.numberValue
                try expect(count == Double(expected.count), "DISTINCT count for \(f): \(count ?? -1)")
            }
        },
        Scenario("filter: errors and limits", tags: [.readOnly, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let generic = "Something went wrong while processing your request."
            let bad = [
                "nope = 1", "id_url = ", "id_url = 'unclosed", "(id_url = 'a'", "id_url == 'a'", "id_url = 'a' &&", "id_url:lower = 'a'",
                "created > @yesterday", "id_url = 'a'\r\n", "", "user.nope = 1", "from.x = 1", "1.2.3 = id_url",
                String(repeating: "a", count: 3501),
                (0..<201).map { _ in "utm_view = 1" }.joined(separator: " || "),
            ]
            for f in bad {
                let r = try await ctx.send("GET", "/api/collections/viewList/records?filter=" + ScenarioContext.encode(f), token: su)
                if f.isEmpty {
                    try expectStatus(r, 200, "empty filter is ignored")
                } else {
                    try expectError(r, 400, generic)
                }
            }
            let ok200 = (0..<200).map { _ in "utm_view = 1" }.joined(separator: " || ")
            try expectStatus(try await ctx.send("GET", "/api/collections/viewList/records?perPage=1&filter=" + ScenarioContext.encode(ok200)), 200, "200 comparisons")
            try expectError(try await ctx.list("random_short", filter: "enable_analytics = true", token: (try await ctx.user("hf")).token), 400, generic)
            try expectError(try await ctx.send("GET", "/api/collections/viewList/records?filter=" + ScenarioContext.encode("@request.auth.id = ''")), 403, "Only superusers can filter by @request.")
            try expectError(try await ctx.send("GET", "/api/collections/viewList/records?filter=" + ScenarioContext.encode("@collection.users.id = ''")), 403, "Only superusers can filter by @collection.")
            try expectError(try await ctx.send("GET", "/api/collections/viewList/records?sort=nope"), 400, generic)
            try expectStatus(try await ctx.send("GET", "/api/collections/viewList/records?filter=" + ScenarioContext.encode("@request.auth.id = ''"), token: su), 200, "superusers may use @request")
        },
        Scenario("rules: guest, owner, other user and superuser on every sptfy.in collection", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let owner = try await ctx.user("ro")
            let other = try await ctx.user("rx")
            let link = try await ctx.create("random_short", ctx.link("rl", extra: ["user": .string(owner.id)]))
            let lid = link["id"]!.stringValue!
            let path = "/api/collections/random_short/records"
            // list: rule ANDed in → fewer items, never an error
            try expect(try ctx.column(try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)'", token: owner.token), "id") == [lid], "owner lists own link")
            try expect(try ctx.column(try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)'", token: other.token), "id").isEmpty, "other user lists nothing")
            try expect(try ctx.column(try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)'"), "id").isEmpty, "guest lists nothing")
            try expect(try ctx.column(try await ctx.list("random_short", filter: "id_url ~ '\(ctx.runID)'", token: su), "id") == [lid], "superuser bypasses")
            // view/delete: 404 when the rule fails
            try expectStatus(try await ctx.send("GET", "\(path)/\(lid)", token: owner.token), 200, "owner view")
            try expectError(try await ctx.send("GET", "\(path)/\(lid)", token: other.token), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "\(path)/\(lid)", token: other.token), 404, "The requested resource wasn't found.")
            // users: update/delete `id = @request.auth.id`
            try expectStatus(try await ctx.send("PATCH", "/api/collections/users/records/\(owner.id)", json: .obj(["bio": "hi"]), token: owner.token), 200, "self update")
            try expectError(try await ctx.send("PATCH", "/api/collections/users/records/\(owner.id)", json: .obj(["bio": "x"]), token: other.token), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("PATCH", "/api/collections/users/records/\(owner.id)", json: .obj(["bio": "x"])), 404, "The requested resource wasn't found.")
            try expectError(
                try await ctx.send("PATCH", "/api/collections/users/records/\(owner.id)", json: .obj(["password": "newpassword1", "passwordConfirm": "newpassword1"]), token: owner.token),
                400, "Failed to update record.", data: .obj(["oldPassword": blank]))
            let me = try await ctx.send("GET", "/api/collections/users/records/\(owner.id)", token: owner.token)
            try expect(try me.json()["email"]?.stringValue == "ro.\(ctx.runID)@example.com", "owner sees own email")
            let them = try await ctx.send("GET", "/api/collections/users/records/\(owner.id)", token: other.token)
            try expect(try them.json().objectValue?["email"] == nil, "others don't see the email")
            try expect(try ctx.column(try await ctx.list("users", filter: "email = 'ro.\(ctx.runID)@example.com'"), "id").isEmpty, "email filter respects emailVisibility")
            // owner delete works
            try expectStatus(try await ctx.send("DELETE", "\(path)/\(lid)", token: owner.token), 204, "owner delete")
        },
        Scenario("rules: create rule dry-run reports unique errors first", tags: [.mutating, .needsSuperuser]) { ctx in
            _ = try await ctx.create("random_short", ctx.link("dr"))
            let r = try await ctx.send("POST", "/api/collections/random_short/records", json: ctx.link("dr", extra: ["from": "https://example.com/x"]))
            try expectError(r, 400, "Failed to create record.", data: .obj(["id": notUnique, "id_url": notUnique]))
        },
        Scenario("expand: relations, back-relations and related view rules", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let u = try await ctx.user("ex")
            let link = try await ctx.create("random_short", ctx.link("ex", extra: ["user": .string(u.id)]))
            let lid = link["id"]!.stringValue!
            let click = try await ctx.create("analytics", .obj(["author": .string(lid), "utm_userAgent": "UA", "utm_country": "DE"]))
            let r = try await ctx.send("GET", "/api/collections/random_short/records/\(lid)?expand=user,analytics_via_author", token: su)
            let e = try r.json()["expand"]
            try expect(e?["user"]?["id"]?.stringValue == u.id, "expand.user: \(r.text.prefix(400))")
            try expect(e?["analytics_via_author"]?.arrayValue?.first?["id"] == click["id"], "back-relation expand is an array")
            let guest = try await ctx.send("GET", "/api/collections/viewList/records/\(lid)?expand=user")
            let gu = try guest.json()["expand"]?["user"]
            try expect(gu?["id"]?.stringValue == u.id && gu?.objectValue?["email"] == nil, "guest expand hides the email: \(guest.text.prefix(300))")
            let denied = try await ctx.send("GET", "/api/collections/analytics/records/\(click["id"]!.stringValue!)?expand=author")
            try expect(try denied.json()["expand"] == .obj([:]), "related viewRule fails → empty expand: \(denied.text.prefix(300))")
            let none = try await ctx.send("GET", "/api/collections/analytics/records/\(click["id"]!.stringValue!)?expand=nope")
            try expect(try none.json().objectValue?["expand"] == nil, "unknown relation adds no expand key")
            let nested = try await ctx.send("GET", "/api/collections/analytics/records/\(click["id"]!.stringValue!)?expand=author.user", token: su)
            try expect(try nested.json()["expand"]?["author"]?["expand"]?["user"]?["id"]?.stringValue == u.id, "nested expand: \(nested.text.prefix(400))")
            let ex = try await ctx.send("GET", "/api/collections/viewList/records/\(lid)?fields=" + ScenarioContext.encode("id_url:excerpt(4,true),from:excerpt(10)"))
            try expect(try ex.json() == .obj(["from": "https://op", "id_url": .string(ctx.slug("ex").prefix(4) + "...")]), "excerpt modifier: \(ex.text)")
            let picked = try await ctx.send("GET", "/api/collections/random_short/records/\(lid)?expand=user&fields=id,expand.user.username", token: su)
            try expect(try picked.json() == .obj(["expand": .obj(["user": .obj(["username": .string("ex_\(ctx.runID)")])]), "id": .string(lid)]), "fields with expand paths: \(picked.text)")
        },
    ]
}
