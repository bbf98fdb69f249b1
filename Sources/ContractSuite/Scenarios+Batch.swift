import Foundation
import PBJSON

extension Scenarios {
    static let batch: [Scenario] = [
        Scenario("batch: off by default, settings switch it, one transaction, errors and rollback", tags: [.mutating, .destructive, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            @Sendable func settings(_ batch: JSONValue) async throws -> ContractResponse {
                try await ctx.send("PATCH", "/api/settings", json: .obj(["batch": batch]), token: su)
            }
            func batch(_ requests: [JSONValue], token: String? = nil) async throws -> ContractResponse {
                try await ctx.send("POST", "/api/batch", json: .obj(["requests": .array(requests)]), token: token ?? su)
            }
            func request(_ method: String, _ url: String, _ body: JSONValue? = nil, turnstile: Bool = false) -> JSONValue {
                var o = JSONObject([("method", .string(method)), ("url", .string(url))])
                if let body { o["body"] = body }
                if turnstile { o["headers"] = .obj(["X-Turnstile-Token": .string(ScenarioContext.turnstileToken)]) }
                return .object(o)
            }
            ctx.cleanup { _ = try? await settings(.obj(["enabled": false, "maxRequests": 50])) }

            // Disabled (PocketBase's default): 403; the settings section keeps its struct order.
            let off = try await settings(.obj(["enabled": false, "maxRequests": 50, "timeout": 3, "maxBodySize": 0]))
            try expectStatus(off, 200, "settings patch")
            try expect(try off.json()["batch"] == .obj(["enabled": false, "maxRequests": 50, "timeout": 3, "maxBodySize": 0]), "batch settings: \(off.text)")
            try expect(try off.json().objectValue?.keys.contains("batch") == true && off.text.contains(#""batch":{"enabled":false,"maxRequests":50,"timeout":3,"maxBodySize":0}"#), "struct order: \(off.text)")
            try expectError(try await batch([request("POST", "/api/collections/random_short/records", .obj([:]))]), 403, "Batch requests are not allowed.")

            // Settings binding and validation.
            try expectError(try await settings(.obj(["enabled": "yes"])), 400, "An error occurred while loading the submitted data.")
            try expectError(
                try await settings(.obj(["enabled": true, "maxRequests": -1])), 400, "An error occurred while saving the new settings.",
                data: .obj(["batch": .obj(["maxRequests": fieldError("validation_min_greater_equal_than_required", "Must be no less than 0.", params: ["threshold": 0])])]))
            let on = try await settings(.obj(["enabled": true, "maxRequests": 3]))
            try expect(try on.json()["batch"] == .obj(["enabled": true, "maxRequests": 3, "timeout": 3, "maxBodySize": 0]), "enabled: \(on.text)")
            let read = try await ctx.send("GET", "/api/settings", token: su)
            try expect(try read.json()["batch"]?["enabled"] == true, "GET /api/settings shows it")
            try expectError(try await ctx.send("GET", "/api/settings"), 401, "The request requires valid record authorization token.")

            // Request validation.
            try expectError(try await batch([]), 400, "Invalid batch request data.", data: .obj(["requests": blank]))
            let four = Array(repeating: request("POST", "/api/collections/random_short/records", .obj([:])), count: 4)
            try expectError(
                try await batch(four), 400, "Invalid batch request data.",
                data: .obj(["requests": fieldError("validation_length_too_long", "The length must be no more than 3.", params: ["max": 3, "min": 0])]))
            try expectError(
                try await batch([.obj(["url": "/api/collections/random_short/records"]), .obj(["method": "HEAD", "url": ""])]), 400,
                "Invalid batch request data.",
                data: .obj(["requests": .obj([
                    "0": .obj(["method": blank]),
                    "1": .obj(["method": fieldError("validation_in_invalid", "Must be a valid value."), "url": blank]),
                ])]))
            try expectError(
                try await ctx.send("POST", "/api/batch", json: .obj(["requests": "nope"]), token: su), 400, "Failed to read the submitted batch data.")
            for (type, body) in [("application/json", "{bad"), ("text/plain", "hello")] {
                try expectError(
                    try await ctx.send("POST", "/api/batch", token: su, headers: [("Content-Type", type)], rawBody: Array(body.utf8)), 400,
                    "Failed to read the submitted batch data.")
            }

            // Success: create (item headers reach the hooks: the Turnstile gate), upsert-as-create, update; in order.
            let a = String(("bta" + ctx.runID + "0000000").prefix(15)), b = String(("btb" + ctx.runID + "0000000").prefix(15))
            ctx.cleanup {
                for id in [a, b] { _ = try? await ctx.send("DELETE", "/api/collections/random_short/records/\(id)", token: su) }
            }
            let created = try await batch([
                request("POST", "/api/collections/random_short/records?fields=id,subdomain", .obj([
                    "id": .string(a), "from": "https://open.spotify.com/track/batch", "id_url": .string(ctx.slug("bta")), "subdomain": "track",
                ]), turnstile: true),
                request("PUT", "/api/collections/random_short/records", .obj([
                    "id": .string(b), "from": "https://open.spotify.com/track/batch", "id_url": .string(ctx.slug("btb")),
                ]), turnstile: true),
                request("PATCH", "/api/collections/random_short/records/\(a)", .obj(["subdomain": "album"])),
            ])
            try expectStatus(created, 200, "batch")
            let results = try created.json().arrayValue ?? []
            try expect(results.count == 3 && results.allSatisfy { $0.objectValue?.keys == ["body", "status"] && $0["status"] == 200 }, "results: \(created.text)")
            try expect(created.text.hasPrefix(#"[{"body":{"id":""#), "body before status: \(created.text.prefix(40))")
            try expect(results[0]["body"] == .obj(["id": .string(a), "subdomain": "track"]), "sub-request ?fields=: \(results[0])")
            try expect(results[1]["body"]?["id"] == .string(b) && results[2]["body"]?["subdomain"] == "album", "upsert created, update saw the create")

            // The same batch's first create again: nothing of it is left behind when a later request fails.
            let plainFailure = try await ctx.send("POST", "/api/collections/random_short/records", json: .obj([
                "from": "https://open.spotify.com/track/batch", "id_url": .string(ctx.slug("bta")),
            ]), token: su)
            try expectStatus(plainFailure, 400, "slug taken")
            let failed = try await batch([
                request("DELETE", "/api/collections/random_short/records/\(b)"),
                request("PUT", "/api/collections/random_short/records", .obj(["id": .string(a), "subdomain": "artist"])),
                request("POST", "/api/collections/random_short/records", .obj([
                    "from": "https://open.spotify.com/track/batch", "id_url": .string(ctx.slug("bta")),
                ]), turnstile: true),
            ])
            try expectError(
                failed, 400, "Batch transaction failed.",
                data: .obj(["requests": .obj(["2": .obj([
                    "code": "batch_request_failed", "message": "Batch request failed.", "response": try plainFailure.json(),
                ])])]))
            let stillB = try await ctx.send("GET", "/api/collections/random_short/records/\(b)", token: su)
            let stillA = try await ctx.send("GET", "/api/collections/random_short/records/\(a)", token: su)
            try expect(stillB.status == 200 && (try stillA.json()["subdomain"]) == "album", "rolled back: delete and upsert-update undone")

            // Actions outside records: the first request gets the generic 400, a later one PocketBase's 500.
            try expectError(
                try await batch([request("GET", "/api/health")]), 400, "Batch transaction failed.",
                data: .obj(["requests": .obj(["0": .obj([
                    "code": "batch_request_failed", "message": "Batch request failed.",
                    "response": .obj(["data": .obj([:]), "message": "Something went wrong while processing your request.", "status": 400]),
                ])])]))
            try expectError(
                try await batch([request("DELETE", "/api/collections/random_short/records/\(b)"), request("POST", "/api/collections/random_short")]), 400,
                "Batch transaction failed.",
                data: .obj(["requests": .obj(["1": .obj([
                    "code": "batch_request_failed", "message": "Batch request failed.",
                    "response": .obj(["data": .obj([:]), "message": "Something went wrong while processing your request.", "status": 500]),
                ])])]))
            try expectStatus(try await ctx.send("GET", "/api/collections/random_short/records/\(b)", token: su), 200, "still there")
            // Missing collections and records: the handlers' own 404s (no rate-limit middleware in a batch, so creates and
            // updates say "Missing collection context." here).
            for (r, message) in [
                (request("POST", "/api/collections/nope_\(ctx.runID)/records", .obj([:])), "Missing collection context."),
                (request("PUT", "/api/collections/nope_\(ctx.runID)/records", .obj(["id": "x"])), "Missing collection context."),
                (request("PATCH", "/api/collections/nope_\(ctx.runID)/records/abc", .obj([:])), "Missing collection context."),
                (request("DELETE", "/api/collections/nope_\(ctx.runID)/records/abc"), "Missing collection context."),
                (request("PATCH", "/api/collections/random_short/records/nope\(ctx.runID)", .obj([:])), "The requested resource wasn't found."),
            ] {
                try expectError(
                    try await batch([r]), 400, "Batch transaction failed.",
                    data: .obj(["requests": .obj(["0": .obj([
                        "code": "batch_request_failed", "message": "Batch request failed.",
                        "response": .obj(["data": .obj([:]), "message": .string(message), "status": 404]),
                    ])])]))
            }

            // A guest's batch: rules apply, with `@request.context = "batch"`.
            let scoped = "bt_\(ctx.runID)"
            try expectStatus(try await ctx.send("POST", "/api/collections", json: .obj([
                "name": .string(scoped), "type": "base", "createRule": "@request.context = 'batch'",
                "fields": [.obj(["name": "title", "type": "text"])],
            ]), token: su), 200, "collection with a batch-only create rule")
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/\(scoped)", token: su) }
            try expectError(
                try await ctx.send("POST", "/api/collections/\(scoped)/records", json: .obj(["title": "plain"])), 400, "Failed to create record.")
            let guest = try await ctx.send("POST", "/api/batch", json: .obj(["requests": [request("POST", "/api/collections/\(scoped)/records", .obj(["title": "batched"]))]]))
            try expectStatus(guest, 200, "guest batch under a batch-only rule")
            try expect(try guest.json().arrayValue?.first?["body"]?["title"] == "batched", "created: \(guest.text)")

            // The JS SDK's form: multipart with the requests in @jsonPayload; deletes answer 204 with a null body.
            let boundary = "sptfybatch\(ctx.runID)"
            let payload = JSONValue.obj(["requests": .array([request("DELETE", "/api/collections/random_short/records/\(b)")])]).encoded()
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n\(payload)\r\n--\(boundary)--\r\n"
            let sdk = try await ctx.send(
                "POST", "/api/batch", token: su, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], rawBody: Array(multipart.utf8))
            try expectStatus(sdk, 200, "multipart batch")
            try expect(sdk.text.trimmingCharacters(in: .whitespacesAndNewlines) == #"[{"body":null,"status":204}]"#, "delete result: \(sdk.text)")
            try expectStatus(try await ctx.send("GET", "/api/collections/random_short/records/\(b)", token: su), 404, "deleted")

            // Files ride along as `requests.{i}.{field}` parts; PocketBase normalises their names twice.
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 24)
            let userPayload = JSONValue.obj(["requests": .array([request("POST", "/api/collections/users/records", .obj([
                "username": .string("bt_\(ctx.runID)"), "password": "12345678", "passwordConfirm": "12345678",
            ]))])]).encoded()
            var upload = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n\(userPayload)\r\n".utf8)
            upload += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"requests.0.avatar\"; filename=\"My Avatar.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            upload += png + Array("\r\n--\(boundary)--\r\n".utf8)
            let withFile = try await ctx.send(
                "POST", "/api/batch", token: su, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], rawBody: upload)
            try expectStatus(withFile, 200, "batch with a file")
            let user = try withFile.json().arrayValue?.first?["body"] ?? .null
            let uid = user["id"]?.stringValue ?? ""
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/users/records/\(uid)", token: su) }
            let avatar = user["avatar"]?.stringValue ?? ""
            let parts = avatar.dropLast(4).split(separator: "_")
            try expect(
                avatar.hasPrefix("my_avatar_") && avatar.hasSuffix(".png") && parts.count == 4 && parts[2].count == 10 && parts[3].count == 10,
                "stored name normalised twice: \(avatar)")
            let file = try await ctx.send("GET", "/api/files/_pb_users_auth_/\(uid)/\(avatar)")
            try expect(file.status == 200 && file.body == png, "the file was stored: HTTP \(file.status)")
        },
    ]
}
