import Foundation
import PBJSON

extension ScenarioContext {
    /// A live realtime stream to the target (closed after the scenario).
    public func realtime() async throws -> (RealtimeStream, SSEEvent) {
        guard let remote = target.client as? RemoteClient else { throw ContractFailure("realtime needs a socket target") }
        let (stream, connect) = try await RealtimeStream.connect(baseURL: remote.baseURL)
        cleanup { stream.close() }
        return (stream, connect)
    }

    /// `POST /api/realtime` as the SDK sends it: the full list, the raw token.
    @discardableResult
    public func subscribe(_ stream: RealtimeStream, _ topics: [String], token: String? = nil) async throws -> ContractResponse {
        try await send("POST", "/api/realtime", json: .obj(["clientId": .string(stream.clientId), "subscriptions": .array(topics.map(JSONValue.string))]), token: token)
    }

    /// The SDK's `?options=` suffix: encodeURIComponent(JSON.stringify({query, headers})).
    public static func topic(_ base: String, query: [String: String]) -> String {
        let options = JSONValue.obj(["query": .object(JSONObject(query.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])
        return base + "?options=" + encode(options.encoded())
    }
}

extension Scenarios {
    /// A collection only its owner lists (viewing also needs `n > 0`), with a hidden field and an owner relation.
    public static func ownedCollection(_ ctx: ScenarioContext, su: String) async throws -> String {
        let name = "rt_\(ctx.runID)"
        let created = try await ctx.send(
            "POST", "/api/collections",
            json: .obj([
                "name": .string(name), "type": "base", "listRule": "owner = @request.auth.id", "viewRule": "owner = @request.auth.id && n > 0",
                "fields": [
                    .obj(["name": "title", "type": "text"]), .obj(["name": "n", "type": "number"]),
                    .obj(["name": "secret", "type": "text", "hidden": true]),
                    .obj(["name": "owner", "type": "relation", "maxSelect": 1, "collectionId": "_pb_users_auth_"]),
                ],
            ]), token: su)
        try expectStatus(created, 200, "create collection: \(created.text)")
        ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/\(name)", token: su) }
        return name
    }

    static let realtime: [Scenario] = [
        Scenario("realtime: PB_CONNECT, stream headers and the subscribe request's errors", tags: [.mutating], requires: [.http, .realtime]) { ctx in
            let (stream, connect) = try await ctx.realtime()
            try expect(connect.id.count == 40 && connect.id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "clientId: \(connect.id)")
            try expect(connect.data == "{\"clientId\":\"\(connect.id)\"}", "PB_CONNECT data: \(connect.data)")
            try expect(stream.header("Content-Type") == "text/event-stream", "content type")
            try expect(stream.header("Cache-Control") == "no-store" && stream.header("X-Accel-Buffering") == "no", "stream headers: \(stream.headers)")
            try expect(stream.header("Content-Length") == nil, "no content length")

            let generic = "Something went wrong while processing your request."
            try expectError(
                try await ctx.send("POST", "/api/realtime", json: .obj([:])), 400, generic,
                data: .obj(["clientId": fieldError("validation_required", "Cannot be blank.")]))
            try expectError(try await ctx.send("POST", "/api/realtime", json: .obj(["clientId": 1])), 400, generic)
            try expectError(try await ctx.send("POST", "/api/realtime", json: .obj(["clientId": .string(stream.clientId), "subscriptions": "x"])), 400, generic)
            try expectError(
                try await ctx.send("POST", "/api/realtime", json: .obj(["clientId": .string(String(repeating: "a", count: 256))])), 400, generic,
                data: .obj(["clientId": fieldError("validation_length_out_of_range", "The length must be between 1 and 255.", params: ["max": 255, "min": 1])]))
            let long = String(repeating: "x", count: 2501)
            try expectError(
                try await ctx.subscribe(stream, ["ok/*", long, "fine", long]), 400, generic,
                data: .obj([
                    "subscriptions": .obj([
                        "1": fieldError("validation_length_too_long", "The length must be no more than 2500.", params: ["max": 2500, "min": 0]),
                        "3": fieldError("validation_length_too_long", "The length must be no more than 2500.", params: ["max": 2500, "min": 0]),
                    ])
                ]))
            try expectError(
                try await ctx.subscribe(stream, (0...1000).map { "t\($0)" }), 400, generic,
                data: .obj(["subscriptions": fieldError("validation_length_too_long", "The length must be no more than 1000.", params: ["max": 1000, "min": 0])]))
            try expectError(
                try await ctx.send("POST", "/api/realtime", json: .obj(["clientId": .string("nobody\(ctx.runID)"), "subscriptions": []])), 404,
                "Missing or invalid client id.")
            let ok = try await ctx.subscribe(stream, ["random_short/*", "", "random_short/*"])
            try expectStatus(ok, 204, "subscribe")
            try expect(ok.body.isEmpty, "204 has no body")

            // A guest client may take an auth once; after that the auth must stay the same record.
            let u1 = try await ctx.user("rt1"), u2 = try await ctx.user("rt2")
            try expectStatus(try await ctx.subscribe(stream, ["random_short/*"], token: u1.token), 204, "guest → u1")
            try expectStatus(try await ctx.subscribe(stream, ["random_short/*"], token: "Bearer " + u1.token), 204, "u1 again (Bearer)")
            let mismatch = "The current and the previous request authorization don't match."
            try expectError(try await ctx.subscribe(stream, []), 403, mismatch)
            try expectError(try await ctx.subscribe(stream, [], token: u2.token), 403, mismatch)
            try expectError(try await ctx.subscribe(stream, [], token: try await ctx.superuser()), 403, mismatch)
            try expect(!stream.hasEnded, "the stream stays open")
        },
        Scenario(
            "realtime: create/update/delete reach only the subscribers the rules allow, with options, hidden fields and email visibility",
            tags: [.mutating, .needsSuperuser], requires: [.http, .realtime]
        ) { ctx in
            let su = try await ctx.superuser()
            let name = try await ownedCollection(ctx, su: su)
            let u1 = try await ctx.user("rto1"), u2 = try await ctx.user("rto2")
            let (guest, _) = try await ctx.realtime(), (one, _) = try await ctx.realtime(), (two, _) = try await ctx.realtime()
            let (admin, _) = try await ctx.realtime()
            let projected = ScenarioContext.topic("\(name)/*", query: ["expand": "owner", "fields": "id,title,expand.owner.username"])
            try expectStatus(try await ctx.subscribe(guest, ["\(name)/*"]), 204)
            try expectStatus(try await ctx.subscribe(one, ["\(name)/*"], token: u1.token), 204)
            try expectStatus(try await ctx.subscribe(two, ["\(name)/*"], token: u2.token), 204)
            try expectStatus(try await ctx.subscribe(admin, ["\(name)/*", projected], token: su), 204)

            let created = try await ctx.send(
                "POST", "/api/collections/\(name)/records", json: .obj(["title": "hello", "n": 0, "secret": "s3", "owner": .string(u1.id)]), token: su)
            try expectStatus(created, 200)
            let id = try created.json()["id"]?.stringValue ?? ""
            // One may list it (listRule), not view it (n = 0): a single-record topic would not fire.
            try expectStatus(try await ctx.subscribe(one, ["\(name)/*", "\(name)/\(id)"], token: u1.token), 204)
            let adminCreate = await admin.waitFor(2)
            let oneCreate = await one.waitFor(1)
            try expect(oneCreate.count == 1 && oneCreate[0].event == "\(name)/*", "owner gets the create once: \(oneCreate)")
            let event = try JSONValue.parseStrict(oneCreate[0].data)
            try expect(event.objectValue?.keys == ["record", "action"] && event["action"] == "create", "message shape: \(oneCreate[0].data)")
            try expect(event["record"]?["secret"] == nil && event["record"]?["title"] == "hello", "no hidden field: \(oneCreate[0].data)")
            try expect(oneCreate[0].id == one.clientId, "id line is the client id")
            let plain = adminCreate.first { $0.event == "\(name)/*" }, picked = adminCreate.first { $0.event == projected }
            try expect(plain != nil && picked != nil, "superuser gets both topics: \(adminCreate)")
            let rest = try await ctx.send("GET", "/api/collections/\(name)/records/\(id)", token: su)
            var restRecord = try rest.json().objectValue ?? JSONObject()
            restRecord["secret"] = nil
            try expect(try JSONValue.parseStrict(plain?.data ?? "")["record"] == .object(restRecord), "record like REST minus hidden: \(plain?.data ?? "")")
            let expectedPick = JSONValue.obj([
                "record": .obj(["expand": .obj(["owner": .obj(["username": .string("rto1_\(ctx.runID)")])]), "id": .string(id), "title": "hello"]),
                "action": "create",
            ])
            try expect(try JSONValue.parseStrict(picked?.data ?? "") == expectedPick, "expand + fields per subscription: \(picked?.data ?? "")")

            // Moving it to u2 (and making it viewable): u1 no longer sees it, u2 does.
            try expectStatus(
                try await ctx.send("PATCH", "/api/collections/\(name)/records/\(id)", json: .obj(["n": 1, "owner": .string(u2.id)]), token: su), 200)
            let twoUpdate = await two.waitFor(1)
            try expect(twoUpdate.map(\.event) == ["\(name)/*"] && twoUpdate.first.map { $0.data.contains("\"action\":\"update\"") } == true, "u2 update: \(twoUpdate)")
            try expectStatus(try await ctx.send("DELETE", "/api/collections/\(name)/records/\(id)", token: su), 204)
            let twoAll = await two.waitFor(2)
            try expect(twoAll.count == 2 && twoAll[1].data.contains("\"action\":\"delete\""), "u2 sees the delete (checked before removal): \(twoAll)")
            let adminAll = await admin.waitFor(6)
            try expect(adminAll.count == 6, "superuser: 3 changes × 2 topics: \(adminAll.map(\.event))")
            try await Task.sleep(for: .milliseconds(700))
            try expect(guest.received.isEmpty, "guests see nothing: \(guest.received)")
            try expect(one.received.count == 1, "u1 only got the create: \(one.received)")
            try expect(two.received.count == 2, "u2 got update + delete only: \(two.received)")

            // Auth records: email only for the record itself, superusers or when visible.
            let (self1, _) = try await ctx.realtime(), (other, _) = try await ctx.realtime()
            try expectStatus(try await ctx.subscribe(self1, ["users/\(u1.id)"], token: u1.token), 204)
            try expectStatus(try await ctx.subscribe(other, ["users/\(u1.id)"], token: u2.token), 204)
            try expectStatus(try await ctx.send("PATCH", "/api/collections/users/records/\(u1.id)", json: .obj(["name": "Renamed"]), token: su), 200)
            let mine = await self1.waitFor(1), theirs = await other.waitFor(1)
            let email = "rto1.\(ctx.runID)@example.com"
            try expect(mine.first.map { $0.data.contains("\"email\":\"\(email)\"") } == true, "own email: \(mine)")
            if let theirs = theirs.first {
                try expect(!theirs.data.contains("\"email\""), "someone else's email stays hidden: \(theirs.data)")
            }
        },
        Scenario("realtime: the OAuth2 redirect hands state and code to the @oauth2 subscriber, then unsubscribes it", tags: [.mutating], requires: [.http, .realtime]) {
            ctx in
            let failure = "../_/#/auth/oauth2-redirect-failure", success = "../_/#/auth/oauth2-redirect-success"
            let unknown = try await ctx.send("GET", "/api/oauth2-redirect?state=nobody\(ctx.runID)&code=abc")
            try expectStatus(unknown, 307, "unknown state")
            try expect(unknown.header("Location") == failure, "failure page: \(unknown.headers)")
            let (stream, _) = try await ctx.realtime()
            try expectStatus(try await ctx.subscribe(stream, ["@oauth2", "users/*"]), 204)
            let ok = try await ctx.send("GET", "/api/oauth2-redirect?state=\(stream.clientId)&code=abc")
            try expectStatus(ok, 307, "redirect")
            try expect(ok.header("Location") == success, "success page: \(ok.headers)")
            let got = await stream.waitFor(1)
            try expect(got.first?.event == "@oauth2", "event: \(got)")
            try expect(got.first?.data == "{\"state\":\"\(stream.clientId)\",\"code\":\"abc\"}", "data: \(got)")
            // The subscription is gone: a second redirect fails; a POST (form_post) answers 303.
            let again = try await ctx.send(
                "POST", "/api/oauth2-redirect", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                rawBody: Array("state=\(stream.clientId)&code=abc".utf8))
            try expectStatus(again, 303, "form_post redirect")
            try expect(again.header("Location") == failure, "no longer subscribed: \(again.headers)")
        },
        Scenario(
            "realtime: batch events arrive after the commit; a rolled-back batch sends nothing", tags: [.mutating, .destructive, .needsSuperuser],
            requires: [.http, .realtime]
        ) { ctx in
            let su = try await ctx.superuser()
            ctx.cleanup { _ = try? await ctx.send("PATCH", "/api/settings", json: .obj(["batch": .obj(["enabled": false])]), token: su) }
            try expectStatus(try await ctx.send("PATCH", "/api/settings", json: .obj(["batch": .obj(["enabled": true])]), token: su), 200)
            let name = try await ownedCollection(ctx, su: su)
            let (admin, _) = try await ctx.realtime()
            try expectStatus(try await ctx.subscribe(admin, ["\(name)/*"], token: su), 204)
            func create(_ id: String, _ title: String) -> JSONValue {
                .obj(["method": "POST", "url": .string("/api/collections/\(name)/records"), "body": .obj(["id": .string(id), "title": .string(title)])])
            }
            let a = "a\(ctx.runID)xxxxxx", b = "b\(ctx.runID)xxxxxx"
            let ok = try await ctx.send(
                "POST", "/api/batch",
                json: .obj([
                    "requests": [
                        create(a, "one"), create(b, "two"),
                        .obj(["method": "PATCH", "url": .string("/api/collections/\(name)/records/\(a)"), "body": .obj(["title": "one+"])]),
                    ]
                ]), token: su)
            try expectStatus(ok, 200, "batch: \(ok.text)")
            let got = await admin.waitFor(3)
            let actions = got.compactMap { try? JSONValue.parseStrict($0.data) }.map { "\($0["action"]?.stringValue ?? ""):\($0["record"]?["title"]?.stringValue ?? "")" }
            try expect(actions.sorted() == ["create:one", "create:two", "update:one+"], "committed batch events: \(actions)")
            let failed = try await ctx.send(
                "POST", "/api/batch",
                json: .obj([
                    "requests": [
                        create("c\(ctx.runID)xxxxxx", "three"),
                        .obj(["method": "DELETE", "url": .string("/api/collections/\(name)/records/\(b)")]),
                        create(a, "duplicate"),
                    ]
                ]), token: su)
            try expectStatus(failed, 400, "failing batch")
            try await Task.sleep(for: .milliseconds(800))
            try expect(admin.received.count == 3, "a rolled-back batch sends nothing: \(admin.received.map(\.data))")
        },
    ]
}
