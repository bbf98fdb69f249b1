import Foundation
import PBJSON

extension ScenarioContext {
    /// Creates a collection (deleted afterwards) and returns its API JSON.
    @discardableResult
    public func collection(_ body: JSONValue) async throws -> JSONObject {
        let su = try await superuser()
        let r = try await send("POST", "/api/collections", json: body, token: su)
        try expectStatus(r, 200, "create collection: \(r.text)")
        guard let o = try r.json().objectValue, let id = o["id"]?.stringValue else { throw ContractFailure("no collection id") }
        cleanup { [self] in _ = try? await send("DELETE", "/api/collections/\(id)", token: su) }
        return o
    }

    /// A base collection `<prefix>_<runID>` that guests may list, view and create in (deleted afterwards); its name.
    public func openCollection(_ prefix: String, fields: [JSONValue]) async throws -> String {
        let name = "\(prefix)_\(runID)"
        try await collection(
            .obj(["name": .string(name), "type": "base", "listRule": "", "viewRule": "", "createRule": "", "fields": .array(fields)]))
        return name
    }

    /// A multipart body with the given text fields and files (name, filename, bytes).
    public static func multipart(boundary: String, fields: [(String, String)], files: [(String, String, [UInt8])] = []) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, filename, data) in files {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n\r\n".utf8)
            out += data + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n".utf8)
    }
}

