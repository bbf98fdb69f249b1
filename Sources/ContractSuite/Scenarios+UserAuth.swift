import Foundation
import PBJSON

extension Scenarios {
    static let userAuth: [Scenario] = [
        Scenario("auth collections: manageRule grants managers email/password changes", tags: [.mutating, .destructive, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let manager = try await ctx.user("mg")
            let name = "mg_\(ctx.runID)"
            let created = try await ctx.send(
                "POST", "/api/collections",
                json: .obj([
                    "name": .string(name), "type": "auth", "listRule": "", "viewRule": "", "createRule": "", "updateRule": "",
                    "manageRule": "@request.auth.collectionName = 'users'",
                ]), token: su)
            try expectStatus(created, 200, "create auth collection")
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/collections/\(name)", token: su) }
            let member = try await ctx.send(
                "POST", "/api/collections/\(name)/records",
                json: .obj(["email": .string("m.\(ctx.runID)@example.com"), "password": "password123", "passwordConfirm": "password123"]), token: su)
            try expectStatus(member, 200, "create member")
            let mid = try member.json()["id"]?.stringValue ?? ""
            let path = "/api/collections/\(name)/records/\(mid)"
            try expectError(
                try await ctx.send("PATCH", path, json: .obj(["email": .string("guest.\(ctx.runID)@example.com")])), 400, "Failed to update record.",
                data: .obj(["email": fieldError("validation_values_mismatch", "Values don't match.")]))
            let managed = try await ctx.send(
                "PATCH", path, json: .obj(["email": .string("managed.\(ctx.runID)@example.com"), "password": "password456", "passwordConfirm": "password456"]),
                token: manager.token)
            try expectStatus(managed, 200, "manager update")
            let login = try await ctx.send(
                "POST", "/api/collections/\(name)/auth-with-password",
                json: .obj(["identity": .string("managed.\(ctx.runID)@example.com"), "password": "password456"]))
            try expectStatus(login, 200, "managed credentials work")
        },
        Scenario("email change and OTP: request/confirm responses", tags: [.mutating, .needsSuperuser]) { ctx in
            let u = try await ctx.user("ec")
            let other = try await ctx.user("ed")
            let validating = "An error occurred while validating the submitted data."
            let path = "/api/collections/users/request-email-change"
            try expectStatus(try await ctx.send("POST", path, json: .obj(["newEmail": .string("new.\(ctx.runID)@example.com")]), token: u.token), 204, "request")
            try expectError(try await ctx.send("POST", path, json: .obj(["newEmail": "x@example.com"])), 401, "The request requires valid record authorization token.")
            try expectError(
                try await ctx.send("POST", path, json: .obj(["newEmail": .string("ed.\(ctx.runID)@example.com")]), token: u.token), 400, validating,
                data: .obj(["newEmail": fieldError("validation_invalid_new_email", "Invalid new email address.")]))
            try expectError(
                try await ctx.send("POST", path, json: .obj(["newEmail": .string("ec.\(ctx.runID)@example.com")]), token: u.token), 400, validating,
                data: .obj(["newEmail": fieldError("validation_not_in_invalid", "Must not be in list.")]))
            try expectError(
                try await ctx.send("POST", "/api/collections/users/confirm-email-change", json: .obj(["token": "garbage", "password": "password123"])), 400, validating,
                data: .obj([
                    "token": fieldError("validation_invalid_token_payload", "Invalid token payload - newEmail must be set."),
                    "password": fieldError("validation_invalid_password", "Missing or invalid auth record password."),
                ]))
            try expectError(
                try await ctx.send("POST", "/api/collections/_superusers/request-email-change", json: .obj(["newEmail": "a@b.co"]), token: try await ctx.superuser()),
                400, "All superusers can change their emails directly.")
            _ = other
            try expectError(
                try await ctx.send("POST", "/api/collections/users/request-otp", json: .obj(["email": "a@b.co"])), 403,
                "The collection is not configured to allow OTP authentication.")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-with-otp", json: .obj(["otpId": "x", "password": "y"])), 403,
                "The collection is not configured to allow OTP authentication.")
        },
        Scenario("verification and password reset: request/confirm responses", tags: [.mutating, .needsSuperuser]) { ctx in
            let u = try await ctx.user("vr")
            let email = "vr.\(ctx.runID)@example.com"
            let validating = "An error occurred while validating the submitted data."
            for path in ["request-verification", "request-password-reset"] {
                try expectStatus(try await ctx.send("POST", "/api/collections/users/\(path)", json: .obj(["email": .string(email)])), 204, path)
                try expectStatus(
                    try await ctx.send("POST", "/api/collections/users/\(path)", json: .obj(["email": .string("nobody.\(ctx.runID)@example.com")])), 204,
                    "\(path) for an unknown email")
                try expectError(
                    try await ctx.send("POST", "/api/collections/users/\(path)", json: .obj(["email": "nope"])), 400, validating,
                    data: .obj(["email": fieldError("validation_is_email", "Must be a valid email address.")]))
                try expectError(try await ctx.send("POST", "/api/collections/users/\(path)", json: .obj([:])), 400, validating, data: .obj(["email": blank]))
            }
            try expectError(
                try await ctx.send("POST", "/api/collections/_superusers/request-verification", json: .obj(["email": .string(email)])), 400,
                "All superusers are verified by default.")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/confirm-verification", json: .obj(["token": "garbage"])), 400, validating,
                data: .obj(["token": fieldError("validation_invalid_token_claims", "Missing email token claim.")]))
            // an auth token is not a verification token
            try expectError(
                try await ctx.send("POST", "/api/collections/users/confirm-password-reset", json: .obj(["token": .string(u.token), "password": "password999", "passwordConfirm": "password999"])),
                400, validating, data: .obj(["token": fieldError("validation_invalid_token", "Invalid or expired token.")]))
            try expectError(
                try await ctx.send("POST", "/api/collections/users/confirm-password-reset", json: .obj(["token": "x", "password": "short", "passwordConfirm": "other"])),
                400, validating,
                data: .obj([
                    "token": fieldError("validation_invalid_token", "Invalid or expired token."),
                    "password": fieldError("validation_length_out_of_range", "The length must be between 8 and 255.", params: ["max": 255, "min": 8]),
                    "passwordConfirm": fieldError("validation_values_mismatch", "Values don't match."),
                ]))
        },
        Scenario("users: the frontend's onboarding update and owner-only edits", tags: [.mutating, .needsSuperuser]) { ctx in
            let a = try await ctx.user("ob")
            let b = try await ctx.user("oc")
            let path = "/api/collections/users/records/\(a.id)"
            let ok = try await ctx.send("PATCH", path, json: .obj(["onboarded": true, "username": .string("Onboarded_\(ctx.runID)")]), token: a.token)
            try expectStatus(ok, 200, "onboarding update")
            try expect(try ok.json()["onboarded"] == .bool(true) && ok.json()["username"] == .string("Onboarded_\(ctx.runID)"), "onboarded: \(ok.text)")
            // usernames are unique case-insensitively (COLLATE NOCASE index)
            try expectError(
                try await ctx.send("PATCH", "/api/collections/users/records/\(b.id)", json: .obj(["username": .string("onboarded_\(ctx.runID)")]), token: b.token),
                400, "Failed to update record.", data: .obj(["username": notUnique]))
            try expectError(
                try await ctx.send("PATCH", path, json: .obj(["username": "a b"]), token: a.token), 400, "Failed to update record.",
                data: .obj(["username": fieldError("validation_invalid_format", "Invalid value format.")]))
            // only the owner may update/delete (rule `id = @request.auth.id`)
            try expectError(try await ctx.send("DELETE", path, token: b.token), 404, "The requested resource wasn't found.")
            try expectError(
                try await ctx.send("PATCH", path, json: .obj(["email": .string("new.\(ctx.runID)@example.com")]), token: a.token), 400, "Failed to update record.",
                data: .obj(["email": fieldError("validation_values_mismatch", "Values don't match.")]))
            // hidden `verified` sent by the owner is silently dropped
            let v = try await ctx.send("PATCH", path, json: .obj(["verified": true]), token: a.token)
            try expectStatus(v, 200, "verified is dropped")
            let stored = try await ctx.send("GET", path, token: try await ctx.superuser())
            try expect(try stored.json()["verified"] == .bool(false), "verified unchanged")
        },
        Scenario("auth-methods: 0.23 shape plus SDK 0.21.5's legacy keys", tags: [.readOnly]) { ctx in
            let su = try await ctx.send("GET", "/api/collections/_superusers/auth-methods")
            try expectStatus(su, 200)
            try expect(
                su.text == #"{"password":{"identityFields":["email"],"enabled":true},"oauth2":{"providers":[],"enabled":false},"mfa":{"enabled":false,"duration":0},"otp":{"enabled":false,"duration":0},"authProviders":null,"usernamePassword":false,"emailPassword":true}"# + "\n",
                "superusers auth-methods: \(su.text)")
            let users = try await ctx.send("GET", "/api/collections/users/auth-methods")
            let u = try users.json()
            try expect(u["password"] == .obj(["identityFields": ["email", "username"], "enabled": true]), "users password section: \(users.text)")
            try expect(u["oauth2"]?["enabled"] == .bool(true) && u["usernamePassword"] == .bool(true) && u["emailPassword"] == .bool(true), "legacy keys")
            try expect(u["authProviders"]?.arrayValue != nil, "authProviders is a list when OAuth2 is enabled")
            // The 0.22 SDK asks for fields=mfa,otp,password,oauth2: keys come back sorted.
            let picked = try await ctx.send("GET", "/api/collections/users/auth-methods?fields=mfa,otp,password,oauth2")
            try expect(try picked.json().objectValue?.keys == ["mfa", "oauth2", "otp", "password"], "fields-picked keys: \(picked.text)")
            try expectError(try await ctx.send("GET", "/api/collections/random_short/auth-methods"), 404, "Missing or invalid auth collection context.")
        },
        Scenario("users auth: identities, refresh, foreign and rotated tokens, impersonation", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let u = try await ctx.user("au")
            let login = "/api/collections/users/auth-with-password"
            let byEmail = try await ctx.send("POST", login, json: .obj(["identity": .string("au.\(ctx.runID)@example.com"), "password": "password123"]))
            try expectStatus(byEmail, 200, "login by email")
            let record = try byEmail.json()["record"]?.objectValue
            try expect(
                record?.keys == [
                    "avatar", "bio", "collectionId", "collectionName", "created", "email", "id", "name", "onboarded", "spotify_id", "updated", "username",
                ], "users auth record keys (hidden verified/emailVisibility absent): \(record?.keys ?? [])")
            try expectError(
                try await ctx.send("POST", login, json: .obj(["identity": .string("AU_\(ctx.runID)".uppercased()), "password": "password123"])), 400,
                "Failed to authenticate.")
            try expectError(try await ctx.send("POST", login, json: .obj(["identity": .string("au_\(ctx.runID)"), "password": "wrong"])), 400, "Failed to authenticate.")
            try expectError(
                try await ctx.send("POST", login, json: .obj(["identity": .string("nobody_\(ctx.runID)"), "password": "password123"])), 400, "Failed to authenticate.")
            // an expired token is a guest's: refresh answers 401
            let short = try await ctx.send("POST", "/api/collections/users/impersonate/\(u.id)", json: .obj(["duration": 1]), token: su)
            let shortToken = try short.json()["token"]?.stringValue ?? ""
            try await Task.sleep(for: .milliseconds(2100))
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-refresh", token: shortToken), 401, "The request requires valid record authorization token.")
            try expectStatus(try await ctx.send("POST", "/api/collections/users/auth-refresh", token: u.token), 200, "refresh")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-refresh", token: su), 403, "The request requires auth record from _superusers collection.")
            // impersonation
            try expectError(try await ctx.send("POST", "/api/collections/users/impersonate/\(u.id)", json: .obj([:])), 401, "The request requires valid record authorization token.")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/impersonate/\(u.id)", json: .obj([:]), token: u.token), 403,
                "The authorized record is not allowed to perform this action.")
            let imp = try await ctx.send("POST", "/api/collections/users/impersonate/\(u.id)", json: .obj(["duration": 60]), token: su)
            try expectStatus(imp, 200, "impersonate")
            let impToken = try imp.json()["token"]?.stringValue ?? ""
            let claims = try JSONValue.parse(base64URLDecode(String(impToken.split(separator: ".")[1])))
            try expect(claims["refreshable"] == .bool(false), "impersonate tokens are not refreshable: \(claims.encoded())")
            try expect(abs((claims["exp"]?.numberValue ?? 0) - Date().timeIntervalSince1970 - 60) < 30, "duration honoured")
            try expectStatus(try await ctx.send("GET", "/api/collections/random_short/records", token: impToken), 200, "impersonated token authenticates")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-refresh", token: impToken), 403, "The current auth token is not refreshable.")
            // a password change rotates tokenKey: old tokens stop working
            let change = try await ctx.send(
                "PATCH", "/api/collections/users/records/\(u.id)",
                json: .obj(["oldPassword": "password123", "password": "password456", "passwordConfirm": "password456"]), token: u.token)
            try expectStatus(change, 200, "password change")
            try expectError(
                try await ctx.send("POST", "/api/collections/users/auth-refresh", token: u.token), 401, "The request requires valid record authorization token.")
            try expectStatus(
                try await ctx.send("POST", login, json: .obj(["identity": .string("au_\(ctx.runID)"), "password": "password456"])), 200, "new password works")
        },
    ]
}
