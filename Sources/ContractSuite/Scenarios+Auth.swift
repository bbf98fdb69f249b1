import Foundation
import PBJSON

extension Scenarios {
    static let auth: [Scenario] = [
        Scenario("superuser auth: token shape, refresh, wrong credentials", tags: [.readOnly, .needsSuperuser]) { ctx in
            let path = "/api/collections/_superusers/auth-with-password"
            let ok = try await ctx.send(
                "POST", path, json: .obj(["identity": .string(ctx.target.superuserEmail), "password": .string(ctx.target.superuserPassword)]))
            try expectStatus(ok, 200)
            try expectPocketBaseJSON(ok)
            let j = try ok.json()
            try expect(j.objectValue?.keys == ["record", "token"], "auth response keys: \(j.objectValue?.keys ?? [])")
            let record = j["record"]?.objectValue
            try expect(
                record?.keys == ["collectionId", "collectionName", "created", "email", "emailVisibility", "id", "updated", "verified"],
                "superuser record keys: \(record?.keys ?? [])")
            try expect(record?["collectionId"] == "pbc_3142635823", "superusers collection id")
            try expect(record?["email"]?.stringValue == ctx.target.superuserEmail, "email present in auth response")
            let token = j["token"]?.stringValue ?? ""
            let parts = token.split(separator: ".")
            try expect(parts.count == 3, "JWT has three parts")
            let claims = try JSONValue.parse(Array(base64URLDecode(String(parts[1]))))
            try expect(
                Set(claims.objectValue?.keys ?? []) == ["collectionId", "exp", "id", "refreshable", "type"], "claims: \(claims.encoded())")
            try expect(claims["type"] == "auth" && claims["refreshable"] == .bool(true), "claims type/refreshable")
            let exp = claims["exp"]?.numberValue ?? 0
            let expected = Date().timeIntervalSince1970 + 86400
            try expect(abs(exp - expected) < 120, "superuser token lasts 86400 s (exp \(exp))")

            let refresh = try await ctx.send("POST", "/api/collections/_superusers/auth-refresh", token: token)
            try expectStatus(refresh, 200, "refresh")
            try expectError(
                try await ctx.send("POST", "/api/collections/_superusers/auth-refresh"), 401,
                "The request requires valid record authorization token.")

            try expectError(
                try await ctx.send("POST", path, json: .obj(["identity": .string(ctx.target.superuserEmail), "password": "wrong-password"])), 400,
                "Failed to authenticate.")
            try expectError(
                try await ctx.send("POST", path, json: .obj(["identity": .string(ctx.target.superuserEmail.uppercased()), "password": .string(ctx.target.superuserPassword)])),
                400, "Failed to authenticate.")
            try expectError(
                try await ctx.send("POST", path, json: .obj([:])), 400, "An error occurred while validating the submitted data.",
                data: .obj(["identity": blank, "password": blank]))
            try expectError(
                try await ctx.send("POST", path, headers: [("Content-Type", "application/json")], rawBody: Array("[1]".utf8)), 400,
                "An error occurred while loading the submitted data.")
            try expectError(
                try await ctx.send("POST", "/api/collections/random_short/auth-with-password", json: .obj(["identity": "a", "password": "b"])),
                404, "Missing or invalid auth collection context.")
        },
        Scenario("superuser auth: raw and Bearer tokens work, bearer and garbage are guests", tags: [.mutating, .needsSuperuser]) { ctx in
            let link = try await ctx.create("random_short", ctx.link("tok"))
            let id = link["id"]!.stringValue!
            let su = try await ctx.superuser()
            let path = "/api/collections/random_short/records/\(id)"
            try expectStatus(try await ctx.send("GET", path, token: su), 200, "raw token")
            try expectStatus(try await ctx.send("GET", path, token: "Bearer " + su), 200, "Bearer token")
            // Invalid tokens never error by themselves: the caller is a guest (viewRule needs auth → 404).
            try expectError(try await ctx.send("GET", path, token: "bearer " + su), 404, "The requested resource wasn't found.")
            try expectError(try await ctx.send("GET", path, token: "garbage.token.here"), 404, "The requested resource wasn't found.")
            let parts = su.split(separator: ".")
            let tampered = parts[0] + "." + parts[1] + "." + String(parts[2].reversed())
            try expectError(try await ctx.send("GET", path, token: String(tampered)), 404, "The requested resource wasn't found.")
        },
    ]
}

func base64URLDecode(_ s: String) -> [UInt8] {
    var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while b.count % 4 != 0 { b += "=" }
    return Array(Data(base64Encoded: b) ?? Data())
}
