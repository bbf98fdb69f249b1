import Foundation
import PBJSON

extension Scenarios {
    static let records: [Scenario] = [
        Scenario("random_short: create, view, list, update, delete as superuser", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let created = try await ctx.create("random_short", ctx.link("crud", extra: ["subdomain": "track", "enable": true]))
            let id = created["id"]!.stringValue!
            try expect(
                created.keys == [
                    "collectionId", "collectionName", "created", "enable", "enable_analytics", "from", "id", "id_url", "subdomain", "updated",
                    "user", "utm_view",
                ], "record keys sorted with hidden fields for superusers: \(created.keys)")
            try expect(id.count == 15 && id.allSatisfy { $0.isLowercase || $0.isNumber }, "generated id: \(id)")
            try expect(created["collectionId"] == "ocypvwxnoapmygg" && created["utm_view"] == .number(0) && created["user"] == "", "defaults")
            let created_at = created["created"]?.stringValue ?? ""
            try expect(isPBDate(created_at), "created date format: \(created_at)")

            let view = try await ctx.send("GET", "/api/collections/random_short/records/\(id)", token: su)
            try expectStatus(view, 200)
            try expectPocketBaseJSON(view)
            try expect(try view.json().objectValue == created, "view equals create response")

            let list = try await ctx.send("GET", "/api/collections/random_short/records?perPage=1000&sort=-created", token: su)
            try expectStatus(list, 200)
            let lj = try list.json()
            try expect(lj.objectValue?.keys == ["items", "page", "perPage", "totalItems", "totalPages"], "list envelope keys")
            try expect(lj["items"]?.arrayValue?.contains { $0["id"]?.stringValue == id } == true, "list contains record")

            let upd = try await ctx.send(
                "PATCH", "/api/collections/random_short/records/\(id)", json: .obj(["subdomain": "album", "utm_view+": 2]), token: su)
            try expectStatus(upd, 200, "update")
            let u = try upd.json()
            try expect(u["subdomain"] == "album" && u["utm_view"] == .number(2), "update applied: \(upd.text)")
            let minus = try await ctx.send("PATCH", "/api/collections/random_short/records/\(id)", json: .obj(["utm_view-": 1]), token: su)
            try expect(try minus.json()["utm_view"] == .number(1), "utm_view- applied: \(minus.text)")
            try expectError(
                try await ctx.send("PATCH", "/api/collections/random_short/records/\(id)", json: .obj(["utm_view-": 5]), token: su), 400,
                "Failed to update record.", data: .obj(["utm_view": fieldError("validation_min_number_constraint", "Must be larger than 0.000000.")]))
            try expectError(
                try await ctx.send("PATCH", "/api/collections/random_short/records/\(id)", json: .obj(["id": "otherid12345678"]), token: su), 400,
                "Failed to update record.",
                data: .obj(["id": fieldError("validation_pk_change", "The record primary key cannot be changed.")]))

            let del = try await ctx.send("DELETE", "/api/collections/random_short/records/\(id)", token: su)
            try expectStatus(del, 204)
            try expect(del.body.isEmpty && del.header("Content-Type") == nil, "204 has no body/content type")
            try expectError(try await ctx.send("GET", "/api/collections/random_short/records/\(id)", token: su), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "/api/collections/random_short/records/\(id)", token: su), 404, "The requested resource wasn't found.")
        },
        Scenario("analytics: CRUD and cascade delete with its link", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let link = try await ctx.create("random_short", ctx.link("cas"))
            let linkID = link["id"]!.stringValue!
            let a = try await ctx.send(
                "POST", "/api/collections/analytics/records",
                json: .obj(["author": .string(linkID), "utm_userAgent": "Mozilla/5.0", "utm_country": "DE", "url_id": "ignored"]))
            try expectStatus(a, 200, "guest analytics create")
            let aj = try a.json()
            let aid = aj["id"]?.stringValue ?? ""
            try expect(aj.objectValue?["updated"] == nil, "hidden updated not shown to guests: \(a.text)")
            try expect(aj["rawData"] == "" && aj["author"] == .string(linkID), "analytics values")
            try expectStatus(try await ctx.send("GET", "/api/collections/analytics/records/\(aid)"), 200, "public view")
            try expectError(
                try await ctx.send("PATCH", "/api/collections/analytics/records/\(aid)", json: .obj(["utm_country": "FR"])), 403,
                "Only superusers can perform this action.")
            try expectStatus(try await ctx.send("DELETE", "/api/collections/random_short/records/\(linkID)", token: su), 204)
            try expectError(try await ctx.send("GET", "/api/collections/analytics/records/\(aid)"), 404, "The requested resource wasn't found.")
        },
        Scenario("users, blocks, testCollection, random_short_dev: CRUD as superuser", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let user = try await ctx.create(
                "users",
                .obj([
                    "username": .string("u_\(ctx.runID)"), "email": .string("\(ctx.runID)@example.com"), "password": "12345678",
                    "passwordConfirm": "12345678", "name": "Test User",
                ]))
            let uid = user["id"]!.stringValue!
            try expect(user["verified"] == .bool(false) && user["onboarded"] == .bool(false), "user defaults: \(user)")
            try expect(user["password"] == nil && user["tokenKey"] == nil, "password/tokenKey never exported")
            let guestView = try await ctx.send("GET", "/api/collections/users/records/\(uid)")
            try expectStatus(guestView, 200)
            try expect(
                try guestView.json().objectValue?.keys == [
                    "avatar", "bio", "collectionId", "collectionName", "created", "id", "name", "onboarded", "spotify_id", "updated", "username",
                ], "guest sees no email/hidden fields: \(guestView.text)")
            let block = try await ctx.create("blocks", .obj(["author": .string(uid), "isTrack": "yes"]))
            try expect(block["author"] == .string(uid), "block author")
            try expectError(
                try await ctx.send("DELETE", "/api/collections/users/records/\(uid)", token: su), 400,
                "Failed to delete record. Make sure that the record is not part of a required relation reference.")
            let tc = try await ctx.create("testCollection", .obj(["name": "n", "field": true, "utm_view": 3]))
            let tcu = try await ctx.send(
                "PATCH", "/api/collections/testCollection/records/\(tc["id"]!.stringValue!)", json: .obj(["utm_view+": 1]), token: su)
            try expect(try tcu.json()["utm_view"] == .number(4), "testCollection utm_view+: \(tcu.text)")
            let dev = try await ctx.create("random_short_dev", .obj(["from": "https://open.spotify.com/x", "id_url": .string("Dev_\(ctx.runID)")]))
            try expect(dev["id_url"] == .string("Dev_\(ctx.runID)"), "random_short_dev has no id_url pattern")
        },
        Scenario("random_short: duplicate id_url reports id and id_url", tags: [.mutating, .needsSuperuser]) { ctx in
            _ = try await ctx.create("random_short", ctx.link("dup"))
            let r = try await ctx.send("POST", "/api/collections/random_short/records", json: ctx.link("dup"), token: try await ctx.superuser())
            try expectError(r, 400, "Failed to create record.", data: .obj(["id": notUnique, "id_url": notUnique]))
            let custom = "c" + ctx.runID + "123456"
            _ = try await ctx.create("random_short", ctx.link("cid", extra: ["id": .string(custom)]))
            try expectError(
                try await ctx.send("POST", "/api/collections/random_short/records", json: ctx.link("cid2", extra: ["id": .string(custom)])), 400,
                "Failed to create record.", data: .obj(["id": notUnique]))
        },
        Scenario("hidden fields: dropped from guest input and output", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let r = try await ctx.send("POST", "/api/collections/random_short/records", json: ctx.link("hid", extra: ["enable_analytics": true]))
            try expectStatus(r, 200)
            let j = try r.json()
            let id = j["id"]?.stringValue ?? ""
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/random_short/records/\(id)", token: su) }
            try expect(j.objectValue?["enable_analytics"] == nil && j.objectValue?["updated"] == nil, "guest response hides hidden fields: \(r.text)")
            let stored = try await ctx.send("GET", "/api/collections/random_short/records/\(id)", token: su)
            try expect(try stored.json()["enable_analytics"] == .bool(false), "guest value for a hidden field was dropped: \(stored.text)")
            try expectError(try await ctx.send("GET", "/api/collections/viewList/records?sort=updated"), 400, "Something went wrong while processing your request.")
        },
        Scenario("views are read-only", tags: [.readOnly, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            for token in [nil, su] {
                try expectError(try await ctx.send("POST", "/api/collections/viewList/records", json: ctx.link("v"), token: token), 400, "Unsupported collection type.")
                try expectError(try await ctx.send("PATCH", "/api/collections/viewList/records/abc", json: .obj([:]), token: token), 400, "Unsupported collection type.")
                try expectError(try await ctx.send("DELETE", "/api/collections/viewList/records/abc", token: token), 400, "Unsupported collection type.")
            }
        },
        Scenario("viewList: public list exposes the view's columns", tags: [.mutating, .needsSuperuser]) { ctx in
            let link = try await ctx.create("random_short", ctx.link("vl", extra: ["subdomain": "artist"]))
            let id = link["id"]!.stringValue!
            let r = try await ctx.send("GET", "/api/collections/viewList/records/\(id)")
            try expectStatus(r, 200)
            try expect(
                try r.json().objectValue?.keys == ["collectionId", "collectionName", "created", "from", "id", "id_url", "subdomain", "user", "utm_view"],
                "viewList record keys: \(r.text)")
            let list = try await ctx.send("GET", "/api/collections/viewList/records?sort=-created&fields=id_url,from,created,subdomain&perPage=10&page=1")
            try expectStatus(list, 200)
            let first = try list.json()["items"]?.arrayValue?.first
            try expect(first?.objectValue?.keys == ["created", "from", "id_url", "subdomain"], "fields projection: \(list.text.prefix(300))")
        },
        Scenario("rules: null → 403, owner expressions hide records from guests", tags: [.mutating, .needsSuperuser]) { ctx in
            let link = try await ctx.create("random_short", ctx.link("rule"))
            let id = link["id"]!.stringValue!
            try expectError(try await ctx.send("GET", "/api/collections/blocks/records"), 403, "Only superusers can perform this action.")
            try expectError(try await ctx.send("GET", "/api/collections/random_short_dev/records"), 403, "Only superusers can perform this action.")
            try expectError(
                try await ctx.send("POST", "/api/collections/testCollection/records", json: .obj(["field": true])), 403,
                "Only superusers can perform this action.")
            try expectError(try await ctx.send("DELETE", "/api/collections/analytics/records/\(id)"), 403, "Only superusers can perform this action.")
            let list = try await ctx.send("GET", "/api/collections/random_short/records")
            try expectStatus(list, 200)
            try expect(list.text == "{\"items\":[],\"page\":1,\"perPage\":30,\"totalItems\":0,\"totalPages\":0}\n", "guest list is empty: \(list.text)")
            try expectError(try await ctx.send("GET", "/api/collections/random_short/records/\(id)"), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("DELETE", "/api/collections/random_short/records/\(id)"), 404, "The requested resource wasn't found.")
        },
        Scenario("list: paging, clamping, skipTotal and sort errors", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            for i in 0..<3 { _ = try await ctx.create("random_short", ctx.link("pg\(i)")) }
            let base = "/api/collections/random_short/records"
            let big = try await ctx.send("GET", base + "?perPage=5000&fields=id", token: su)
            try expect(try big.json()["perPage"] == .number(1000), "perPage clamps to 1000")
            let zero = try await ctx.send("GET", base + "?page=0&perPage=0&fields=id", token: su)
            try expect(try zero.json()["page"] == .number(1) && zero.json()["perPage"] == .number(30), "page/perPage <= 0 → defaults")
            let skip = try await ctx.send("GET", base + "?perPage=2&skipTotal=1", token: su)
            let sj = try skip.json()
            try expect(sj["totalItems"] == .number(-1) && sj["totalPages"] == .number(-1) && sj["items"]?.arrayValue?.count == 2, "skipTotal: \(skip.text.prefix(200))")
            let two = try await ctx.send("GET", base + "?perPage=2", token: su)
            let tj = try two.json()
            let total = tj["totalItems"]?.numberValue ?? 0
            try expect(tj["totalPages"]?.numberValue == (total / 2).rounded(.up), "totalPages = ceil(total/perPage)")
            let beyond = try await ctx.send("GET", base + "?page=100000&perPage=2", token: su)
            try expect(try beyond.json()["items"]?.arrayValue?.isEmpty == true, "page beyond the end is empty")
            let generic = "Something went wrong while processing your request."
            try expectError(try await ctx.send("GET", base + "?page=abc", token: su), 400, generic)
            try expectError(try await ctx.send("GET", base + "?skipTotal=yes", token: su), 400, generic)
            try expectError(try await ctx.send("GET", base + "?sort=nope", token: su), 400, generic)
            try expectStatus(try await ctx.send("GET", base + "?sort=@random,-utm_view,+id_url", token: su), 200, "@random and multi-key sort")
            let sorted = try await ctx.send("GET", base + "?sort=-id_url&perPage=1000&fields=id_url", token: su)
            let slugs = try sorted.json()["items"]?.arrayValue?.compactMap { $0["id_url"]?.stringValue } ?? []
            try expect(slugs == slugs.sorted(by: >), "sort=-id_url orders descending")
            try expectError(try await ctx.send("GET", base + "?filter=" + "%40request.auth.id%3D''"), 403, "Only superusers can filter by @request.")
            // Every GET route answers HEAD: same status and Content-Length, no body.
            let get = try await ctx.send("GET", base + "?perPage=1&sort=id_url&fields=id_url", token: su)
            let head = try await ctx.send("HEAD", base + "?perPage=1&sort=id_url&fields=id_url", token: su)
            try expectStatus(head, 200, "HEAD list")
            try expect(head.body.isEmpty, "HEAD has no body")
            try expect(head.header("Content-Length") == String(get.body.count), "HEAD Content-Length \(head.header("Content-Length") ?? "nil") vs \(get.body.count)")
        },
        Scenario("bodies: multipart and urlencoded with PocketBase's type inference", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let boundary = "----sptfy\(ctx.runID)"
            var mp = ""
            for (k, v) in [("from", "https://open.spotify.com/mp"), ("id_url", ctx.slug("mp")), ("utm_view", "7"), ("enable", "true")] {
                mp += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
            }
            mp += "--\(boundary)\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n{\"subdomain\":\"play\"}\r\n--\(boundary)--\r\n"
            let r = try await ctx.send(
                "POST", "/api/collections/random_short/records", token: su,
                headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], rawBody: Array(mp.utf8))
            try expectStatus(r, 200, "multipart create")
            let j = try r.json()
            let id = j["id"]?.stringValue ?? ""
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/random_short/records/\(id)", token: su) }
            try expect(j["utm_view"] == .number(7) && j["enable"] == .bool(true) && j["subdomain"] == "play", "multipart values: \(r.text)")
            let form = "from=https%3A%2F%2Fopen.spotify.com%2Fue&id_url=\(ctx.slug("ue"))&utm_view=3"
            let u = try await ctx.send(
                "POST", "/api/collections/random_short/records", token: su,
                headers: [("Content-Type", "application/x-www-form-urlencoded")], rawBody: Array(form.utf8))
            try expectStatus(u, 200, "urlencoded create")
            let uj = try u.json()
            let uid = uj["id"]?.stringValue ?? ""
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/random_short/records/\(uid)", token: su) }
            try expect(uj["utm_view"] == .number(3), "urlencoded utm_view: \(u.text)")
            let coerced = try await ctx.create(
                "random_short",
                .obj([
                    "from": "https://open.spotify.com/coerce?x=<b>&y=1", "id_url": .string(ctx.slug("co")), "utm_view": "12",
                    "enable": "yes", "subdomain": ["artist", "play"],
                ]))
            try expect(coerced["utm_view"] == .number(12) && coerced["enable"] == .bool(false) && coerced["subdomain"] == "play", "cast semantics: \(coerced)")
            let raw = try await ctx.send("GET", "/api/collections/random_short/records/\(coerced["id"]!.stringValue!)", token: su)
            try expect(raw.text.contains("coerce?x=\\u003cb\\u003e\\u0026y=1"), "HTML-escaped output: \(raw.text.prefix(300))")
        },
        Scenario("files: upload an avatar, download it, missing files 404", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)
            let boundary = "----sptfyfile\(ctx.runID)"
            var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n".utf8)
            body += Array(JSONValue.obj(["username": .string("f_\(ctx.runID)"), "password": "12345678", "passwordConfirm": "12345678"]).encoded().utf8)
            body += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"My Avatar.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += png + Array("\r\n--\(boundary)--\r\n".utf8)
            let r = try await ctx.send(
                "POST", "/api/collections/users/records", token: su, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                rawBody: body)
            try expectStatus(r, 200, "multipart upload")
            let j = try r.json()
            let uid = j["id"]?.stringValue ?? ""
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/users/records/\(uid)", token: su) }
            let avatar = j["avatar"]?.stringValue ?? ""
            try expect(avatar.hasPrefix("my_avatar_") && avatar.hasSuffix(".png") && avatar.count == "my_avatar_".count + 10 + 4, "stored name: \(avatar)")
            let file = try await ctx.send("GET", "/api/files/_pb_users_auth_/\(uid)/\(avatar)")
            try expectStatus(file, 200, "download")
            try expect(file.body == png, "downloaded bytes equal the upload")
            try expect(file.header("Content-Type") == "image/png", "content type: \(file.header("Content-Type") ?? "nil")")
            try expect(file.header("X-Frame-Options") == nil, "file route drops X-Frame-Options")
            try expectError(try await ctx.send("GET", "/api/files/users/\(uid)/other.png"), 404, "The requested resource wasn't found.")
            let cleared = try await ctx.send("PATCH", "/api/collections/users/records/\(uid)", json: .obj(["avatar": ""]), token: su)
            try expect(try cleared.json()["avatar"] == "", "avatar cleared")
            try expectError(try await ctx.send("GET", "/api/files/users/\(uid)/\(avatar)"), 404, "The requested resource wasn't found.")
        },
    ]
}

func isPBDate(_ s: String) -> Bool {
    let chars = Array(s)
    guard chars.count == 24 else { return false }
    let pattern = Array("dddd-dd-dd dd:dd:dd.dddZ")
    return zip(chars, pattern).allSatisfy { c, p in p == "d" ? c.isNumber : c == p }
}