/// Divergences the generated differential run found (issue 11), each pinned on every target.
extension Scenarios {
    static let parity: [Scenario] = [
        Scenario("parity: json values, RE2 patterns, mime types and field defaults", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = "pj_\(ctx.runID)"
            let c = try await ctx.collection(
                .obj([
                    "name": .string(name), "type": "base", "listRule": "", "viewRule": "", "createRule": "", "updateRule": "", "deleteRule": "",
                    "fields": [
                        .obj(["name": "title", "type": "text", "pattern": "^[a-z0-9-]+$"]),
                        .obj(["name": "handle", "type": "text", "pattern": "^[\\w][\\w\\.\\-]*$"]),
                        .obj(["name": "meta", "type": "json"]), .obj(["name": "n", "type": "number"]),
                        .obj(["name": "doc", "type": "file", "maxSelect": 1, "maxSize": 1000, "mimeTypes": ["text/plain"]]),
                    ],
                ]))
            // Every option of the type is serialised, with its zero value when not submitted.
            let n = c["fields"]?.arrayValue?.first { $0["name"] == "n" }?.objectValue
            try expect(
                n?.keys == ["hidden", "id", "max", "min", "name", "onlyInt", "presentable", "required", "system", "type"]
                    && n?["min"] == .null && n?["onlyInt"] == .bool(false), "number field defaults: \(n.map { JSONValue.object($0).encoded() } ?? "")")
            let records = "/api/collections/\(name)/records"
            for (value, expected) in [
                (JSONValue(42), JSONValue(42)), (.bool(true), .bool(true)), ("x", "x"), ("42", 42), ("{\"a\":1}", .obj(["a": 1])), (.null, .null),
            ] {
                let r = try await ctx.send("POST", records, json: .obj(["meta": value]))
                try expectStatus(r, 200, "json \(value.encoded())")
                try expect(try r.json()["meta"] == expected, "json \(value.encoded()) stored as \(expected.encoded()): \(r.text)")
                let id = try r.json()["id"]?.stringValue ?? ""
                let view = try await ctx.send("GET", "\(records)/\(id)")
                try expect(try view.json()["meta"] == expected, "json \(value.encoded()) reads back: \(view.text)")
            }
            // Huge numbers survive SQLite's REAL conversion (within its rounding: PocketBase reads back -1.4999999999999998e+300).
            let huge = try await ctx.send("POST", records, json: .obj(["meta": .number(-1.5e300)]))
            let hugeID = try huge.json()["id"]?.stringValue ?? ""
            let hugeBack = try await ctx.send("GET", "\(records)/\(hugeID)").json()["meta"]?.numberValue ?? 0
            try expect(abs(hugeBack / -1.5e300 - 1) < 1e-12, "huge json number: \(hugeBack)")
            // `$` is the end of the text and `\w` is ASCII, as in Go's RE2.
            for (field, value) in [("title", "abc\n"), ("handle", "\u{0430}bc"), ("handle", "\u{FF41}b"), ("handle", "caf\u{E9}")] {
                let r = try await ctx.send("POST", records, json: .object(JSONObject([(field, .string(value))])))
                try expectError(
                    r, 400, "Failed to create record.",
                    data: .object(JSONObject([(field, fieldError("validation_invalid_format", "Invalid value format."))])))
            }
            try expectStatus(try await ctx.send("POST", records, json: .obj(["title": "abc-1", "handle": "a.b-c_9"])), 200, "valid patterns")
            // A sniffed `text/plain; charset=utf-8` satisfies `mimeTypes: ["text/plain"]`.
            let upload = ScenarioContext.multipart(boundary: "PB", fields: [("title", "doc")], files: [("doc", "note.txt", Array("hello".utf8))])
            let up = try await ctx.send("POST", records, headers: [("Content-Type", "multipart/form-data; boundary=PB")], rawBody: upload)
            try expectStatus(up, 200, "txt upload: \(up.text)")
        },
        Scenario("parity: fields picker failures, cast numbers, paging overflow, case-sensitive content types", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = try await ctx.openCollection("pf", fields: [.obj(["name": "title", "type": "text"]), .obj(["name": "n", "type": "number"])])
            let records = "/api/collections/\(name)/records"
            let created = try await ctx.send("POST", records, json: .obj(["title": "abcdefghij-klmnopqrst-uvwxyz", "n": 7]))
            let id = try created.json()["id"]?.stringValue ?? ""
            // PocketBase writes the status before picking: a failed pick is an empty 200.
            for bad in ["title:excerpt(abc)", "title:excerpt(0)", "title:excerpt(-1)", "title:excerpt()", "title:nope(5)", "title:excerpt(5,true,x)"] {
                let r = try await ctx.send("GET", "\(records)/\(id)?fields=\(ScenarioContext.encode(bad))")
                try expect(r.status == 200 && r.body.isEmpty, "\(bad): \(r.status) \(r.text)")
                let list = try await ctx.send("GET", "\(records)?fields=\(ScenarioContext.encode(bad))")
                try expect(list.status == 200 && list.body.isEmpty, "list \(bad): \(list.status) \(list.text)")
            }
            for (fields, expected) in [("title:excerpt(010)", "abcdefgh"), ("title:excerpt(0x3,true)", "abc..."), ("title:excerpt(5.0)", "abcde")] {
                let r = try await ctx.send("GET", "\(records)/\(id)?fields=\(ScenarioContext.encode(fields))")
                try expect(try r.json() == .obj(["title": .string(expected)]), "\(fields): \(r.text)")
            }
            try expect(try await ctx.send("GET", "\(records)/\(id)?fields=n:excerpt(-1)").json() == .obj(["n": 7]), "non-strings untouched")
            // Go's perPage*(page-1) wraps; dbx drops a non-positive OFFSET: the first page comes back.
            let huge = try await ctx.send("GET", "\(records)?page=9223372036854775807")
            try expectStatus(huge, 200)
            try expect(try huge.json()["items"]?.arrayValue?.count == 1, "overflowing page lists the first page: \(huge.text)")
            for q in ["page=99999999999999999999", "perPage=1e3", "page=abc"] {
                try expectError(try await ctx.send("GET", "\(records)?\(q)"), 400, "Something went wrong while processing your request.")
            }
            let upper = try await ctx.send("POST", records, headers: [("Content-Type", "APPLICATION/JSON")], rawBody: Array("{\"title\":\"x\"}".utf8))
            try expectError(upper, 400, "Unsupported Content-Type.")
            // A JSON body with 200,000 keys: unknown keys are ignored.
            let many = "{" + (0..<200_000).map { "\"k\($0)\":1" }.joined(separator: ",") + ",\"title\":\"many\"}"
            let manyKeys = try await ctx.send("POST", records, headers: [("Content-Type", "application/json")], rawBody: Array(many.utf8))
            try expect(manyKeys.status == 200 && (try manyKeys.json()["title"]) == "many", "200k keys: \(manyKeys.status)")
            // Go's multipart limits: an empty boundary and more than 1000 parts are refused.
            let part = ScenarioContext.multipart(boundary: "B", fields: [("title", "mp")])
            try expectError(
                try await ctx.send("POST", records, headers: [("Content-Type", "multipart/form-data; boundary=")], rawBody: part), 400,
                "Something went wrong while processing your request.")
            let fields = (0..<1001).map { ("f\($0)", "v") }
            try expectError(
                try await ctx.send(
                    "POST", records, headers: [("Content-Type", "multipart/form-data; boundary=B")],
                    rawBody: ScenarioContext.multipart(boundary: "B", fields: fields)), 400, "Something went wrong while processing your request.")
            let ok = try await ctx.send(
                "POST", records, headers: [("Content-Type", "multipart/form-data; boundary=B")],
                rawBody: ScenarioContext.multipart(boundary: "B", fields: [("title", "thousand")] + (0..<999).map { ("f\($0)", "v") }))
            try expectStatus(ok, 200, "1000 parts")
        },
        Scenario("parity: expand failures drop the path; legacy back-relation syntax", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = "pe_\(ctx.runID)"
            let c = try await ctx.collection(
                .obj(["name": .string(name), "type": "base", "listRule": "", "viewRule": "", "createRule": "", "fields": [.obj(["name": "title", "type": "text"])]]))
            let cid = c["id"]?.stringValue ?? ""
            let su = try await ctx.superuser()
            let patch = try await ctx.send(
                "PATCH", "/api/collections/\(cid)", json: .obj(["fields": .array((c["fields"]?.arrayValue ?? []) + [.obj(["name": "rel", "type": "relation", "collectionId": .string(cid), "maxSelect": 1])])]),
                token: su)
            try expectStatus(patch, 200, "self relation: \(patch.text)")
            let records = "/api/collections/\(name)/records"
            let parent = try await ctx.send("POST", records, json: .obj(["title": "parent"]))
            let pid = try parent.json()["id"]?.stringValue ?? ""
            let child = try await ctx.send("POST", records, json: .obj(["title": "child", "rel": .string(pid)]))
            let kid = try child.json()["id"]?.stringValue ?? ""
            func expandOf(_ id: String, _ expand: String) async throws -> JSONValue? {
                let r = try await ctx.send("GET", "\(records)/\(id)?expand=\(ScenarioContext.encode(expand))")
                try expectStatus(r, 200, "expand \(expand)")
                return try r.json()["expand"]
            }
            try expect(try await expandOf(kid, "rel.nope") == nil, "a failing nested path adds nothing")
            try expect(try await expandOf(kid, "nope") == nil, "unknown path")
            try expect(try await expandOf(kid, "rel,nope")?["rel"]?["id"] == .string(pid), "the valid path stays")
            try expect(try await expandOf(kid, "rel,rel.nope") == nil, "rel is contained in rel.nope, which fails")
            try expect(try await expandOf(kid, ".rel.")?["rel"]?["id"] == .string(pid), "dots trimmed")
            let legacy = try await expandOf(pid, "\(name)(rel)")
            try expect(legacy?["\(name)(rel)"]?.arrayValue?.first?["id"] == .string(kid), "legacy name(field): \(legacy?.encoded() ?? "nil")")
            let via = try await expandOf(pid, "\(name)_via_rel")
            try expect(via?["\(name)_via_rel"]?.arrayValue?.first?["id"] == .string(kid), "_via_: \(via?.encoded() ?? "nil")")
        },
        Scenario("parity: NUL in filters, end-of-period macros, rowid on views, typed view columns", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = try await ctx.openCollection("pm", fields: [.obj(["name": "title", "type": "text"]), .obj(["name": "d", "type": "date"]), .obj(["name": "n", "type": "number"]), .obj(["name": "meta", "type": "json"])])
            let records = "/api/collections/\(name)/records"
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC") ?? utc.timeZone
            let now = Date()
            let today = utc.startOfDay(for: now)
            let monthDays = utc.range(of: .day, in: .month, for: now)?.count ?? 28
            let monthStart = utc.date(from: utc.dateComponents([.year, .month], from: now)) ?? today
            let monthLast = monthStart.addingTimeInterval(Double(monthDays) * 86_400)
            let dates: [(String, Date)] = [
                ("today-end", today.addingTimeInterval(86_399.999)), ("tomorrow", today.addingTimeInterval(86_400)),
                ("month-end", monthLast.addingTimeInterval(-0.001)), ("next-month", monthLast),
            ]
            for (title, date) in dates {
                try expectStatus(
                    try await ctx.send("POST", records, json: .obj(["title": .string(title), "d": .string(PBDate.format(date)), "n": 3, "meta": .obj(["a": 1])])), 200)
            }
            func titles(_ filter: String) async throws -> Set<String> { Set(try ctx.column(try await ctx.list(name, filter: filter), "title")) }
            let todayEnd = try await titles("d <= @todayEnd")
            try expect(todayEnd.contains("today-end") && !todayEnd.contains("tomorrow"), "d <= @todayEnd: \(todayEnd)")
            try expect(try await titles("d < @todayEnd").contains("today-end") == false, "d < @todayEnd excludes the last millisecond")
            let monthEnd = try await titles("d >= @monthEnd")
            try expect(monthEnd.contains("month-end") && monthEnd.contains("next-month"), "d >= @monthEnd: \(monthEnd)")
            try expect(try await titles("d > @monthEnd") == ["next-month"], "d > @monthEnd")
            // fexpr reads NUL as the end of input.
            try expectStatus(try await ctx.send("GET", "\(records)?filter=title%3D'tomorrow'%00garbage(("), 200, "NUL after an expression")
            try expect(try ctx.column(try await ctx.send("GET", "\(records)?filter=title%00%3D'tomorrow'"), "title") == ["tomorrow"], "NUL swallowed")
            try expectError(
                try await ctx.send("GET", "\(records)?filter=title%3D'a%00b'"), 400, "Something went wrong while processing your request.")
            // PocketBase's view-query parser refuses an unparenthesised expression and a query without id.
            let su = try await ctx.superuser()
            for (query, reason, fields) in [
                ("SELECT id, n * 2 AS c0 FROM \(name)", "invalid identifier parts [n * 2 AS c0]", fieldError("validation_required", "Cannot be blank.")),
                (
                    "SELECT title FROM \(name)", "missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't have one)",
                    fieldError("validation_missing_primary_key", "Missing or invalid \"id\" PK field.")
                ),
            ] {
                let r = try await ctx.send(
                    "POST", "/api/collections", json: .obj(["name": .string("pq_\(ctx.runID)"), "type": "view", "viewQuery": .string(query)]), token: su)
                try expectError(
                    r, 400, "Failed to create collection.",
                    data: .obj(["fields": fields, "viewQuery": fieldError("validation_invalid_view_query", "Invalid query - \(reason).")]))
            }
            // A view: rowid sorts fail, column types follow core/view.go, computed numbers are values.
            let view = "pv_\(ctx.runID)"
            let v = try await ctx.collection(
                .obj([
                    "name": .string(view), "type": "view", "listRule": "", "viewRule": "",
                    "viewQuery": .string(
                        "select t.id, count(*) as c, total(t.n) as tot, cast(t.n as real) as cr, cast(t.title as text) as ct, (t.n*2) as dbl, sum(t.n) as s, json_extract(t.meta, '$.a') as ja, t.title from \(name) t group by t.id"
                    ),
                ]))
            let types = Dictionary((v["fields"]?.arrayValue ?? []).compactMap { f in f["name"]?.stringValue.map { ($0, f["type"]?.stringValue ?? "") } }, uniquingKeysWith: { a, _ in a })
            try expect(
                types == ["id": "text", "c": "number", "tot": "number", "cr": "number", "ct": "text", "dbl": "json", "s": "json", "ja": "json", "title": "text"],
                "view column types: \(types)")
            try expectError(try await ctx.send("GET", "/api/collections/\(view)/records?sort=@rowid"), 400, "Something went wrong while processing your request.")
            let rows = try await ctx.send("GET", "/api/collections/\(view)/records?filter=\(ScenarioContext.encode("title='tomorrow'"))")
            let row = try rows.json()["items"]?.arrayValue?.first
            try expect(
                row?["dbl"] == .number(6) && row?["s"] == .number(3) && row?["cr"] == .number(3) && row?["ja"] == .number(1) && row?["c"] == .number(1),
                "computed view values: \(rows.text)")
        },
        Scenario("parity: view ids compare as text; json text Go cannot quote; double-quoted literals", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = try await ctx.openCollection("pt", fields: [.obj(["name": "kind", "type": "text"]), .obj(["name": "meta", "type": "json"])])
            let records = "/api/collections/\(name)/records"
            // JSONField.PrepareValue: a string is JSON only when it starts like JSON; one Go's strconv.Quote writes as
            // `\a`/`\x01` is not valid JSON and is refused.
            let spaced = try await ctx.send("POST", records, json: .obj(["kind": "a", "meta": " 42"]))
            try expect(try spaced.json()["meta"] == " 42", "a string with a leading space stays a string: \(spaced.text)")
            for bad in ["bell\u{07}", "x\u{01}y", "del\u{7F}"] {
                try expectError(
                    try await ctx.send("POST", records, json: .obj(["kind": "b", "meta": .string(bad)])), 400, "Failed to create record.",
                    data: .obj(["meta": fieldError("validation_invalid_json", "Must be a valid json value.")]))
            }
            try expectStatus(try await ctx.send("POST", records, json: .obj(["kind": "b", "meta": .obj(["a": "ok"])])), 200)
            try expectStatus(try await ctx.send("POST", records, json: .obj(["kind": "c", "meta": .obj(["a": "bell\u{07}"])])), 200)
            // A ROW_NUMBER() id is wrapped in CAST(id as TEXT): `id = 2` finds nothing, `id = '2'` finds it.
            let kinds = "ptk_\(ctx.runID)"
            try await ctx.collection(
                .obj([
                    "name": .string(kinds), "type": "view", "listRule": "", "viewRule": "",
                    "viewQuery": .string("SELECT (ROW_NUMBER() OVER()) AS id, kind, COUNT(*) AS total FROM \(name) GROUP BY kind"),
                ]))
            func ids(_ filter: String) async throws -> [String] {
                try ctx.column(try await ctx.send("GET", "/api/collections/\(kinds)/records?sort=id&filter=\(ScenarioContext.encode(filter))"), "id")
            }
            try expect(try await ids("id = 2") == [], "id = 2 on a ROW_NUMBER view")
            try expect(try await ids("id = '2'") == ["2"], "id = '2' on a ROW_NUMBER view")
            try expect(try await ids("id = total") == [], "id = total compares text with a number")
            try expectStatus(try await ctx.send("GET", "/api/collections/\(kinds)/records/2"), 200, "view by ROW_NUMBER id")
            // A "double-quoted" literal is a string in PocketBase's SQLite; a json column holding text with a BEL byte
            // makes its encoder fail after the 200 is written: an empty body.
            let texts = "ptj_\(ctx.runID)"
            try await ctx.collection(
                .obj([
                    "name": .string(texts), "type": "view", "listRule": "", "viewRule": "",
                    "viewQuery": .string("SELECT id, kind, json_extract(meta, \"$.a\") AS m FROM \(name)"),
                ]))
            let ok = try await ctx.send("GET", "/api/collections/\(texts)/records?filter=\(ScenarioContext.encode("kind != 'c'"))")
            try expect(ok.status == 200 && (try ok.json()["totalItems"]) == 2, "view without the BEL text: \(ok.text)")
            let broken = try await ctx.send("GET", "/api/collections/\(texts)/records")
            try expect(broken.status == 200 && broken.body.isEmpty && broken.header("Content-Type") == "application/json", "empty 200: \(broken.status) \(broken.text)")
            let bellID = try ctx.column(try await ctx.send("GET", "\(records)?filter=\(ScenarioContext.encode("kind = 'c'"))"), "id").first ?? ""
            let one = try await ctx.send("GET", "/api/collections/\(texts)/records/\(bellID)")
            try expect(one.status == 200 && one.body.isEmpty, "empty 200 for the record: \(one.status) \(one.text)")
        },
        Scenario("parity: crons are not part of 0.23.12's API", tags: [.readOnly, .needsSuperuser]) { ctx in
            // /api/crons arrived after 0.23.12: GET falls through to the static files route, POST matches nothing.
            let su = try await ctx.superuser()
            try expectError(try await ctx.send("GET", "/api/crons", token: su), 404, "File not found.")
            try expectError(
                try await ctx.send("POST", "/api/crons/__pbDBOptimize__", token: su), 404, "The requested resource wasn't found.")
        },
        Scenario("settings: test email and test S3, their validation", tags: [.readOnly, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            try expectError(
                try await ctx.send("POST", "/api/settings/test/s3"), 401, "The request requires valid record authorization token.")
            try expectError(
                try await ctx.send("POST", "/api/settings/test/s3", json: .obj([:]), token: su), 400, "Failed to test the S3 filesystem.",
                data: .obj(["filesystem": fieldError("validation_required", "Cannot be blank.")]))
            try expectError(
                try await ctx.send("POST", "/api/settings/test/s3", json: .obj(["filesystem": "nope"]), token: su), 400, "Failed to test the S3 filesystem.",
                data: .obj(["filesystem": fieldError("validation_in_invalid", "Must be a valid value.")]))
            for filesystem in ["storage", "backups"] {
                try expectError(
                    try await ctx.send("POST", "/api/settings/test/s3", json: .obj(["filesystem": .string(filesystem)]), token: su), 400,
                    "Failed to test the S3 filesystem. Raw error: \nS3 storage filesystem is not enabled.")
            }
            try expectError(
                try await ctx.send("POST", "/api/settings/test/email", json: .obj([:]), token: su), 400, "Failed to send the test email.",
                data: .obj(["email": fieldError("validation_required", "Cannot be blank."), "template": fieldError("validation_required", "Cannot be blank.")]))
            try expectError(
                try await ctx.send("POST", "/api/settings/test/email", json: .obj(["email": "bad", "template": "nope", "collection": "nope"]), token: su),
                400, "Failed to send the test email.",
                data: .obj([
                    "collection": fieldError("validation_invalid_auth_collection", "Must be a valid auth collection id or name."),
                    "email": fieldError("validation_is_email", "Must be a valid email address."),
                    "template": fieldError("validation_in_invalid", "Must be a valid value."),
                ]))
            for template in ["verification", "password-reset", "email-change", "otp", "login-alert"] {
                let r = try await ctx.send(
                    "POST", "/api/settings/test/email", json: .obj(["email": "test@example.com", "template": .string(template), "collection": "users"]), token: su)
                try expectStatus(r, 204, "test email \(template)")
            }
        },
        Scenario("parity: manage access shows hidden emails", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = "pa_\(ctx.runID)"
            try await ctx.collection(
                .obj([
                    "name": .string(name), "type": "auth", "listRule": "", "viewRule": "", "createRule": "", "manageRule": "@request.auth.id != \"\"",
                    "passwordAuth": .obj(["enabled": true, "identityFields": ["email"]]),
                ]))
            let records = "/api/collections/\(name)/records"
            var ids: [String] = []
            for who in ["a", "b"] {
                let r = try await ctx.create(
                    name, .obj(["email": .string("\(who).\(ctx.runID)@example.com"), "password": "password123", "passwordConfirm": "password123"]))
                ids.append(r["id"]?.stringValue ?? "")
            }
            let login = try await ctx.send(
                "POST", "/api/collections/\(name)/auth-with-password", json: .obj(["identity": .string("b.\(ctx.runID)@example.com"), "password": "password123"]))
            let b = try login.json()["token"]?.stringValue ?? ""
            let guest = try await ctx.send("GET", "\(records)/\(ids[0])")
            try expect(try guest.json().objectValue?["email"] == nil, "guests never see a hidden email: \(guest.text)")
            let managed = try await ctx.send("GET", "\(records)/\(ids[0])", token: b)
            try expect(try managed.json()["email"] == .string("a.\(ctx.runID)@example.com"), "a manager sees it: \(managed.text)")
            let list = try await ctx.send("GET", records, token: b)
            try expect(try list.json()["items"]?.arrayValue?.allSatisfy { $0["email"]?.stringValue?.isEmpty == false } == true, "in lists too: \(list.text)")
            // The create dry run grants manager access when the manageRule passes: a manager may create verified records.
            func newMember(_ who: String) -> JSONValue {
                .obj([
                    "email": .string("\(who).\(ctx.runID)@example.com"), "password": "password123", "passwordConfirm": "password123", "verified": true,
                ])
            }
            let made = try await ctx.send("POST", records, json: newMember("c"), token: b)
            try expectStatus(made, 200, "manager creates a verified record: \(made.text)")
            try expect(try made.json()["verified"] == .bool(true), "verified kept: \(made.text)")
            let madeID = try made.json()["id"]?.stringValue ?? ""
            let su = try await ctx.superuser()
            ctx.cleanup { [ctx] in _ = try? await ctx.send("DELETE", "\(records)/\(madeID)", token: su) }
            try expectError(
                try await ctx.send("POST", records, json: newMember("d")), 400, "Failed to create record.",
                data: .obj(["verified": fieldError("validation_values_mismatch", "Values don't match.")]))
        },
        Scenario("parity: file tokens and protected files", tags: [.mutating, .needsSuperuser]) { ctx in
            let name = "pt_\(ctx.runID)"
            try await ctx.collection(
                .obj([
                    "name": .string(name), "type": "base", "listRule": "@request.auth.id != \"\"", "viewRule": "@request.auth.id != \"\"",
                    "createRule": "", "fields": [.obj(["name": "secret", "type": "file", "maxSelect": 1, "maxSize": 1000, "protected": true])],
                ]))
            let su = try await ctx.superuser()
            let upload = ScenarioContext.multipart(boundary: "PT", fields: [], files: [("secret", "plan.txt", Array("top secret".utf8))])
            let up = try await ctx.send("POST", "/api/collections/\(name)/records", headers: [("Content-Type", "multipart/form-data; boundary=PT")], rawBody: upload)
            try expectStatus(up, 200, "upload: \(up.text)")
            let rid = try up.json()["id"]?.stringValue ?? "", file = try up.json()["secret"]?.stringValue ?? ""
            let path = "/api/files/\(name)/\(rid)/\(file)"
            try expectError(try await ctx.send("POST", "/api/files/token"), 401, "The request requires valid record authorization token.")
            let user = try await ctx.user("ft")
            let tokenResponse = try await ctx.send("POST", "/api/files/token", token: user.token)
            try expectStatus(tokenResponse, 200)
            try expect(try tokenResponse.json().objectValue?.keys == ["token"], "only a token: \(tokenResponse.text)")
            let fileToken = try tokenResponse.json()["token"]?.stringValue ?? ""
            let claims = fileToken.split(separator: ".").dropFirst().first.flatMap { part -> JSONValue? in
                var b64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                while b64.count % 4 != 0 { b64 += "=" }
                return Data(base64Encoded: b64).flatMap { try? JSONValue.parse(Array($0)) }
            }
            try expect(claims?.objectValue?.keys.sorted() == ["collectionId", "exp", "id", "type"] && claims?["type"] == "file", "claims: \(claims?.encoded() ?? "")")
            try expectError(try await ctx.send("GET", path), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("GET", path, token: su), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("GET", "\(path)?token=\(user.token)"), 404, "The requested resource wasn't found.")
            let served = try await ctx.send("GET", "\(path)?token=\(fileToken)")
            try expect(served.status == 200 && served.text == "top secret", "served with a file token: \(served.status)")
            // A file token is no auth token: as Authorization it is a guest.
            let asAuth = try await ctx.send("GET", "/api/collections/\(name)/records", token: fileToken)
            try expect(asAuth.status == 200 && (try asAuth.json()["totalItems"]) == .number(0), "file token as auth: \(asAuth.text)")
            let suToken = try await ctx.send("POST", "/api/files/token", token: su)
            let suFile = try suToken.json()["token"]?.stringValue ?? ""
            try expectStatus(try await ctx.send("GET", "\(path)?token=\(suFile)"), 200, "superuser file token")
        },
        Scenario("parity: percent-encoded collection names, raw and unknown paths", tags: [.readOnly]) { ctx in
            let encoded = try await ctx.send("GET", "/api/collections/view%4Cist/records?perPage=1")
            try expectStatus(encoded, 200, "view%4Cist is viewList: \(encoded.text)")
            try expectError(try await ctx.send("GET", "/api/collections/n%C3%B6pe/records"), 404, "Missing collection context.")
        },
    ]
}
